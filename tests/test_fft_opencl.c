/* Method fft on the OpenCL backend (clFFT), on every OpenCL device present:
 * every mode x border x correlate with strides, anchors, dtype pairs, 1-4
 * channels, row layouts, odd, even and non-square kernels (some larger than
 * the image), scale/offset/absolute; 31x31 and 63x63 kernels on ~300x200
 * images, also against the CPU backend's direct method; plan reuse;
 * buffers; plans made on two threads at once; a size no buffer holds.
 * Results are held to the FFT tolerance (tu_compare_rms) against the
 * double-precision reference.
 *
 * PoCL compiles every FFT size's kernels the first time (seconds each), so
 * the cases are fitted to a few transform sizes: each image is sized so
 * that the extended input the outputs read is exactly one of them.
 * Exits 77 (CTest: skipped) only when no OpenCL device exists. */
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reference.h"
#include "test_util.h"

#ifdef TESSEL_HAVE_CLFFT /* the build has clFFT: method fft must work */
#define HAVE_CLFFT 1
#else
#define HAVE_CLFFT 0
#endif


/* Transform sizes (width, height) the small cases are fitted to: powers of
 * two (what lengths up to 64 pad to), and odd and even lengths with factors
 * 3, 5 and 7; non-square. */
static const int SMALL_SIZES[2][2] = {{32, 16}, {75, 70}};
/* The large kernels' size: 31x31 on 354x226 and 63x63 on 322x194. */
#define LARGE_W 384
#define LARGE_H 256

/* ------------------------------------------------------------------ cases */

typedef struct fft_case {
    char name[200];
    int w, h, c, kw, kh;
    tessel_dtype in_dtype, out_dtype;
    tu_layout in_layout, out_layout;
    tessel_conv_options o;
} fft_case;

static void describe(fft_case *fc)
{
    snprintf(fc->name, sizeof fc->name,
             "%dx%dx%d %s(%s) -> %s(%s), kernel %dx%d, %s, %s%s, stride %d,%d%s%s",
             fc->w, fc->h, fc->c, tessel_dtype_name(fc->in_dtype), tu_layout_name(fc->in_layout),
             tessel_dtype_name(fc->out_dtype), tu_layout_name(fc->out_layout), fc->kw, fc->kh,
             tessel_mode_name(fc->o.mode), tessel_border_name(fc->o.border),
             fc->o.correlate ? ", correlate" : "", fc->o.stride_x ? fc->o.stride_x : 1,
             fc->o.stride_y ? fc->o.stride_y : 1, fc->o.anchor_set ? ", anchor" : "",
             fc->o.scale != 0.0 || fc->o.offset != 0.0 || fc->o.absolute ? ", scaled" : "");
}

/* Extent of the extended input along one axis: the input span that output
 * rows 0..(out-1)*stride of the dense result read. */
static int extended_extent(int n, int k, int stride, tessel_mode mode)
{
    tessel_conv_options o = {0};
    o.mode = mode;
    o.stride_x = stride;
    int ow = 0, oh = 0;
    if (ref_output_size(n, 1, k, 1, &o, &ow, &oh) != 0) return -1;
    return (ow - 1) * stride + k;
}

/* An image extent n whose extended input is exactly `target`, for kernel
 * extent *k or, when none fits it (a stride skips the target), the nearest
 * extent that has one, written back to *k. -1 when none does. */
static int fit_axis(int *k, int stride, tessel_mode mode, int target)
{
    for (int d = 0; d < target; ++d) {
        for (int sign = -1; sign <= 1; sign += 2) {
            const int kk = *k + sign * d;
            if (kk < 1 || kk > target) continue;
            for (int n = 1; n <= 2 * target; ++n) {
                if (extended_extent(n, kk, stride, mode) == target) {
                    *k = kk;
                    return n;
                }
            }
        }
    }
    return -1;
}

