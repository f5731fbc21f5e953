/* Method fft-block (overlap-save blocks through batched clFFT) on the
 * OpenCL backend, on every OpenCL device present: the block and group
 * arithmetic on its own (no device), then every mode x border x correlate
 * with strides, anchors, dtype pairs, 1-4 channels, row layouts, odd, even
 * and non-square kernels and scale/offset/absolute on images of several
 * blocks per axis with partial last blocks; kernels larger than the image;
 * 1-row signals; 31x31 and 63x63 kernels; plan reuse; buffers. Results are
 * held to the FFT tolerance (tu_compare_rms) against the double-precision
 * reference.
 *
 * PoCL compiles every clFFT plan shape the first time (seconds each), so
 * most cases force 5 planes per transform (many groups, the last padded)
 * and are sized so that their blocks are 128x128; the rest use few sizes.
 * Exits 77 (CTest: skipped) only when no OpenCL device exists. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_cases.h"
#include "fft_kernels.h"
#include "test_util.h"

#ifdef TESSEL_HAVE_CLFFT /* the build has clFFT: method fft-block must work */
#define HAVE_CLFFT 1
#include "core/geometry.h"
#include "opencl/cl_fft_block.h"
#include "opencl/cl_fft_block_geometry.h"
#else
#define HAVE_CLFFT 0
#endif

#define FORCED_BATCH 5 /* planes per transform in most cases: odd, so groups split blocks */

/* ------------------------------------------------------------------ cases */

static fft_case new_case(int w, int h, int c, int kw, int kh)
{
    fft_case bc;
    memset(&bc, 0, sizeof bc);
    bc.w = w;
    bc.h = h;
    bc.c = c;
    bc.kw = kw;
    bc.kh = kh;
    bc.in_dtype = bc.out_dtype = TESSEL_F32;
    bc.o.method = TESSEL_METHOD_FFT_BLOCK;
    return bc;
}

/* ------------------------------------------------------- block arithmetic */

#if HAVE_CLFFT
static long long power_of_two_at_least(long long n)
{
    long long p = 1;
    while (p < n) p *= 2;
    return p;
}

/* One axis of g against the contract of cl_fft_block_geometry.h: blocks of
 * a power-of-two side B >= k, no longer than the power of two holding the
 * whole extended input (so 1 for a 1-row image), step by V = B - k + 1 and
 * cover exactly the dense outputs the strided output reads. */
static int axis_ok(int block, int step, int blocks, int k, int out, int stride, char *why,
                   size_t size)
{
    const long long needed = (long long)(out - 1) * stride + 1;
    const long long twice = power_of_two_at_least(2LL * k);
    const long long longest = twice > 1024 ? twice : 1024;
    const long long whole = power_of_two_at_least(needed + k - 1);
    if (block < k || step != block - k + 1 || block != power_of_two_at_least(block) ||
        block > longest || block > whole)
        snprintf(why, size, "block %d, step %d for kernel %d and %lld dense outputs", block, step,
                 k, needed);
    else if ((long long)(blocks - 1) * step >= needed || (long long)blocks * step < needed)
        snprintf(why, size, "%d blocks of step %d for %lld dense outputs", blocks, step, needed);
    else
        return 1;
    return 0;
}

/* Groups cover the planes, the budget holds (unless one plane is over it),
 * every buffer fits max_alloc, a forced batch is obeyed as far as that
 * allows, and automatic groups are balanced. */
