/* `tessel signal INPUT -o OUTPUT -k KERNEL`: 1-D convolution of a signal
 * (numpy.convolve semantics) from .npy or a CSV/text column. */
#include <stdlib.h>
#include <strings.h>

#include "commands.h"
#include "context_open.h"
#include "kernel_load.h"
#include "paths.h"
#include "progress.h"
#include "report.h"
#include "temporaries.h"
#include "tessel/tessel_io.h"

static int writable_signal(const char *path)
{
    const char *ext = paths_extension(path);
    return strcasecmp(ext, "npy") == 0 || strcasecmp(ext, "csv") == 0 ||
           strcasecmp(ext, "txt") == 0;
}

static int check_arguments(const cli_options *o)
{
    if (o->kernel_count != 1)
        return cli_usage(o->command_name, o->kernel_count ? "-k: signal takes one kernel"
                                                          : "no kernel: give -k SPEC|FILE");
    if (o->input_count != 1)
        return cli_usage(o->command_name,
                         o->input_count ? "signal takes one input file" : "no input file");
    if (!o->output) return cli_usage(o->command_name, "no output: give -o FILE.csv or FILE.npy");
    if (!writable_signal(o->output))
        return cli_usage(o->command_name, "-o \"%s\": signals are written as .csv, .txt or .npy",
                         o->output);
    return CLI_EXIT_OK;
}

/* The -k kernel as a 1 x N row (a 1-D kernel may be written either way). */
static int load_row_kernel(const cli_options *o, tessel_kernel **out)
{
    tessel_kernel *k = NULL;
    if (cli_load_kernel(o->kernels[0], &k) != TESSEL_OK) return CLI_EXIT_USAGE;
    int w = tessel_kernel_width(k), h = tessel_kernel_height(k);
    if (w != 1 && h != 1) {
        tessel_kernel_destroy(k);
        return cli_usage(o->command_name,
                         "-k \"%s\" is %dx%d; a signal needs a 1-D kernel (e.g. box:7x1, "
                         "gaussian:sigma=2,size=13x1, or a file with one row)",
                         o->kernels[0], w, h);
    }
    float *taps = cli_kernel_coefficients(k);
    tessel_kernel_destroy(k);
    if (!taps) return CLI_EXIT_FAILED;
    tessel_status s = tessel_kernel_create(w * h, 1, taps, out);
    free(taps);
    if (s != TESSEL_OK) cli_error("-k \"%s\": %s", o->kernels[0], cli_status_text(s));
    return s == TESSEL_OK ? CLI_EXIT_OK : CLI_EXIT_FAILED;
}

/* Convolves the signal and writes the result; 0, or 1 after a message. */
static int convolve_and_write(const cli_options *o, tessel_context *ctx, const tessel_kernel *k,
                              const tessel_image *in)
{
    const char *input = o->inputs[0];
    int ow = 0;
    tessel_dtype dtype = o->dtype_keep ? in->dtype : o->dtype;
    double started = cli_seconds();
    tessel_status s = tessel_conv1d_output_size(in->width, k, &o->conv, &ow);
    tessel_image out = {0};
    if (s == TESSEL_OK) {
        out = tessel_image_view(malloc((size_t)ow * tessel_dtype_size(dtype)), ow, 1, 1, dtype);
        s = out.data ? tessel_convolve1d(ctx, in, k, &o->conv, &out) : TESSEL_ERR_OUT_OF_MEMORY;
    }
    if (s != TESSEL_OK) {
        cli_file_status(input, s);
        free(out.data);
        return 1;
    }
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.overwrite = o->force;
    s = tessel_signal_write(o->output, &out, &w);
    if (s != TESSEL_OK) cli_file_status(o->output, s);
    if (s == TESSEL_OK && o->verbose)
        cli_note("\"%s\": %d samples, %s -> \"%s\": %d samples, %s; %s backend, device %s, "
                 "kernel %s (%d taps), method %s, %.1f ms",
                 input, in->width, tessel_dtype_name(in->dtype), o->output, ow,
                 tessel_dtype_name(dtype), tessel_backend_name(tessel_context_backend(ctx)),
                 tessel_context_device_name(ctx), o->kernels[0], tessel_kernel_width(k),
                 tessel_method_name(o->conv.method), (cli_seconds() - started) * 1e3);
    free(out.data);
    return s != TESSEL_OK;
}

static int run_signal(const cli_options *o)
{
    int status = check_arguments(o);
    if (status) return status;
    const char *input = o->inputs[0];
    cli_temporaries_sweep(o, 0);
    if (!o->force && paths_exists(o->output)) {
        cli_file_error(input, "output \"%s\" exists (use --force to overwrite it)", o->output);
        return CLI_EXIT_FAILED;
    }
    tessel_kernel *kernel = NULL;
    tessel_context *ctx = NULL;
    tessel_image signal = {0};
    status = load_row_kernel(o, &kernel);
    if (!status) status = cli_open_context(o, &ctx);
    if (!status) {
        tessel_status s = tessel_signal_read(input, o->column, &signal);
        if (s != TESSEL_OK) cli_file_status(input, s);
        status = s != TESSEL_OK                                ? CLI_EXIT_FAILED
                 : convolve_and_write(o, ctx, kernel, &signal) ? CLI_EXIT_FAILED
                                                               : CLI_EXIT_OK;
    }
    tessel_image_free(&signal);
    tessel_context_destroy(ctx);
    tessel_kernel_destroy(kernel);
    return status;
}

const cli_command cli_signal_command = {
    "signal",
    CLI_SIGNAL,
    "1-D convolution of a signal from .npy or a CSV/text column",
    "tessel signal INPUT -o OUTPUT -k KERNEL [options]",
    "Convolves a 1-D signal with a 1-D kernel, as numpy.convolve does (modes same,\n"
    "full, valid; with --border constant and --cval 0 the result equals numpy's;\n"
    "a kernel longer than the signal gives max(M, N) samples in same mode and\n"
    "|M - N| + 1 in valid, as NumPy's).\n"
    "The input is a 1-D .npy array, a column of a 2-D .npy array, or a column of a\n"
    "CSV/text file (--column picks it by header name or 0-based index; a header row\n"
    "is skipped). The output is .csv/.txt (one value per line under a header\n"
    "\"value\") or .npy. A kernel may be written as a row or a column: box:7x1 is a\n"
    "moving average over 7 samples.",
    "  tessel signal daily.csv --column temperature -k box:7x1 --border nearest -o weekly.csv\n"
    "  tessel signal spectrum.npy -k gaussian:sigma=3,size=19x1 -o smooth.npy\n"
    "  tessel signal x.csv -k taps.csv --mode full --border constant -o y.csv\n",
    run_signal,
};