/* Coefficients with sum |k| = 1, mostly positive (outputs stay in range). */
static void random_coeffs(tu_rng *rng, float *k, int n)
{
    double total = 0.0;
    for (int i = 0; i < n; ++i) {
        k[i] = (float)tu_rng_uniform(rng, -0.3, 1.0);
        total += fabs(k[i]);
    }
    for (int i = 0; i < n; ++i) k[i] = (float)(k[i] / total);
}

static double dtype_range(tessel_dtype d)
{
    return d == TESSEL_U8 ? 255.0 : d == TESSEL_U16 ? 65535.0 : 1.0;
}

/* The reference output of fc for input src (malloc'ed, ow*oh*c values). */
static double *reference(const fft_case *fc, const tessel_image *src, const float *coeffs,
                         int ow, int oh)
{
    double *in = tu_xmalloc((size_t)fc->w * fc->h * fc->c * sizeof *in);
    double *k = tu_xmalloc((size_t)fc->kw * fc->kh * sizeof *k);
    double *ref = tu_xmalloc((size_t)ow * oh * fc->c * sizeof *ref);
    for (int i = 0; i < fc->kw * fc->kh; ++i) k[i] = coeffs[i];
    tu_image_to_doubles(src, in);
    ref_convolve2d(in, fc->w, fc->h, fc->c, k, fc->kw, fc->kh, &fc->o, ref);
    free(k);
    free(in);
    return ref;
}

/* Runs fc through plan (made here when NULL) on fresh random input and
 * checks the output against the reference. */
static void run_case(tessel_context *ctx, tessel_plan *plan, tu_rng *rng, const fft_case *fc,
                     const float *coeffs)
{
    tessel_kernel *kernel = NULL;
    if (!plan && tessel_kernel_create(fc->kw, fc->kh, coeffs, &kernel) != TESSEL_OK) {
        tu_fail(fc->name, "tessel_kernel_create: %s", tessel_last_error());
        return;
    }
    int ow = 0, oh = 0;
    if (ref_output_size(fc->w, fc->h, fc->kw, fc->kh, &fc->o, &ow, &oh) != 0) {
        tu_fail(fc->name, "the reference calls this case invalid");
        tessel_kernel_destroy(kernel);
        return;
    }
    tu_image src, dst;
    tu_image_alloc(&src, fc->w, fc->h, fc->c, fc->in_dtype, fc->in_layout);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&dst, ow, oh, fc->c, fc->out_dtype, fc->out_layout);
    tu_image_poison(&dst);
    tessel_status s = plan ? tessel_plan_execute(plan, &src.view, &dst.view)
                           : tessel_convolve2d(ctx, &src.view, kernel, &fc->o, &dst.view);
    double *ref = reference(fc, &src.view, coeffs, ow, oh);
    tu_diff d;
    if (s != TESSEL_OK)
        tu_fail(fc->name, "%s: %s", tessel_status_string(s), tessel_context_last_error(ctx));
    else if (!tu_compare_rms(&dst.view, ref, 0.0, &d))
        tu_fail(fc->name, "error %.3g over %g; worst at x %d, y %d, channel %d: got %.9g, want %.9g",
             d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
    else if (!tu_image_guard_intact(&dst))
        tu_fail(fc->name, "wrote outside the output");
    free(ref);
    tu_image_free(&dst);
    tu_image_free(&src);
    tessel_kernel_destroy(kernel);
}

/* ----------------------------------------------------------------- matrix */

static const tessel_dtype DTYPES[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};

/* A kernel extent: mostly small (odd or even), sometimes most of the
 * transform, which makes it larger than the image in same and full mode. */
static int random_extent(tu_rng *rng, int target)
{
    return tu_rng_int(rng, 0, 4) == 0 ? tu_rng_int(rng, target / 2 + 1, target - 2)
                                      : tu_rng_int(rng, 1, 9);
}

