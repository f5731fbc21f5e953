/* Method running beyond the conformance matrix (conv_suite.c runs it
 * through every mode, border, stride and dtype on both backends):
 *   - moving averages of 10^7-sample f32 signals (windows 7, 101 and 1001)
 *     stay within the contract's 1e-5 over the whole length, also on a
 *     large offset where float running sums drift, and a u16 signal's
 *     moving sums are exact;
 *   - the OpenCL backend gives the CPU backend's bits for integer inputs
 *     (exact sums, the same conversion), and the CPU's values within the
 *     contract for f32, on every OpenCL device present;
 *   - AUTO picks running for large boxes, plan info names it, and a kernel
 *     that is not box-like is refused with a clear message. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#define LONG_SIGNAL 10000000
#define CHECKED_SAMPLES 4000 /* positions checked against a direct double sum */

static tessel_context *context(tessel_backend backend, const char *device)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = backend;
    o.device = device;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        printf("FAIL context %s: %s\n", device ? device : "cpu", tessel_last_error());
        exit(1);
    }
    return ctx;
}

static tessel_kernel *box(int w, int h)
{
    char spec[64];
    snprintf(spec, sizeof spec, "box:%dx%d", w, h);
    tessel_kernel *k = NULL;
    if (tessel_kernel_builtin(spec, &k) != TESSEL_OK) {
        printf("FAIL %s: %s\n", spec, tessel_last_error());
        exit(1);
    }
    return k;
}

/* ------------------------------------------------------- long signals */

/* The moving average of `window` samples at output n (mode same, border
 * reflect), summed directly in double. */
static double direct_average(const float *x, int len, int window, int n, float tap)
{
    double sum = 0.0;
    const int first = n - (window - 1) / 2;
    for (int i = 0; i < window; ++i) {
        int p = first + i;
        if (p < 0) p = -p - 1; /* reflect: c b a | a b c */
        if (p >= len) p = 2 * len - 1 - p;
        sum += (double)tap * x[p];
    }
    return sum;
}

/* The largest error over the checked positions (every 2500th, and the
 * last ones, where a drifting sum is furthest from its start), relative
 * to the largest magnitude of the reference there. */
static double relative_error(const float *x, const float *y, int len, int window, float tap)
{
    double worst = 0.0, peak = 0.0;
    for (int k = 0; k < CHECKED_SAMPLES; ++k) {
        const int n = k < CHECKED_SAMPLES - 64 ? (int)((long long)k * len / CHECKED_SAMPLES)
                                                : len - (CHECKED_SAMPLES - k);
        const double want = direct_average(x, len, window, n, tap);
        worst = fmax(worst, fabs(y[n] - want));
        peak = fmax(peak, fabs(want));
    }
    return worst / peak;
}

