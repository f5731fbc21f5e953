/* The options table shared by the subcommands, and the parser (options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "values.h"
#include "wrap.h"

#define BOTH (CLI_FILTER | CLI_SIGNAL)
#define FILES (CLI_FILTER | CLI_SIGNAL | CLI_DECONVOLVE) /* the commands that run on files */
#define IMAGES (CLI_FILTER | CLI_DECONVOLVE)
#define ALL (CLI_FILTER | CLI_SIGNAL | CLI_KERNELS | CLI_DEVICES | CLI_VERSION | CLI_DECONVOLVE | \
             CLI_MATCH | CLI_TUNE)

/* Stores a value; returns 0, or -1 with `why` saying what is wrong. */
typedef int (*option_setter)(cli_options *o, const char *value, const char **why);

typedef struct option_spec {
    const char *name;       /* long name without "--" */
    char letter;            /* short name, 0 if none */
    const char *value_name; /* NULL for a flag */
    unsigned commands;      /* the cli_command_id bits it serves */
    option_setter set;
    const char *help;
} option_spec;

/* ---------------------------------------------------------------- setters */

static int set_kernel(cli_options *o, const char *v, const char **why)
{
    if (o->kernel_count == CLI_MAX_KERNELS) {
        *why = "too many kernels (at most 8)";
        return -1;
    }
    o->kernels[o->kernel_count++] = v;
    return 0;
}

static int set_output(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty";
    if (!*v) return -1;
    o->output = v;
    return 0;
}

static int set_mode(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_MODES;
    return cli_read_mode(v, &o->conv.mode);
}

static int set_border(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_BORDERS;
    return cli_read_border(v, &o->conv.border);
}

static int set_cval(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a finite number";
    return cli_read_real(v, &o->conv.cval);
}

static int set_correlate(cli_options *o, const char *v, const char **why)
{
    o->conv.correlate = 1;
    return 0;
}

static int set_stride(cli_options *o, const char *v, const char **why)
{
    if (o->command == CLI_SIGNAL) {
        *why = "accepted: a whole number S >= 1";
        o->conv.stride_y = 1;
        return cli_read_int(v, 1, 1L << 30, &o->conv.stride_x);
    }
    *why = "accepted: S or SX,SY, whole numbers >= 1";
    return cli_read_int_pair(v, 1, 1L << 30, 1, &o->conv.stride_x, &o->conv.stride_y);
}

static int set_anchor(cli_options *o, const char *v, const char **why)
{
    o->conv.anchor_set = 1;
    if (o->command == CLI_SIGNAL) {
        *why = "accepted: X, a kernel tap index >= 0";
        o->conv.anchor_y = 0;
        return cli_read_int(v, 0, TESSEL_MAX_KERNEL_TAPS_1D, &o->conv.anchor_x);
    }
    *why = "accepted: X,Y, kernel column and row >= 0";
    return cli_read_int_pair(v, 0, TESSEL_MAX_KERNEL_TAPS_1D, 0, &o->conv.anchor_x,
                             &o->conv.anchor_y);
}

static int set_method(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_METHODS;
    return cli_read_method(v, &o->conv.method);
}

static int set_device(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (auto, cpu, opencl, opencl:N, gpu)";
    if (!*v) return -1;
    o->device = v;
    return 0;
}

static int set_devices(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (auto, cpu, opencl:N, ... separated by commas)";
    if (!*v) return -1;
    o->devices = v;
    return 0;
}

static int set_jobs(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 to 256";
    return cli_read_int(v, 1, 256, &o->jobs);
}

static int set_dtype(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_DTYPES;
    return cli_read_dtype(v, &o->dtype_keep, &o->dtype);
}

static int set_scale(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a finite number other than 0";
    return cli_read_real(v, &o->conv.scale) || o->conv.scale == 0 ? -1 : 0;
}

static int set_offset(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a finite number";
    return cli_read_real(v, &o->conv.offset);
}

static int set_abs(cli_options *o, const char *v, const char **why)
{
    o->conv.absolute = 1;
    return 0;
}

