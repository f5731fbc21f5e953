/* `tessel deconvolve INPUT --psf PSF -o OUTPUT`: restores an image blurred
 * by a known point spread function (tessel_fourier.h). An alpha channel is
 * carried through unchanged (deconvolving transparency means nothing). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpha.h"
#include "commands.h"
#include "context_open.h"
#include "kernel_load.h"
#include "paths.h"
#include "pipeline.h"
#include "progress.h"
#include "report.h"
#include "temporaries.h"
#include "tessel/tessel_fourier.h"
#include "tessel/tessel_io.h"
#include "values.h"
#include "write_options.h"

/* An option that the chosen method does not use is a mistake worth naming. */
static int check_method_options(const cli_options *o)
{
    static const struct {
        const char *option;
        tessel_deconv_method method;
    } uses[] = {{"--nsr", TESSEL_DECONV_WIENER},
                {"--lambda", TESSEL_DECONV_TIKHONOV},
                {"--iterations", TESSEL_DECONV_RICHARDSON_LUCY},
                {"--damping", TESSEL_DECONV_RICHARDSON_LUCY}};
    const int given[4] = {o->deconv.noise_to_signal != 0.0, o->deconv.regularization != 0.0,
                          o->deconv.iterations != 0, o->deconv.damping != 0.0};
    for (int i = 0; i < 4; ++i)
        if (given[i] && uses[i].method != o->deconv.method)
            return cli_usage(o->command_name, "%s applies to --method %s, not %s", uses[i].option,
                             uses[i].method == TESSEL_DECONV_RICHARDSON_LUCY
                                 ? "rl"
                                 : tessel_deconv_method_name(uses[i].method),
                             o->deconv.method == TESSEL_DECONV_RICHARDSON_LUCY
                                 ? "rl"
                                 : tessel_deconv_method_name(o->deconv.method));
    return CLI_EXIT_OK;
}

static int check_arguments(const cli_options *o)
{
    if (!o->psf)
        return cli_usage(o->command_name,
                         "no PSF: give --psf SPEC|FILE (e.g. gaussian:sigma=2, or a .npy/.csv "
                         "matrix)");
    if (o->input_count != 1)
        return cli_usage(o->command_name,
                         o->input_count ? "deconvolve takes one input file" : "no input file");
    if (!o->output) return cli_usage(o->command_name, "no output: give -o FILE or -o FOLDER/");
    if (cli_check_format_options(o, paths_output_is_folder(o->output, 1))) return CLI_EXIT_USAGE;
    return check_method_options(o);
}

/* The colour channels of in (all of them without alpha) deconvolved into
 * out (in's size and channels, out's dtype); alpha copied through. */
static tessel_status restore(tessel_context *ctx, const tessel_image *in, const tessel_kernel *psf,
                             const cli_options *o, tessel_image *out)
{
    if (!alpha_present(in->channels)) return tessel_deconvolve(ctx, in, psf, &o->deconv, out);
    const int w = in->width, h = in->height, c = in->channels - 1;
    tessel_image colour = pipeline_alloc_image(w, h, c, in->dtype);
    tessel_image alpha = pipeline_alloc_image(w, h, 1, in->dtype);
    tessel_image colour_out = pipeline_alloc_image(w, h, c, out->dtype);
    tessel_image alpha_out = pipeline_alloc_image(w, h, 1, out->dtype);
    tessel_kernel *identity = NULL;
    static const float one = 1.0f;
    tessel_status s = colour.data && alpha.data && colour_out.data && alpha_out.data
                          ? tessel_kernel_create(1, 1, &one, &identity)
                          : TESSEL_ERR_OUT_OF_MEMORY;
    if (s == TESSEL_OK) {
        alpha_split(in, &colour, &alpha);
        s = tessel_deconvolve(ctx, &colour, psf, &o->deconv, &colour_out);
    }
    /* Alpha in the output's dtype by the library's own conversion. */
    if (s == TESSEL_OK) s = tessel_convolve2d(ctx, &alpha, identity, NULL, &alpha_out);
    if (s == TESSEL_OK) alpha_merge(&colour_out, &alpha_out, out);
    tessel_kernel_destroy(identity);
    free(colour.data);
    free(alpha.data);
    free(colour_out.data);
    free(alpha_out.data);
    return s;
}

static const char *method_word(tessel_deconv_method m)
{
    return m == TESSEL_DECONV_RICHARDSON_LUCY ? "rl (richardson-lucy)"
                                              : tessel_deconv_method_name(m);
}

static void print_verbose(const cli_options *o, tessel_context *ctx, const tessel_image *in,
                          const tessel_image *out, const char *output, const tessel_kernel *psf,
                          double seconds)
{
    cli_note("\"%s\": %dx%d, %d channel%s, %s -> \"%s\": %s", o->inputs[0], in->width,
             in->height, in->channels, in->channels == 1 ? "" : "s",
             tessel_dtype_name(in->dtype), output, tessel_dtype_name(out->dtype));
    cli_note("  psf %s (%dx%d), method %s; %s backend, device %s; %.1f ms", o->psf,
             tessel_kernel_width(psf), tessel_kernel_height(psf), method_word(o->deconv.method),
             tessel_backend_name(tessel_context_backend(ctx)), tessel_context_device_name(ctx),
             seconds * 1e3);
}

/* -o, or the input's name in the folder -o (created when missing) with
 * --format's extension when given; 0, or 1 after a message. */
