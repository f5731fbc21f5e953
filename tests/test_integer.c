/* The integer path of methods direct and separable (core/integer_rule.h)
 * on u8 and u16 images: plan info says when it runs (and when not); at
 * scale 1 and offset 0 every output is the exactly rounded float64
 * reference, otherwise within 1 level; tiled runs give the untiled bits;
 * every instruction set's loops give the same integers; and the OpenCL
 * backend, which sums in float, gives the CPU's bits. Inputs are random,
 * outputs poisoned. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tiles.h"
#include "cpu/integer_loops.h"
#include "reference.h"
#include "test_util.h"

/* Not a built-in: binomial factors, 1 2 1 / 4, 1 4 6 4 1 / 16 and so on. */
#define BINOMIAL "binomial"

typedef struct icase {
    const char *spec; /* a built-in kernel, or BINOMIAL */
    int kw, kh;       /* BINOMIAL only */
    tessel_method method;
    tessel_dtype in, out;
    float scale, offset;
} icase;

static const icase CASES[] = {
    {"sobel:x", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U8, TESSEL_U8, 1, 0},
    {"sobel:y", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U16, 1, 0},
    {"sobel:y", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U16, 1, 0},
    {"sobel:y,size=5", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U16, 1, 0},
    {"scharr:x", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U16, 1, 0},
    {"laplacian", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U8, 1, 0},
    {"laplacian:8", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U8, TESSEL_U16, 1, 0},
    {"box:4x4", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U8, 1, 0},
    {"box:2x2", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U16, 1, 0},
    {"box:5x5,norm=0", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U16, 1, 0},
    {"box:7x3,norm=0", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U16, 1, 0},
    {BINOMIAL, 5, 5, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U8, 1, 0},
    {BINOMIAL, 3, 3, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U8, 1, 0},
    {BINOMIAL, 9, 5, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U16, 1, 0},
    {BINOMIAL, 7, 7, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U8, 1, 0},
    /* Scale and offset: the exact sum through the float conversion. */
    {"sobel:x", 0, 0, TESSEL_METHOD_SEPARABLE, TESSEL_U8, TESSEL_U8, 0.5f, 128},
    {"laplacian:8", 0, 0, TESSEL_METHOD_DIRECT, TESSEL_U16, TESSEL_U16, -3.3f, 40000},
};
#define CASE_COUNT (sizeof CASES / sizeof CASES[0])

typedef struct shape {
    int w, h, c;
    tessel_border border;
    tessel_mode mode;
    int sx, sy;
} shape;

static const shape SHAPES[] = {
    {301, 67, 1, TESSEL_BORDER_REFLECT, TESSEL_MODE_SAME, 1, 1},
    {97, 41, 3, TESSEL_BORDER_CONSTANT, TESSEL_MODE_SAME, 1, 1},
    {5000, 7, 1, TESSEL_BORDER_WRAP, TESSEL_MODE_FULL, 2, 1},
    {64, 33, 4, TESSEL_BORDER_MIRROR, TESSEL_MODE_VALID, 1, 3},
    {13, 9, 2, TESSEL_BORDER_NEAREST, TESSEL_MODE_SAME, 3, 2},
    {1, 1, 1, TESSEL_BORDER_CONSTANT, TESSEL_MODE_SAME, 1, 1},
};
#define SHAPE_COUNT (sizeof SHAPES / sizeof SHAPES[0])

/* The n binomial coefficients of order n - 1 over their sum 2^(n-1). */
static void binomial(float *t, int n)
{
    t[0] = 1.0f;
    for (int i = 1; i < n; ++i) {
        t[i] = 0.0f;
        for (int j = i; j > 0; --j) t[j] += t[j - 1];
    }
    for (int i = 0; i < n; ++i) t[i] = ldexpf(t[i], 1 - n);
}

static tessel_kernel *case_kernel(const icase *ic)
{
    tessel_kernel *k = NULL;
    if (strcmp(ic->spec, BINOMIAL) == 0) {
        float row[16], column[16];
        binomial(row, ic->kw);
        binomial(column, ic->kh);
        tessel_kernel_create_separable(ic->kw, row, ic->kh, column, &k);
        return k;
    }
    if (tessel_kernel_builtin(ic->spec, &k) != TESSEL_OK) {
        printf("kernel %s: %s\n", ic->spec, tessel_last_error());
        exit(2);
    }
    return k;
}

