/* Small cases that run every kernel in kernels_cl/ once or more, for
 * tests/oclgrind.sh to run under Oclgrind's simulated device (its checks
 * see every access of every work-item; a serial device hides races). Each
 * result is checked against the double-precision reference too.
 *
 * The cases aim at the kernels' corners: partial tiles (images that are not
 * multiples of a tile), halos wider than a tile, 1x1 images, every border,
 * strides, kernels that force the global-memory form of conv_direct.cl and
 * the two-pass form of the separable method, conv_vector.cl's scalar path,
 * all three sample types and 1-4 channels; each direct and separable case
 * once with the tiled kernels (GPU-shaped work-groups) and once with the
 * vector ones. Method running's kernels (running_sum.cl: integer and
 * wide sums, a constant column factor with a running or tapped row, a
 * constant row factor alone) serve both families, so they run once.
 *
 *   oclgrind_cases [--judgeable] [--case N]
 *   oclgrind_cases --count
 *
 * --judgeable runs only what Oclgrind's uninitialised-value check can judge
 * (oclgrind.sh says why): no methods fft and fft-block (clFFT's kernels)
 * nor running (its compiler's freeze there too), no damped Richardson-Lucy
 * (it ends with a plan on host images, which that check takes as never
 * written on a device sharing host memory).
 * --case N runs only case N (the convolutions in CASES' order, then
 * combine, then damped Richardson-Lucy). Runs on the first OpenCL device;
 * contexts are made on the calling thread. Exit status 0 when every result
 * matched, 1 otherwise, 2 when there is no case N, 77 without a device.
 * --count prints how many cases there are (N runs from 0 to that less 1). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "tessel/tessel_fourier.h"
#include "test_util.h"

typedef struct conv_case {
    const char *what;
    int w, h, c;
    tessel_dtype in, out;
    int kw, kh;
    int shape; /* coefficients: 0 dense; an outer product (for methods separable
                  and running) of random factors (1), of constant ones (2, a box),
                  of a constant column factor (3) or a constant row factor (4) */
    tessel_method method;
    tessel_mode mode;
    tessel_border border;
    int sx, sy;
} conv_case;

#define U8 TESSEL_U8
#define U16 TESSEL_U16
#define F32 TESSEL_F32
#define SAME TESSEL_MODE_SAME
#define FULL TESSEL_MODE_FULL
#define VALID TESSEL_MODE_VALID
#define DIRECT TESSEL_METHOD_DIRECT
#define SEPARABLE TESSEL_METHOD_SEPARABLE
#define FFT TESSEL_METHOD_FFT
#define BLOCK TESSEL_METHOD_FFT_BLOCK
#define RUNNING TESSEL_METHOD_RUNNING