static void random_options(tu_rng *rng, fft_case *fc, int index)
{
    fc->o.border = (tessel_border)(index / 2 % 5);
    fc->o.correlate = index % 2;
    fc->o.cval = fc->in_dtype == TESSEL_F32 ? (float)tu_rng_uniform(rng, -2.0, 2.0)
                                            : (float)tu_rng_uniform(rng, 0.0, dtype_range(fc->in_dtype));
    fc->o.stride_x = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 3);
    fc->o.stride_y = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 3);
    fc->o.method = TESSEL_METHOD_FFT;
    if (tu_rng_int(rng, 0, 3) == 0) {
        /* Scale the output into the output dtype's range, offset, |.|. */
        fc->o.scale = dtype_range(fc->out_dtype) / dtype_range(fc->in_dtype) *
                      tu_rng_uniform(rng, 0.5, 1.0);
        fc->o.offset = dtype_range(fc->out_dtype) * tu_rng_uniform(rng, -0.2, 0.2);
        fc->o.absolute = tu_rng_int(rng, 0, 1);
    }
}

/* Case `index` of the matrix at one transform size: mode, border and
 * correlate from the index, dtype pair and channels rotating, the rest
 * random; the image fitted to the transform size. */
static int make_matrix_case(tu_rng *rng, int index, const int size[2], fft_case *fc)
{
    memset(fc, 0, sizeof *fc);
    fc->o.mode = (tessel_mode)(index / 10 % 3);
    fc->in_dtype = DTYPES[index % 3];
    fc->out_dtype = DTYPES[index / 3 % 3];
    fc->c = index % 4 + 1;
    fc->in_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
    fc->out_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
    random_options(rng, fc, index);
    fc->kw = random_extent(rng, size[0]);
    fc->kh = random_extent(rng, size[1]);
    fc->w = fit_axis(&fc->kw, fc->o.stride_x, fc->o.mode, size[0]);
    fc->h = fit_axis(&fc->kh, fc->o.stride_y, fc->o.mode, size[1]);
    if (fc->w < 1 || fc->h < 1) return 0;
    if (fc->o.mode == TESSEL_MODE_SAME && tu_rng_int(rng, 0, 3) == 0) {
        fc->o.anchor_set = 1;
        fc->o.anchor_x = tu_rng_int(rng, 0, fc->kw - 1);
        fc->o.anchor_y = tu_rng_int(rng, 0, fc->kh - 1);
    }
    describe(fc);
    return 1;
}

/* 30 cases (3 modes x 5 borders x correlate) at each small size. */
static int test_matrix(tessel_context *ctx, tu_rng *rng)
{
    int cases = 0;
    for (int t = 0; t < 2; ++t) {
        for (int i = 0; i < 30; ++i) {
            fft_case fc;
            if (!make_matrix_case(rng, i, SMALL_SIZES[t], &fc)) {
                tu_fail("matrix", "no image fits case %d at %dx%d (kernel %dx%d, stride %d,%d)", i,
                     SMALL_SIZES[t][0], SMALL_SIZES[t][1], fc.kw, fc.kh, fc.o.stride_x,
                     fc.o.stride_y);
                continue;
            }
            float *coeffs = tu_xmalloc((size_t)fc.kw * fc.kh * sizeof *coeffs);
            random_coeffs(rng, coeffs, fc.kw * fc.kh);
            run_case(ctx, NULL, rng, &fc, coeffs);
            free(coeffs);
            ++cases;
        }
    }
    return cases;
}

