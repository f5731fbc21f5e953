/* Non-finite input samples (Inf, -Inf and NaN planted in random f32
 * images) on the CPU backend and on every OpenCL device present.
 *
 * direct and separable keep such a sample local: every output is held to
 * the double-precision reference under IEEE rules (+-Inf where the kernel
 * footprint's infinite terms agree, NaN where they disagree or a NaN lies in
 * it, finite and within the contract's tolerance everywhere else), with 3x3,
 * 4x5, 9x9, 1xN and Nx1 kernels, every border, modes, strides, 1 and 3
 * channels, on images tall enough for the backends' blocks of output rows
 * (rows that share loaded input rows must not take a sample outside their
 * own window); and a run in forced tiles, whose bands start blocks at other
 * rows, gives the whole run's samples.
 *
 * fft and fft-block: per the README a non-finite sample spreads through its
 * transform (its block for fft-block). Outputs whose footprint holds one
 * must be non-finite and finite outputs must be right (FFT tolerance); which
 * outputs stay finite is not asserted.
 *
 * Outputs are filled with a finite sentinel before each run: NaN, the usual
 * poison, is a valid result here. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/tiles.h"
#include "reference.h"
#include "test_util.h"

#ifdef TESSEL_TEST_FFTW /* the build runs fft and fft-block on the CPU */
#define HAVE_CPU_FFT 1
#else
#define HAVE_CPU_FFT 0
#endif
#ifdef TESSEL_HAVE_CLFFT /* the build runs fft and fft-block on OpenCL */
#define HAVE_CL_FFT 1
#else
#define HAVE_CL_FFT 0
#endif

#define SENTINEL 3.0e38f  /* finite, and far from any output of these cases */
#define F32_TOLERANCE 1e-5 /* max-abs error over max-abs reference (contract) */
#define FFT_TOLERANCE 1e-4 /* relative RMS error (contract, frequency domain) */
#define PATTERNS 5

typedef struct nf_case {
    tessel_method method;
    int kw, kh, channels, w, h, pattern;
    tessel_conv_options o;
    char what[200];
} nf_case;

typedef struct device_run {
    tessel_context *ctx;
    const char *name;
    int fft_ok;         /* the build runs fft and fft-block on this backend */
    int fft_cases;      /* cases per frequency-domain method */
    int local_cases, nonfinite_cases, frequency_cases;
} device_run;

/* ------------------------------------------------------------ the images */

static float *row_at(const tessel_image *img, int y)
{
    return (float *)((char *)img->data + (size_t)y * tu_row_bytes(img));
}

static float *sample_at(const tessel_image *img, int x, int y, int ch)
{
    return row_at(img, y) + (size_t)x * img->channels + ch;
}

static void fill_sentinel(tu_image *img)
{
    const tessel_image *v = &img->view;
    for (int y = 0; y < v->height; ++y)
        for (int e = 0; e < v->width * v->channels; ++e) row_at(v, y)[e] = SENTINEL;
}

static float special(tu_rng *rng)
{
    const int kind = tu_rng_int(rng, 0, 2);
    return kind == 0 ? INFINITY : kind == 1 ? -INFINITY : NAN;
}

static void plant(const tessel_image *v, tu_rng *rng, int x, int y, float value)
{
    *sample_at(v, x, y, tu_rng_int(rng, 0, v->channels - 1)) = value;
}

/* Non-finite samples by pattern: one Inf; one of each kind; Inf next to
 * -Inf (their footprints overlap: Inf - Inf) with a NaN below; one on three
 * edges (border rules repeat them); a burst of eight. */
static void plant_pattern(const tessel_image *v, tu_rng *rng, int pattern)
{
    const int w = v->width, h = v->height;
    const int x = tu_rng_int(rng, 1, w - 3), y = tu_rng_int(rng, 1, h - 4);
    switch (pattern) {
    case 0: plant(v, rng, x, y, INFINITY); break;
    case 1:
        for (int k = 0; k < 3; ++k)
            plant(v, rng, tu_rng_int(rng, 0, w - 1), tu_rng_int(rng, 0, h - 1),
                  k == 0 ? INFINITY : k == 1 ? -INFINITY : NAN);
        break;
    case 2:
        *sample_at(v, x, y, 0) = INFINITY;
        *sample_at(v, x + 1, y, 0) = -INFINITY;
        *sample_at(v, x, y + 2, 0) = NAN;
        break;
    case 3:
        plant(v, rng, 0, y, special(rng));
        plant(v, rng, w - 1, 0, special(rng));
        plant(v, rng, x, h - 1, special(rng));
        break;
    default:
        for (int k = 0; k < 8; ++k)
            plant(v, rng, tu_rng_int(rng, 0, w - 1), tu_rng_int(rng, 0, h - 1), special(rng));
    }
}