static int groups_ok(const tessel_cl_fft_block_geometry *g, int channels,
                     const tessel_cl_fft_block_limits *l, char *why, size_t size)
{
    const size_t spec_plane = g->kernel_bytes;
    const size_t real_plane = (size_t)g->block_w * g->block_h * sizeof(float);
    const size_t per_plane = real_plane + 2 * spec_plane;
    const size_t spectra_fit = l->max_alloc / spec_plane; /* a forced batch stops there */
    const int forced = (size_t)l->forced_batch < spectra_fit ? l->forced_batch : (int)spectra_fit;
    if (g->planes != g->blocks_x * g->blocks_y * channels)
        snprintf(why, size, "%d planes for %dx%d blocks of %d channels", g->planes, g->blocks_x,
                 g->blocks_y, channels);
    else if ((long long)g->groups * g->batch < g->planes ||
             (long long)(g->groups - 1) * g->batch >= g->planes)
        snprintf(why, size, "%d groups of %d for %d planes", g->groups, g->batch, g->planes);
    else if (g->spec_bytes > l->max_alloc || g->spec_bytes != spec_plane * g->batch ||
             g->real_bytes != real_plane * g->batch)
        snprintf(why, size, "buffers of %zu and %zu bytes (largest %zu)", g->real_bytes,
                 g->spec_bytes, l->max_alloc);
    else if (l->forced_batch ? g->batch != forced
                             : g->batch > 1 && per_plane * g->batch > l->budget)
        snprintf(why, size, "batch %d of %zu-byte planes (budget %zu, forced %d)", g->batch,
                 per_plane, l->budget, l->forced_batch);
    else if (!l->forced_batch && g->groups > 1 &&
             (long long)(g->batch - 1) * g->groups >= g->planes)
        snprintf(why, size, "%d groups of %d for %d planes are not balanced", g->groups, g->batch,
                 g->planes);
    else
        return 1;
    return 0;
}

/* Random geometries through the block arithmetic, small and huge, with
 * small budgets; and a device whose largest buffer holds no spectrum. */
static int test_block_arithmetic(tu_rng *rng)
{
    int cases = 0;
    for (int i = 0; i < 400; ++i, ++cases) {
        const int big = i % 10 == 0;
        tessel_conv_options o = {0}, resolved;
        o.mode = (tessel_mode)(i % 3);
        o.stride_x = tu_rng_int(rng, 1, 4);
        o.stride_y = tu_rng_int(rng, 1, 4);
        const int w = tu_rng_int(rng, 1, big ? 600000 : 3000);
        const int h = i % 7 == 0 ? 1 : tu_rng_int(rng, 1, big ? 600000 : 3000);
        const int kw = tu_rng_int(rng, 1, big ? 4096 : 300);
        const int kh = h == 1 && i % 2 ? 1 : tu_rng_int(rng, 1, big ? 4096 : 300);
        const int channels = tu_rng_int(rng, 1, 4);
        tessel_geometry geo;
        char err[256], why[256] = "";
        if (tessel_options_resolve(&o, &resolved, err, sizeof err) != TESSEL_OK ||
            tessel_geometry_make(w, h, kw, kh, &resolved, &geo, err, sizeof err) != TESSEL_OK)
            continue; /* e.g. valid mode with a kernel larger than the image */
        tessel_cl_fft_block_limits limits;
        limits.budget = (size_t)1 << tu_rng_int(rng, 16, 28);
        limits.max_alloc = (size_t)1 << tu_rng_int(rng, 27, 34);
        limits.forced_batch = i % 5 == 0 ? tu_rng_int(rng, 1, 7) : 0;
        tessel_cl_fft_block_geometry g;
        tessel_status s = tessel_cl_fft_block_geometry_make(NULL, &geo, channels, &limits, &g);
        if (s != TESSEL_OK) {
            if (s != TESSEL_ERR_UNSUPPORTED || !strstr(tessel_last_error(), "fft-block"))
                snprintf(why, sizeof why, "%s: %s", tessel_status_string(s), tessel_last_error());
        } else if (axis_ok(g.block_w, g.step_w, g.blocks_x, kw, geo.out_width, geo.stride_x, why,
                           sizeof why)) {
            if (axis_ok(g.block_h, g.step_h, g.blocks_y, kh, geo.out_height, geo.stride_y, why,
                        sizeof why))
                groups_ok(&g, channels, &limits, why, sizeof why);
        }
        if (why[0])
            tu_fail("block arithmetic", "%dx%dx%d, kernel %dx%d, %s, stride %d,%d: %s", w, h,
                    channels, kw, kh, tessel_mode_name(o.mode), o.stride_x, o.stride_y, why);
    }
    /* One 8192-wide block's spectrum is 256 MiB: more than this device holds. */
    tessel_conv_options o = {0}, resolved;
    tessel_geometry geo;
    char err[256];
    tessel_options_resolve(&o, &resolved, err, sizeof err);
    tessel_geometry_make(9000, 9000, 4096, 4096, &resolved, &geo, err, sizeof err);
    tessel_cl_fft_block_limits small = {(size_t)128 << 20, (size_t)64 << 20, 0};
    tessel_cl_fft_block_geometry g;
    tessel_status s = tessel_cl_fft_block_geometry_make(NULL, &geo, 1, &small, &g);
    if (s != TESSEL_ERR_UNSUPPORTED || !strstr(tessel_last_error(), "MiB"))
        tu_fail("block arithmetic", "a 4096x4096 kernel on a 64 MiB device: %s: \"%s\"",
                tessel_status_string(s), tessel_last_error());
    return cases + 1;
}
#endif

