/* Command-line parsing for tessel-bench (see usage below). */
#include "bench_options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SIZES "4096x4096"
#define DEFAULT_KERNELS                                                                 \
    "dense:3,dense:5,dense:7,dense:9,gaussian:sigma=1,gaussian:sigma=2,gaussian:sigma=4," \
    "gaussian:sigma=8"

static void usage(FILE *out)
{
    fputs("usage: tessel-bench [--sizes WxH,...] [--kernels SPEC,...] [--dtype f32|u8|u16]\n"
          "                    [--channels N] [--method auto|direct|separable|fft|fft-block|running]\n"
          "                    [--threads N] [--repeat N] [--warmup N]\n"
          "                    [--backend cpu|opencl|auto] [--device SPEC]\n"
          "                    [--data host|resident]\n"
          "       tessel-bench --print-kernel SPEC\n"
          "\n"
          "Kernel specs: dense:K (random KxK, not rank 1), sep:K (random rank-1 KxK), or a\n"
          "built-in spec such as gaussian:sigma=2 (commas inside a spec are kept with it,\n"
          "';' also separates specs). Defaults: --sizes " DEFAULT_SIZES " --kernels\n"
          DEFAULT_KERNELS "\n"
          "--dtype f32 --channels 1 --method auto --threads 0 (all cores) --repeat 10\n"
          "--warmup 2 --backend cpu. --device picks the device as TESSEL_DEVICE does\n"
          "(\"opencl:N\", \"gpu\", a name). --threads sets the cpu backend's workers; an\n"
          "OpenCL device uses what it has. --data host (default) times tessel_plan_execute\n"
          "on host images, transfers included; --data resident times\n"
          "tessel_plan_execute_buffers + tessel_finish on buffers already on the device.\n"
          "Output: one JSON object per line, the machine first.\n"
          "--print-kernel prints the coefficients tessel uses for SPEC as JSON.\n",
          out);
}

static int parse_int(const char *text, int lo, int hi, const char *what, int *out)
{
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < lo || v > hi) {
        fprintf(stderr, "tessel-bench: %s \"%s\" is not an integer in [%d, %d]\n", what, text,
                lo, hi);
        return 0;
    }
    *out = (int)v;
    return 1;
}

static int append(void **array, int *count, const void *item, size_t item_size)
{
    void *grown = realloc(*array, (size_t)(*count + 1) * item_size);
    if (!grown) return 0;
    memcpy((char *)grown + (size_t)*count * item_size, item, item_size);
    *array = grown;
    ++*count;
    return 1;
}

static int parse_size(const char *text, bench_size *size)
{
    char *end = NULL;
    long w = strtol(text, &end, 10), h = 0;
    if (end != text && (*end == 'x' || *end == 'X')) {
        const char *rest = end + 1;
        h = strtol(rest, &end, 10);
        if (end == rest) h = 0;
    }
    /* Up to 10^8 pixels either way: long 1-D signals are one row. */
    if (*end || w < 1 || h < 1 || w > 100000000 || h > 100000000 || (double)w * h > 1e9) {
        fprintf(stderr, "tessel-bench: size \"%s\" is not WIDTHxHEIGHT (up to 10^9 pixels)\n",
                text);
        return 0;
    }
    size->width = (int)w;
    size->height = (int)h;
    return 1;
}

static int parse_sizes(const char *list, bench_options *o)
{
    char *copy = strdup(list);
    int ok = copy != NULL;
    char *save = NULL;
    for (char *t = ok ? strtok_r(copy, ",", &save) : NULL; ok && t;
         t = strtok_r(NULL, ",", &save)) {
        bench_size s;
        ok = parse_size(t, &s) && append((void **)&o->sizes, &o->size_count, &s, sizeof s);
    }
    free(copy);
    return ok;
}

/* "size=9" or "1.5" after a comma continues the previous spec
 * ("gaussian:sigma=1.5,size=9"); a token starting with a letter that has a
 * ':' or no '=' starts a new one. */
static int starts_new_spec(const char *token)
{
    if (!isalpha((unsigned char)token[0])) return 0;
    return strchr(token, ':') != NULL || strchr(token, '=') == NULL;
}

static int add_kernel_token(bench_options *o, const char *token)
{
    if (o->kernel_count > 0 && !starts_new_spec(token)) {
        char **last = &o->kernels[o->kernel_count - 1];
        size_t n = strlen(*last) + 1 + strlen(token) + 1;
        char *joined = malloc(n);
        if (!joined) return 0;
        snprintf(joined, n, "%s,%s", *last, token);
        free(*last);
        *last = joined;
        return 1;
    }
    char *spec = strdup(token);
    if (spec && append((void **)&o->kernels, &o->kernel_count, &spec, sizeof spec)) return 1;
    free(spec);
    return 0;
}