/* ------------------------------------------------------------ the kernels */

/* Coefficients away from zero: a zero tap on an infinite sample is NaN in
 * the reference as in the library, but would hide what the case tests. */
static float coefficient(tu_rng *rng)
{
    const float magnitude = (float)tu_rng_uniform(rng, 0.05, 1.0);
    return tu_rng_int(rng, 0, 1) ? magnitude : -magnitude;
}

/* The case's kernel, and its dense coefficients as doubles in k (kw*kh). */
static tessel_kernel *make_kernel(const nf_case *c, tu_rng *rng, double *k)
{
    tessel_kernel *kernel = NULL;
    tessel_status s;
    if (c->method == TESSEL_METHOD_SEPARABLE) {
        float row[16], column[16];
        for (int i = 0; i < c->kw; ++i) row[i] = coefficient(rng);
        for (int j = 0; j < c->kh; ++j) column[j] = coefficient(rng);
        for (int j = 0; j < c->kh; ++j)
            for (int i = 0; i < c->kw; ++i) k[j * c->kw + i] = (double)column[j] * row[i];
        s = tessel_kernel_create_separable(c->kw, row, c->kh, column, &kernel);
    } else {
        float dense[256];
        for (int i = 0; i < c->kw * c->kh; ++i) dense[i] = coefficient(rng);
        for (int i = 0; i < c->kw * c->kh; ++i) k[i] = dense[i];
        s = tessel_kernel_create(c->kw, c->kh, dense, &kernel);
    }
    if (s != TESSEL_OK) tu_fail(c->what, "kernel: %s", tessel_last_error());
    return kernel;
}

/* ------------------------------------------------------------ the checks */

