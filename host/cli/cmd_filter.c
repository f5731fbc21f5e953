/* `tessel filter INPUT... -o OUTPUT -k KERNEL`: 2-D convolution of images
 * and arrays, one file or a batch. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "commands.h"
#include "filter_run.h"
#include "filter_stream.h"
#include "kernel_load.h"
#include "paths.h"
#include "report.h"
#include "temporaries.h"
#include "values.h"
#include "write_options.h"

/* The command line's own consistency, before anything is read. */
static int check_arguments(const cli_options *o)
{
    if (o->kernel_count == 0)
        return cli_usage(o->command_name, "no kernel: give -k SPEC|FILE (see 'tessel kernels')");
    if (o->input_count == 0) return cli_usage(o->command_name, "no input files");
    if (!o->output) return cli_usage(o->command_name, "no output: give -o FILE or -o FOLDER/");
    if (o->device && o->devices)
        return cli_usage(o->command_name,
                         "--device and --devices: give one (--devices %s,... lists several)",
                         o->device);
    return cli_check_format_options(o, paths_output_is_folder(o->output, o->input_count));
}

/* The kernels and options must make sense together: same sizes for a
 * magnitude, an anchor inside the kernel, etc. (what the library checks on
 * an image as large as the kernel). */
static int check_kernels(const cli_options *o, tessel_kernel *const *kernels, int count)
{
    int kw = tessel_kernel_width(kernels[0]), kh = tessel_kernel_height(kernels[0]);
    for (int k = 1; k < count; ++k) {
        if (tessel_kernel_width(kernels[k]) != kw || tessel_kernel_height(kernels[k]) != kh)
            return cli_usage(o->command_name,
                             "-k: the kernels of a magnitude must have one size, but \"%s\" is "
                             "%dx%d and \"%s\" is %dx%d",
                             o->kernels[0], kw, kh, o->kernels[k], tessel_kernel_width(kernels[k]),
                             tessel_kernel_height(kernels[k]));
    }
    int ow, oh;
    tessel_status s = tessel_conv_output_size(kw, kh, kernels[0], &o->conv, &ow, &oh);
    if (s != TESSEL_OK) return cli_usage(o->command_name, "%s", cli_status_text(s));
    return CLI_EXIT_OK;
}

static int load_kernels(filter_run *run)
{
    const cli_options *o = run->o;
    for (int k = 0; k < o->kernel_count; ++k) {
        if (cli_load_kernel(o->kernels[k], &run->kernels[k]) != TESSEL_OK) return CLI_EXIT_USAGE;
        run->kernel_count = k + 1;
    }
    return check_kernels(o, run->kernels, run->kernel_count);
}

static int make_output_folder(const filter_run *run)
{
    if (!run->folder || paths_make_folder(run->o->output) == 0) return CLI_EXIT_OK;
    cli_file_error(run->o->output, "cannot create the output folder: %s", strerror(errno));
    return CLI_EXIT_FAILED;
}

/* --verbose: room for what filtering each input did. */
static int make_notes(filter_run *run)
{
    if (!run->o->verbose || run->count == 0) return CLI_EXIT_OK;
    run->notes = calloc((size_t)run->count, sizeof *run->notes);
    if (run->notes) return CLI_EXIT_OK;
    cli_error("out of memory");
    return CLI_EXIT_FAILED;
}

static void finish(filter_run *run, cli_batch *batch)
{
    cli_batch_close(batch);
    for (int k = 0; k < run->kernel_count; ++k) tessel_kernel_destroy(run->kernels[k]);
    for (int i = 0; run->notes && i < run->count; ++i) free(run->notes[i].text);
    free(run->notes);
    filter_free_outputs(run);
    failures_free(&run->failures);
    free(run->fingerprint);
}

/* The engine's view of the run: filter_process on each image, written as
 * the write options ask (write_options.h). */
static tessel_batch_filter engine_filter(filter_run *run)
{
    const cli_options *o = run->o;
    tessel_batch_filter f = {0};
    f.struct_size = sizeof f;
    f.process = filter_process;
    f.release = filter_release;
    f.user = run;
    cli_write_options(o, &f.write);
    f.read.struct_size = sizeof f.read;
    f.read.keep_orientation = o->keep_orientation;
    return f;
}

