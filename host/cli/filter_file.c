/* `tessel filter`: one input file to one output file (see filter_run.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_run.h"
#include "paths.h"
#include "progress.h"
#include "report.h"
#include "tessel/tessel_io.h"
#include "values.h"

/* The output path of input `input` into buf; 0, or 1 after a message. */
static int output_path(const filter_run *run, const char *input, char *buf, size_t size)
{
    const cli_options *o = run->o;
    if (!run->folder) {
        if (strlen(o->output) < size) {
            strcpy(buf, o->output);
            return 0;
        }
        cli_file_error(input, "the output path \"%.40s...\" is too long", o->output);
        return 1;
    }
    if (!o->format && !cli_is_write_format(paths_extension(input))) {
        cli_file_error(input,
                       "tessel cannot write .%s files; choose an output format with "
                       "--format (%s)",
                       paths_extension(input), CLI_WRITE_FORMATS);
        return 1;
    }
    if (paths_in_folder(o->output, input, o->format, buf, size) != 0) {
        cli_file_error(input, "the output path in \"%s\" is too long", o->output);
        return 1;
    }
    return 0;
}

/* Refuses an output that exists (without --force) or that this run already
 * wrote for another input; remembers the others. */
static int claim_output(filter_run *run, const char *input, const char *path)
{
    for (int i = 0; i < run->written_count; ++i) {
        if (strcmp(run->written[i], path) == 0) {
            cli_file_error(input, "its output \"%s\" is the output of an earlier input too", path);
            return 1;
        }
    }
    if (!run->o->force && paths_exists(path)) {
        cli_file_error(input, "output \"%s\" exists (use --force to overwrite it)", path);
        return 1;
    }
    char *copy = malloc(strlen(path) + 1);
    char **grown = realloc(run->written, (size_t)(run->written_count + 1) * sizeof *grown);
    if (!copy || !grown) {
        free(copy);
        if (grown) run->written = grown;
        cli_file_error(input, "out of memory");
        return 1;
    }
    run->written = grown;
    run->written[run->written_count++] = strcpy(copy, path);
    return 0;
}

/* The plans for img: the last ones when the shape is the same. */
static int prepare(filter_run *run, const tessel_image *img, tessel_dtype out_dtype,
                   const char *input, int *reused)
{
    *reused = pipeline_matches(&run->pipe, img, out_dtype);
    if (*reused) return 0;
    pipeline_destroy(&run->pipe);
    return pipeline_create(&run->pipe, run->ctx, img, out_dtype, run->kernels, run->kernel_count,
                           run->o, input) != TESSEL_OK;
}

static void print_verbose(const filter_run *run, const char *input, const tessel_image *in,
                          const char *output, const tessel_image *out, int reused, double seconds)
{
    cli_note("\"%s\": %dx%d, %d channel%s, %s -> \"%s\": %dx%d, %s", input, in->width, in->height,
             in->channels, in->channels == 1 ? "" : "s", tessel_dtype_name(in->dtype), output,
             out->width, out->height, tessel_dtype_name(out->dtype));
    for (int k = 0; k < run->kernel_count; ++k) {
        tessel_plan_properties info = {0};
        info.struct_size = sizeof info;
        if (tessel_plan_info(run->pipe.kernels[k].plan, &info) != TESSEL_OK) continue;
        cli_note("  kernel %s (%dx%d): %s backend, device %s, method %s (%s), %d thread%s",
                 run->o->kernels[k], info.kernel_width, info.kernel_height, info.backend_name,
                 info.device_name, info.method_name, info.method_reason, info.threads,
                 info.threads == 1 ? "" : "s");
    }
    cli_note("  plan %s, %.1f ms", reused ? "reused" : "new", seconds * 1e3);
}

/* Filters the read image into a new output image and writes it; `started`
 * is when the work on this file began. */
static int filter_image(filter_run *run, const char *input, const tessel_image *img,
                        const char *output, double started)
{
    const cli_options *o = run->o;
    tessel_dtype out_dtype = o->dtype_keep ? img->dtype : o->dtype;
    int reused = 0;
    if (prepare(run, img, out_dtype, input, &reused)) return 1;
    tessel_image out =
        pipeline_alloc_image(run->pipe.out_width, run->pipe.out_height, img->channels, out_dtype);
    if (!out.data) {
        cli_file_error(input, "out of memory for the %dx%d output", out.width, out.height);
        return 1;
    }
    int failed = pipeline_run(&run->pipe, img, &out, input) != TESSEL_OK;
    if (!failed) {
        tessel_write_options w = {0};
        w.struct_size = sizeof w;
        w.format = o->format ? cli_write_format(o->format) : TESSEL_FORMAT_AUTO;
        w.quality = o->quality;
        w.overwrite = o->force;
        tessel_status s = tessel_image_write(output, &out, &w);
        if (s != TESSEL_OK) cli_file_status(output, s);
        failed = s != TESSEL_OK;
    }
    if (!failed && o->verbose)
        print_verbose(run, input, img, output, &out, reused, cli_seconds() - started);
    free(out.data);
    return failed;
}

int filter_file(void *state, int index)
{
    filter_run *run = state;
    const char *input = run->o->inputs[index];
    double started = cli_seconds();
    char output[4096];
    if (output_path(run, input, output, sizeof output)) return 1;
    if (claim_output(run, input, output)) return 1;
    tessel_image img = {0};
    tessel_status s = tessel_image_read(input, &img);
    if (s != TESSEL_OK) {
        cli_file_status(input, s);
        return 1;
    }
    int failed = filter_image(run, input, &img, output, started);
    tessel_image_free(&img);
    return failed;
}