static int set_threads(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 to 1024";
    return cli_read_int(v, 1, TESSEL_MAX_THREADS, &o->threads);
}

static int set_quiet(cli_options *o, const char *v, const char **why)
{
    o->quiet = 1;
    return 0;
}

static int set_verbose(cli_options *o, const char *v, const char **why)
{
    o->verbose = 1;
    return 0;
}

static int set_force(cli_options *o, const char *v, const char **why)
{
    o->force = 1;
    return 0;
}

static int set_filter_alpha(cli_options *o, const char *v, const char **why)
{
    o->filter_alpha = 1;
    return 0;
}

static int set_quality(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 to 100";
    return cli_read_int(v, 1, 100, &o->quality);
}

static int set_format(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_WRITE_FORMATS;
    if (!cli_is_write_format(v)) return -1;
    o->format = v;
    return 0;
}

static int set_compression(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_COMPRESSIONS;
    return cli_read_compression(v, &o->compression);
}

static int set_compression_level(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 (fastest) to 9 (smallest)";
    return cli_read_int(v, 1, 9, &o->compression_level);
}

static int set_subsampling(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_SUBSAMPLINGS;
    return cli_read_subsampling(v, &o->subsampling);
}

static int set_keep_orientation(cli_options *o, const char *v, const char **why)
{
    o->keep_orientation = 1;
    return 0;
}

static int set_tile(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: " CLI_TILES;
    return cli_read_tile(v, &o->tile_width, &o->tile_height);
}

static int set_bigtiff(cli_options *o, const char *v, const char **why)
{
    o->bigtiff = 1;
    return 0;
}

static int set_column(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (a header name or a 0-based index)";
    if (!*v) return -1;
    o->column = v;
    return 0;
}

static int set_psf(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (a built-in spec or a .npy/.csv/.txt matrix)";
    if (!*v) return -1;
    o->psf = v;
    return 0;
}

static int set_deconv_method(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: wiener, tikhonov, rl (or richardson-lucy)";
    if (strcmp(v, "wiener") == 0)
        o->deconv.method = TESSEL_DECONV_WIENER;
    else if (strcmp(v, "tikhonov") == 0)
        o->deconv.method = TESSEL_DECONV_TIKHONOV;
    else if (strcmp(v, "rl") == 0 || strcmp(v, "richardson-lucy") == 0)
        o->deconv.method = TESSEL_DECONV_RICHARDSON_LUCY;
    else
        return -1;
    return 0;
}

/* A strength of the regulariser: finite and above 0. */
static int read_positive(const char *v, double *out, const char **why)
{
    *why = "accepted: a finite number greater than 0";
    return cli_read_real(v, out) || !(*out > 0.0) ? -1 : 0;
}

static int set_nsr(cli_options *o, const char *v, const char **why)
{
    return read_positive(v, &o->deconv.noise_to_signal, why);
}

static int set_lambda(cli_options *o, const char *v, const char **why)
{
    return read_positive(v, &o->deconv.regularization, why);
}

static int set_damping(cli_options *o, const char *v, const char **why)
{
    return read_positive(v, &o->deconv.damping, why);
}

static int set_iterations(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 to 10000";
    return cli_read_int(v, 1, TESSEL_DECONV_MAX_ITERATIONS, &o->deconv.iterations);
}

static int set_taper(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: -1 (none: the image is periodic) or a width of 1 to 8192 pixels";
    return cli_read_int(v, -1, TESSEL_DECONV_MAX_TAPER, &o->deconv.taper) || o->deconv.taper == 0
               ? -1
               : 0;
}

static int set_template(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (an image or array file)";
    if (!*v) return -1;
    o->templ = v;
    return 0;
}

static int set_match_count(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number from 1 to 100000";
    return cli_read_int(v, 1, 100000, &o->match_count);
}

static int set_min_score(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a number from -1 to 1";
    o->min_score_set = 1;
    return cli_read_real(v, &o->min_score) || o->min_score < -1 || o->min_score > 1 ? -1 : 0;
}