static int run_filter(const cli_options *o)
{
    int status = check_arguments(o);
    if (status) return status;
    cli_temporaries_sweep(o, paths_output_is_folder(o->output, o->input_count));
    filter_run run = {0};
    run.o = o;
    run.folder = paths_output_is_folder(o->output, o->input_count);
    run.strict = o->input_count == 1;
    tessel_batch_filter filter = engine_filter(&run);
    cli_batch_job job = {0};
    job.o = o;
    job.failures = &run.failures;
    job.force = o->force || run.strict; /* strict: an existing output was refused already */
    job.filter = &filter;
    job.describe = filter_describe;
    job.user = &run;
    cli_batch batch = {0};
    status = load_kernels(&run);
    int streamed = 0; /* one TIFF into a TIFF goes band by band (filter_stream.h) */
    if (!status) status = filter_stream_try(&run, &streamed);
    if (streamed) {
        finish(&run, &batch);
        return status;
    }
    if (!status) status = cli_batch_open(&batch, &job);
    if (!status) status = make_output_folder(&run);
    if (!status) status = filter_plan_outputs(&run);
    if (!status) status = make_notes(&run);
    if (!status) status = filter_fingerprint(&run);
    if (!status) {
        filter.fingerprint = run.fingerprint;
        filter.fingerprint_size = run.fingerprint_size;
        job.count = run.count;
        job.inputs = run.inputs;
        job.outputs = (const char *const *)run.outputs;
        status = cli_batch_run(&batch);
    }
    finish(&run, &batch);
    return status;
}

const cli_command cli_filter_command = {
    "filter",
    CLI_FILTER,
    "2-D convolution of images and arrays (one file or a batch)",
    "tessel filter INPUT -o OUTPUT -k KERNEL [options]\n"
    "       tessel filter INPUT... -o FOLDER/ -k KERNEL [options]",
    "Convolves each input image or array with the kernel. Reads PNG (8/16-bit), JPEG,\n"
    "BMP, TGA, GIF, PNM, HDR, TIFF, .npy and CSV; writes PNG, JPEG, BMP, TGA, TIFF,\n"
    ".npy and CSV (by the output's extension, or --format). With one input -o is the\n"
    "output file; with several (or -o ending in '/') it is a folder, created if\n"
    "missing, and each output keeps its input's name. The output type is the input's\n"
    "(--dtype keep) unless --dtype says otherwise; float results written to 8-bit\n"
    "formats are rounded and saturated. An alpha channel is copied through unless\n"
    "--filter-alpha.\n"
    "\n"
    "One TIFF input with a TIFF output is streamed: read, filtered and written in\n"
    "bands of rows, so an image larger than memory works. It takes one -k kernel,\n"
    "and alpha is carried through only in --mode same with --dtype keep (else give\n"
    "--filter-alpha); otherwise the image is read whole, and -v says why. A batch\n"
    "reads each image whole.\n"
    "\n"
    "A batch runs on every OpenCL GPU, or the CPU backend where there is none (as\n"
    "--device auto); an OpenCL CPU device (PoCL) joins only when named, and --devices\n"
    "picks them (auto,cpu adds the CPU backend to the GPUs), while --jobs\n"
    "threads read and write files, so decoding, transfers, filtering and encoding\n"
    "overlap. It resumes: an input whose output is newer than it and was made by the\n"
    "same filter (kernels, options, output format) is skipped, unless --force. One\n"
    "input with an existing output is an error without --force.\n"
    "\n"
    "A failing file is reported and the others go on; the exit status is 0 when all\n"
    "succeeded, 1 when some failed, 2 for a wrong command line.",
    "  tessel filter photo.png -k gaussian:sigma=3 -o blurred.png\n"
    "  tessel filter photo.png -k sobel:x -k sobel:y -o edges.png          # magnitude\n"
    "  tessel filter photo.png -k sobel:x --abs --scale 0.25 -o edges_x.png\n"
    "  tessel filter photo.png -k sharpen:amount=0.8 -o sharp.jpg --quality 90\n"
    "  tessel filter scan.png -k log:sigma=2 --dtype f32 -o log.npy\n"
    "  tessel filter photos/*.jpg -k box:5 --stride 2 -o small/ --format png\n"
    "  tessel filter scans/*.png -k gaussian:sigma=2 -o blurred/ --devices auto,cpu --jobs 4\n"
    "  tessel filter data.npy -k my_kernel.csv --mode valid --border wrap -o out.npy\n"
    "  tessel filter huge.tif -k gaussian:sigma=2 -o huge_blurred.tif           # streamed\n",
    run_filter,
};
