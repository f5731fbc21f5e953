/*
 * cli_check: the C half of tests/test_cli.sh. It makes input files and
 * checks what the `tessel` command wrote against the library and against
 * the double-precision reference (tests/reference.h).
 *
 *   cli_check random OUT W H C DTYPE SEED   random image/array (any writable format)
 *   cli_check series OUT.csv ROWS SEED      CSV "day,temperature,rain" with a header
 *   cli_check noise OUT BYTES SEED          random bytes (a file that is no image)
 *   cli_check lying-npy OUT.npy             .npy header claiming 10^10 floats, 16 bytes of data
 *   cli_check nan-kernel OUT                a 3x2 f32 matrix with one NaN (.npy or .csv)
 *   cli_check filter IN OUT.npy [KEY=VALUE...]  checks `tessel filter IN -o OUT.npy ...`
 *   cli_check signal IN OUT [KEY=VALUE...]      checks `tessel signal IN -o OUT ...`
 *   cli_check same A B [maxdiff=D]          A and B hold the same samples (within D)
 *   cli_check tiff FILE [compression=none|deflate|lzw] [tile=WxH|strips] [bigtiff=0|1]
 *                                           the first image's storage, from the file's
 *                                           own bytes (not through libtiff)
 *
 * KEY=VALUE mirror the command's options: kernel= (repeatable), mode=,
 * border=, cval=, correlate=1, stride=S|SX,SY, anchor=X,Y, method=, scale=,
 * offset=, abs=1, dtype=, filter-alpha=1, column=. The library runs on the
 * device a default context picks (honouring $TESSEL_DEVICE), as the command
 * does without --device.
 *
 * filter: with one kernel the output must equal tessel_convolve2d's bit for
 * bit (on the colour channels when alpha is carried through); every sample
 * must be within the contract's tolerance of the reference (f32 1e-5
 * relative, integers 1 level), the magnitude of several kernels included;
 * a carried alpha channel must equal the input alpha under the anchor tap
 * exactly. Exit 0 when the check passes, 1 with a message when not, 2 on
 * bad use.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reference.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

#define MAX_KERNELS 8

typedef struct check_opts {
    const char *kernels[MAX_KERNELS];
    int kernel_count;
    tessel_conv_options conv;
    int dtype_keep;
    tessel_dtype dtype;
    int filter_alpha;
    const char *column;
    double maxdiff;
} check_opts;

static int failf(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int failf(const char *what, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "cli_check %s: FAILED: ", what);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    return 1;
}

static int usage(void)
{
    fprintf(stderr, "usage: see the comment at the top of tests/cli_check.c\n");
    return 2;
}

/* ---------------------------------------------------------------- options */

static int find_name(const char *text, const char *(*name_of)(int), int count)
{
    for (int i = 0; i < count; ++i)
        if (strcasecmp(text, name_of(i)) == 0) return i;
    return -1;
}

static const char *mode_name(int i)
{
    return tessel_mode_name((tessel_mode)i);
}
static const char *border_name(int i)
{
    return tessel_border_name((tessel_border)i);
}
static const char *method_name(int i)
{
    return tessel_method_name((tessel_method)i);
}
static const char *dtype_name(int i)
{
    return tessel_dtype_name((tessel_dtype)i);
}

static int read_pair(const char *v, int *a, int *b)
{
    int n = sscanf(v, "%d,%d", a, b);
    if (n == 1) *b = *a;
    return n >= 1 ? 0 : -1;
}