static int output_path(const cli_options *o, char *path, size_t size)
{
    const char *input = o->inputs[0];
    if (!paths_output_is_folder(o->output, 1)) {
        snprintf(path, size, "%s", o->output);
        return 0;
    }
    if (!o->format && !cli_is_write_format(paths_extension(input))) {
        cli_file_error(input, "tessel cannot write .%s files; choose an output format with "
                              "--format (%s)",
                       paths_extension(input), CLI_WRITE_FORMATS);
        return 1;
    }
    if (paths_in_folder(o->output, input, o->format, path, size) != 0) {
        cli_file_error(input, "the output path in \"%s\" is too long", o->output);
        return 1;
    }
    if (paths_make_folder(o->output) != 0) {
        cli_file_error(o->output, "cannot create the output folder: %s", strerror(errno));
        return 1;
    }
    return 0;
}

/* Deconvolves the read image and writes it; 0, or 1 after a message. */
static int deconvolve_and_write(const cli_options *o, tessel_context *ctx,
                                const tessel_kernel *psf, const tessel_image *in,
                                const char *output)
{
    const double started = cli_seconds();
    const tessel_dtype dtype = o->dtype_keep ? in->dtype : o->dtype;
    tessel_image out = pipeline_alloc_image(in->width, in->height, in->channels, dtype);
    tessel_status s = out.data ? restore(ctx, in, psf, o, &out) : TESSEL_ERR_OUT_OF_MEMORY;
    if (s != TESSEL_OK) {
        cli_file_status(o->inputs[0], s);
        free(out.data);
        return 1;
    }
    tessel_write_options w;
    cli_write_options(o, &w);
    w.overwrite = o->force;
    s = tessel_image_write(output, &out, &w);
    if (s != TESSEL_OK) cli_file_status(output, s);
    if (s == TESSEL_OK && o->verbose)
        print_verbose(o, ctx, in, &out, output, psf, cli_seconds() - started);
    free(out.data);
    return s != TESSEL_OK;
}

/* The output's path, refused when it exists (unless --force). */
static int claim_output(const cli_options *o, char *path, size_t size)
{
    if (output_path(o, path, size)) return CLI_EXIT_FAILED;
    if (!o->force && paths_exists(path)) {
        cli_file_error(o->inputs[0], "output \"%s\" exists (use --force to overwrite it)", path);
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

/* The output's format takes an image of the input's shape, known from its
 * header: before the pixels are read and restored. An input whose header
 * cannot be read is left to the read, which says why. */
static int check_output_fits(const cli_options *o, const char *input, const char *output)
{
    tessel_image shape;
    if (tessel_image_info(input, &shape) != TESSEL_OK) return CLI_EXIT_OK;
    if (!o->dtype_keep) shape.dtype = o->dtype;
    tessel_write_options w;
    cli_write_options(o, &w);
    if (tessel_image_write_check(output, &shape, &w) == TESSEL_OK) return CLI_EXIT_OK;
    cli_file_status(input, TESSEL_ERR_BAD_SIZE);
    return CLI_EXIT_FAILED;
}

static int run_deconvolve(const cli_options *o)
{
    int status = check_arguments(o);
    if (status) return status;
    const char *input = o->inputs[0];
    char output[4096];
    tessel_kernel *psf = NULL;
    tessel_context *ctx = NULL;
    tessel_image img = {0};
    if (cli_load_kernel(o->psf, &psf) != TESSEL_OK) status = CLI_EXIT_USAGE;
    if (!status) cli_temporaries_sweep(o, paths_output_is_folder(o->output, 1));
    if (!status) status = claim_output(o, output, sizeof output);
    if (!status) status = check_output_fits(o, input, output);
    if (!status) status = cli_open_context(o, &ctx);
    if (!status) {
        tessel_status s = tessel_image_read(input, &img);
        if (s != TESSEL_OK) cli_file_status(input, s);
        status = s != TESSEL_OK || deconvolve_and_write(o, ctx, psf, &img, output)
                     ? CLI_EXIT_FAILED
                     : CLI_EXIT_OK;
    }
    tessel_image_free(&img);
    tessel_context_destroy(ctx);
    tessel_kernel_destroy(psf);
    return status;
}

const cli_command cli_deconvolve_command = {
    "deconvolve",
    CLI_DECONVOLVE,
    "restore an image blurred by a known PSF (Wiener, Tikhonov, Richardson-Lucy)",
    "tessel deconvolve INPUT --psf PSF -o OUTPUT [--method wiener|tikhonov|rl] [options]",
    "Estimates the image that, convolved with the point spread function PSF, gives\n"
    "INPUT. PSF is a built-in kernel spec (see 'tessel kernels') or a .npy/.csv/.txt\n"
    "matrix; it should sum to 1 and must not be larger than the image. Methods:\n"
    "wiener (the default; --nsr is the noise-to-signal power ratio, larger = smoother),\n"
    "tikhonov (--lambda penalises roughness) and rl, Richardson-Lucy (--iterations;\n"
    "for photon-counting data, keeps the result non-negative; --damping T leaves\n"
    "pixels alone that already fit the data within T standard deviations). The image\n"
    "is extended past its edges by reflection, tapered to its mean (--taper pixels;\n"
    "default twice the PSF's larger side; -1 treats the image as periodic), so that\n"
    "its borders do not ring. Each channel is restored on its own; an alpha channel\n"
    "is copied through. Formats and --dtype as for 'tessel filter'.",
    "  tessel deconvolve blurred.png --psf gaussian:sigma=2 -o sharp.png\n"
    "  tessel deconvolve scan.png --psf disc.npy --method tikhonov --lambda 0.005 -o out.png\n"
    "  tessel deconvolve stars.npy --psf psf.npy --method rl --iterations 50 --damping 2 \\\n"
    "      --dtype f32 -o stars_rl.npy\n",
    run_deconvolve,
};
