/* The options table shared by the subcommands, and the parser (options.h). */
#include "options.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "values.h"
#include "wrap.h"

#define BOTH (CLI_FILTER | CLI_SIGNAL)
#define ALL (CLI_FILTER | CLI_SIGNAL | CLI_KERNELS | CLI_DEVICES | CLI_VERSION)

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
        return cli_read_int(v, 0, TESSEL_MAX_KERNEL_SIDE, &o->conv.anchor_x);
    }
    *why = "accepted: X,Y, kernel column and row >= 0";
    return cli_read_int_pair(v, 0, TESSEL_MAX_KERNEL_SIDE, 0, &o->conv.anchor_x, &o->conv.anchor_y);
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

static int set_column(cli_options *o, const char *v, const char **why)
{
    *why = "must not be empty (a header name or a 0-based index)";
    if (!*v) return -1;
    o->column = v;
    return 0;
}

static int set_help(cli_options *o, const char *v, const char **why)
{
    o->help = 1;
    return 0;
}

/* ------------------------------------------------------------------ table */

static const option_spec options[] = {
    {"kernel", 'k', "SPEC|FILE", BOTH, set_kernel,
     "built-in kernel (see 'tessel kernels') or a .npy/.csv/.txt matrix; "
     "given twice or more, the output is the magnitude sqrt(sum of squares)"},
    {"output", 'o', "PATH", BOTH, set_output,
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
    {"method", 0, "METHOD", BOTH, set_method, "auto (default), direct, separable, fft"},
    {"device", 0, "DEVICE", BOTH, set_device,
     "auto, cpu, opencl, opencl:N, gpu (default: $TESSEL_DEVICE, else auto)"},
    {"dtype", 0, "TYPE", BOTH, set_dtype, "output type: keep (the input's; default), u8, u16, f32"},
    {"scale", 0, "A", BOTH, set_scale, "output = A * sum + B (default 1)"},
    {"offset", 0, "B", BOTH, set_offset, "see --scale (default 0)"},
    {"abs", 0, NULL, BOTH, set_abs, "absolute value of A * sum + B"},
    {"threads", 0, "N", BOTH, set_threads, "CPU worker threads (default: all cores)"},
    {"filter-alpha", 0, NULL, CLI_FILTER, set_filter_alpha,
     "filter the alpha channel too (default: copied through)"},
    {"format", 0, "EXT", CLI_FILTER, set_format,
     "output format: png, jpg, bmp, tga, npy, csv (folder outputs: the extension)"},
    {"quality", 0, "Q", CLI_FILTER, set_quality, "JPEG quality 1..100 (default 95)"},
    {"column", 0, "NAME|N", CLI_SIGNAL, set_column,
     "CSV column by header name or 0-based index (default: the first)"},
    {"force", 0, NULL, BOTH, set_force, "overwrite existing outputs"},
    {"quiet", 'q', NULL, BOTH, set_quiet, "no progress bar or summary, errors only"},
    {"verbose", 'v', NULL, BOTH, set_verbose,
     "print backend, device, method and why, sizes, types and time per file"},
    {"help", 'h', NULL, ALL, set_help, "show this help"},
};

#define OPTION_COUNT ((int)(sizeof options / sizeof options[0]))

/* ----------------------------------------------------------------- parser */

static const option_spec *find_long(const char *name, size_t length)
{
    for (int i = 0; i < OPTION_COUNT; ++i)
        if (strlen(options[i].name) == length && strncmp(options[i].name, name, length) == 0)
            return &options[i];
    return NULL;
}

static const option_spec *find_short(char letter)
{
    for (int i = 0; i < OPTION_COUNT; ++i)
        if (options[i].letter == letter) return &options[i];
    return NULL;
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
        spec = find_long(name, length);
        snprintf(shown, sizeof shown, "--%.*s", (int)length, name);
        if (eq) value = eq + 1;
        if (spec && eq && !spec->value_name)
            return cli_usage(o->command_name, "%s: takes no value", shown);
    } else {
        spec = find_short(word[1]);
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