/* One KEY=VALUE word; -1 when unknown or malformed. */
static int parse_word(check_opts *o, const char *word)
{
    const char *eq = strchr(word, '=');
    if (!eq) return -1;
    size_t n = (size_t)(eq - word);
    const char *v = eq + 1;
#define KEY(k) (n == strlen(k) && strncmp(word, k, n) == 0)
    int i;
    if (KEY("kernel") && o->kernel_count < MAX_KERNELS)
        o->kernels[o->kernel_count++] = v;
    else if (KEY("mode") && (i = find_name(v, mode_name, 3)) >= 0)
        o->conv.mode = (tessel_mode)i;
    else if (KEY("border") && (i = find_name(v, border_name, 5)) >= 0)
        o->conv.border = (tessel_border)i;
    else if (KEY("method") && (i = find_name(v, method_name, TESSEL_METHOD_RUNNING + 1)) >= 0)
        o->conv.method = (tessel_method)i;
    else if (KEY("dtype") && strcmp(v, "keep") == 0)
        o->dtype_keep = 1;
    else if (KEY("dtype") && (i = find_name(v, dtype_name, 4)) >= 1) {
        o->dtype_keep = 0;
        o->dtype = (tessel_dtype)i;
    } else if (KEY("cval"))
        o->conv.cval = atof(v);
    else if (KEY("scale"))
        o->conv.scale = atof(v);
    else if (KEY("offset"))
        o->conv.offset = atof(v);
    else if (KEY("correlate"))
        o->conv.correlate = atoi(v);
    else if (KEY("abs"))
        o->conv.absolute = atoi(v);
    else if (KEY("filter-alpha"))
        o->filter_alpha = atoi(v);
    else if (KEY("column"))
        o->column = v;
    else if (KEY("maxdiff"))
        o->maxdiff = atof(v);
    else if (KEY("stride"))
        return read_pair(v, &o->conv.stride_x, &o->conv.stride_y);
    else if (KEY("anchor")) {
        o->conv.anchor_set = 1;
        return read_pair(v, &o->conv.anchor_x, &o->conv.anchor_y);
    } else
        return -1;
#undef KEY
    return 0;
}