static void long_f32(tessel_context *ctx, const char *label, double offset)
{
    static const int windows[3] = {7, 101, 1001};
    float *x = tu_xmalloc((size_t)LONG_SIGNAL * sizeof *x);
    float *y = tu_xmalloc((size_t)LONG_SIGNAL * sizeof *y);
    tu_rng rng;
    tu_rng_seed(&rng, 77);
    for (int i = 0; i < LONG_SIGNAL; ++i) x[i] = (float)(offset + tu_rng_uniform(&rng, -1.0, 1.0));
    tessel_image src = tessel_image_view(x, LONG_SIGNAL, 1, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(y, LONG_SIGNAL, 1, 1, TESSEL_F32);
    for (int w = 0; w < 3; ++w) {
        tessel_kernel *k = box(windows[w], 1);
        float *taps = tu_xmalloc((size_t)windows[w] * sizeof *taps);
        tessel_kernel_coefficients(k, taps, (size_t)windows[w]);
        const float tap = taps[0];
        free(taps);
        tessel_conv_options o = {0};
        o.struct_size = sizeof o;
        o.method = TESSEL_METHOD_RUNNING;
        for (int i = 0; i < LONG_SIGNAL; ++i) y[i] = NAN;
        tessel_status s = tessel_convolve1d(ctx, &src, k, &o, &dst);
        const double e = s == TESSEL_OK ? relative_error(x, y, LONG_SIGNAL, windows[w], tap) : 1.0;
        printf("%s: moving average of %d samples over 10^7 f32 samples around %g: relative "
               "error %.3g\n",
               label, windows[w], offset, e);
        if (s != TESSEL_OK) tu_fail(label, "window %d: %s", windows[w], tessel_last_error());
        else if (!(e <= 1e-5)) tu_fail(label, "window %d: relative error %.3g over 1e-5", windows[w], e);
        tessel_kernel_destroy(k);
    }
    free(x);
    free(y);
}

/* u16 moving sums (an all-ones kernel, f32 output) of 10^7 samples: exact. */
static void long_u16(tessel_context *ctx, const char *label)
{
    const int window = 257;
    uint16_t *x = tu_xmalloc((size_t)LONG_SIGNAL * sizeof *x);
    float *y = tu_xmalloc((size_t)LONG_SIGNAL * sizeof *y);
    tu_rng rng;
    tu_rng_seed(&rng, 78);
    for (int i = 0; i < LONG_SIGNAL; ++i) x[i] = (uint16_t)tu_rng_int(&rng, 0, 65535);
    float *ones = tu_xmalloc((size_t)window * sizeof *ones);
    for (int i = 0; i < window; ++i) ones[i] = 1.0f;
    tessel_kernel *k = NULL;
    tessel_kernel_create(window, 1, ones, &k);
    tessel_image src = tessel_image_view(x, LONG_SIGNAL, 1, 1, TESSEL_U16);
    tessel_image dst = tessel_image_view(y, LONG_SIGNAL, 1, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.method = TESSEL_METHOD_RUNNING;
    o.mode = TESSEL_MODE_VALID;
    const int out = LONG_SIGNAL - window + 1;
    dst.width = out;
    tessel_status s = tessel_convolve1d(ctx, &src, k, &o, &dst);
    long long sum = 0;
    int wrong = -1;
    for (int i = 0; s == TESSEL_OK && i < out && wrong < 0; ++i) {
        if (i == 0)
            for (int t = 0; t < window; ++t) sum += x[t];
        else
            sum += (long long)x[i + window - 1] - x[i - 1];
        if (y[i] != (float)sum) wrong = i; /* rounded to float once, as promised */
    }
    if (s != TESSEL_OK) tu_fail(label, "u16 moving sums: %s", tessel_last_error());
    else if (wrong >= 0) tu_fail(label, "u16 moving sum %d is %.9g, not exact", wrong, y[wrong]);
    tessel_kernel_destroy(k);
    free(ones);
    free(x);
    free(y);
}

/* ------------------------------------------------ CPU and OpenCL agree */

typedef struct parity_case {
    tessel_dtype in, out;
    int w, h, c, kw, kh;
    int row_only; /* 1: a constant row factor only (column taps random) */
    tessel_border border;
    tessel_mode mode;
    int sx, sy;
} parity_case;

static tessel_kernel *parity_kernel(const parity_case *pc, tu_rng *rng)
{
    float row[128], column[128];
    for (int i = 0; i < pc->kw; ++i) row[i] = 1.0f / (float)pc->kw;
    tu_rng_floats(rng, column, (size_t)pc->kh, 0.05, 1.0);
    if (!pc->row_only)
        for (int j = 0; j < pc->kh; ++j) column[j] = 1.0f;
    tessel_kernel *k = NULL;
    tessel_kernel_create_separable(pc->kw, row, pc->kh, column, &k);
    return k;
}

/* 1 when a and b hold the same samples (integers: equal; f32: within 1e-5
 * of the larger magnitude). */
static int agree(const tessel_image *a, const tessel_image *b, int exact, char *why, size_t size)
{
    double peak = 0.0;
    for (int y = 0; y < a->height; ++y)
        for (int x = 0; x < a->width; ++x)
            for (int ch = 0; ch < a->channels; ++ch) peak = fmax(peak, fabs(tu_sample(a, x, y, ch)));
    for (int y = 0; y < a->height; ++y)
        for (int x = 0; x < a->width; ++x)
            for (int ch = 0; ch < a->channels; ++ch) {
                const double u = tu_sample(a, x, y, ch), v = tu_sample(b, x, y, ch);
                if (exact ? u != v || isnan(u) != isnan(v) : !(fabs(u - v) <= 1e-5 * peak)) {
                    snprintf(why, size, "at x %d, y %d, channel %d: cpu %.9g, opencl %.9g", x, y,
                             ch, u, v);
                    return 0;
                }
            }
    return 1;
}

static void parity(tessel_context *cpu, tessel_context *cl, const char *label, tu_rng *rng)
{
    static const parity_case cases[] = {
        {TESSEL_U8, TESSEL_U8, 301, 203, 1, 15, 15, 0, TESSEL_BORDER_REFLECT, TESSEL_MODE_SAME, 1, 1},
        {TESSEL_U8, TESSEL_F32, 97, 61, 3, 31, 5, 0, TESSEL_BORDER_WRAP, TESSEL_MODE_FULL, 2, 1},
        {TESSEL_U16, TESSEL_U16, 120, 77, 1, 9, 21, 0, TESSEL_BORDER_CONSTANT, TESSEL_MODE_SAME, 1, 3},
        {TESSEL_U16, TESSEL_F32, 64, 64, 4, 5, 7, 1, TESSEL_BORDER_MIRROR, TESSEL_MODE_VALID, 1, 1},
        {TESSEL_U8, TESSEL_U8, 1000, 1, 1, 101, 1, 0, TESSEL_BORDER_NEAREST, TESSEL_MODE_SAME, 1, 1},
        {TESSEL_F32, TESSEL_F32, 211, 131, 1, 25, 25, 0, TESSEL_BORDER_REFLECT, TESSEL_MODE_SAME, 1, 1},
        {TESSEL_F32, TESSEL_U8, 90, 70, 2, 7, 11, 1, TESSEL_BORDER_NEAREST, TESSEL_MODE_SAME, 3, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const parity_case *pc = &cases[i];
        tessel_kernel *k = parity_kernel(pc, rng);
        tessel_conv_options o = {0};
        o.struct_size = sizeof o;
        o.method = TESSEL_METHOD_RUNNING;
        o.border = pc->border;
        o.cval = 7.0;
        o.mode = pc->mode;
        o.stride_x = pc->sx;
        o.stride_y = pc->sy;
        int ow = 0, oh = 0;
        tessel_conv_output_size(pc->w, pc->h, k, &o, &ow, &oh);
        tu_image src, a, b;
        tu_image_alloc(&src, pc->w, pc->h, pc->c, pc->in, TU_PADDED);
        tu_image_fill_random(&src, rng);
        tu_image_alloc(&a, ow, oh, pc->c, pc->out, TU_PACKED);
        tu_image_alloc(&b, ow, oh, pc->c, pc->out, TU_VIEW);
        tessel_status s = tessel_convolve2d(cpu, &src.view, k, &o, &a.view);
        tessel_status t = tessel_convolve2d(cl, &src.view, k, &o, &b.view);
        char what[96], why[160];
        snprintf(what, sizeof what, "%s parity case %zu (%s -> %s, %dx%d box-like)", label, i,
                 tessel_dtype_name(pc->in), tessel_dtype_name(pc->out), pc->kw, pc->kh);
        if (s != TESSEL_OK || t != TESSEL_OK)
            tu_fail(what, "cpu %s, opencl %s: %s", tessel_status_string(s),
                    tessel_status_string(t), tessel_last_error());
        else if (!agree(&a.view, &b.view, pc->in != TESSEL_F32, why, sizeof why))
            tu_fail(what, "%s", why);
        tessel_kernel_destroy(k);
        tu_image_free(&src);
        tu_image_free(&a);
        tu_image_free(&b);
    }
}

/* ------------------------------------------------------- choice, errors */

static void choice_and_errors(tessel_context *ctx, const char *label)
{
    tessel_kernel *k = box(31, 31);
    tessel_image shape = tessel_image_view(NULL, 1024, 512, 1, TESSEL_U8);
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (tessel_plan_create(ctx, &shape, TESSEL_U8, k, NULL, &plan) != TESSEL_OK ||
        tessel_plan_info(plan, &info) != TESSEL_OK)
        tu_fail(label, "plan: %s", tessel_last_error());
    else if (info.method != TESSEL_METHOD_RUNNING || strcmp(info.method_name, "running") != 0)
        tu_fail(label, "auto chose %s for a 31x31 box (%s)", info.method_name,
                info.method_reason);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
    const float dense[6] = {1, 2, 3, 4, 5, 7};
    tessel_kernel_create(3, 2, dense, &k);
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.method = TESSEL_METHOD_RUNNING;
    tessel_status s = tessel_plan_create(ctx, &shape, TESSEL_U8, k, &o, &plan);
    if (s != TESSEL_ERR_UNSUPPORTED || !strstr(tessel_context_last_error(ctx), "box-like"))
        tu_fail(label, "running on a dense kernel gave %s (%s)", tessel_status_string(s),
                tessel_context_last_error(ctx));
    tessel_kernel *line = box(3, 1);
    if (tessel_kernel_is_box_like(k) || !tessel_kernel_is_box_like(line))
        tu_fail(label, "tessel_kernel_is_box_like is wrong");
    tessel_kernel_destroy(line);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 20240611);
    tessel_context *cpu = context(TESSEL_BACKEND_CPU, NULL);
    long_f32(cpu, "cpu", 0.0);
    long_f32(cpu, "cpu", 1000.0);
    long_u16(cpu, "cpu");
    choice_and_errors(cpu, "cpu");
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) n = 0;
    for (int i = 0; i < n && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        tessel_context *cl = context(TESSEL_BACKEND_OPENCL, devices[i].spec);
        parity(cpu, cl, devices[i].spec, &rng);
        long_f32(cl, devices[i].spec, 1000.0);
        long_u16(cl, devices[i].spec);
        tessel_context_destroy(cl);
    }
    tessel_context_destroy(cpu);
    printf("test_running: %d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