static tessel_conv_options case_options(const icase *ic, const shape *sh, tessel_dtype in)
{
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.method = ic->method;
    o.border = sh->border;
    o.mode = sh->mode;
    o.stride_x = sh->sx;
    o.stride_y = sh->sy;
    o.cval = in == TESSEL_U8 ? 201 : 40000;
    o.scale = ic->scale;
    o.offset = ic->offset;
    return o;
}

/* Runs one plan (tiled when tile_w > 0) into dst, poisoned first. */
static tessel_status run(tessel_context *ctx, const tu_image *src, const tessel_kernel *k,
                         const tessel_conv_options *o, tessel_dtype out, int tile_w, int tile_h,
                         tu_image *dst, tessel_plan_properties *info)
{
    tessel_plan *plan = NULL;
    tessel_status s = tessel_plan_create(ctx, &src->view, out, k, o, &plan);
    if (s == TESSEL_OK && tile_w) s = tessel_tiles_force(plan, tile_w, tile_h);
    tu_image_poison(dst);
    if (s == TESSEL_OK) s = tessel_plan_execute(plan, &src->view, &dst->view);
    if (s == TESSEL_OK && info) {
        *info = (tessel_plan_properties){0};
        info->struct_size = sizeof *info;
        s = tessel_plan_info(plan, info);
    }
    tessel_plan_destroy(plan);
    return s;
}

static int same_samples(const tessel_image *a, const tessel_image *b, int *differ, double *worst)
{
    *differ = 0;
    *worst = 0.0;
    for (int y = 0; y < a->height; ++y)
        for (int x = 0; x < a->width; ++x)
            for (int ch = 0; ch < a->channels; ++ch) {
                const double d = fabs(tu_sample(a, x, y, ch) - tu_sample(b, x, y, ch));
                if (d != 0.0) ++*differ;
                if (d > *worst) *worst = d;
            }
    return *differ == 0;
}

/* The reference of src under o, before rounding. */
static double *reference(const tu_image *src, const tessel_kernel *k,
                         const tessel_conv_options *o, int ow, int oh)
{
    const int kw = tessel_kernel_width(k), kh = tessel_kernel_height(k);
    const tessel_image *v = &src->view;
    float *taps = tu_xmalloc((size_t)kw * kh * sizeof *taps);
    double *dk = tu_xmalloc((size_t)kw * kh * sizeof *dk);
    double *in = tu_xmalloc((size_t)v->width * v->height * v->channels * sizeof *in);
    double *out = tu_xmalloc((size_t)ow * oh * v->channels * sizeof *out);
    tessel_kernel_coefficients(k, taps, (size_t)kw * kh);
    for (int i = 0; i < kw * kh; ++i) dk[i] = taps[i];
    tu_image_to_doubles(v, in);
    ref_convolve2d(in, v->width, v->height, v->channels, dk, kw, kh, o, out);
    free(taps);
    free(dk);
    free(in);
    return out;
}

/* One case on one shape: CPU untiled against the reference, tiled against
 * untiled, and (cl not NULL) OpenCL against the CPU. */