/* Kernels larger than the image, down to a 1x1 image, in every border. */
static int test_larger_kernels(tessel_context *ctx, tu_rng *rng)
{
    static const struct {
        tessel_mode mode;
        int kw, kh;
        tessel_border border;
    } edge[5] = {{TESSEL_MODE_SAME, 32, 16, TESSEL_BORDER_REFLECT}, /* a 1x1 image */
                 {TESSEL_MODE_SAME, 32, 16, TESSEL_BORDER_WRAP},
                 {TESSEL_MODE_SAME, 25, 12, TESSEL_BORDER_NEAREST},
                 {TESSEL_MODE_FULL, 15, 7, TESSEL_BORDER_MIRROR},
                 {TESSEL_MODE_FULL, 16, 8, TESSEL_BORDER_CONSTANT}};
    for (int i = 0; i < 5; ++i) {
        fft_case fc;
        memset(&fc, 0, sizeof fc);
        fc.o.mode = edge[i].mode;
        fc.o.border = edge[i].border;
        fc.o.cval = 0.75;
        fc.o.correlate = i % 2;
        fc.o.method = TESSEL_METHOD_FFT;
        fc.kw = edge[i].kw;
        fc.kh = edge[i].kh;
        fc.w = fit_axis(&fc.kw, 1, fc.o.mode, SMALL_SIZES[0][0]);
        fc.h = fit_axis(&fc.kh, 1, fc.o.mode, SMALL_SIZES[0][1]);
        fc.c = i % 4 + 1;
        fc.in_dtype = DTYPES[i % 3];
        fc.out_dtype = TESSEL_F32;
        fc.in_layout = TU_VIEW;
        fc.out_layout = TU_PADDED;
        describe(&fc);
        if (fc.kw <= fc.w || fc.kh <= fc.h) {
            tu_fail(fc.name, "the kernel should be larger than the image");
            continue;
        }
        float coeffs[32 * 16];
        random_coeffs(rng, coeffs, fc.kw * fc.kh);
        run_case(ctx, NULL, rng, &fc, coeffs);
    }
    return 5;
}

/* ------------------------------------------------------------ large kernels */

/* A dense kernel of side n: a Gaussian-like bump times random ripples. */
static float *large_kernel(tu_rng *rng, int n)
{
    float *k = tu_xmalloc((size_t)n * n * sizeof *k);
    double total = 0.0, r = n / 3.0;
    for (int y = 0; y < n; ++y)
        for (int x = 0; x < n; ++x) {
            double dx = x - n / 2, dy = y - n / 2;
            k[y * n + x] = (float)(exp(-(dx * dx + dy * dy) / (2 * r * r)) *
                                   tu_rng_uniform(rng, 0.2, 1.0));
            total += k[y * n + x];
        }
    for (int i = 0; i < n * n; ++i) k[i] = (float)(k[i] / total);
    return k;
}

/* Runs fc on the OpenCL context and the CPU backend's direct method from
 * the same input; the two outputs (f32) must agree to the FFT tolerance. */
static void compare_with_cpu(tessel_context *ctx, tu_rng *rng, const fft_case *fc,
                             const float *coeffs)
{
    tessel_context *cpu = NULL;
    tessel_kernel *kernel = NULL;
    tessel_context_options co = {0};
    co.backend = TESSEL_BACKEND_CPU;
    if (tessel_context_create(&co, &cpu) != TESSEL_OK ||
        tessel_kernel_create(fc->kw, fc->kh, coeffs, &kernel) != TESSEL_OK) {
        tu_fail(fc->name, "CPU context or kernel: %s", tessel_last_error());
        tessel_context_destroy(cpu);
        return;
    }
    int ow = 0, oh = 0;
    tessel_conv_output_size(fc->w, fc->h, kernel, &fc->o, &ow, &oh);
    tu_image src, fft_out, direct_out;
    tu_image_alloc(&src, fc->w, fc->h, fc->c, fc->in_dtype, TU_PACKED);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&fft_out, ow, oh, fc->c, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&direct_out, ow, oh, fc->c, TESSEL_F32, TU_PACKED);
    tu_image_poison(&fft_out);
    tu_image_poison(&direct_out);
    tessel_conv_options direct = fc->o;
    direct.method = TESSEL_METHOD_DIRECT;
    tessel_status s = tessel_convolve2d(ctx, &src.view, kernel, &fc->o, &fft_out.view);
    if (s == TESSEL_OK) s = tessel_convolve2d(cpu, &src.view, kernel, &direct, &direct_out.view);
    size_t n = (size_t)ow * oh * fc->c;
    double *want = tu_xmalloc(n * sizeof *want);
    for (size_t i = 0; i < n; ++i) want[i] = ((const float *)direct_out.view.data)[i];
    tu_diff d;
    if (s != TESSEL_OK)
        tu_fail(fc->name, "against the CPU: %s", tessel_last_error());
    else if (!tu_compare_rms(&fft_out.view, want, 0.0, &d))
        tu_fail(fc->name, "opencl fft and cpu direct differ by %.3g (limit %g) at x %d, y %d",
             d.error, d.limit, d.x, d.y);
    free(want);
    tu_image_free(&direct_out);
    tu_image_free(&fft_out);
    tu_image_free(&src);
    tessel_kernel_destroy(kernel);
    tessel_context_destroy(cpu);
}

