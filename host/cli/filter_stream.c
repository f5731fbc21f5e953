/* `tessel filter` of one TIFF into a TIFF, band by band (see
 * filter_stream.h; the rows themselves: stream_rows.h). */
#include "filter_stream.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alpha.h"
#include "context_open.h"
#include "paths.h"
#include "progress.h"
#include "report.h"
#include "stream_rows.h"
#include "values.h"
#include "write_options.h"

static int output_is_tiff(const cli_options *o)
{
    tessel_file_format f = o->format ? cli_write_format(o->format)
                                     : tessel_format_from_path(o->output);
    return f == TESSEL_FORMAT_TIFF;
}

static tessel_dtype output_dtype(const cli_options *o, const tessel_image *in)
{
    return o->dtype_keep ? in->dtype : o->dtype;
}

/* Why the input must be read whole, or NULL when it streams. */
static const char *whole_reason(const filter_run *run, const tessel_image *shape)
{
    const cli_options *o = run->o;
    if (run->kernel_count > 1) return "the magnitude of several kernels needs the whole image";
    if (!alpha_present(shape->channels) || o->filter_alpha) return NULL;
    if (o->conv.mode != TESSEL_MODE_SAME || output_dtype(o, shape) != shape->dtype)
        return "its alpha channel is carried through on the whole image outside mode same, "
               "or into another dtype (--filter-alpha streams it, filtering alpha too)";
    return NULL;
}

/* --devices names the batch's devices: one file streams on the only one
 * named, else on the device a default context picks. */
static int open_context(const cli_options *o, tessel_context **ctx)
{
    cli_options one = *o;
    if (!one.device && o->devices && !strchr(o->devices, ',') && strcmp(o->devices, "all") != 0)
        one.device = o->devices;
    return cli_open_context(&one, ctx);
}

/* The plan of the colour channels (all of them unless alpha is carried). */
static tessel_status make_plan(const filter_run *run, stream_job *job, tessel_context *ctx,
                               tessel_plan **plan)
{
    const cli_options *o = run->o;
    tessel_image colour = job->in_shape;
    colour.channels -= job->carry_alpha;
    return tessel_plan_create(ctx, &colour, output_dtype(o, &job->in_shape), run->kernels[0],
                              &o->conv, plan);
}

static tessel_status open_writer(const cli_options *o, stream_job *job, const tessel_plan *plan)
{
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_status s = tessel_plan_info(plan, &info);
    if (s != TESSEL_OK) return s;
    job->out_shape = tessel_image_view(NULL, info.out_width, info.out_height,
                                       job->in_shape.channels, info.out_dtype);
    tessel_write_options w;
    cli_write_options(o, &w);
    w.format = TESSEL_FORMAT_TIFF;
    w.overwrite = 1; /* an existing output was refused before, unless --force */
    /* The input's profile and resolution; a stride spaces the pixels wider. */
    tessel_image_metadata m = {0};
    s = tessel_tiff_reader_metadata(job->reader, &m);
    if (s != TESSEL_OK) return s;
    m.resolution_x /= o->conv.stride_x > 1 ? o->conv.stride_x : 1;
    m.resolution_y /= o->conv.stride_y > 1 ? o->conv.stride_y : 1;
    w.metadata = &m;
    s = tessel_tiff_writer_open(job->output, &job->out_shape, &w, &job->writer);
    tessel_image_metadata_free(&m);
    return s;
}

/* The --verbose lines, as the whole-image path prints them, and the bands. */
static void describe(const filter_run *run, const stream_job *job, const tessel_plan *plan,
                     double seconds)
{
    const tessel_image *in = &job->in_shape, *out = &job->out_shape;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    cli_note("\"%s\": %dx%d, %d channel%s, %s -> \"%s\": %dx%d, %s", job->input, in->width,
             in->height, in->channels, in->channels == 1 ? "" : "s", tessel_dtype_name(in->dtype),
             job->output, out->width, out->height, tessel_dtype_name(out->dtype));
    char integer[64];
    if (tessel_plan_info(plan, &info) == TESSEL_OK)
        cli_note("  kernel %s (%dx%d): %s backend, device %s, method %s (%s)%s, %d thread%s",
                 run->o->kernels[0], info.kernel_width, info.kernel_height, info.backend_name,
                 info.device_name, info.method_name, info.method_reason,
                 cli_integer_words(&info, integer, sizeof integer), info.threads,
                 info.threads == 1 ? "" : "s");
    if (info.kernel_detail && info.kernel_detail[0])
        cli_note("    %s%s%s", info.kernel_family, info.kernel_family[0] ? " kernels: " : "",
                 info.kernel_detail);
    cli_note("  streamed in %d band%s of %d rows%s, %.1f ms (%.1f Mpix/s)", job->bands,
             job->bands == 1 ? "" : "s", job->band_rows,
             job->carry_alpha ? ", alpha carried through" : "", seconds * 1e3,
             seconds > 0 ? (double)out->width * out->height / seconds / 1e6 : 0.0);
}