static const conv_case CASES[] = {
    {"partial tiles, 3x3", 67, 35, 1, F32, F32, 3, 3, 0, DIRECT, SAME, TESSEL_BORDER_REFLECT, 1, 1},
    {"1x1 image, 5x5", 1, 1, 3, U8, F32, 5, 5, 0, DIRECT, SAME, TESSEL_BORDER_MIRROR, 1, 1},
    {"1x1 image, separable 7x3", 1, 1, 1, F32, F32, 7, 3, 1, SEPARABLE, SAME, TESSEL_BORDER_MIRROR, 1, 1},
    {"every column of a tile, 9x9", 70, 9, 2, U16, U16, 9, 9, 0, DIRECT, FULL, TESSEL_BORDER_CONSTANT, 1, 1},
    {"halo wider than the tile, 70x5", 40, 21, 1, F32, U8, 70, 5, 0, DIRECT, SAME, TESSEL_BORDER_WRAP, 1, 1},
    {"global-memory form, 5x300", 21, 13, 2, U8, U8, 5, 300, 0, DIRECT, SAME, TESSEL_BORDER_NEAREST, 1, 1},
    {"strides 2x3, 4x4", 37, 29, 4, F32, F32, 4, 4, 0, DIRECT, SAME, TESSEL_BORDER_REFLECT, 2, 3},
    {"valid, 16x2", 50, 20, 1, U16, F32, 16, 2, 0, DIRECT, VALID, TESSEL_BORDER_CONSTANT, 1, 1},
    {"vector scalar path, 161x1", 1, 3, 4, F32, F32, 161, 1, 0, DIRECT, SAME, TESSEL_BORDER_REFLECT, 1, 1},
    {"fused separable, 13x13", 83, 45, 3, U8, U8, 13, 13, 1, SEPARABLE, SAME, TESSEL_BORDER_NEAREST, 1, 1},
    {"fused separable, strides 3x2", 41, 30, 1, F32, F32, 5, 7, 1, SEPARABLE, FULL, TESSEL_BORDER_WRAP, 3, 2},
    {"separable in two passes, 3x301", 19, 11, 1, F32, F32, 3, 301, 1, SEPARABLE, SAME, TESSEL_BORDER_MIRROR, 1, 1},
    {"fft, 7x7", 53, 37, 1, F32, F32, 7, 7, 0, FFT, SAME, TESSEL_BORDER_MIRROR, 1, 1},
    {"fft, 1x1 image", 1, 1, 2, U8, F32, 7, 3, 1, FFT, SAME, TESSEL_BORDER_MIRROR, 1, 1},
    {"fft, strides, 3 channels", 31, 20, 3, U16, U16, 5, 4, 0, FFT, FULL, TESSEL_BORDER_CONSTANT, 2, 1},
    {"fft-block, 9x9", 140, 33, 2, F32, F32, 9, 9, 0, BLOCK, SAME, TESSEL_BORDER_WRAP, 1, 1},
    {"fft-block, 1x1 image", 1, 1, 1, U8, U8, 3, 3, 0, BLOCK, SAME, TESSEL_BORDER_NEAREST, 1, 1},
    {"running box, integer sums, 9x5", 45, 23, 3, U8, U8, 9, 5, 2, RUNNING, SAME, TESSEL_BORDER_REFLECT, 1, 1},
    {"running, wide sums, strides 2x3", 33, 26, 2, F32, F32, 6, 7, 3, RUNNING, FULL, TESSEL_BORDER_CONSTANT, 2, 3},
    {"running rows, column taps, 1x1 image", 1, 1, 1, U16, F32, 5, 3, 4, RUNNING, SAME, TESSEL_BORDER_WRAP, 1, 1},
};

static int is_fft(tessel_method m)
{
    return m == FFT || m == BLOCK;
}

/* Methods whose kernels do not depend on the kernel family. */
static int one_family(tessel_method m)
{
    return is_fft(m) || m == RUNNING;
}

/* Methods whose kernels Oclgrind's uninitialised-value check cannot judge
 * (oclgrind.sh). */
static int unjudgeable(tessel_method m)
{
    return is_fft(m) || m == RUNNING;
}

static void coefficients(tu_rng *rng, const conv_case *cc, float *k)
{
    float row[512], column[512];
    tu_rng_floats(rng, row, (size_t)cc->kw, 0.0, 1.0);
    tu_rng_floats(rng, column, (size_t)cc->kh, 0.0, 1.0);
    for (int i = 0; i < cc->kw && (cc->shape == 2 || cc->shape == 4); ++i) row[i] = 1.0f;
    for (int j = 0; j < cc->kh && (cc->shape == 2 || cc->shape == 3); ++j) column[j] = 1.0f;
    double sum = 0.0;
    for (int j = 0; j < cc->kh; ++j)
        for (int i = 0; i < cc->kw; ++i) {
            float v = cc->shape ? row[i] * column[j] : (float)tu_rng_uniform(rng, -0.3, 1.0);
            k[j * cc->kw + i] = v;
            sum += fabs(v);
        }
    for (int t = 0; t < cc->kw * cc->kh; ++t) k[t] = (float)(k[t] / sum);
}

/* The case through device buffers (packed: one contiguous copy each way),
 * checked against the reference. */