static int parse_words(check_opts *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->dtype_keep = 1;
    o->conv.struct_size = sizeof o->conv;
    for (int i = 0; i < argc; ++i) {
        if (parse_word(o, argv[i]) != 0) {
            fprintf(stderr, "cli_check: cannot read \"%s\"\n", argv[i]);
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- kernels */

static int has_suffix(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcasecmp(text + n - m, suffix) == 0;
}

/* A kernel as the command reads it: built-in spec or matrix file. */
static tessel_status load_kernel(const char *text, tessel_kernel **out)
{
    if (!has_suffix(text, ".npy") && !has_suffix(text, ".csv") && !has_suffix(text, ".txt"))
        return tessel_kernel_builtin(text, out);
    tessel_image m = {0};
    tessel_status s = tessel_image_read(text, &m);
    if (s != TESSEL_OK) return s;
    size_t n = (size_t)m.width * (size_t)m.height;
    float *taps = tu_xmalloc(n * sizeof *taps);
    for (int y = 0; y < m.height; ++y)
        for (int x = 0; x < m.width; ++x)
            taps[(size_t)y * (size_t)m.width + (size_t)x] = (float)tu_sample(&m, x, y, 0);
    s = tessel_kernel_create(m.width, m.height, taps, out);
    free(taps);
    tessel_image_free(&m);
    return s;
}

/* The kernel's coefficients as doubles (caller frees). */
static double *kernel_doubles(const tessel_kernel *k)
{
    size_t n = (size_t)tessel_kernel_width(k) * (size_t)tessel_kernel_height(k);
    float *f = tu_xmalloc(n * sizeof *f);
    double *d = tu_xmalloc(n * sizeof *d);
    tessel_kernel_coefficients(k, f, n);
    for (size_t i = 0; i < n; ++i) d[i] = f[i];
    free(f);
    return d;
}

/* --------------------------------------------------------- making inputs */

static int make_random(int argc, char **argv)
{
    if (argc != 6) return usage();
    int w = atoi(argv[1]), h = atoi(argv[2]), c = atoi(argv[3]);
    int dt = find_name(argv[4], dtype_name, 4);
    if (w < 1 || h < 1 || c < 1 || c > 4 || dt < 1) return usage();
    tu_rng rng;
    tu_rng_seed(&rng, strtoull(argv[5], NULL, 10));
    tu_image img;
    tu_image_alloc(&img, w, h, c, (tessel_dtype)dt, TU_PACKED);
    tu_image_fill_random(&img, &rng);
    tessel_write_options wo = {.struct_size = sizeof wo, .overwrite = 1};
    tessel_status s = tessel_image_write(argv[0], &img.view, &wo);
    tu_image_free(&img);
    if (s != TESSEL_OK) return failf("random", "%s", tessel_last_error());
    return 0;
}

static int make_series(int argc, char **argv)
{
    if (argc != 3) return usage();
    int rows = atoi(argv[1]);
    tu_rng rng;
    tu_rng_seed(&rng, strtoull(argv[2], NULL, 10));
    FILE *f = fopen(argv[0], "w");
    if (!f || rows < 1) return failf("series", "cannot write %s", argv[0]);
    fprintf(f, "day,temperature,rain\n");
    for (int i = 0; i < rows; ++i)
        fprintf(f, "%d,%.6g,%.4g\n", i, 15 + 10 * sin(i * 0.0172) + tu_rng_uniform(&rng, -3, 3),
                tu_rng_uniform(&rng, 0, 20));
    return fclose(f) == 0 ? 0 : failf("series", "cannot write %s", argv[0]);
}

static int make_noise(int argc, char **argv)
{
    if (argc != 3) return usage();
    long bytes = atol(argv[1]);
    tu_rng rng;
    tu_rng_seed(&rng, strtoull(argv[2], NULL, 10));
    FILE *f = fopen(argv[0], "wb");
    if (!f) return failf("noise", "cannot write %s", argv[0]);
    for (long i = 0; i < bytes; ++i) fputc((int)(tu_rng_next(&rng) & 0xFF), f);
    return fclose(f) == 0 ? 0 : failf("noise", "cannot write %s", argv[0]);
}

static int make_nan_kernel(int argc, char **argv)
{
    if (argc != 1) return usage();
    float taps[6] = {0.25f, 0.5f, 0.25f, 1.0f, NAN, -1.0f};
    tessel_image m = tessel_image_view(taps, 3, 2, 1, TESSEL_F32);
    tessel_write_options wo = {.struct_size = sizeof wo, .overwrite = 1};
    if (tessel_image_write(argv[0], &m, &wo) != TESSEL_OK)
        return failf("nan-kernel", "%s", tessel_last_error());
    return 0;
}

static int make_lying_npy(int argc, char **argv)
{
    if (argc != 1) return usage();
    char header[128];
    int n = snprintf(header, sizeof header,
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }");
    while ((n + 10 + 1) % 64) header[n++] = ' '; /* magic(6)+version(2)+length(2) */
    header[n++] = '\n';
    FILE *f = fopen(argv[0], "wb");
    if (!f) return failf("lying-npy", "cannot write %s", argv[0]);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc(n & 0xFF, f);
    fputc(n >> 8, f);
    fwrite(header, 1, (size_t)n, f);
    static const float data[4] = {1, 2, 3, 4};
    fwrite(data, sizeof data, 1, f);
    return fclose(f) == 0 ? 0 : failf("lying-npy", "cannot write %s", argv[0]);
}

/* ------------------------------------------------------------ filter check */

typedef struct filter_case {
    tessel_image in, out;
    int colour; /* channels filtered */
    int split;  /* alpha carried through */
    int ow, oh;
    tessel_kernel *kernels[MAX_KERNELS];
    int kernel_count;
} filter_case;

/* Channel ch of in (packed doubles h*w*c) into a packed single plane. */
static void pick_channels(const double *in, int pixels, int c, int first, int count, double *out)
{
    for (int p = 0; p < pixels; ++p)
        for (int k = 0; k < count; ++k) out[(size_t)p * count + k] = in[(size_t)p * c + first + k];
}

/* The reference output (packed doubles oh*ow*c, before rounding). */
static double *reference_output(const filter_case *fc, const check_opts *o)
{
    int w = fc->in.width, h = fc->in.height, c = fc->in.channels, cc = fc->colour;
    size_t in_n = (size_t)w * h, out_n = (size_t)fc->ow * fc->oh;
    double *in = tu_xmalloc(in_n * c * sizeof *in), *colour = tu_xmalloc(in_n * cc * sizeof *in);
    double *sum = calloc(out_n * cc, sizeof *sum), *one = tu_xmalloc(out_n * cc * sizeof *one);
    double *ref = tu_xmalloc(out_n * c * sizeof *ref);
    tu_image_to_doubles(&fc->in, in);
    pick_channels(in, (int)in_n, c, 0, cc, colour);
    tessel_conv_options raw = o->conv;
    if (fc->kernel_count > 1) raw.scale = raw.offset = 0, raw.absolute = 0;
    int kw = tessel_kernel_width(fc->kernels[0]), kh = tessel_kernel_height(fc->kernels[0]);
    for (int k = 0; k < fc->kernel_count; ++k) {
        double *taps = kernel_doubles(fc->kernels[k]);
        ref_convolve2d(colour, w, h, cc, taps, kw, kh, &raw, fc->kernel_count > 1 ? one : sum);
        free(taps);
        for (size_t i = 0; fc->kernel_count > 1 && i < out_n * cc; ++i) sum[i] += one[i] * one[i];
    }
    double scale = o->conv.scale != 0 ? o->conv.scale : 1;
    for (size_t i = 0; fc->kernel_count > 1 && i < out_n * cc; ++i) {
        sum[i] = scale * sqrt(sum[i]) + o->conv.offset;
        if (o->conv.absolute) sum[i] = fabs(sum[i]);
    }
    for (size_t p = 0; p < out_n; ++p)
        for (int k = 0; k < cc; ++k) ref[p * c + k] = sum[p * cc + k];
    if (fc->split) { /* alpha: the input alpha under the anchor tap */
        tessel_conv_options ac = o->conv;
        ac.scale = ac.offset = ac.cval = 0;
        ac.absolute = 0;
        double *impulse = calloc((size_t)kw * kh, sizeof *impulse);
        int ax = ac.anchor_set ? ac.anchor_x : (kw - 1) / 2;
        int ay = ac.anchor_set ? ac.anchor_y : (kh - 1) / 2;
        impulse[(size_t)ay * kw + ax] = 1;
        pick_channels(in, (int)in_n, c, c - 1, 1, colour);
        ref_convolve2d(colour, w, h, 1, impulse, kw, kh, &ac, one);
        for (size_t p = 0; p < out_n; ++p) ref[p * c + c - 1] = one[p];
        free(impulse);
    }
    free(in);
    free(colour);
    free(sum);
    free(one);
    return ref;
}

/* The library's result for the colour channels equals the output's bit for
 * bit (one kernel only: a magnitude is the command's own). */
static int check_library(const filter_case *fc, const check_opts *o, tessel_context *ctx)
{
    int w = fc->in.width, h = fc->in.height, c = fc->in.channels, cc = fc->colour;
    tu_image src, dst;
    tu_image_alloc(&src, w, h, cc, fc->in.dtype, TU_PACKED);
    tu_image_alloc(&dst, fc->ow, fc->oh, cc, fc->out.dtype, TU_PACKED);
    size_t sample_in = tessel_dtype_size(fc->in.dtype),
           sample_out = tessel_dtype_size(fc->out.dtype);
    for (size_t p = 0; p < (size_t)w * h; ++p)
        memcpy((char *)src.view.data + p * cc * sample_in, (char *)fc->in.data + p * c * sample_in,
               cc * sample_in);
    tu_image_poison(&dst);
    tessel_status s = tessel_convolve2d(ctx, &src.view, fc->kernels[0], &o->conv, &dst.view);
    int bad = s != TESSEL_OK;
    if (bad) failf("filter", "the library failed: %s", tessel_last_error());
    for (size_t p = 0; !bad && p < (size_t)fc->ow * fc->oh; ++p) {
        const char *want = (const char *)dst.view.data + p * cc * sample_out;
        const char *got = (const char *)fc->out.data + p * c * sample_out;
        if (memcmp(want, got, cc * sample_out) != 0)
            bad = failf("filter", "pixel (%zu, %zu) differs from tessel_convolve2d's: %g vs %g",
                        p % (size_t)fc->ow, p / (size_t)fc->ow,
                        tu_sample(&fc->out, (int)(p % fc->ow), (int)(p / fc->ow), 0),
                        tu_sample(&dst.view, (int)(p % fc->ow), (int)(p / fc->ow), 0));
    }
    tu_image_free(&src);
    tu_image_free(&dst);
    return bad;
}

static int check_against_reference(const filter_case *fc, const check_opts *o)
{
    double *ref = reference_output(fc, o);
    tu_diff d;
    int bad = 0;
    if (!tu_compare(&fc->out, ref, &d))
        bad = failf("filter", "sample (%d, %d, ch %d) is %.9g, reference %.9g (error %g > %g)", d.x,
                    d.y, d.ch, d.got, d.want, d.error, d.limit);
    for (int y = 0; fc->split && !bad && y < fc->oh; ++y)
        for (int x = 0; !bad && x < fc->ow; ++x) {
            int a = fc->in.channels - 1;
            double want = tu_round_saturate(ref[((size_t)y * fc->ow + x) * fc->in.channels + a],
                                            fc->out.dtype);
            if (tu_sample(&fc->out, x, y, a) != want)
                bad = failf("filter", "alpha at (%d, %d) is %g, the input's is %g", x, y,
                            tu_sample(&fc->out, x, y, a), want);
        }
    free(ref);
    return bad;
}

static int check_shape(const filter_case *fc, const check_opts *o)
{
    tessel_dtype want = o->dtype_keep ? fc->in.dtype : o->dtype;
    if (fc->out.dtype != want)
        return failf("filter", "output dtype %s, expected %s", tessel_dtype_name(fc->out.dtype),
                     tessel_dtype_name(want));
    if (fc->out.channels != fc->in.channels)
        return failf("filter", "output has %d channels, input %d", fc->out.channels,
                     fc->in.channels);
    if (fc->out.width != fc->ow || fc->out.height != fc->oh)
        return failf("filter", "output is %dx%d, expected %dx%d", fc->out.width, fc->out.height,
                     fc->ow, fc->oh);
    return 0;
}

static int load_case(filter_case *fc, const check_opts *o, const char *in, const char *out)
{
    if (tessel_image_read(in, &fc->in) != TESSEL_OK ||
        tessel_image_read(out, &fc->out) != TESSEL_OK)
        return failf("filter", "cannot read: %s", tessel_last_error());
    if (o->kernel_count < 1) return failf("filter", "no kernel= given");
    for (int k = 0; k < o->kernel_count; ++k) {
        if (load_kernel(o->kernels[k], &fc->kernels[k]) != TESSEL_OK)
            return failf("filter", "kernel %s: %s", o->kernels[k], tessel_last_error());
        fc->kernel_count = k + 1;
    }
    fc->split = (fc->in.channels == 2 || fc->in.channels == 4) && !o->filter_alpha;
    fc->colour = fc->in.channels - fc->split;
    if (ref_output_size(fc->in.width, fc->in.height, tessel_kernel_width(fc->kernels[0]),
                        tessel_kernel_height(fc->kernels[0]), &o->conv, &fc->ow, &fc->oh) != 0)
        return failf("filter", "the reference calls these options invalid");
    return 0;
}

static int check_filter(int argc, char **argv)
{
    check_opts o;
    if (argc < 2 || parse_words(&o, argc - 2, argv + 2)) return usage();
    filter_case fc;
    memset(&fc, 0, sizeof fc);
    tessel_context *ctx = NULL;
    int bad = load_case(&fc, &o, argv[0], argv[1]);
    if (!bad) bad = check_shape(&fc, &o);
    if (!bad && fc.kernel_count == 1) {
        bad = tessel_context_create(NULL, &ctx) != TESSEL_OK ? failf("filter", "no context")
                                                             : check_library(&fc, &o, ctx);
    }
    if (!bad) bad = check_against_reference(&fc, &o);
    for (int k = 0; k < fc.kernel_count; ++k) tessel_kernel_destroy(fc.kernels[k]);
    tessel_context_destroy(ctx);
    tessel_image_free(&fc.in);
    tessel_image_free(&fc.out);
    return bad;
}

/* ------------------------------------------------------------ signal check */

/* The kernel as one row of taps (a 1-D kernel may be a column). */
static tessel_kernel *row_kernel(const char *spec)
{
    tessel_kernel *k = NULL, *row = NULL;
    if (load_kernel(spec, &k) != TESSEL_OK) return NULL;
    int n = tessel_kernel_width(k) * tessel_kernel_height(k);
    float *taps = tu_xmalloc((size_t)n * sizeof *taps);
    tessel_kernel_coefficients(k, taps, (size_t)n);
    tessel_kernel_create(n, 1, taps, &row);
    free(taps);
    tessel_kernel_destroy(k);
    return row;
}

static int compare_signal(const tessel_image *in, const tessel_image *out, tessel_kernel *k,
                          const check_opts *o)
{
    int ow, oh;
    if (ref_output_size(in->width, 1, tessel_kernel_width(k), 1, &o->conv, &ow, &oh) != 0)
        return failf("signal", "the reference calls these options invalid");
    if (out->width != ow || out->height != 1)
        return failf("signal", "output has %dx%d samples, expected %d", out->width, out->height,
                     ow);
    tessel_dtype dtype = o->dtype_keep ? TESSEL_F32 : o->dtype;
    tu_image lib;
    tu_image_alloc(&lib, ow, 1, 1, dtype, TU_PACKED);
    tu_image_poison(&lib);
    tessel_context *ctx = NULL;
    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s == TESSEL_OK) s = tessel_convolve1d(ctx, in, k, &o->conv, &lib.view);
    tessel_context_destroy(ctx);
    int bad = s != TESSEL_OK ? failf("signal", "library: %s", tessel_last_error()) : 0;
    for (int x = 0; !bad && x < ow; ++x)
        if (tu_sample(&lib.view, x, 0, 0) != tu_sample(out, x, 0, 0))
            bad = failf("signal", "sample %d is %.9g, tessel_convolve1d gives %.9g", x,
                        tu_sample(out, x, 0, 0), tu_sample(&lib.view, x, 0, 0));
    double *src = tu_xmalloc((size_t)in->width * sizeof *src),
           *ref = tu_xmalloc((size_t)ow * sizeof *ref);
    double *taps = kernel_doubles(k);
    tu_image_to_doubles(in, src);
    ref_convolve2d(src, in->width, 1, 1, taps, tessel_kernel_width(k), 1, &o->conv, ref);
    tu_diff d;
    if (!bad && !tu_compare(&lib.view, ref, &d))
        bad = failf("signal", "sample %d is %.9g, reference %.9g", d.x, d.got, d.want);
    free(src);
    free(ref);
    free(taps);
    tu_image_free(&lib);
    return bad;
}

static int check_signal(int argc, char **argv)
{
    check_opts o;
    if (argc < 2 || parse_words(&o, argc - 2, argv + 2) || o.kernel_count != 1) return usage();
    tessel_image in = {0}, out = {0};
    tessel_kernel *k = row_kernel(o.kernels[0]);
    int bad = !k ? failf("signal", "kernel %s: %s", o.kernels[0], tessel_last_error()) : 0;
    if (!bad && (tessel_signal_read(argv[0], o.column, &in) != TESSEL_OK ||
                 tessel_signal_read(argv[1], NULL, &out) != TESSEL_OK))
        bad = failf("signal", "cannot read: %s", tessel_last_error());
    if (!bad) bad = compare_signal(&in, &out, k, &o);
    tessel_kernel_destroy(k);
    tessel_image_free(&in);
    tessel_image_free(&out);
    return bad;
}

/* -------------------------------------------------------------- same check */

static int check_same(int argc, char **argv)
{
    check_opts o;
    if (argc < 2 || parse_words(&o, argc - 2, argv + 2)) return usage();
    tessel_image a = {0}, b = {0};
    int bad = 0;
    if (tessel_image_read(argv[0], &a) != TESSEL_OK || tessel_image_read(argv[1], &b) != TESSEL_OK)
        bad = failf("same", "cannot read: %s", tessel_last_error());
    else if (a.width != b.width || a.height != b.height || a.channels != b.channels)
        bad = failf("same", "%s is %dx%dx%d, %s is %dx%dx%d", argv[0], a.width, a.height,
                    a.channels, argv[1], b.width, b.height, b.channels);
    for (int y = 0; !bad && y < a.height; ++y)
        for (int x = 0; !bad && x < a.width; ++x)
            for (int ch = 0; !bad && ch < a.channels; ++ch)
                if (!(fabs(tu_sample(&a, x, y, ch) - tu_sample(&b, x, y, ch)) <= o.maxdiff))
                    bad = failf("same", "(%d, %d, ch %d): %g in %s, %g in %s", x, y, ch,
                                tu_sample(&a, x, y, ch), argv[0], tu_sample(&b, x, y, ch), argv[1]);
    tessel_image_free(&a);
    tessel_image_free(&b);
    return bad;
}

/* ------------------------------------------------------------- tiff check */

/* The parts of a TIFF's first directory the writer's options decide. */
typedef struct tiff_tags {
    int bigtiff;
    unsigned compression; /* 1 when the tag is absent, as TIFF defines */
    unsigned tile_width, tile_height;
} tiff_tags;

/* An unsigned integer of `bytes` bytes at p, in the file's byte order. */
static uint64_t tiff_number(const unsigned char *p, int bytes, int big_endian)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= (uint64_t)p[big_endian ? bytes - 1 - i : i] << (8 * i);
    return v;
}

/* Reads the header and first directory of the n bytes at f; -1 if they
 * are not a TIFF's. */
static int tiff_read_tags(const unsigned char *f, size_t n, tiff_tags *t)
{
    if (n < 16 || (memcmp(f, "II", 2) != 0 && memcmp(f, "MM", 2) != 0)) return -1;
    int be = f[0] == 'M';
    unsigned magic = (unsigned)tiff_number(f + 2, 2, be);
    if (magic != 42 && magic != 43) return -1;
    t->bigtiff = magic == 43;
    t->compression = 1;
    t->tile_width = t->tile_height = 0;
    int count_bytes = t->bigtiff ? 8 : 2, entry_bytes = t->bigtiff ? 20 : 12;
    uint64_t ifd = t->bigtiff ? tiff_number(f + 8, 8, be) : tiff_number(f + 4, 4, be);
    if (ifd > n - (uint64_t)count_bytes) return -1;
    uint64_t entries = tiff_number(f + ifd, count_bytes, be);
    if (entries > (n - ifd - (uint64_t)count_bytes) / (uint64_t)entry_bytes) return -1;
    for (uint64_t i = 0; i < entries; ++i) {
        const unsigned char *e = f + ifd + (uint64_t)count_bytes + i * (uint64_t)entry_bytes;
        unsigned tag = (unsigned)tiff_number(e, 2, be), type = (unsigned)tiff_number(e + 2, 2, be);
        const unsigned char *value = e + (t->bigtiff ? 12 : 8);
        unsigned v = (unsigned)tiff_number(value, type == 3 ? 2 : 4, be); /* SHORT or LONG */
        if (tag == 259) t->compression = v;
        if (tag == 322) t->tile_width = v;
        if (tag == 323) t->tile_height = v;
    }
    return 0;
}

static const char *tiff_compression_name(unsigned c)
{
    return c == 1 ? "none" : c == 5 ? "lzw" : c == 8 || c == 32946 ? "deflate" : "other";
}

/* Compares one KEY=VALUE word with the tags; 0 when it holds. */
static int tiff_expect(const char *file, const tiff_tags *t, const char *word)
{
    char found[64];
    const char *value = strchr(word, '=');
    if (!value) return failf("tiff", "cannot read \"%s\"", word);
    ++value;
    if (strncmp(word, "compression=", 12) == 0) {
        snprintf(found, sizeof found, "%s", tiff_compression_name(t->compression));
    } else if (strncmp(word, "tile=", 5) == 0) {
        if (t->tile_width) snprintf(found, sizeof found, "%ux%u", t->tile_width, t->tile_height);
        else snprintf(found, sizeof found, "strips");
    } else if (strncmp(word, "bigtiff=", 8) == 0) {
        snprintf(found, sizeof found, "%d", t->bigtiff);
    } else {
        return failf("tiff", "unknown key in \"%s\"", word);
    }
    if (strcmp(found, value) == 0) return 0;
    return failf("tiff", "%s: %.*s is %s, expected %s", file, (int)(value - 1 - word), word, found,
                 value);
}

static int check_tiff(int argc, char **argv)
{
    if (argc < 1) return usage();
    FILE *f = fopen(argv[0], "rb");
    long size = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    unsigned char *bytes = size > 0 ? malloc((size_t)size) : NULL;
    size_t n = bytes && fseek(f, 0, SEEK_SET) == 0 ? fread(bytes, 1, (size_t)size, f) : 0;
    if (f) fclose(f);
    tiff_tags t = {0, 1, 0, 0};
    int bad = tiff_read_tags(bytes, n, &t) != 0
                  ? failf("tiff", "%s: not a TIFF (%zu bytes read)", argv[0], n)
                  : 0;
    for (int i = 1; i < argc && !bad; ++i) bad = tiff_expect(argv[0], &t, argv[i]);
    free(bytes);
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 3) return usage();
    const char *what = argv[1];
    argc -= 2;
    argv += 2;
    if (strcmp(what, "random") == 0) return make_random(argc, argv);
    if (strcmp(what, "series") == 0) return make_series(argc, argv);
    if (strcmp(what, "noise") == 0) return make_noise(argc, argv);
    if (strcmp(what, "lying-npy") == 0) return make_lying_npy(argc, argv);
    if (strcmp(what, "nan-kernel") == 0) return make_nan_kernel(argc, argv);
    if (strcmp(what, "filter") == 0) return check_filter(argc, argv);
    if (strcmp(what, "signal") == 0) return check_signal(argc, argv);
    if (strcmp(what, "same") == 0) return check_same(argc, argv);
    if (strcmp(what, "tiff") == 0) return check_tiff(argc, argv);
    return usage();
}
