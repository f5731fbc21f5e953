/* The conformance matrix (see conv_suite.h). Each case: fresh random input
 * and kernel, a poisoned output with guard bytes around it, one library call,
 * and a comparison with the double-precision reference. */
#include "conv_suite.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "golden/golden_data.h"
#include "reference.h"
#include "test_util.h"

#define PRINTED_FAILURES 20 /* failures shown in full; the rest are counted */
#define MIN_COMBO_CASES 50  /* cases each (in dtype, out dtype, channels) must get */

static const tessel_dtype DTYPES[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};

/* Where each case's output digest goes (conv_suite_digest_to), or NULL. */
static FILE *digest_out;

typedef struct suite {
    tessel_context *ctx;
    const char *label;
    tu_rng rng;
    int cases, failures;
    int combos[3][3][4]; /* cases per (in dtype, out dtype, channels) */
    int fft_unsupported; /* fft cases the backend declined (reported once) */
    tessel_cl_kernels family; /* OpenCL kernel family the context was made with */
    int family_checks;   /* cases whose plan info named the family */
    int integer_cases;   /* direct and separable cases on the integer path (plan info) */
} suite;

typedef enum call_kind { CALL_2D, CALL_1D, CALL_1D_ROWS } call_kind;

/* Everything one library call gets, plus what the reference needs. */
typedef struct conv_case {
    const char *part; /* which part of the matrix, for messages */
    call_kind call;
    int w, h, c;
    tessel_dtype in_dtype, out_dtype;
    tu_layout in_layout, out_layout;
    const tessel_kernel *kernel;
    const float *coeffs; /* the kernel's coefficients, kh*kw row-major */
    int kw, kh;          /* as the reference sees it (1-D kernels as one row) */
    int check_separable; /* rank 1: AUTO must not pick the direct method */
    tessel_conv_options o;
} conv_case;

/* ------------------------------------------------------------ random parts */

static int dtype_slot(tessel_dtype d)
{
    return d == TESSEL_U8 ? 0 : d == TESSEL_U16 ? 1 : 2;
}

/* Typical magnitude of a dtype's samples (f32 inputs are mostly in [-1, 1]). */
static double dtype_range(tessel_dtype d)
{
    return d == TESSEL_U8 ? 255.0 : d == TESSEL_U16 ? 65535.0 : 1.0;
}

/* Coefficients with sum |k| = 1, mostly positive, so that outputs stay in
 * the input's range and integer outputs do not just saturate. One set in
 * three (picked by the generator's state, which it does not advance, so the
 * cases' other draws stay as they were) is rounded to integers over a power
 * of two, the kernels the CPU's integer path runs (core/integer_rule.h). */
static void random_coeffs(tu_rng *rng, float *k, int n)
{
    const int dyadic = rng->state % 3 == 0;
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        k[i] = (float)tu_rng_uniform(rng, -0.3, 1.0);
        total += fabs(k[i]);
    }
    if (total == 0.0) k[0] = 1.0f, total = 1.0;
    for (int i = 0; i < n; ++i) k[i] = (float)(k[i] / total);
    if (!dyadic) return;
    int e = 3; /* about three bits per tap */
    while ((1 << (e - 3)) < n) ++e;
    int zero = 1;
    for (int i = 0; i < n; ++i) {
        k[i] = ldexpf(rintf(ldexpf(k[i], e)), -e);
        zero = zero && k[i] == 0.0f;
    }
    if (zero) k[0] = 1.0f;
}

/* A value outside the image, in input units, exact in float. */
static double random_cval(tu_rng *rng, tessel_dtype d)
{
    return d == TESSEL_F32 ? (float)tu_rng_uniform(rng, -2.0, 2.0)
                           : (float)tu_rng_uniform(rng, 0.0, dtype_range(d));
}

/* Dtypes, channels and layouts rotate through the cases at random. */
static void pick_formats(suite *s, conv_case *c)
{
    c->in_dtype = DTYPES[tu_rng_int(&s->rng, 0, 2)];
    c->out_dtype = DTYPES[tu_rng_int(&s->rng, 0, 2)];
    c->c = tu_rng_int(&s->rng, 1, 4);
    c->in_layout = (tu_layout)tu_rng_int(&s->rng, 0, TU_LAYOUT_COUNT - 1);
    c->out_layout = (tu_layout)tu_rng_int(&s->rng, 0, TU_LAYOUT_COUNT - 1);
}

/* Scale/offset/absolute: none, a map of the input range onto the output's,
 * or the same negated around an offset with absolute value. */
static void pick_conversion(suite *s, conv_case *c)
{
    int kind = tu_rng_int(&s->rng, 0, 2);
    if (kind == 0) return;
    double fit = c->out_dtype == TESSEL_F32 ? 0.5 / dtype_range(c->in_dtype)
                                            : dtype_range(c->out_dtype) / dtype_range(c->in_dtype);
    double centre = c->in_dtype == TESSEL_F32 && c->out_dtype != TESSEL_F32
                        ? 0.5 * dtype_range(c->out_dtype) : 0.0;
    c->o.scale = (float)(kind == 1 ? fit : -fit);
    c->o.offset = (float)(kind == 1 ? centre + 0.25 : 0.1 * dtype_range(c->out_dtype));
    c->o.absolute = kind == 2;
}