static int set_min_distance(cli_options *o, const char *v, const char **why)
{
    *why = "accepted: a whole number of pixels >= 0";
    o->min_distance_set = 1;
    return cli_read_int(v, 0, 1L << 30, &o->min_distance);
}

static int set_json(cli_options *o, const char *v, const char **why)
{
    o->json = 1;
    return 0;
}

static int set_quick(cli_options *o, const char *v, const char **why)
{
    o->quick = 1;
    return 0;
}

static int set_help(cli_options *o, const char *v, const char **why)
{
    o->help = 1;
    return 0;
}

/* ------------------------------------------------------------------ table */

static const option_spec options[] = {
    {"psf", 0, "SPEC|FILE", CLI_DECONVOLVE, set_psf,
     "the point spread function: a built-in kernel (see 'tessel kernels') or a "
     ".npy/.csv/.txt matrix; it should sum to 1"},
    {"method", 0, "METHOD", CLI_DECONVOLVE, set_deconv_method,
     "wiener (default), tikhonov, rl (Richardson-Lucy)"},
    {"nsr", 0, "X", CLI_DECONVOLVE, set_nsr,
     "wiener: noise-to-signal power ratio, larger = smoother (default 0.01)"},
    {"lambda", 0, "X", CLI_DECONVOLVE, set_lambda,
     "tikhonov: weight of the roughness penalty (default 0.01)"},
    {"iterations", 0, "N", CLI_DECONVOLVE, set_iterations, "rl: iterations (default 30)"},
    {"damping", 0, "T", CLI_DECONVOLVE, set_damping,
     "rl: leave pixels that fit the data within T standard deviations of photon noise "
     "(in input units) nearly unchanged (default: no damping)"},
    {"taper", 0, "N", CLI_DECONVOLVE, set_taper,
     "edge taper width in pixels (default twice the PSF's larger side); -1 = none, the "
     "image is treated as periodic"},
    {"template", 't', "FILE", CLI_MATCH, set_template,
     "the image to look for: an image or array file with the input's channels"},
    {"count", 'n', "N", CLI_MATCH, set_match_count, "report up to N matches, best first (default 1)"},
    {"min-score", 0, "S", CLI_MATCH, set_min_score,
     "report only matches scoring at least S, -1..1 (default -1: the best, whatever it scores)"},
    {"min-distance", 0, "D", CLI_MATCH, set_min_distance,
     "matches at least D pixels apart in x or y (default: half the template's shorter side)"},
    {"json", 0, NULL, CLI_MATCH, set_json, "print the matches as a JSON array"},
    {"output", 'o', "PATH", CLI_MATCH, set_output,
     "write the score map: .npy or .csv as f32 scores, .png/.bmp/.tga/.jpg as 8-bit "
     "(score -1 -> 0, 0 -> 128, 1 -> 255)"},
    {"kernel", 'k', "SPEC|FILE", BOTH, set_kernel,
     "built-in kernel (see 'tessel kernels') or a .npy/.csv/.txt matrix; "
     "given twice or more, the output is the magnitude sqrt(sum of squares)"},
    {"output", 'o', "PATH", FILES, set_output,
     "output file, or folder (ending in '/', or with several inputs)"},
    {"mode", 0, "MODE", BOTH, set_mode, "output size: same (default), full, valid"},
    {"border", 0, "BORDER", BOTH, set_border,
     "outside the input: reflect (default), constant, nearest, mirror, wrap; "
     "OpenCV names replicate, reflect101 accepted"},
    {"cval", 0, "V", BOTH, set_cval, "value outside the input for --border constant (default 0)"},
    {"correlate", 0, NULL, BOTH, set_correlate, "correlate (do not flip the kernel)"},
    {"stride", 0, "S|SX,SY", BOTH, set_stride,
     "keep every S-th output sample (signal: S only; default 1)"},
    {"anchor", 0, "X,Y", BOTH, set_anchor,
     "kernel tap on the output sample in same mode (signal: X only)"},
    {"method", 0, "METHOD", BOTH, set_method,
     "auto (default), direct, separable, fft, fft-block, running (box-like kernels)"},
    {"quick", 0, NULL, CLI_TUNE, set_quick, "a few seconds of measurements, a coarser fit"},
    {"device", 0, "DEVICE", FILES | CLI_MATCH | CLI_TUNE, set_device,
     "auto, cpu, opencl, opencl:N, gpu (default: $TESSEL_DEVICE, else auto)"},
    {"devices", 0, "LIST", CLI_FILTER, set_devices,
     "devices that share a batch, e.g. auto (the default: every OpenCL GPU, else the CPU "
     "backend), auto,cpu (the CPU backend too), cpu,opencl:1 (an OpenCL CPU device joins "
     "only when named)"},
    {"jobs", 0, "N", CLI_FILTER, set_jobs,
     "threads that read and write files in a batch (default: the cores, at least 2)"},
    {"dtype", 0, "TYPE", FILES, set_dtype, "output type: keep (the input's; default), u8, u16, f32"},
    {"scale", 0, "A", BOTH, set_scale, "output = A * sum + B (default 1)"},
    {"offset", 0, "B", BOTH, set_offset, "see --scale (default 0)"},
    {"abs", 0, NULL, BOTH, set_abs, "absolute value of A * sum + B"},
    {"threads", 0, "N", FILES | CLI_MATCH, set_threads, "CPU worker threads (default: all cores)"},
    {"threads", 0, "N", CLI_TUNE, set_threads,
     "CPU worker threads (default: all cores); a profile serves that thread count"},
    {"filter-alpha", 0, NULL, CLI_FILTER, set_filter_alpha,
     "filter the alpha channel too (default: copied through)"},
    {"format", 0, "EXT", IMAGES, set_format,
     "output format: png, jpg, bmp, tga, tif, npy, csv (folder outputs: the extension)"},
    {"quality", 0, "Q", IMAGES, set_quality, "JPEG outputs: quality 1..100 (default 95)"},
    {"compression", 0, "NAME", IMAGES, set_compression,
     "TIFF outputs: deflate (the default, at a fast level), lzw, or none"},
    {"compression-level", 0, "N", IMAGES, set_compression_level,
     "PNG and deflate TIFF outputs: 1 (fastest, the default) .. 9 (smallest)"},
    {"subsampling", 0, "444|422|420", IMAGES, set_subsampling,
     "JPEG outputs: chroma subsampling (default 420, as OpenCV and libjpeg)"},
    {"keep-orientation", 0, NULL, IMAGES, set_keep_orientation,
     "JPEG inputs: keep the pixels as stored (default: turned upright by their EXIF "
     "orientation, as OpenCV and libvips read them)"},
    {"tile", 0, "N|WxH", IMAGES, set_tile,
     "TIFF outputs: tiles of N x N or W x H pixels, multiples of 16 (default: strips)"},
    {"bigtiff", 0, NULL, IMAGES, set_bigtiff,
     "TIFF outputs: always BigTIFF (default: only when the file could pass 4 GiB)"},
    {"column", 0, "NAME|N", CLI_SIGNAL, set_column,
     "CSV column by header name or 0-based index (default: the first)"},
    {"force", 0, NULL, FILES | CLI_MATCH, set_force,
     "overwrite existing outputs (a batch otherwise skips inputs whose output is newer "
     "than they are and was made by the same filter)"},
    {"quiet", 'q', NULL, FILES | CLI_MATCH, set_quiet, "no progress bar or summary, errors only"},
    {"verbose", 'v', NULL, FILES | CLI_MATCH | CLI_VERSION, set_verbose,
     "print backend, device, method and why, sizes, types and time per file (version: "
     "the library serving each file format)"},
    {"help", 'h', NULL, ALL, set_help, "show this help"},
};