/* ----------------------------------------------------------------- matrix */

static const tessel_dtype DTYPES[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};

/* 3 modes x 5 borders x correlate; kernels up to 16 on images of 130-300
 * samples a side: 128x128 blocks, one to three per axis, the last partial. */
static int test_matrix(tessel_context *ctx, tu_rng *rng)
{
    for (int i = 0; i < 30; ++i) {
        fft_case bc = new_case(tu_rng_int(rng, 130, 300), tu_rng_int(rng, 130, 220), i % 4 + 1,
                               tu_rng_int(rng, 1, 16), tu_rng_int(rng, 1, 16));
        bc.in_dtype = DTYPES[i % 3];
        bc.out_dtype = DTYPES[i / 3 % 3];
        bc.in_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
        bc.out_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
        fc_random_options(rng, &bc, i);
        fc_random_anchor(rng, &bc);
        fc_random_scaling(rng, &bc);
        fc_run_random(ctx, rng, &bc);
    }
    return 30;
}

/* Kernels larger than the image, down to a 1x1 image, in every border:
 * one 64x32 block (the extended input's power of two), padded batches. */
static int test_larger_kernels(tessel_context *ctx, tu_rng *rng)
{
    static const struct {
        tessel_mode mode;
        int w, h, kw, kh;
        tessel_border border;
    } edge[5] = {{TESSEL_MODE_SAME, 1, 1, 40, 20, TESSEL_BORDER_REFLECT},
                 {TESSEL_MODE_SAME, 20, 12, 30, 20, TESSEL_BORDER_WRAP},
                 {TESSEL_MODE_SAME, 9, 5, 50, 25, TESSEL_BORDER_NEAREST},
                 {TESSEL_MODE_FULL, 10, 4, 20, 12, TESSEL_BORDER_MIRROR},
                 {TESSEL_MODE_FULL, 7, 3, 25, 14, TESSEL_BORDER_CONSTANT}};
    for (int i = 0; i < 5; ++i) {
        fft_case bc = new_case(edge[i].w, edge[i].h, i % 4 + 1, edge[i].kw, edge[i].kh);
        bc.o.mode = edge[i].mode;
        bc.o.border = edge[i].border;
        bc.o.cval = 0.75;
        bc.o.correlate = i % 2;
        bc.in_dtype = DTYPES[i % 3];
        bc.in_layout = TU_VIEW;
        bc.out_layout = TU_PADDED;
        fc_run_random(ctx, rng, &bc);
    }
    return 5;
}