static void one(tessel_context *cpu, tessel_context *cl, const icase *ic, const shape *sh,
                tu_rng *rng, int *cl_cases)
{
    tessel_kernel *k = case_kernel(ic);
    const tessel_conv_options o = case_options(ic, sh, ic->in);
    char what[200];
    snprintf(what, sizeof what, "%s %dx%d (%s, %s -> %s) on %dx%dx%d, %s, %s, stride %dx%d",
             ic->spec, tessel_kernel_width(k), tessel_kernel_height(k),
             tessel_method_name(ic->method), tessel_dtype_name(ic->in),
             tessel_dtype_name(ic->out), sh->w, sh->h, sh->c, tessel_border_name(sh->border),
             tessel_mode_name(sh->mode), sh->sx, sh->sy);
    int ow = 0, oh = 0;
    if (tessel_conv_output_size(sh->w, sh->h, k, &o, &ow, &oh) != TESSEL_OK) {
        tessel_kernel_destroy(k); /* valid mode with a kernel larger than the image */
        return;
    }
    tu_image src, a, b;
    tu_image_alloc(&src, sh->w, sh->h, sh->c, ic->in, TU_PADDED);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&a, ow, oh, sh->c, ic->out, TU_VIEW);
    tu_image_alloc(&b, ow, oh, sh->c, ic->out, TU_PACKED);
    tessel_plan_properties info;
    tessel_status s = run(cpu, &src, k, &o, ic->out, 0, 0, &a, &info);
    double *ref = reference(&src, k, &o, ow, oh);
    int differ = 0;
    double worst = 0.0;
    if (s != TESSEL_OK) {
        tu_fail(what, "cpu: %s", tessel_last_error());
    } else if (!info.integer_path) {
        tu_fail(what, "plan info: no integer path (%s)", info.method_reason);
    } else {
        tu_diff d;
        if (ic->scale == 1 && ic->offset == 0 ? !tu_compare_rounded(&a.view, ref, &d)
                                              : !tu_compare(&a.view, ref, &d))
            tu_fail(what, "at x %d, y %d, channel %d: got %.0f, rounded reference %.0f", d.x,
                    d.y, d.ch, d.got, d.want);
        if (!tu_image_guard_intact(&a)) tu_fail(what, "bytes outside the output were written");
        const int tw = ow > 3 ? ow / 3 + 1 : ow, th = oh > 2 ? oh / 2 + 1 : oh;
        s = run(cpu, &src, k, &o, ic->out, tw, th, &b, NULL);
        if (s != TESSEL_OK) tu_fail(what, "tiled: %s", tessel_last_error());
        else if (!same_samples(&a.view, &b.view, &differ, &worst))
            tu_fail(what, "tiled (%dx%d tiles) and untiled differ in %d samples", tw, th, differ);
    }
    if (cl && s == TESSEL_OK) {
        s = run(cl, &src, k, &o, ic->out, 0, 0, &b, NULL);
        if (s != TESSEL_OK) tu_fail(what, "opencl: %s", tessel_last_error());
        else if (!same_samples(&a.view, &b.view, &differ, &worst))
            tu_fail(what, "opencl differs from the cpu in %d samples, by up to %g", differ,
                    worst);
        else ++*cl_cases;
    }
    free(ref);
    tu_image_free(&src);
    tu_image_free(&a);
    tu_image_free(&b);
    tessel_kernel_destroy(k);
}

/* The plan declines the path for taps that are not integers times a power
 * of two, column sums beyond 16 bits, more than 25 taps (per factor), f32
 * and other methods; plan info says so (the conformance matrix checks those
 * plans' results). */