/* 31x31 and 63x63 kernels on ~300x200 images, both fitted to one transform
 * size; the 31x31 one also against the CPU backend's direct method. */
static int test_large_kernels(tessel_context *ctx, tu_rng *rng)
{
    static const struct {
        int side, c;
        tessel_dtype in, out;
    } large[2] = {{31, 3, TESSEL_U8, TESSEL_U8}, {63, 1, TESSEL_U16, TESSEL_F32}};
    for (int i = 0; i < 2; ++i) {
        fft_case fc;
        memset(&fc, 0, sizeof fc);
        fc.o.method = TESSEL_METHOD_FFT;
        fc.o.border = i ? TESSEL_BORDER_MIRROR : TESSEL_BORDER_REFLECT;
        fc.kw = fc.kh = large[i].side;
        fc.w = fit_axis(&fc.kw, 1, TESSEL_MODE_SAME, LARGE_W);
        fc.h = fit_axis(&fc.kh, 1, TESSEL_MODE_SAME, LARGE_H);
        fc.c = large[i].c;
        fc.in_dtype = large[i].in;
        fc.out_dtype = large[i].out;
        fc.in_layout = TU_PADDED;
        fc.out_layout = TU_VIEW;
        describe(&fc);
        float *coeffs = large_kernel(rng, fc.kw);
        run_case(ctx, NULL, rng, &fc, coeffs);
        if (i == 0) {
            fc.in_dtype = TESSEL_F32;
            fc.c = 1;
            describe(&fc);
            compare_with_cpu(ctx, rng, &fc, coeffs);
        }
        free(coeffs);
    }
    return 3;
}

/* ------------------------------------------------------- plans and buffers */

/* A plan's case at the first small size: 2 channels, stride 2 across. */
static fft_case reuse_case(tessel_dtype in, tessel_dtype out)
{
    fft_case fc;
    memset(&fc, 0, sizeof fc);
    fc.o.method = TESSEL_METHOD_FFT;
    fc.o.border = TESSEL_BORDER_WRAP;
    fc.o.stride_x = 2;
    fc.kw = 6;
    fc.kh = 7;
    fc.w = fit_axis(&fc.kw, 2, TESSEL_MODE_SAME, SMALL_SIZES[0][0]);
    fc.h = fit_axis(&fc.kh, 1, TESSEL_MODE_SAME, SMALL_SIZES[0][1]);
    fc.c = 2;
    fc.in_dtype = in;
    fc.out_dtype = out;
    return fc;
}

static tessel_plan *make_plan(tessel_context *ctx, const fft_case *fc, const float *coeffs)
{
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    tessel_image shape = tessel_image_view(NULL, fc->w, fc->h, fc->c, fc->in_dtype);
    tessel_status s = tessel_kernel_create(fc->kw, fc->kh, coeffs, &kernel);
    if (s == TESSEL_OK) s = tessel_plan_create(ctx, &shape, fc->out_dtype, kernel, &fc->o, &plan);
    if (s != TESSEL_OK) tu_fail(fc->name, "making the plan: %s", tessel_last_error());
    tessel_kernel_destroy(kernel);
    return plan;
}

/* One plan, several runs with fresh inputs and every row layout; its info
 * names the method. */