#define OPTION_COUNT ((int)(sizeof options / sizeof options[0]))

/* ----------------------------------------------------------------- parser */

/* The option of that name for `command` (a name may mean different things to
 * different commands, as --method does), else any of that name. */
static const option_spec *find_long(const char *name, size_t length, unsigned command)
{
    const option_spec *any = NULL;
    for (int i = 0; i < OPTION_COUNT; ++i) {
        if (strlen(options[i].name) != length || strncmp(options[i].name, name, length) != 0)
            continue;
        if (options[i].commands & command) return &options[i];
        if (!any) any = &options[i];
    }
    return any;
}

/* As find_long, by the short name. */
static const option_spec *find_short(char letter, unsigned command)
{
    const option_spec *any = NULL;
    for (int i = 0; i < OPTION_COUNT; ++i) {
        if (options[i].letter != letter) continue;
        if (options[i].commands & command) return &options[i];
        if (!any) any = &options[i];
    }
    return any;
}

/* Applies one option; `shown` is how the user wrote its name. */
static int apply(cli_options *o, const option_spec *spec, const char *shown, const char *value)
{
    if (!(spec->commands & o->command))
        return cli_usage(o->command_name, "%s: not an option of 'tessel %s'", shown,
                         o->command_name);
    const char *why = "not accepted";
    if (spec->set(o, value, &why) != 0)
        return cli_usage(o->command_name, "%s: invalid value \"%s\" (%s)", shown, value, why);
    return 0;
}