/* Plan, writer, stream, finish: the status of the first failure (its
 * message is the thread's last error, or job->failure). */
static tessel_status filter_bands(const filter_run *run, stream_job *job, tessel_context *ctx)
{
    const cli_options *o = run->o;
    tessel_plan *plan = NULL;
    tessel_status s = make_plan(run, job, ctx, &plan);
    if (s == TESSEL_OK && job->carry_alpha)
        s = tessel_tiff_reader_open(job->input, &job->alpha_reader);
    if (s == TESSEL_OK) s = open_writer(o, job, plan);
    job->started = job->drawn = cli_seconds();
    if (s == TESSEL_OK)
        s = tessel_plan_execute_stream(plan, stream_read_rows, job, stream_write_rows, job, 0);
    stream_progress_clear(job);
    if (s == TESSEL_OK) s = tessel_tiff_writer_finish(job->writer); /* frees it either way */
    else tessel_tiff_writer_abort(job->writer);
    job->writer = NULL;
    if (s == TESSEL_OK && o->verbose) describe(run, job, plan, cli_seconds() - job->started);
    tessel_plan_destroy(plan);
    tessel_tiff_reader_close(job->alpha_reader);
    job->alpha_reader = NULL;
    stream_buffers_free(job);
    return s;
}

static int stream_file(filter_run *run, stream_job *job)
{
    const cli_options *o = run->o;
    if (!o->force && paths_exists(job->output)) {
        char message[4200];
        snprintf(message, sizeof message, "output \"%s\" exists (use --force to overwrite it)",
                 job->output);
        failures_report(&run->failures, job->input, NULL, message);
        return CLI_EXIT_FAILED;
    }
    tessel_context *ctx = NULL;
    int status = open_context(o, &ctx);
    if (status) return status;
    job->show_progress = !o->quiet && !o->verbose && isatty(STDERR_FILENO);
    job->carry_alpha = alpha_present(job->in_shape.channels) && !o->filter_alpha;
    job->stride_x = o->conv.stride_x > 1 ? o->conv.stride_x : 1;
    job->stride_y = o->conv.stride_y > 1 ? o->conv.stride_y : 1;
    tessel_status s = filter_bands(run, job, ctx);
    if (s != TESSEL_OK)
        failures_report(&run->failures, job->input, job->output,
                        job->failure[0] ? job->failure : cli_status_text(s));
    tessel_context_destroy(ctx);
    return s == TESSEL_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

int filter_stream_try(filter_run *run, int *streamed)
{
    const cli_options *o = run->o;
    *streamed = 0;
    if (o->input_count != 1 || run->folder || !output_is_tiff(o)) return CLI_EXIT_OK;
    stream_job job = {0};
    job.input = o->inputs[0];
    job.output = o->output;
    /* Not a TIFF tessel reads: the whole-image path reads it or says why not. */
    if (tessel_tiff_reader_open(job.input, &job.reader) != TESSEL_OK) return CLI_EXIT_OK;
    const char *why = tessel_tiff_reader_shape(job.reader, &job.in_shape) == TESSEL_OK
                          ? whole_reason(run, &job.in_shape)
                          : "its shape is unknown";
    int status = CLI_EXIT_OK;
    if (why) {
        if (o->verbose) cli_note("\"%s\": read whole, not streamed: %s", job.input, why);
    } else {
        *streamed = 1;
        status = stream_file(run, &job);
    }
    tessel_tiff_reader_close(job.reader);
    return status;
}