static void run_case(tessel_context *ctx, const char *family, const conv_case *cc, tu_rng *rng)
{
    char where[160];
    snprintf(where, sizeof where, "%s (%s kernels)", cc->what, family);
    float *k = tu_xmalloc((size_t)cc->kw * cc->kh * sizeof *k);
    coefficients(rng, cc, k);
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(cc->kw, cc->kh, k, &kernel);
    tessel_conv_options o = {0};
    o.mode = cc->mode;
    o.border = cc->border;
    o.cval = 0.25;
    o.stride_x = cc->sx;
    o.stride_y = cc->sy;
    o.method = cc->method;
    o.correlate = 1;
    int ow = 0, oh = 0;
    ref_output_size(cc->w, cc->h, cc->kw, cc->kh, &o, &ow, &oh);
    tu_image src, dst;
    tu_image_alloc(&src, cc->w, cc->h, cc->c, cc->in, TU_PACKED);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&dst, ow, oh, cc->c, cc->out, TU_PACKED);
    tessel_buffer *in = NULL, *out = NULL;
    tessel_status st = tessel_buffer_create(ctx, cc->w, cc->h, cc->c, cc->in, &in);
    if (st == TESSEL_OK) st = tessel_buffer_create(ctx, ow, oh, cc->c, cc->out, &out);
    if (st == TESSEL_OK) st = tessel_buffer_upload(in, &src.view);
    if (st == TESSEL_OK) st = tessel_convolve2d_buffers(ctx, in, kernel, &o, out);
    if (st == TESSEL_OK) st = tessel_buffer_download(out, &dst.view);
    if (st != TESSEL_OK) {
        tu_fail(where, "%s: %s", tessel_status_string(st), tessel_context_last_error(ctx));
    } else {
        double *din = tu_xmalloc((size_t)cc->w * cc->h * cc->c * sizeof *din);
        double *dk = tu_xmalloc((size_t)cc->kw * cc->kh * sizeof *dk);
        double *ref = tu_xmalloc((size_t)ow * oh * cc->c * sizeof *ref);
        tu_image_to_doubles(&src.view, din);
        for (int t = 0; t < cc->kw * cc->kh; ++t) dk[t] = k[t];
        ref_convolve2d(din, cc->w, cc->h, cc->c, dk, cc->kw, cc->kh, &o, ref);
        tu_diff d;
        const double floor = cc->in == F32 ? 0.05 : 0.0;
        if (is_fft(cc->method) ? !tu_compare_rms(&dst.view, ref, floor, &d)
                               : !tu_compare_floor(&dst.view, ref, floor, &d))
            tu_fail(where, "error %.3g over %g at (%d, %d) channel %d: got %.9g, want %.9g",
                    d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
        free(din);
        free(dk);
        free(ref);
    }
    tessel_buffer_destroy(in);
    tessel_buffer_destroy(out);
    tessel_kernel_destroy(kernel);
    tu_image_free(&src);
    tu_image_free(&dst);
    free(k);
}

/* tessel_buffer_combine (combine.cl), every operation, mixed types. */
static void run_combine(tessel_context *ctx, tu_rng *rng)
{
    enum { W = 37, H = 5, C = 2 };
    tu_image a, b, out;
    tu_image_alloc(&a, W, H, C, U8, TU_PACKED);
    tu_image_alloc(&b, W, H, C, F32, TU_PACKED);
    tu_image_alloc(&out, W, H, C, F32, TU_PACKED);
    tu_image_fill_random(&a, rng);
    tu_image_fill_random(&b, rng);
    tessel_buffer *ba = NULL, *bb = NULL, *bo = NULL;
    tessel_buffer_create(ctx, W, H, C, U8, &ba);
    tessel_buffer_create(ctx, W, H, C, F32, &bb);
    tessel_buffer_create(ctx, W, H, C, F32, &bo);
    tessel_buffer_upload(ba, &a.view);
    tessel_buffer_upload(bb, &b.view);
    for (int op = TESSEL_COMBINE_ADD; op <= TESSEL_COMBINE_DIVIDE; ++op) {
        if (tessel_buffer_combine(ctx, ba, bb, (tessel_combine_op)op, bo) != TESSEL_OK ||
            tessel_buffer_download(bo, &out.view) != TESSEL_OK) {
            tu_fail("combine", "operation %d: %s", op, tessel_context_last_error(ctx));
            continue;
        }
        for (int i = 0; i < W * H * C; ++i) {
            const double x = ((const uint8_t *)a.view.data)[i], z = ((float *)b.view.data)[i];
            const double want = op == 0 ? x + z : op == 1 ? x - z : op == 2 ? x * z
                                : op == 3 ? sqrt(x * x + z * z) : z != 0 ? x / z : 0.0;
            const double got = ((float *)out.view.data)[i];
            if (fabs(got - want) > 1e-5 * (fabs(want) + 1.0)) {
                tu_fail("combine", "operation %d, sample %d: %.9g, want %.9g", op, i, got, want);
                break;
            }
        }
    }
    tessel_buffer_destroy(ba);
    tessel_buffer_destroy(bb);
    tessel_buffer_destroy(bo);
    tu_image_free(&a);
    tu_image_free(&b);
    tu_image_free(&out);
}