/* One option word at argv[*i]; takes its value from the next word if needed. */
static int parse_option(cli_options *o, int argc, char **argv, int *i)
{
    const char *word = argv[*i];
    const option_spec *spec = NULL;
    const char *value = NULL;
    char shown[64];
    if (word[1] == '-') {
        const char *name = word + 2;
        const char *eq = strchr(name, '=');
        size_t length = eq ? (size_t)(eq - name) : strlen(name);
        spec = find_long(name, length, o->command);
        snprintf(shown, sizeof shown, "--%.*s", (int)length, name);
        if (eq) value = eq + 1;
        if (spec && eq && !spec->value_name)
            return cli_usage(o->command_name, "%s: takes no value", shown);
    } else {
        spec = find_short(word[1], o->command);
        snprintf(shown, sizeof shown, "-%c", word[1]);
        if (word[2]) value = word + 2;
        if (spec && value && !spec->value_name)
            return cli_usage(o->command_name, "%s: takes no value (options are not bundled)",
                             shown);
    }
    if (!spec) return cli_usage(o->command_name, "unknown option \"%s\"", word);
    if (spec->value_name && !value) {
        if (*i + 1 >= argc)
            return cli_usage(o->command_name, "%s: needs a value %s", shown, spec->value_name);
        value = argv[++*i];
    }
    return apply(o, spec, shown, value);
}

int cli_parse(cli_command_id command, const char *command_name, int argc, char **argv,
              const char **inputs, cli_options *out)
{
    memset(out, 0, sizeof *out);
    out->command = command;
    out->command_name = command_name;
    out->dtype_keep = 1;
    out->conv.struct_size = sizeof out->conv;
    out->deconv.struct_size = sizeof out->deconv;
    out->inputs = inputs;
    int only_operands = 0;
    for (int i = 0; i < argc; ++i) {
        const char *word = argv[i];
        if (!only_operands && strcmp(word, "--") == 0) {
            only_operands = 1;
        } else if (!only_operands && word[0] == '-' && word[1] != '\0') {
            int status = parse_option(out, argc, argv, &i);
            if (status) return status;
        } else {
            inputs[out->input_count++] = word;
        }
    }
    return 0;
}

void cli_print_options(cli_command_id command)
{
    for (int i = 0; i < OPTION_COUNT; ++i) {
        const option_spec *s = &options[i];
        if (!(s->commands & command)) continue;
        char left[48];
        int n = s->letter ? snprintf(left, sizeof left, "-%c, --%s", s->letter, s->name)
                          : snprintf(left, sizeof left, "    --%s", s->name);
        if (s->value_name && n > 0 && (size_t)n < sizeof left)
            snprintf(left + n, sizeof left - (size_t)n, " %s", s->value_name);
        printf("  %-26s", left);
        cli_print_wrapped(s->help, 28, 79);
    }
}