/* AUTO, DIRECT, FFT, FFT_BLOCK, or SEPARABLE where the kernel is rank 1. */
static tessel_method pick_method(suite *s, int rank1)
{
    static const tessel_method methods[5] = {TESSEL_METHOD_AUTO, TESSEL_METHOD_DIRECT,
                                             TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK,
                                             TESSEL_METHOD_SEPARABLE};
    return methods[tu_rng_int(&s->rng, 0, rank1 ? 4 : 3)];
}

static tessel_kernel *make_kernel(int kw, int kh, const float *coeffs)
{
    tessel_kernel *k = NULL;
    if (tessel_kernel_create(kw, kh, coeffs, &k) != TESSEL_OK) {
        printf("cannot create a %dx%d kernel: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    return k;
}

/* A rank-1 kernel, made from its factors or (alternately) from the dense
 * product, which the library must recognise. */
static tessel_kernel *make_rank1_kernel(tu_rng *rng, int kw, int kh, float *coeffs)
{
    float row[16], column[16];
    random_coeffs(rng, row, kw);
    random_coeffs(rng, column, kh);
    for (int j = 0; j < kh; ++j)
        for (int i = 0; i < kw; ++i) coeffs[j * kw + i] = column[j] * row[i];
    if (tu_rng_int(rng, 0, 1)) return make_kernel(kw, kh, coeffs);
    tessel_kernel *k = NULL;
    if (tessel_kernel_create_separable(kw, row, kh, column, &k) != TESSEL_OK) {
        printf("cannot create a separable %dx%d kernel: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    return k;
}

/* ------------------------------------------------------------- one case */

static void describe(const conv_case *c, char *buf, size_t size)
{
    const tessel_conv_options *o = &c->o;
    static const char *calls[] = {"convolve2d", "convolve1d", "convolve1d_rows"};
    snprintf(buf, size,
             "[%s] %s %dx%d c%d %s(%s) -> %s(%s), kernel %dx%d, %s, %s cval %g, %s, "
             "stride %dx%d, anchor %s%d,%d, method %s, scale %g offset %g%s",
             c->part, calls[c->call], c->w, c->h, c->c, tessel_dtype_name(c->in_dtype),
             tu_layout_name(c->in_layout), tessel_dtype_name(c->out_dtype),
             tu_layout_name(c->out_layout), tessel_kernel_width(c->kernel),
             tessel_kernel_height(c->kernel), tessel_mode_name(o->mode),
             tessel_border_name(o->border), o->cval, o->correlate ? "correlate" : "convolve",
             o->stride_x, o->stride_y, o->anchor_set ? "" : "default ", o->anchor_x, o->anchor_y,
             tessel_method_name(o->method), o->scale, o->offset, o->absolute ? " abs" : "");
}

#if defined(__GNUC__)
static void fail(suite *s, const conv_case *c, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#endif

static void fail(suite *s, const conv_case *c, const char *fmt, ...)
{
    if (++s->failures > PRINTED_FAILURES) return;
    char what[512];
    describe(c, what, sizeof what);
    printf("FAIL %s: %s\n     ", s->label, what);
    va_list args;
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    printf("\n");
}

static tessel_status call_library(suite *s, const conv_case *c, const tessel_image *src,
                                  tessel_image *dst)
{
    switch (c->call) {
    case CALL_2D: return tessel_convolve2d(s->ctx, src, c->kernel, &c->o, dst);
    case CALL_1D: return tessel_convolve1d(s->ctx, src, c->kernel, &c->o, dst);
    case CALL_1D_ROWS: return tessel_convolve1d_rows(s->ctx, src, c->kernel, &c->o, dst);
    }
    return TESSEL_ERR_INVALID_ARGUMENT;
}

/* The options the reference sees: the 1-D calls ignore stride_y and anchor_y. */
static tessel_conv_options reference_options(const conv_case *c)
{
    tessel_conv_options o = c->o;
    if (c->call != CALL_2D) {
        o.stride_y = 1;
        o.anchor_y = 0;
    }
    return o;
}

/* Fraction of the terms' magnitude below which an f32 result counts as
 * cancelled: its error is then judged against the terms, not the result. */
#define CANCELLED_FRACTION 0.1

/* Largest |scale| * sum |k||v| + |offset| over the output: the size of the
 * terms behind each result (in and k are made absolute in place). */
static double terms_magnitude(const conv_case *c, const tessel_conv_options *o, double *in,
                              double *k, double *out)
{
    size_t nin = (size_t)c->w * c->h * c->c, nk = (size_t)c->kw * c->kh;
    for (size_t i = 0; i < nin; ++i) in[i] = fabs(in[i]);
    for (size_t i = 0; i < nk; ++i) k[i] = fabs(k[i]);
    tessel_conv_options a = *o;
    a.cval = fabs(a.cval);
    a.scale = fabs(a.scale);
    a.offset = fabs(a.offset);
    a.absolute = 0;
    int ow, oh;
    ref_output_size(c->w, c->h, c->kw, c->kh, &a, &ow, &oh);
    ref_convolve2d(in, c->w, c->h, c->c, k, c->kw, c->kh, &a, out);
    double peak = 0.0;
    for (size_t i = 0; i < (size_t)ow * oh * c->c; ++i) peak = out[i] > peak ? out[i] : peak;
    return peak;
}

/* A 1-D call whose kernel is longer than the signal in mode same (default
 * anchor) or valid: numpy.convolve's rule, the full output's slice from
 * *start of *count samples (DESIGN.md). 0 when the 2-D geometry applies. */
static int numpy_long_kernel(const conv_case *c, const tessel_conv_options *o, int *start,
                             int *count)
{
    int taps = c->kw * c->kh;
    if (c->call == CALL_2D || taps <= c->w || o->mode == TESSEL_MODE_FULL) return 0;
    if (o->mode == TESSEL_MODE_SAME && o->anchor_set) return 0;
    *start = o->mode == TESSEL_MODE_VALID ? c->w - 1 : o->correlate ? c->w / 2 : (c->w - 1) / 2;
    *count = o->mode == TESSEL_MODE_VALID ? taps - c->w + 1 : taps;
    return 1;
}

/* The reference of a 1-D call under numpy_long_kernel: the full output, sliced. */
static double *long_kernel_reference(const conv_case *c, const tessel_image *src,
                                     const tessel_conv_options *o, int start, int count, int *ow,
                                     int *oh)
{
    int taps = c->kw * c->kh, full_w = c->w + taps - 1;
    tessel_conv_options f = *o;
    f.mode = TESSEL_MODE_FULL;
    f.stride_x = f.stride_y = 1;
    double *in = tu_xmalloc((size_t)c->w * c->h * c->c * sizeof *in);
    double *k = tu_xmalloc((size_t)taps * sizeof *k);
    double *full = tu_xmalloc((size_t)full_w * c->h * c->c * sizeof *full);
    tu_image_to_doubles(src, in);
    for (int i = 0; i < taps; ++i) k[i] = c->coeffs[i];
    ref_convolve2d(in, c->w, c->h, c->c, k, taps, 1, &f, full);
    int sx = o->stride_x > 0 ? o->stride_x : 1;
    *ow = (count + sx - 1) / sx;
    *oh = c->h;
    double *out = tu_xmalloc((size_t)*ow * c->h * c->c * sizeof *out);
    for (int y = 0; y < c->h; ++y)
        for (int x = 0; x < *ow; ++x)
            for (int ch = 0; ch < c->c; ++ch)
                out[((size_t)y * *ow + x) * c->c + ch] =
                    full[((size_t)y * full_w + start + x * sx) * c->c + ch];
    free(in);
    free(k);
    free(full);
    return out;
}

/* The reference result for src, or NULL when the contract says the call
 * fails; *f32_floor gets the least denominator of the f32 error. */
static double *reference_result(const conv_case *c, const tessel_image *src, int *ow, int *oh,
                                double *f32_floor)
{
    tessel_conv_options o = reference_options(c);
    *f32_floor = 0.0;
    int start = 0, count = 0;
    if (numpy_long_kernel(c, &o, &start, &count))
        return long_kernel_reference(c, src, &o, start, count, ow, oh);
    if (ref_output_size(c->w, c->h, c->kw, c->kh, &o, ow, oh) != 0) return NULL;
    size_t nk = (size_t)c->kw * c->kh, nin = (size_t)c->w * c->h * c->c;
    size_t nout = (size_t)*ow * *oh * c->c;
    double *in = tu_xmalloc(nin * sizeof *in), *k = tu_xmalloc(nk * sizeof *k);
    double *out = tu_xmalloc(nout * sizeof *out);
    tu_image_to_doubles(src, in);
    for (size_t i = 0; i < nk; ++i) k[i] = c->coeffs[i];
    ref_convolve2d(in, c->w, c->h, c->c, k, c->kw, c->kh, &o, out);
    if (c->out_dtype == TESSEL_F32) {
        double *scratch = tu_xmalloc(nout * sizeof *scratch);
        *f32_floor = CANCELLED_FRACTION * terms_magnitude(c, &o, in, k, scratch);
        free(scratch);
    }
    free(in);
    free(k);
    return out;
}

/* What a plan for c says it runs: the method (AUTO when the plan fails: the
 * call itself reports why), why, the OpenCL kernel family, and whether it
 * sums in integers (plan info's integer_path). */
static tessel_method planned(suite *s, const conv_case *c, const tessel_image *src, char *reason,
                             size_t reason_size, char *family, size_t family_size,
                             int *integer)
{
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_status st = tessel_plan_create(s->ctx, src, c->out_dtype, c->kernel, &c->o, &plan);
    if (st == TESSEL_OK) st = tessel_plan_info(plan, &info);
    /* The strings live in the plan: copied before it goes. */
    snprintf(reason, reason_size, "%s", st == TESSEL_OK ? info.method_reason : "");
    snprintf(family, family_size, "%s", st == TESSEL_OK ? info.kernel_family : "");
    *integer = st == TESSEL_OK && info.integer_path;
    tessel_plan_destroy(plan);
    return st == TESSEL_OK ? info.method : TESSEL_METHOD_AUTO;
}

/* With a kernel family forced, the family a direct or separable 2-D case
 * must run: tiled everywhere, or vector at column stride 1 (the vector
 * kernels need it); NULL when nothing is expected. */
static const char *expected_family(const suite *s, const conv_case *c)
{
    if (c->call != CALL_2D) return NULL;
    if (s->family == TESSEL_CL_KERNELS_TILED) return "tiled";
    if (s->family == TESSEL_CL_KERNELS_VECTOR && c->o.stride_x <= 1) return "vector";
    return NULL;
}

static int is_fft(tessel_method m)
{
    return m == TESSEL_METHOD_FFT || m == TESSEL_METHOD_FFT_BLOCK;
}

/* A call the contract rejects: the right status, a message, no output. */
static void check_rejected(suite *s, const conv_case *c, tessel_status st, const tu_image *dst,
                           const unsigned char *before)
{
    if (st != TESSEL_ERR_KERNEL_TOO_LARGE)
        fail(s, c, "status %s, expected TESSEL_ERR_KERNEL_TOO_LARGE", tessel_status_string(st));
    else if (!tessel_context_last_error(s->ctx)[0])
        fail(s, c, "TESSEL_ERR_KERNEL_TOO_LARGE without a message");
    else if (memcmp(before, dst->block, dst->block_bytes) != 0)
        fail(s, c, "the output was written although the call failed");
}

/* A backend without the frequency domain (fft or fft-block) must not pass
 * the suite unseen: the first such case is printed and counted as a
 * failure, unless $TESSEL_SUITE_ALLOW_NO_FFT is 1; the others are counted
 * in the summary. */
static void note_fft_unsupported(suite *s, tessel_method method)
{
    if (s->fft_unsupported++) return;
    printf("method %s unsupported on %s: %s\n", tessel_method_name(method), s->label,
           tessel_context_last_error(s->ctx));
    const char *allow = getenv("TESSEL_SUITE_ALLOW_NO_FFT");
    if (!allow || strcmp(allow, "1") != 0) ++s->failures;
}

/* method: what ran (AUTO's choice resolved), which sets the tolerance;
 * exactly_rounded: the integer path of direct or separable ran at scale 1
 * and offset 0, which gives the rounded reference exactly. */
static void check_result(suite *s, const conv_case *c, tessel_method method, tessel_status st,
                         const tu_image *src, const tu_image *dst, const double *ref,
                         double f32_floor, int exactly_rounded)
{
    tu_diff d;
    const int fft = is_fft(method);
    if (fft && st == TESSEL_ERR_UNSUPPORTED)
        note_fft_unsupported(s, c->o.method);
    else if (st != TESSEL_OK)
        fail(s, c, "status %s: %s", tessel_status_string(st), tessel_context_last_error(s->ctx));
    else if (fft ? !tu_compare_rms(&dst->view, ref, f32_floor, &d)
                 : !tu_compare_floor(&dst->view, ref, f32_floor, &d))
        fail(s, c, "error %.3g over the limit %g at x %d, y %d, channel %d of %dx%d: got %.9g, "
             "expected %.9g", d.error, d.limit, d.x, d.y, d.ch, dst->view.width,
             dst->view.height, d.got, d.want);
    else if (exactly_rounded && !tu_compare_rounded(&dst->view, ref, &d))
        fail(s, c, "integer path: got %.0f at x %d, y %d, channel %d, not the rounded "
             "reference %.0f", d.got, d.x, d.y, d.ch, d.want);
    else if (!tu_image_guard_intact(dst))
        fail(s, c, "bytes outside the output view were written");
    else if (!tu_image_guard_intact(src))
        fail(s, c, "bytes outside the input view were written");
}

void conv_suite_digest_to(FILE *out)
{
    digest_out = out;
}

/* One line per case: the suite, the case's number and description, the
 * call's status and an FNV-1a 64 of every byte of the destination's
 * allocation (view, padding and guards). */
static void write_digest(const suite *s, const conv_case *c, tessel_status st, const tu_image *dst)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < dst->block_bytes; ++i) h = (h ^ dst->block[i]) * 0x100000001b3u;
    char what[512];
    describe(c, what, sizeof what);
    fprintf(digest_out, "%s\t%d\t%s\t%d\t%016" PRIx64 "\n", s->label, s->cases, what, (int)st,
            h);
}

/* Runs c on src (already filled) and checks the output against ref (NULL when
 * the call must fail; then ow x oh is just the size of the untouched dst). */
static void check_call(suite *s, const conv_case *c, tu_image *src, const double *ref, int ow,
                       int oh, double f32_floor)
{
    ++s->cases;
    ++s->combos[dtype_slot(c->in_dtype)][dtype_slot(c->out_dtype)][c->c - 1];
    tu_image dst;
    tu_image_alloc(&dst, ow, oh, c->c, c->out_dtype, c->out_layout);
    unsigned char *before = tu_xmalloc(dst.block_bytes);
    memcpy(before, dst.block, dst.block_bytes);

    tessel_method method = c->o.method;
    const char *family = expected_family(s, c);
    int exactly_rounded = 0;
    /* The 2-D calls plan as tessel_convolve2d does: plan info also tells
     * whether the integer path ran. */
    if (ref && (method == TESSEL_METHOD_AUTO || family || c->call == CALL_2D)) {
        char reason[256], ran[16];
        int integer = 0;
        const tessel_method chosen = planned(s, c, &src->view, reason, sizeof reason, ran,
                                             sizeof ran, &integer);
        if (method == TESSEL_METHOD_AUTO) method = chosen;
        if (integer && c->call == CALL_2D &&
            (method == TESSEL_METHOD_DIRECT || method == TESSEL_METHOD_SEPARABLE)) {
            ++s->integer_cases;
            exactly_rounded = (c->o.scale == 0.0 || c->o.scale == 1.0) && c->o.offset == 0.0 &&
                              !c->o.absolute;
        }
        /* Separable always does less work than direct on a rank-1 kernel;
         * the frequency domain may do less still. */
        if (c->o.method == TESSEL_METHOD_AUTO && c->check_separable &&
            method == TESSEL_METHOD_DIRECT)
            fail(s, c, "auto chose direct for a rank-1 kernel (%s)", reason);
        if (family && (method == TESSEL_METHOD_DIRECT || method == TESSEL_METHOD_SEPARABLE)) {
            ++s->family_checks;
            if (strcmp(ran, family) != 0)
                fail(s, c, "plan info names kernel family \"%s\", not the forced \"%s\"", ran,
                     family);
        }
    }
    tessel_status st = call_library(s, c, &src->view, &dst.view);
    if (digest_out) write_digest(s, c, st, &dst);
    if (!ref)
        check_rejected(s, c, st, &dst, before);
    else
        check_result(s, c, method, st, src, &dst, ref, f32_floor, exactly_rounded);
    free(before);
    tu_image_free(&dst);
}

/* A case on fresh random input. */
static void run_case(suite *s, const conv_case *c)
{
    tu_image src;
    tu_image_alloc(&src, c->w, c->h, c->c, c->in_dtype, c->in_layout);
    tu_image_fill_random(&src, &s->rng);
    int ow = 1, oh = 1;
    double f32_floor;
    double *ref = reference_result(c, &src.view, &ow, &oh, &f32_floor);
    check_call(s, c, &src, ref, ow, oh, f32_floor);
    free(ref);
    tu_image_free(&src);
}

/* ------------------------------------------------------------ the matrix */

typedef struct border_choice {
    tessel_border border;
    int nonzero_cval;
} border_choice;

static const border_choice BORDERS[6] = {
    {TESSEL_BORDER_REFLECT, 0}, {TESSEL_BORDER_CONSTANT, 0}, {TESSEL_BORDER_CONSTANT, 1},
    {TESSEL_BORDER_NEAREST, 0}, {TESSEL_BORDER_MIRROR, 0},   {TESSEL_BORDER_WRAP, 0},
};
static const int STRIDES[4][2] = {{1, 1}, {2, 1}, {1, 3}, {3, 2}}; /* x, y */
/* 1x1, one column, one row, tiny, odd, and a width that is not a multiple of 64. */
static const int IMAGES[6][2] = {{1, 1}, {1, 23}, {29, 1}, {3, 4}, {17, 13}, {131, 9}};

typedef enum kernel_shape {
    K_1X1, K_3X3, K_4X4, K_5X2, K_2X5, K_7X7, K_RANK1, K_LARGER, K_COUNT
} kernel_shape;

static const int DENSE_SIZES[K_RANK1][2] = {{1, 1}, {3, 3}, {4, 4}, {5, 2}, {2, 5}, {7, 7}};
static const int RANK1_SIZES[4][2] = {{3, 3}, {5, 3}, {2, 4}, {7, 5}};

#define MAX_TAPS (24 * 16)

/* The kernel of a shape for a w x h image; fills c's kernel fields. */
static tessel_kernel *shape_kernel(suite *s, kernel_shape shape, conv_case *c, float *coeffs)
{
    int rank1 = shape == K_RANK1 || shape == K_1X1;
    if (shape == K_RANK1) {
        const int *size = RANK1_SIZES[tu_rng_int(&s->rng, 0, 3)];
        c->kw = size[0];
        c->kh = size[1];
    } else if (shape == K_LARGER) { /* larger than the image in one direction at least */
        c->kw = c->w <= 20 ? c->w + 3 : 6;
        c->kh = c->h <= 20 ? c->h + 2 : 5;
    } else {
        c->kw = DENSE_SIZES[shape][0];
        c->kh = DENSE_SIZES[shape][1];
    }
    tessel_kernel *k;
    if (shape == K_RANK1) {
        k = make_rank1_kernel(&s->rng, c->kw, c->kh, coeffs);
    } else {
        random_coeffs(&s->rng, coeffs, c->kw * c->kh);
        k = make_kernel(c->kw, c->kh, coeffs);
    }
    c->kernel = k;
    c->coeffs = coeffs;
    c->check_separable = shape == K_RANK1;
    c->o.method = pick_method(s, rank1);
    return k;
}

/* The options of matrix position r (correlate, then border, then mode) and
 * the stride. */
static void matrix_options(suite *s, conv_case *c, int r, const int *stride)
{
    c->o.correlate = r % 2;
    r /= 2;
    c->o.border = BORDERS[r % 6].border;
    c->o.cval = BORDERS[r % 6].nonzero_cval ? random_cval(&s->rng, c->in_dtype) : 0.0;
    c->o.mode = (tessel_mode)(r / 6);
    c->o.stride_x = stride[0];
    c->o.stride_y = stride[1];
}

/* Every mode x border x correlate x stride x kernel shape x image shape. */
static void run_matrix(suite *s)
{
    float coeffs[MAX_TAPS];
    const int total = 3 * 6 * 2 * 4 * K_COUNT * 6;
    for (int n = 0; n < total; ++n) {
        int r = n;
        const int *image = IMAGES[r % 6];
        r /= 6;
        kernel_shape shape = (kernel_shape)(r % K_COUNT);
        r /= K_COUNT;
        const int *stride = STRIDES[r % 4];
        r /= 4;
        conv_case c = {0};
        c.part = "matrix";
        c.call = CALL_2D;
        c.w = image[0];
        c.h = image[1];
        pick_formats(s, &c);
        matrix_options(s, &c, r, stride);
        tessel_kernel *k = shape_kernel(s, shape, &c, coeffs);
        pick_conversion(s, &c);
        run_case(s, &c);
        tessel_kernel_destroy(k);
    }
}

/* Every anchor position of small kernels (odd, even, non-square, and one
 * larger than its 3x2 image), convolution and correlation. */
static void run_anchors(suite *s)
{
    static const int shapes[4][2] = {{3, 3}, {4, 4}, {2, 3}, {5, 5}};
    float coeffs[25];
    for (int shape = 0; shape < 4; ++shape) {
        const int kw = shapes[shape][0], kh = shapes[shape][1];
        for (int a = 0; a < 2 * kw * kh; ++a) {
            conv_case c = {0};
            c.part = "anchor";
            c.call = CALL_2D;
            const int *image = shape == 3 ? IMAGES[0] : IMAGES[tu_rng_int(&s->rng, 3, 5)];
            c.w = shape == 3 ? 3 : image[0];
            c.h = shape == 3 ? 2 : image[1];
            pick_formats(s, &c);
            c.o.anchor_set = 1;
            c.o.anchor_x = (a / 2) % kw;
            c.o.anchor_y = (a / 2) / kw;
            c.o.correlate = a % 2;
            c.o.border = (tessel_border)tu_rng_int(&s->rng, 0, TESSEL_BORDER_WRAP);
            c.o.cval = random_cval(&s->rng, c.in_dtype);
            const int *stride = STRIDES[tu_rng_int(&s->rng, 0, 3)];
            c.o.stride_x = stride[0];
            c.o.stride_y = stride[1];
            c.o.method = pick_method(s, 0);
            random_coeffs(&s->rng, coeffs, kw * kh);
            c.kw = kw;
            c.kh = kh;
            c.coeffs = coeffs;
            tessel_kernel *k = make_kernel(kw, kh, coeffs);
            c.kernel = k;
            run_case(s, &c);
            tessel_kernel_destroy(k);
        }
    }
}

/* Edge filters (coefficients summing to 0) with scale 0.5, offset 10 and
 * absolute value: what an 8-bit edge image needs. */
static void run_edge_scale(suite *s)
{
    static const float sobel_x[9] = {-1, 0, 1, -2, 0, 2, -1, 0, 1}; /* rank 1 */
    static const float laplacian[9] = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    const float *kernels[2] = {sobel_x, laplacian};
    for (int n = 0; n < 2 * 3 * 3 * 2; ++n) {
        conv_case c = {0};
        c.part = "edge";
        c.call = CALL_2D;
        const int *image = IMAGES[tu_rng_int(&s->rng, 3, 5)];
        c.w = image[0];
        c.h = image[1];
        pick_formats(s, &c);
        c.in_dtype = DTYPES[n % 3];
        c.out_dtype = DTYPES[(n / 3) % 3];
        c.o.correlate = (n / 9) % 2;
        c.coeffs = kernels[n / 18];
        c.kw = c.kh = 3;
        c.check_separable = n / 18 == 0;
        c.o.method = pick_method(s, c.check_separable);
        c.o.mode = (tessel_mode)tu_rng_int(&s->rng, 0, TESSEL_MODE_VALID);
        c.o.border = (tessel_border)tu_rng_int(&s->rng, 0, TESSEL_BORDER_WRAP);
        c.o.scale = 0.5;
        c.o.offset = 10.0;
        c.o.absolute = 1;
        tessel_kernel *k = make_kernel(3, 3, c.coeffs);
        c.kernel = k;
        run_case(s, &c);
        tessel_kernel_destroy(k);
    }
}

/* The 1-D calls: one signal, or many rows; kernels given as 1xN or Nx1;
 * stride_y and anchor_y set to values that must be ignored. */
static void run_1d(suite *s)
{
    static const int widths[5] = {1, 2, 7, 64, 131}, taps[6] = {1, 2, 3, 4, 5, 9};
    float coeffs[9];
    for (int n = 0; n < 2 * 3 * 6 * 2 * 6; ++n) {
        conv_case c = {0};
        c.part = "1-D";
        c.call = n % 2 ? CALL_1D_ROWS : CALL_1D;
        c.w = widths[tu_rng_int(&s->rng, 0, 4)];
        c.h = c.call == CALL_1D ? 1 : tu_rng_int(&s->rng, 1, 8);
        pick_formats(s, &c);
        c.kw = taps[(n / 2) % 6];
        c.kh = 1;
        c.o.correlate = (n / 12) % 2;
        c.o.border = BORDERS[(n / 24) % 6].border;
        c.o.cval = BORDERS[(n / 24) % 6].nonzero_cval ? random_cval(&s->rng, c.in_dtype) : 0.0;
        c.o.mode = (tessel_mode)(n / 144);
        c.o.stride_x = tu_rng_int(&s->rng, 1, 3);
        c.o.stride_y = tu_rng_int(&s->rng, 1, 3);
        c.o.anchor_set = c.o.mode == TESSEL_MODE_SAME && tu_rng_int(&s->rng, 0, 2) == 0;
        c.o.anchor_x = c.o.anchor_set ? tu_rng_int(&s->rng, 0, c.kw - 1) : 0;
        c.o.anchor_y = tu_rng_int(&s->rng, 0, 5);
        c.o.method = pick_method(s, 1);
        pick_conversion(s, &c);
        random_coeffs(&s->rng, coeffs, c.kw);
        c.coeffs = coeffs;
        int column = tu_rng_int(&s->rng, 0, 1);
        tessel_kernel *k = make_kernel(column ? 1 : c.kw, column ? c.kw : 1, coeffs);
        c.kernel = k;
        run_case(s, &c);
        tessel_kernel_destroy(k);
    }
}

/* numpy.convolve's own results (golden data), kernel as a row and a column. */
static void run_numpy_golden(suite *s)
{
    for (int i = 0; i < GOLDEN_CASE_COUNT; ++i) {
        const golden_case *g = &golden_cases[i];
        if (!g->numpy_1d) continue;
        float coeffs[16];
        for (int t = 0; t < g->kw; ++t) coeffs[t] = (float)g->kernel[t];
        for (int column = 0; column < 2; ++column) {
            conv_case c = {0};
            c.part = g->call;
            c.call = CALL_1D;
            c.w = g->w;
            c.h = c.c = 1;
            c.in_dtype = c.out_dtype = TESSEL_F32;
            c.in_layout = c.out_layout = (tu_layout)tu_rng_int(&s->rng, 0, TU_LAYOUT_COUNT - 1);
            c.o = g->options;
            c.kw = g->kw;
            c.kh = 1;
            c.coeffs = coeffs;
            tessel_kernel *k = make_kernel(column ? 1 : g->kw, column ? g->kw : 1, coeffs);
            c.kernel = k;
            tu_image src;
            tu_image_alloc(&src, c.w, 1, 1, TESSEL_F32, c.in_layout);
            for (int x = 0; x < c.w; ++x) ((float *)src.view.data)[x] = (float)g->image[x];
            check_call(s, &c, &src, g->expected, g->ow, g->oh, 0.0);
            tu_image_free(&src);
            tessel_kernel_destroy(k);
        }
    }
}

/* A box-like kernel (method running): constant row and column factors, or
 * one of them constant (two or more taps) and the other random. */
static tessel_kernel *make_box_like_kernel(tu_rng *rng, int kind, int kw, int kh, float *coeffs)
{
    float row[16], column[16];
    random_coeffs(rng, row, kw);
    random_coeffs(rng, column, kh);
    const float level = (float)tu_rng_uniform(rng, 0.2, 1.0);
    if (kind != 2)
        for (int i = 0; i < kw; ++i) row[i] = level / (float)kw;
    if (kind != 1)
        for (int j = 0; j < kh; ++j) column[j] = 1.0f / (float)kh;
    for (int j = 0; j < kh; ++j)
        for (int i = 0; i < kw; ++i) coeffs[j * kw + i] = column[j] * row[i];
    tessel_kernel *k = NULL;
    if (tessel_kernel_create_separable(kw, row, kh, column, &k) != TESSEL_OK) {
        printf("cannot create a box-like %dx%d kernel: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    return k;
}

/* Method running (forced or chosen by AUTO) over every mode x border x
 * correlate x stride x image shape, with the three kinds of box-like
 * kernel (both factors constant, only the row's, only the column's), also
 * larger than the image, and through the 1-D calls. */
static void run_running(suite *s)
{
    static const int images[7][2] = {{1, 1}, {1, 23}, {29, 1}, {3, 4}, {17, 13}, {131, 9},
                                     {300, 2}};
    float coeffs[16 * 16];
    for (int n = 0; n < 3 * 6 * 2 * 4 * 7; ++n) {
        int r = n;
        const int *image = images[r % 7];
        r /= 7;
        const int *stride = STRIDES[r % 4];
        r /= 4;
        conv_case c = {0};
        c.part = "running";
        c.w = image[0];
        c.h = image[1];
        c.call = c.h <= 2 && tu_rng_int(&s->rng, 0, 1) ? (c.h == 1 ? CALL_1D : CALL_1D_ROWS)
                                                       : CALL_2D;
        pick_formats(s, &c);
        matrix_options(s, &c, r, stride);
        const int kind = c.call == CALL_2D ? n % 3 : 0;
        c.kw = tu_rng_int(&s->rng, kind == 1 || c.call != CALL_2D ? 2 : 1, 16);
        c.kh = c.call != CALL_2D ? 1 : tu_rng_int(&s->rng, kind == 2 || c.kw == 1 ? 2 : 1, 16);
        tessel_kernel *k = make_box_like_kernel(&s->rng, kind, c.kw, c.kh, coeffs);
        c.kernel = k;
        c.coeffs = coeffs;
        c.o.method = tu_rng_int(&s->rng, 0, 2) ? TESSEL_METHOD_RUNNING : TESSEL_METHOD_AUTO;
        pick_conversion(s, &c);
        run_case(s, &c);
        tessel_kernel_destroy(k);
    }
}

/* Every (in dtype, out dtype, channels) must have had many cases. */
static int fewest_combo_cases(const suite *s)
{
    int fewest = s->cases;
    for (int i = 0; i < 3; ++i)
        for (int o = 0; o < 3; ++o)
            for (int c = 0; c < 4; ++c)
                if (s->combos[i][o][c] < fewest) fewest = s->combos[i][o][c];
    return fewest;
}

static uint64_t suite_seed(void)
{
    const char *env = getenv("TESSEL_TEST_SEED");
    return env && *env ? strtoull(env, NULL, 0) : 20240611u;
}

static double seconds_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int conv_suite_run(const tessel_context_options *ctx_options, const char *label)
{
    suite s = {0};
    s.label = label;
    s.family = ctx_options ? ctx_options->cl_kernels : TESSEL_CL_KERNELS_AUTO;
    uint64_t seed = suite_seed();
    tu_rng_seed(&s.rng, seed);
    tessel_status st = tessel_context_create(ctx_options, &s.ctx);
    if (st != TESSEL_OK) {
        printf("FAIL %s: no context: %s (%s)\n", label, tessel_status_string(st),
               tessel_last_error());
        return 1;
    }
    double start = seconds_now();
    int counts[6];
    run_matrix(&s);
    counts[0] = s.cases;
    run_anchors(&s);
    counts[1] = s.cases - counts[0];
    run_edge_scale(&s);
    counts[2] = s.cases - counts[0] - counts[1];
    run_1d(&s);
    counts[3] = s.cases - counts[0] - counts[1] - counts[2];
    run_numpy_golden(&s);
    counts[4] = s.cases - counts[0] - counts[1] - counts[2] - counts[3];
    run_running(&s);
    counts[5] = s.cases - counts[0] - counts[1] - counts[2] - counts[3] - counts[4];
    int fewest = fewest_combo_cases(&s);
    if (fewest < MIN_COMBO_CASES) {
        printf("FAIL %s: a (dtype in, dtype out, channels) combination had only %d cases\n",
               label, fewest);
        ++s.failures;
    }
    char skipped[64] = "", families[96] = "";
    if (s.fft_unsupported)
        snprintf(skipped, sizeof skipped, " (%d fft cases not run)", s.fft_unsupported);
    if (s.family_checks)
        snprintf(families, sizeof families, ", %d of them named the forced kernel family",
                 s.family_checks);
    printf("%s on %s: %d cases%s (matrix %d, anchors %d, edge %d, 1-D %d, numpy %d, "
           "running %d)%s, each dtype pair x channels >= %d; %d on the integer path; %d failures; %.1f s; "
           "seed %" PRIu64 "\n",
           label, tessel_context_device_name(s.ctx), s.cases, skipped, counts[0], counts[1],
           counts[2], counts[3], counts[4], counts[5], families, fewest, s.integer_cases,
           s.failures,
           seconds_now() - start, seed);
    tessel_context_destroy(s.ctx);
    return s.failures;
}