static void declined(tessel_context *cpu)
{
    static const struct {
        const char *spec;
        tessel_dtype in, out;
        tessel_method method;
    } cases[] = {
        {"gaussian:sigma=1", TESSEL_U8, TESSEL_U8, TESSEL_METHOD_SEPARABLE},
        {"box:3x3", TESSEL_U8, TESSEL_U8, TESSEL_METHOD_DIRECT},
        {"box:5x5", TESSEL_U8, TESSEL_U8, TESSEL_METHOD_SEPARABLE},
        {"sobel:x", TESSEL_F32, TESSEL_U8, TESSEL_METHOD_SEPARABLE},
        {"gaussian:sigma=1", TESSEL_U8, TESSEL_F32, TESSEL_METHOD_SEPARABLE},
        {"box:31x31", TESSEL_U8, TESSEL_U8, TESSEL_METHOD_DIRECT},
        {"sobel:x", TESSEL_U8, TESSEL_U8, TESSEL_METHOD_FFT},
        {"sobel:y", TESSEL_U16, TESSEL_U16, TESSEL_METHOD_SEPARABLE},
        {"sobel:x,size=5", TESSEL_U16, TESSEL_U16, TESSEL_METHOD_SEPARABLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        tessel_kernel *k = NULL;
        tessel_kernel_builtin(cases[i].spec, &k);
        tessel_conv_options o = {0};
        o.struct_size = sizeof o;
        o.method = cases[i].method;
        tessel_image frame = tessel_image_view(NULL, 64, 64, 1, cases[i].in);
        tessel_plan *plan = NULL;
        tessel_plan_properties info = {0};
        info.struct_size = sizeof info;
        if (tessel_plan_create(cpu, &frame, cases[i].out, k, &o, &plan) != TESSEL_OK ||
            tessel_plan_info(plan, &info) != TESSEL_OK)
            tu_fail(cases[i].spec, "plan: %s", tessel_last_error());
        else if (info.integer_path)
            tu_fail(cases[i].spec, "case %zu: plan info says integer path %d", i,
                    info.integer_path);
        tessel_plan_destroy(plan);
        tessel_kernel_destroy(k);
    }
}

/* Every instruction set this CPU runs gives the baseline's integers. */
static void variants_agree(tu_rng *rng)
{
    static const char *const isas[] = {"avx2", "avx512bw", "avx512vnni"};
    enum { N = 1000, STEP = 3, PAIRS = 4, ROWS = 3, MORE = 2 * TESSEL_INTEGER_BLOCK + STEP };
    static int16_t s[N + 2 * PAIRS * STEP + MORE];
    static uint32_t q[ROWS][N + 2 * PAIRS * STEP + MORE], pairs[N + MORE];
    static int32_t taps[ROWS * PAIRS], want[N + MORE], got[N + MORE];
    static uint8_t a8[N + MORE], b8[N + MORE], want8[N + MORE], got8[N + MORE];
    static int16_t want16[N + MORE], got16[N + MORE];
    for (size_t i = 0; i < sizeof s / sizeof *s; ++i) s[i] = (int16_t)tu_rng_int(rng, 0, 255);
    for (int i = 0; i < N; ++i) a8[i] = (uint8_t)tu_rng_int(rng, 0, 255), b8[i] = a8[i] ^ 0x5a;
    for (int i = 0; i < ROWS * PAIRS; ++i)
        taps[i] = tessel_integer_tap_pair((int16_t)tu_rng_int(rng, -300, 300),
                                          (int16_t)tu_rng_int(rng, -300, 300));
    tessel_integer_loops base, v;
    tessel_integer_loops_variant("baseline", &base);
    const size_t len = N + 2 * PAIRS * STEP;
    for (int r = 0; r < ROWS; ++r) base.pair_row(s + r, STEP, q[r], len);
    const uint32_t *rows[ROWS] = {q[0], q[1], q[2]};
    base.dot(rows, ROWS, PAIRS, STEP, taps, 77, want, N);
    base.emit(want, N, 9, 1.0f / 512, TESSEL_U8, want8, NULL, NULL, NULL);
    base.row_pair[0](a8, b8, pairs, N);
    const uint32_t *column_rows[1] = {pairs};
    /* Column taps small enough for 16-bit sums, as the rule makes sure. */
    const int32_t column_taps[1] = {tessel_integer_tap_pair(-60, 57)};
    base.column(column_rows, 1, column_taps, 5, want16, N);
    for (size_t i = 0; i < sizeof isas / sizeof *isas; ++i) {
        if (!tessel_integer_loops_variant(isas[i], &v)) continue;
        for (int r = 0; r < ROWS; ++r) v.pair_row(s + r, STEP, q[r], len);
        v.dot(rows, ROWS, PAIRS, STEP, taps, 77, got, N);
        v.emit(got, N, 9, 1.0f / 512, TESSEL_U8, got8, NULL, NULL, NULL);
        v.row_pair[0](a8, b8, pairs, N);
        v.column(column_rows, 1, column_taps, 5, got16, N);
        if (memcmp(want, got, N * sizeof *got) != 0) tu_fail(isas[i], "dot differs from baseline");
        if (memcmp(want8, got8, N) != 0) tu_fail(isas[i], "emit differs from baseline");
        if (memcmp(want16, got16, N * sizeof *got16) != 0)
            tu_fail(isas[i], "column differs from baseline");
    }
}

static tessel_context *context(tessel_backend backend, const char *device)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.backend = backend;
    co.device = device;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) return NULL;
    return ctx;
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 20261207);
    tessel_context *cpu = context(TESSEL_BACKEND_CPU, NULL);
    if (!cpu) {
        printf("no CPU context: %s\n", tessel_last_error());
        return 2;
    }
    tessel_context *cl = context(TESSEL_BACKEND_OPENCL, NULL);
    int cl_cases = 0;
    for (size_t i = 0; i < CASE_COUNT; ++i)
        for (size_t j = 0; j < SHAPE_COUNT; ++j)
            one(cpu, cl, &CASES[i], &SHAPES[j], &rng, &cl_cases);
    declined(cpu);
    variants_agree(&rng);
    if (cl)
        printf("opencl: %d cases gave the cpu's bits\n", cl_cases);
    else
        printf("no OpenCL context (%s): cpu only\n", tessel_last_error());
    tessel_context_destroy(cl);
    tessel_context_destroy(cpu);
    printf("%s\n", tu_failures() ? "FAILED" : "all integer-path cases passed");
    return tu_failures() ? 1 : 0;
}