static int test_plan_reuse(tessel_context *ctx, tu_rng *rng)
{
    fft_case fc = reuse_case(TESSEL_U16, TESSEL_U16);
    float coeffs[6 * 7];
    random_coeffs(rng, coeffs, fc.kw * fc.kh);
    tessel_plan *plan = make_plan(ctx, &fc, coeffs);
    if (!plan) return 0;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (tessel_plan_info(plan, &info) != TESSEL_OK || info.method != TESSEL_METHOD_FFT)
        tu_fail("plan reuse", "plan info says method %s", info.method_name ? info.method_name : "?");
    for (int run = 0; run < 3; ++run) {
        fc.in_layout = (tu_layout)run;
        fc.out_layout = (tu_layout)(2 - run);
        describe(&fc);
        run_case(ctx, plan, rng, &fc, coeffs);
    }
    tessel_plan_destroy(plan);
    return 3;
}

/* Downloads a buffer run's output and checks it against the reference. */
static void check_buffer_output(const char *what, tessel_buffer *dst, const tu_image *src,
                                const fft_case *fc, const float *coeffs)
{
    tessel_image shape;
    tessel_buffer_shape(dst, &shape);
    tu_image out;
    tu_image_alloc(&out, shape.width, shape.height, shape.channels, shape.dtype, TU_PADDED);
    tu_image_poison(&out);
    double *ref = reference(fc, &src->view, coeffs, shape.width, shape.height);
    tu_diff d;
    tessel_status s = tessel_buffer_download(dst, &out.view);
    if (s != TESSEL_OK)
        tu_fail(what, "download: %s", tessel_last_error());
    else if (!tu_compare_rms(&out.view, ref, 0.0, &d))
        tu_fail(what, "error %.3g over %g at x %d, y %d: got %.9g, want %.9g", d.error, d.limit,
             d.x, d.y, d.got, d.want);
    free(ref);
    tu_image_free(&out);
}

/* Two runs of one plan between buffers queued back to back (they share the
 * plan's device scratch), then the one-shot buffer call. */
static int test_buffers(tessel_context *ctx, tu_rng *rng)
{
    fft_case fc = reuse_case(TESSEL_F32, TESSEL_F32);
    describe(&fc);
    float coeffs[6 * 7];
    random_coeffs(rng, coeffs, fc.kw * fc.kh);
    tessel_plan *plan = make_plan(ctx, &fc, coeffs);
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(fc.kw, fc.kh, coeffs, &kernel);
    int ow = 0, oh = 0;
    tessel_conv_output_size(fc.w, fc.h, kernel, &fc.o, &ow, &oh);
    tu_image src[2];
    tessel_buffer *in[2] = {NULL, NULL}, *out[3] = {NULL, NULL, NULL};
    tessel_status s = plan && kernel ? TESSEL_OK : TESSEL_ERR_BACKEND;
    for (int i = 0; i < 2; ++i) {
        tu_image_alloc(&src[i], fc.w, fc.h, fc.c, fc.in_dtype, TU_VIEW);
        tu_image_fill_random(&src[i], rng);
        if (s == TESSEL_OK) s = tessel_buffer_create(ctx, fc.w, fc.h, fc.c, fc.in_dtype, &in[i]);
        if (s == TESSEL_OK) s = tessel_buffer_upload(in[i], &src[i].view);
    }
    for (int i = 0; i < 3 && s == TESSEL_OK; ++i)
        s = tessel_buffer_create(ctx, ow, oh, fc.c, fc.out_dtype, &out[i]);
    if (s == TESSEL_OK) s = tessel_plan_execute_buffers(plan, in[0], out[0]);
    if (s == TESSEL_OK) s = tessel_plan_execute_buffers(plan, in[1], out[1]);
    if (s == TESSEL_OK) s = tessel_convolve2d_buffers(ctx, in[1], kernel, &fc.o, out[2]);
    if (s != TESSEL_OK) {
        tu_fail(fc.name, "buffers: %s", tessel_last_error());
    } else {
        check_buffer_output("buffers, first run", out[0], &src[0], &fc, coeffs);
        check_buffer_output("buffers, second run", out[1], &src[1], &fc, coeffs);
        check_buffer_output("buffers, one-shot call", out[2], &src[1], &fc, coeffs);
    }
    for (int i = 0; i < 3; ++i) tessel_buffer_destroy(out[i]);
    for (int i = 0; i < 2; ++i) {
        tessel_buffer_destroy(in[i]);
        tu_image_free(&src[i]);
    }
    tessel_kernel_destroy(kernel);
    tessel_plan_destroy(plan);
    return 3;
}