/* count 1-row signals: blocks one row high, 128 long. */
static int test_rows(tessel_context *ctx, tu_rng *rng, int count)
{
    for (int i = 0; i < count; ++i) {
        fft_case bc =
            new_case(tu_rng_int(rng, 1000, 3000), 1, i % 2 + 1, tu_rng_int(rng, 1, 16), 1);
        bc.o.mode = (tessel_mode)(i % 3);
        bc.o.border = (tessel_border)((i + 1) % 5);
        bc.o.cval = -0.5;
        bc.o.correlate = i % 2;
        bc.o.stride_x = i == 2 ? 3 : 1;
        bc.in_dtype = DTYPES[i % 3];
        bc.in_layout = (tu_layout)(i % TU_LAYOUT_COUNT);
        fc_run_random(ctx, rng, &bc);
    }
    return count;
}

/* 31x31 (2x2 blocks of 256x256) and 63x63 (2x1 blocks of 512x256: the
 * extended input's height is under 256), with the automatic batch: every
 * plane in one transform. */
static int test_large_kernels(tessel_context *ctx, tu_rng *rng)
{
    static const struct {
        int w, h, side, c;
        tessel_dtype in, out;
    } large[2] = {{300, 250, 31, 2, TESSEL_U8, TESSEL_U8}, {460, 100, 63, 1, TESSEL_U16, TESSEL_F32}};
    for (int i = 0; i < 2; ++i) {
        fft_case bc = new_case(large[i].w, large[i].h, large[i].c, large[i].side, large[i].side);
        bc.o.border = i ? TESSEL_BORDER_MIRROR : TESSEL_BORDER_REFLECT;
        bc.in_dtype = large[i].in;
        bc.out_dtype = large[i].out;
        bc.in_layout = TU_PADDED;
        bc.out_layout = TU_VIEW;
        fc_describe(&bc);
        float *coeffs = fk_large_kernel(rng, bc.kw);
        fc_run(ctx, NULL, rng, &bc, coeffs);
        free(coeffs);
    }
    return 2;
}

/* ------------------------------------------------------- plans and buffers */

/* A plan's case: 3 channels, 2x2 blocks of 128x128, stride 2 across;
 * described. */
static fft_case reuse_case(tessel_dtype in, tessel_dtype out)
{
    fft_case bc = new_case(211, 150, 3, 6, 7);
    bc.o.border = TESSEL_BORDER_WRAP;
    bc.o.stride_x = 2;
    bc.in_dtype = in;
    bc.out_dtype = out;
    fc_describe(&bc);
    return bc;
}

/* -------------------------------------------------------------------- main */

/* Sets the planes per transform where the build has the knob. */
static void force_batch(int planes)
{
#if HAVE_CLFFT
    tessel_cl_fft_block_force_batch(planes);
#else
    (void)planes;
#endif
}

static int run_device(tessel_context *ctx, const char *device, uint64_t seed, const void *user)
{
    (void)device;
    (void)user;
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    double t = fc_seconds();
    int cases = 0;
    force_batch(FORCED_BATCH);
    cases += fc_timed("matrix", test_matrix(ctx, &rng), &t);
    cases += fc_timed("larger kernels", test_larger_kernels(ctx, &rng), &t);
    cases += fc_timed("rows", test_rows(ctx, &rng, 4), &t);
    cases += fc_timed("plan reuse",
                      fc_test_plan_reuse(ctx, &rng, reuse_case(TESSEL_U16, TESSEL_U16)), &t);
    cases += fc_timed("buffers", fc_test_buffers(ctx, &rng, reuse_case(TESSEL_F32, TESSEL_F32)),
                      &t);
    force_batch(0);
    cases += fc_timed("large kernels", test_large_kernels(ctx, &rng), &t);
    cases += fc_timed("row, one batch", test_rows(ctx, &rng, 1), &t);
    tessel_context_destroy(ctx);
    return cases;
}

int main(void)
{
    const uint64_t seed = fc_seed(20240611);
#if HAVE_CLFFT
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    printf("test_fft_block_opencl: block arithmetic, %d cases\n", test_block_arithmetic(&rng));
#endif
    return fc_run_devices("test_fft_block_opencl", TESSEL_METHOD_FFT_BLOCK, HAVE_CLFFT, seed,
                          run_device, NULL);
}