/* Damped Richardson-Lucy (deconv_damp.cl, and combine's divide), against
 * the CPU backend. */
static void run_damped_rl(tessel_context *ctx, tu_rng *rng)
{
    enum { W = 160, H = 100 };
    tu_image src, got, want;
    tu_image_alloc(&src, W, H, 1, F32, TU_PACKED);
    tu_image_alloc(&got, W, H, 1, F32, TU_PACKED);
    tu_image_alloc(&want, W, H, 1, F32, TU_PACKED);
    tu_rng_floats(rng, src.view.data, (size_t)W * H, 10.0, 200.0);
    tessel_kernel *psf = NULL;
    tessel_kernel_builtin("gaussian:sigma=0.8", &psf);
    tessel_deconv_options o = {0};
    o.struct_size = sizeof o;
    o.method = TESSEL_DECONV_RICHARDSON_LUCY;
    o.iterations = 3;
    o.damping = 2.0;
    o.taper = -1;
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.backend = TESSEL_BACKEND_CPU;
    co.threads = 1;
    tessel_context *cpu = NULL;
    tessel_context_create(&co, &cpu);
    if (tessel_deconvolve(ctx, &src.view, psf, &o, &got.view) != TESSEL_OK ||
        tessel_deconvolve(cpu, &src.view, psf, &o, &want.view) != TESSEL_OK) {
        tu_fail("damped Richardson-Lucy", "%s", tessel_last_error());
    } else {
        for (int i = 0; i < W * H; ++i) {
            const double g = ((float *)got.view.data)[i], w = ((float *)want.view.data)[i];
            if (!(fabs(g - w) <= 1e-3 * fabs(w) + 1e-3)) {
                tu_fail("damped Richardson-Lucy", "sample %d: %.9g on OpenCL, %.9g on the CPU", i,
                        g, w);
                break;
            }
        }
    }
    tessel_context_destroy(cpu);
    tessel_kernel_destroy(psf);
    tu_image_free(&src);
    tu_image_free(&got);
    tu_image_free(&want);
}

static tessel_context *opencl_context(tessel_cl_kernels family)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_OPENCL;
    o.cl_kernels = family;
    tessel_context *ctx = NULL;
    return tessel_context_create(&o, &ctx) == TESSEL_OK ? ctx : NULL;
}

int main(int argc, char **argv)
{
    int judgeable = 0, only = -1;
    for (int i = 1; i < argc; ++i) {
        if (strcmp(argv[i], "--judgeable") == 0) judgeable = 1;
        else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) only = atoi(argv[++i]);
    }
    const int convolutions = (int)(sizeof CASES / sizeof CASES[0]);
    if (argc > 1 && strcmp(argv[1], "--count") == 0) {
        printf("%d\n", convolutions + 2);
        return 0;
    }
    if (only > convolutions + 1) {
        printf("oclgrind_cases: no case %d (%d in all)\n", only, convolutions + 2);
        return 2;
    }
    tu_rng rng;
    tu_rng_seed(&rng, 20240710u + (uint64_t)(only + 1));
    tessel_context *tiled = opencl_context(TESSEL_CL_KERNELS_TILED);
    tessel_context *vector = opencl_context(TESSEL_CL_KERNELS_VECTOR);
    if (!tiled || !vector) {
        printf("oclgrind_cases: no OpenCL device: %s\n", tessel_last_error());
        return 77;
    }
    int ran = 0;
    for (int i = 0; i < convolutions; ++i) {
        const conv_case *cc = &CASES[i];
        if ((judgeable && unjudgeable(cc->method)) || (only >= 0 && only != i)) continue;
        run_case(tiled, "tiled", cc, &rng);
        ++ran;
        if (!one_family(cc->method)) {
            run_case(vector, "vector", cc, &rng);
            ++ran;
        }
    }
    if (only < 0 || only == convolutions) run_combine(tiled, &rng);
    const int rl = !judgeable && (only < 0 || only == convolutions + 1);
    if (rl) run_damped_rl(tiled, &rng);
    tessel_context_destroy(tiled);
    tessel_context_destroy(vector);
    printf("oclgrind_cases%s: %d convolution(s)%s%s; %d failures\n",
           judgeable ? " (judgeable)" : "", ran,
           only < 0 || only == convolutions ? ", combine" : "", rl ? ", damped Richardson-Lucy" : "",
           tu_failures());
    return tu_failures() ? 1 : 0;
}