/* A transform no device buffer holds: refused before anything is baked,
 * with the sizes in the message. */
static int test_too_large(tessel_context *ctx)
{
    const float one = 1.0f;
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    tessel_image shape = tessel_image_view(NULL, 600000, 600000, 4, TESSEL_F32);
    tessel_conv_options o = {0};
    o.method = TESSEL_METHOD_FFT;
    tessel_kernel_create(1, 1, &one, &kernel);
    tessel_status s = tessel_plan_create(ctx, &shape, TESSEL_F32, kernel, &o, &plan);
    const char *message = tessel_context_last_error(ctx);
    if (s != TESSEL_ERR_UNSUPPORTED || !strstr(message, "MiB"))
        tu_fail("600000x600000x4 f32", "%s: \"%s\" (expected TESSEL_ERR_UNSUPPORTED with sizes)",
             tessel_status_string(s), message);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    return 1;
}

/* clFFT keeps compiled FFT kernels in a "clfft" folder of tessel's cache
 * folder, unless the user named one (user_path, read at start) or turned
 * tessel's disk cache off. Checked after plans were made. */
static int test_kernel_cache(const char *user_path)
{
    const char *now = getenv("CLFFT_CACHE_PATH");
    const char *own = getenv("TESSEL_CACHE_DIR");
    char want[4096] = "";
    if (user_path)
        snprintf(want, sizeof want, "%s", user_path);
    else if (own && *own)
        snprintf(want, sizeof want, "%s/clfft", own);
    if (own && !*own && !user_path) {
        if (now) tu_fail("kernel cache", "disk cache off, yet CLFFT_CACHE_PATH is \"%s\"", now);
    } else if (!now) {
        tu_fail("kernel cache", "CLFFT_CACHE_PATH was not set");
    } else if (want[0] ? strcmp(now, want) != 0 : !strstr(now, "/clfft")) {
        tu_fail("kernel cache", "CLFFT_CACHE_PATH is \"%s\", expected \"%s\"", now,
             want[0] ? want : ".../clfft");
    } else {
        DIR *dir = opendir(now);
        int entries = 0;
        for (struct dirent *e; dir && (e = readdir(dir));) entries += e->d_name[0] != '.';
        if (dir) closedir(dir);
        if (!entries) tu_fail("kernel cache", "nothing was stored in %s", now);
    }
    return 1;
}

/* ------------------------------------------------------------------ threads */

typedef struct worker {
    const char *device;
    uint64_t seed;
} worker;

/* Its own context on the device: FFT plans baked while the other thread
 * bakes its own (clFFT's setup count and lock at work). */
static void *thread_cases(void *arg)
{
    const worker *w = arg;
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = w->device;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        tu_fail("threads", "context on %s: %s", w->device, tessel_last_error());
        return NULL;
    }
    tu_rng rng;
    tu_rng_seed(&rng, w->seed);
    for (int i = 0; i < 4; ++i) {
        fft_case fc;
        if (!make_matrix_case(&rng, i * 7, SMALL_SIZES[1], &fc)) continue;
        float *coeffs = tu_xmalloc((size_t)fc.kw * fc.kh * sizeof *coeffs);
        random_coeffs(&rng, coeffs, fc.kw * fc.kh);
        run_case(ctx, NULL, &rng, &fc, coeffs);
        free(coeffs);
    }
    tessel_context_destroy(ctx);
    return NULL;
}