static int same_sample(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static double finite_max_abs(const double *ref, size_t n)
{
    double m = 0.0;
    for (size_t i = 0; i < n; ++i)
        if (isfinite(ref[i]) && fabs(ref[i]) > m) m = fabs(ref[i]);
    return m;
}

/* direct and separable: NaN, +Inf and -Inf exactly where the reference has
 * them, and finite samples within tolerance. Returns how many reference
 * samples are non-finite. */
static size_t check_local(const char *what, const tessel_image *out, const double *ref)
{
    const int c = out->channels;
    const size_t n = (size_t)out->width * out->height * c;
    const double scale = finite_max_abs(ref, n) > 0 ? finite_max_abs(ref, n) : 1.0;
    size_t nonfinite = 0, wrong = 0;
    for (size_t i = 0; i < n; ++i) {
        const int x = (int)(i / c % out->width), y = (int)(i / c / out->width), ch = (int)(i % c);
        const double want = ref[i], got = *sample_at(out, x, y, ch);
        int ok;
        if (isnan(want)) ok = isnan(got);
        else if (isinf(want)) ok = got == want;
        else ok = isfinite(got) && fabs(got - want) <= F32_TOLERANCE * scale;
        nonfinite += !isfinite(want);
        if (!ok && wrong++ < 3)
            tu_fail(what, "output (%d, %d) channel %d is %g, the reference %g", x, y, ch, got,
                    want);
    }
    if (wrong > 3) tu_fail(what, "%zu outputs wrong in all (of %zu)", wrong, n);
    return nonfinite;
}

/* fft and fft-block: non-finite where the reference is; finite outputs
 * within the FFT tolerance. */
static void check_spread(const char *what, const tessel_image *out, const double *ref)
{
    const int c = out->channels;
    const size_t n = (size_t)out->width * out->height * c;
    double err2 = 0.0, ref2 = 0.0;
    size_t finite_where_not = 0;
    for (size_t i = 0; i < n; ++i) {
        const int x = (int)(i / c % out->width), y = (int)(i / c / out->width), ch = (int)(i % c);
        const double want = ref[i], got = *sample_at(out, x, y, ch);
        if (got == SENTINEL) {
            tu_fail(what, "output (%d, %d) channel %d was not written", x, y, ch);
            return;
        }
        if (!isfinite(want)) {
            if (isfinite(got) && finite_where_not++ == 0)
                tu_fail(what, "output (%d, %d) channel %d is %g, the reference %g", x, y, ch,
                        got, want);
        } else if (isfinite(got)) {
            err2 += (got - want) * (got - want);
            ref2 += want * want;
        }
    }
    if (ref2 > 0 && sqrt(err2 / ref2) > FFT_TOLERANCE)
        tu_fail(what, "finite outputs: relative RMS error %.3g > %g", sqrt(err2 / ref2),
                FFT_TOLERANCE);
}

/* ------------------------------------------------------------ the runs */

static tessel_status run_plan(tessel_context *ctx, const nf_case *c, const tu_image *src,
                              const tessel_kernel *k, int tile_w, int tile_h, tu_image *dst)
{
    tessel_plan *plan = NULL;
    tessel_status s = tessel_plan_create(ctx, &src->view, TESSEL_F32, k, &c->o, &plan);
    if (s == TESSEL_OK && tile_w) s = tessel_tiles_force(plan, tile_w, tile_h);
    fill_sentinel(dst);
    if (s == TESSEL_OK) s = tessel_plan_execute(plan, &src->view, &dst->view);
    if (s != TESSEL_OK) tu_fail(c->what, "%s", tessel_context_last_error(ctx));
    tessel_plan_destroy(plan);
    return s;
}

/* Forced tiles of odd sizes give the whole run's samples (NaN for NaN). */
static void check_tiled(device_run *d, const nf_case *c, const tu_image *src,
                        const tessel_kernel *k, const tu_image *whole, tu_image *tiled)
{
    if (run_plan(d->ctx, c, src, k, 13, 5, tiled) != TESSEL_OK) return;
    const tessel_image *a = &whole->view, *b = &tiled->view;
    for (int y = 0; y < a->height; ++y)
        for (int e = 0; e < a->width * a->channels; ++e)
            if (!same_sample(row_at(a, y)[e], row_at(b, y)[e])) {
                tu_fail(c->what, "tiled 13x5: sample %d of row %d is %g, the whole run's %g", e,
                        y, row_at(b, y)[e], row_at(a, y)[e]);
                return;
            }
}

static void run_case(device_run *d, nf_case *c, tu_rng *rng)
{
    snprintf(c->what, sizeof c->what,
             "%s %s %dx%d kernel, %dx%dx%d, %s, %s, stride %dx%d, %s, pattern %d", d->name,
             tessel_method_name(c->method), c->kw, c->kh, c->w, c->h, c->channels,
             tessel_mode_name(c->o.mode), tessel_border_name(c->o.border),
             c->o.stride_x ? c->o.stride_x : 1, c->o.stride_y ? c->o.stride_y : 1,
             c->o.correlate ? "correlate" : "convolve", c->pattern);
    double k[256];
    tessel_kernel *kernel = make_kernel(c, rng, k);
    if (!kernel) return;
    tu_image src, out, tiled;
    tu_image_alloc(&src, c->w, c->h, c->channels, TESSEL_F32,
                   (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1));
    tu_image_fill_random(&src, rng);
    plant_pattern(&src.view, rng, c->pattern);
    int ow = 0, oh = 0;
    ref_output_size(c->w, c->h, c->kw, c->kh, &c->o, &ow, &oh);
    tu_image_alloc(&out, ow, oh, c->channels, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&tiled, ow, oh, c->channels, TESSEL_F32, TU_PADDED);
    double *in = tu_xmalloc(sizeof(double) * c->w * c->h * c->channels);
    double *ref = tu_xmalloc(sizeof(double) * ow * oh * c->channels);
    tu_image_to_doubles(&src.view, in);
    ref_convolve2d(in, c->w, c->h, c->channels, k, c->kw, c->kh, &c->o, ref);
    const int frequency = c->method == TESSEL_METHOD_FFT || c->method == TESSEL_METHOD_FFT_BLOCK;
    if (run_plan(d->ctx, c, &src, kernel, 0, 0, &out) == TESSEL_OK) {
        if (frequency) {
            check_spread(c->what, &out.view, ref);
        } else {
            d->nonfinite_cases += check_local(c->what, &out.view, ref) > 0;
            check_tiled(d, c, &src, kernel, &out, &tiled);
        }
    }
    if (!tu_image_guard_intact(&out) || !tu_image_guard_intact(&tiled))
        tu_fail(c->what, "wrote outside the output");
    if (frequency) ++d->frequency_cases;
    else ++d->local_cases;
    free(in);
    free(ref);
    tu_image_free(&src);
    tu_image_free(&out);
    tu_image_free(&tiled);
    tessel_kernel_destroy(kernel);
}

/* Kernel shapes (width x height) of the local cases. */
static const int SHAPES[][2] = {{3, 3}, {4, 5}, {9, 9}, {1, 7}, {7, 1}};

/* Every shape x border for direct and separable: 1 or 3 channels, mostly
 * stride 1 (where the backends block rows), sometimes a stride, a mode. */
static void run_local_cases(device_run *d, tu_rng *rng)
{
    const tessel_method methods[2] = {TESSEL_METHOD_DIRECT, TESSEL_METHOD_SEPARABLE};
    int n = 0;
    for (int m = 0; m < 2; ++m)
        for (size_t s = 0; s < sizeof SHAPES / sizeof SHAPES[0]; ++s)
            for (int b = 0; b <= TESSEL_BORDER_WRAP; ++b, ++n) {
                const int w = tu_rng_int(rng, 40, 90), h = tu_rng_int(rng, 30, 70);
                nf_case c = {methods[m], SHAPES[s][0], SHAPES[s][1], 1 + 2 * (n % 2), w, h,
                             n % PATTERNS, {0}, ""};
                c.o.border = (tessel_border)b;
                c.o.cval = tu_rng_uniform(rng, -2.0, 2.0);
                c.o.correlate = tu_rng_int(rng, 0, 1);
                c.o.mode = (tessel_mode)(n % 7 == 3 ? TESSEL_MODE_FULL
                                                    : n % 7 == 5 ? TESSEL_MODE_VALID
                                                                 : TESSEL_MODE_SAME);
                if (n % 4 == 1) {
                    c.o.stride_x = tu_rng_int(rng, 1, 3);
                    c.o.stride_y = tu_rng_int(rng, 2, 3);
                }
                c.o.method = c.method;
                run_case(d, &c, rng);
            }
}

/* fft and fft-block: dense kernels, a few patterns, same mode (none when
 * the build lacks the backend's FFT library; test_errors covers that). */
static void run_frequency_cases(device_run *d, tu_rng *rng)
{
    const tessel_method methods[2] = {TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK};
    for (int m = 0; d->fft_ok && m < 2; ++m)
        for (int i = 0; i < d->fft_cases; ++i) {
            nf_case c = {methods[m], 3 + 6 * (i % 2), 3 + 6 * (i % 2), 1, 64, 48, i % PATTERNS,
                         {0}, ""};
            c.o.border = (tessel_border)(i % 2 ? TESSEL_BORDER_CONSTANT : TESSEL_BORDER_REFLECT);
            c.o.method = c.method;
            run_case(d, &c, rng);
        }
}

static void run_device(device_run *d, uint64_t seed)
{
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    run_local_cases(d, &rng);
    run_frequency_cases(d, &rng);
    /* Most local cases plant samples that some output reads. */
    if (d->nonfinite_cases * 2 < d->local_cases)
        tu_fail(d->name, "only %d of %d cases had non-finite outputs", d->nonfinite_cases,
                d->local_cases);
    printf("%s: %d direct and separable cases (%d with non-finite outputs), %d fft and "
           "fft-block cases\n",
           d->name, d->local_cases, d->nonfinite_cases, d->frequency_cases);
}

static tessel_context *open_context(const char *device)
{
    tessel_context_options o = {0};
    o.device = device;
    o.threads = 2;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK)
        tu_fail(device, "context: %s", tessel_last_error());
    return ctx;
}

int main(void)
{
    const uint64_t seed = 20240611;
    device_run cpu = {open_context("cpu"), "cpu", HAVE_CPU_FFT, 4, 0, 0, 0};
    if (cpu.ctx) run_device(&cpu, seed);
    tessel_context_destroy(cpu.ctx);

    tessel_device_desc devices[16];
    int count = 0, opencl = 0;
    if (tessel_devices_list(devices, 16, &count) != TESSEL_OK)
        tu_fail("devices", "listing devices failed: %s", tessel_last_error());
    for (int i = 0; i < count && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        /* One transform size per method: PoCL compiles each size's kernels. */
        device_run d = {open_context(devices[i].spec), devices[i].spec, HAVE_CL_FFT, 1, 0, 0, 0};
        if (d.ctx) run_device(&d, seed + 1 + (uint64_t)i);
        tessel_context_destroy(d.ctx);
        ++opencl;
    }
    if (!opencl) printf("test_nonfinite: no OpenCL device, the CPU backend only\n");
    printf("test_nonfinite: %d failures, seed %llu\n", tu_failures(), (unsigned long long)seed);
    return tu_failures() ? 1 : 0;
}