static int parse_kernels(const char *list, bench_options *o)
{
    char *copy = strdup(list);
    int ok = copy != NULL;
    char *save_spec = NULL;
    for (char *spec = ok ? strtok_r(copy, ";", &save_spec) : NULL; ok && spec;
         spec = strtok_r(NULL, ";", &save_spec)) {
        int first = 1;
        char *save = NULL;
        for (char *t = strtok_r(spec, ",", &save); ok && t; t = strtok_r(NULL, ",", &save)) {
            /* After ';' the first token always starts a spec. */
            if (first && !starts_new_spec(t)) {
                fprintf(stderr, "tessel-bench: kernel spec \"%s\" does not start with a name\n",
                        t);
                ok = 0;
                break;
            }
            ok = add_kernel_token(o, t);
            first = 0;
        }
    }
    free(copy);
    return ok;
}

static int parse_named(const char *text, const char *what, const char *const *names,
                       const int *values, int n, int *out)
{
    for (int i = 0; i < n; ++i) {
        if (strcmp(text, names[i]) == 0) {
            *out = values[i];
            return 1;
        }
    }
    fprintf(stderr, "tessel-bench: unknown %s \"%s\"\n", what, text);
    return 0;
}

static int parse_enum_option(const char *name, const char *value, bench_options *o)
{
    static const char *const dtypes[] = {"f32", "u8", "u16"};
    static const int dtype_values[] = {TESSEL_F32, TESSEL_U8, TESSEL_U16};
    static const char *const methods[] = {"auto", "direct", "separable", "fft", "fft-block",
                                          "running"};
    static const int method_values[] = {TESSEL_METHOD_AUTO, TESSEL_METHOD_DIRECT,
                                        TESSEL_METHOD_SEPARABLE, TESSEL_METHOD_FFT,
                                        TESSEL_METHOD_FFT_BLOCK, TESSEL_METHOD_RUNNING};
    static const char *const backends[] = {"cpu", "auto", "opencl"};
    static const int backend_values[] = {TESSEL_BACKEND_CPU, TESSEL_BACKEND_AUTO,
                                         TESSEL_BACKEND_OPENCL};
    int v = 0, ok = 0;
    if (strcmp(name, "--dtype") == 0) {
        ok = parse_named(value, "dtype", dtypes, dtype_values, 3, &v);
        o->dtype = (tessel_dtype)v;
    } else if (strcmp(name, "--method") == 0) {
        ok = parse_named(value, "method", methods, method_values, 6, &v);
        o->method = (tessel_method)v;
    } else if (strcmp(name, "--backend") == 0) {
        ok = parse_named(value, "backend", backends, backend_values, 3, &v);
        o->backend = (tessel_backend)v;
    }
    return ok;
}

/* One "--name value" pair; returns 0 after printing a message. */
static int parse_pair(const char *name, const char *value, bench_options *o)
{
    if (strcmp(name, "--sizes") == 0) return parse_sizes(value, o);
    if (strcmp(name, "--kernels") == 0) return parse_kernels(value, o);
    if (strcmp(name, "--channels") == 0) return parse_int(value, 1, 4, "channels", &o->channels);
    if (strcmp(name, "--threads") == 0) return parse_int(value, 0, 4096, "threads", &o->threads);
    if (strcmp(name, "--repeat") == 0) return parse_int(value, 1, 1000000, "repeat", &o->repeat);
    if (strcmp(name, "--warmup") == 0) return parse_int(value, 0, 1000000, "warmup", &o->warmup);
    if (strcmp(name, "--data") == 0) {
        static const char *const data[] = {"host", "resident"};
        static const int data_values[] = {0, 1};
        return parse_named(value, "data placement", data, data_values, 2, &o->resident);
    }
    if (strcmp(name, "--device") == 0) {
        o->device = value;
        return 1;
    }
    if (strcmp(name, "--print-kernel") == 0) {
        o->print_kernel = value;
        return 1;
    }
    if (strcmp(name, "--dtype") == 0 || strcmp(name, "--method") == 0 ||
        strcmp(name, "--backend") == 0)
        return parse_enum_option(name, value, o);
    fprintf(stderr, "tessel-bench: unknown option \"%s\" (--help lists them)\n", name);
    return 0;
}

static void set_defaults(bench_options *o)
{
    memset(o, 0, sizeof *o);
    o->dtype = TESSEL_F32;
    o->channels = 1;
    o->method = TESSEL_METHOD_AUTO;
    o->repeat = 10;
    o->warmup = 2;
    o->backend = TESSEL_BACKEND_CPU;
}

bench_parse_result bench_parse_options(int argc, char **argv, bench_options *o)
{
    set_defaults(o);
    for (int i = 1; i < argc; i += 2) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return BENCH_PARSE_HELP;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "tessel-bench: option \"%s\" is unknown or needs a value\n",
                    argv[i]);
            return BENCH_PARSE_ERROR;
        }
        if (!parse_pair(argv[i], argv[i + 1], o)) return BENCH_PARSE_ERROR;
    }
    if (o->size_count == 0 && !parse_sizes(DEFAULT_SIZES, o)) return BENCH_PARSE_ERROR;
    if (o->kernel_count == 0 && !parse_kernels(DEFAULT_KERNELS, o)) return BENCH_PARSE_ERROR;
    return BENCH_PARSE_RUN;
}

void bench_options_free(bench_options *o)
{
    for (int i = 0; i < o->kernel_count; ++i) free(o->kernels[i]);
    free(o->kernels);
    free(o->sizes);
    memset(o, 0, sizeof *o);
}