static int test_threads(const char *device, uint64_t seed)
{
    worker w[2] = {{device, seed + 1}, {device, seed + 2}};
    pthread_t t[2];
    int started = 0;
    for (; started < 2; ++started)
        if (pthread_create(&t[started], NULL, thread_cases, &w[started]) != 0) break;
    if (started < 2) tu_fail("threads", "pthread_create failed");
    for (int i = 0; i < started; ++i) pthread_join(t[i], NULL);
    return 8;
}

/* -------------------------------------------------------------------- main */

/* A build without clFFT must say so, naming it. */
static void check_no_clfft(tessel_context *ctx)
{
    float one = 1.0f;
    float pixels[4] = {1, 2, 3, 4}, out[4];
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(1, 1, &one, &kernel);
    tessel_image src = tessel_image_view(pixels, 2, 2, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 2, 2, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.method = TESSEL_METHOD_FFT;
    tessel_status s = tessel_convolve2d(ctx, &src, kernel, &o, &dst);
    if (s != TESSEL_ERR_UNSUPPORTED || !strstr(tessel_context_last_error(ctx), "clFFT"))
        tu_fail("no clFFT", "%s: \"%s\"", tessel_status_string(s), tessel_context_last_error(ctx));
    tessel_kernel_destroy(kernel);
}

static double seconds_now(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Prints how long a group took (cold runs compile FFT kernels); returns cases. */
static int timed(const char *group, int cases, double *since)
{
    const double now = seconds_now();
    printf("  %-15s %3d cases %6.1f s\n", group, cases, now - *since);
    *since = now;
    return cases;
}

static int run_device(const char *device, const char *name, uint64_t seed,
                      const char *user_cache_path)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = device;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        tu_fail(device, "context: %s", tessel_last_error());
        return 0;
    }
    int cases = 0;
    if (!HAVE_CLFFT) {
        check_no_clfft(ctx);
        tessel_context_destroy(ctx);
        printf("test_fft_opencl: %s (%s): this build has no clFFT; the message says so\n",
               device, name);
        return 1;
    }
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    double t = seconds_now();
    cases += timed("matrix", test_matrix(ctx, &rng), &t);
    cases += timed("larger kernels", test_larger_kernels(ctx, &rng), &t);
    cases += timed("large kernels", test_large_kernels(ctx, &rng), &t);
    cases += timed("plan reuse", test_plan_reuse(ctx, &rng), &t);
    cases += timed("buffers", test_buffers(ctx, &rng), &t);
    cases += timed("too large", test_too_large(ctx), &t);
    cases += timed("kernel cache", test_kernel_cache(user_cache_path), &t);
    tessel_context_destroy(ctx);
    cases += timed("threads", test_threads(device, seed), &t); /* clFFT set up afresh */
    printf("test_fft_opencl: %s (%s): %d cases\n", device, name, cases);
    return 1;
}

int main(void)
{
    uint64_t seed = 20240505;
    const char *seed_text = getenv("TESSEL_TEST_SEED");
    if (seed_text && *seed_text) seed = strtoull(seed_text, NULL, 10);
    /* Copied: tessel may set the variable, and getenv's text may move. */
    static char user_cache_buffer[4096];
    const char *user_cache_path = getenv("CLFFT_CACHE_PATH");
    if (user_cache_path) {
        snprintf(user_cache_buffer, sizeof user_cache_buffer, "%s", user_cache_path);
        user_cache_path = user_cache_buffer;
    }
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) {
        printf("test_fft_opencl: listing devices failed: %s\n", tessel_last_error());
        return 1;
    }
    int ran = 0;
    for (int i = 0; i < n && i < 16; ++i)
        if (devices[i].backend == TESSEL_BACKEND_OPENCL)
            ran += run_device(devices[i].spec, devices[i].name, seed, user_cache_path);
    if (!ran && !tu_failures()) {
        printf("test_fft_opencl: SKIPPED, no OpenCL platform or device is installed\n");
        return 77;
    }
    printf("test_fft_opencl: %d failures on %d device(s), seed %llu\n", tu_failures(), ran,
           (unsigned long long)seed);
    return tu_failures() ? 1 : 0;
}
