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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_cases.h"
#include "fft_kernels.h"
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

/* ----------------------------------------------------------------- matrix */

static const tessel_dtype DTYPES[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};

/* A kernel extent: mostly small (odd or even), sometimes most of the
 * transform, which makes it larger than the image in same and full mode. */
static int random_extent(tu_rng *rng, int target)
{
    return tu_rng_int(rng, 0, 4) == 0 ? tu_rng_int(rng, target / 2 + 1, target - 2)
                                      : tu_rng_int(rng, 1, 9);
}

/* Case `index` of the matrix at one transform size: mode, border and
 * correlate from the index, dtype pair and channels rotating, the rest
 * random; the image fitted to the transform size. */
static int make_matrix_case(tu_rng *rng, int index, const int size[2], fft_case *fc)
{
    memset(fc, 0, sizeof *fc);
    fc->in_dtype = DTYPES[index % 3];
    fc->out_dtype = DTYPES[index / 3 % 3];
    fc->c = index % 4 + 1;
    fc->in_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
    fc->out_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
    fc->o.method = TESSEL_METHOD_FFT;
    fc_random_options(rng, fc, index);
    fc_random_scaling(rng, fc);
    fc->kw = random_extent(rng, size[0]);
    fc->kh = random_extent(rng, size[1]);
    fc->w = fit_axis(&fc->kw, fc->o.stride_x, fc->o.mode, size[0]);
    fc->h = fit_axis(&fc->kh, fc->o.stride_y, fc->o.mode, size[1]);
    if (fc->w < 1 || fc->h < 1) return 0;
    fc_random_anchor(rng, fc);
    fc_describe(fc);
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
            fc_run_random(ctx, rng, &fc);
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
        fc_describe(&fc);
        if (fc.kw <= fc.w || fc.kh <= fc.h) {
            tu_fail(fc.name, "the kernel should be larger than the image");
            continue;
        }
        fc_run_random(ctx, rng, &fc);
    }
    return 5;
}

/* ------------------------------------------------------------ large kernels */

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
        fc_describe(&fc);
        float *coeffs = fk_large_kernel(rng, fc.kw);
        fc_run(ctx, NULL, rng, &fc, coeffs);
        if (i == 0) {
            fc.in_dtype = TESSEL_F32;
            fc.c = 1;
            fc_describe(&fc);
            compare_with_cpu(ctx, rng, &fc, coeffs);
        }
        free(coeffs);
    }
    return 3;
}

/* ------------------------------------------------------- plans and buffers */

/* A plan's case at the first small size: 2 channels, stride 2 across;
 * described. */
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
    fc_describe(&fc);
    return fc;
}

/* An image whose transform cannot fit the device is planned in tiles, and
 * plan info says so (tiling itself is checked by test_tiles). */
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
    tessel_plan_properties info = {.struct_size = sizeof info};
    if (s != TESSEL_OK)
        tu_fail("600000x600000x4 f32", "%s: \"%s\" (expected a tiled plan)",
                tessel_status_string(s), tessel_context_last_error(ctx));
    else if (tessel_plan_info(plan, &info) != TESSEL_OK || info.tiles_x * info.tiles_y < 2 ||
             !strstr(info.method_reason, "tiled"))
        tu_fail("600000x600000x4 f32", "planned in %dx%d tiles (%s); expected several",
                info.tiles_x, info.tiles_y, info.method_reason ? info.method_reason : "?");
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    return 1;
}

/* Whether the device's OpenCL implementation keeps compiled programs itself
 * (tessel's rule, cl_fft_lib.c), from the platform name in the context's
 * device name, "DEVICE (PLATFORM)". */
static int driver_caches_programs(const tessel_context *ctx)
{
    const char *name = tessel_context_device_name(ctx);
    return strstr(name, "(Portable Computing Language)") || strstr(name, "(NVIDIA") ||
           strstr(name, "(Intel(R) OpenCL Graphics)");
}

/* Compiled FFT kernels stay with the driver where it caches programs itself
 * (PoCL aborts on a damaged clFFT cache file: CLFFT_CACHE_PATH stays unset),
 * else in a "clfft" folder of tessel's cache folder; a path the user named
 * (user_path, read at start) is kept, and tessel's cache turned off is
 * clFFT's too. Checked after plans were made. */
static int test_kernel_cache(tessel_context *ctx, const char *user_path)
{
    const char *now = getenv("CLFFT_CACHE_PATH");
    const char *own = getenv("TESSEL_CACHE_DIR");
    char want[4096] = "";
    if (user_path)
        snprintf(want, sizeof want, "%s", user_path);
    else if (own && *own)
        snprintf(want, sizeof want, "%s/clfft", own);
    const int none = !user_path && ((own && !*own) || driver_caches_programs(ctx));
    if (none) {
        if (now)
            tu_fail("kernel cache", "expected no clFFT cache on %s, yet CLFFT_CACHE_PATH is \"%s\"",
                    tessel_context_device_name(ctx), now);
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
        if (make_matrix_case(&rng, i * 7, SMALL_SIZES[1], &fc)) fc_run_random(ctx, &rng, &fc);
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

/* The cases on one device; the context is destroyed before the threads,
 * so that they set clFFT up afresh. */
static int run_device(tessel_context *ctx, const char *device, uint64_t seed,
                      const void *user_cache_path)
{
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    double t = fc_seconds();
    int cases = 0;
    cases += fc_timed("matrix", test_matrix(ctx, &rng), &t);
    cases += fc_timed("larger kernels", test_larger_kernels(ctx, &rng), &t);
    cases += fc_timed("large kernels", test_large_kernels(ctx, &rng), &t);
    cases += fc_timed("plan reuse",
                      fc_test_plan_reuse(ctx, &rng, reuse_case(TESSEL_U16, TESSEL_U16)), &t);
    cases += fc_timed("buffers", fc_test_buffers(ctx, &rng, reuse_case(TESSEL_F32, TESSEL_F32)),
                      &t);
    cases += fc_timed("too large", test_too_large(ctx), &t);
    cases += fc_timed("kernel cache", test_kernel_cache(ctx, user_cache_path), &t);
    tessel_context_destroy(ctx);
    cases += fc_timed("threads", test_threads(device, seed), &t);
    return cases;
}

int main(void)
{
    const uint64_t seed = fc_seed(20240505);
    /* Copied: tessel may set the variable, and getenv's text may move. */
    static char user_cache_buffer[4096];
    const char *user_cache_path = getenv("CLFFT_CACHE_PATH");
    if (user_cache_path) {
        snprintf(user_cache_buffer, sizeof user_cache_buffer, "%s", user_cache_path);
        user_cache_path = user_cache_buffer;
    }
    return fc_run_devices("test_fft_opencl", TESSEL_METHOD_FFT, HAVE_CLFFT, seed, run_device,
                          user_cache_path);
}
