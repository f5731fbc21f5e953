/* Blocks and groups of method fft-block (see cl_fft_block_geometry.h). */
#include "cl_fft_block_geometry.h"

#include <limits.h>

#define BLOCK_PER_KERNEL 8 /* block side in kernel sides, before the bounds */
#define MIN_BLOCK 128
#define MAX_BLOCK 1024

static long long power_of_two_at_least(long long n)
{
    long long p = 1;
    while (p < n) p *= 2;
    return p;
}

/* B along one axis: kernel extent k, extended input extent ext (>= k).
 * Both bounds keep V = B - k + 1 >= 1: B >= 2k, or B >= ext >= k. */
static long long block_side(int k, long long ext)
{
    long long side = power_of_two_at_least((long long)BLOCK_PER_KERNEL * k);
    if (side < MIN_BLOCK) side = MIN_BLOCK;
    if (side > MAX_BLOCK) side = MAX_BLOCK;
    if (side < 2LL * k) side = power_of_two_at_least(2LL * k);
    const long long whole = power_of_two_at_least(ext);
    return whole < side ? whole : side;
}

typedef struct axis {
    long long block, step, blocks;
} axis;

/* The blocks along an axis of out outputs at stride s, kernel extent k. */
static axis make_axis(int out, int s, int k)
{
    const long long needed = (long long)(out - 1) * s + 1; /* dense outputs read */
    axis a;
    a.block = block_side(k, needed + k - 1);
    a.step = a.block - k + 1;
    a.blocks = (needed + a.step - 1) / a.step;
    return a;
}

static long long ceil_div(long long a, long long b)
{
    return (a + b - 1) / b;
}

/* Planes per transform: as many as the budget holds (at least one; a plane
 * takes its real plane, two spectra and clFFT's temporary), then spread
 * evenly over the groups that needs; or the forced count. Each group's
 * buffers stay within max_alloc (which holds one spectrum). */
static long long batch_size(long long planes, size_t real_plane, size_t spec_plane,
                            const tessel_cl_fft_block_limits *limits)
{
    const long long alloc_fit = (long long)(limits->max_alloc / spec_plane); /* spectrum >= plane */
    if (limits->forced_batch > 0)
        return limits->forced_batch < alloc_fit ? limits->forced_batch : alloc_fit;
    long long fit = (long long)(limits->budget / (real_plane + 3 * spec_plane));
    if (fit > alloc_fit) fit = alloc_fit;
    if (fit < 1) fit = 1;
    if (fit >= planes) return planes;
    return ceil_div(planes, ceil_div(planes, fit));
}

tessel_status tessel_cl_fft_block_geometry_make(tessel_context *ctx, const tessel_geometry *geo,
                                                int channels,
                                                const tessel_cl_fft_block_limits *limits,
                                                tessel_cl_fft_block_geometry *g)
{
    const axis x = make_axis(geo->out_width, geo->stride_x, geo->kernel_width);
    const axis y = make_axis(geo->out_height, geo->stride_y, geo->kernel_height);
    const long long planes = x.blocks * y.blocks * channels; /* blocks < 2^30 a side */
    const size_t spec_w = (size_t)x.block / 2 + 1;
    const size_t real_plane = (size_t)x.block * (size_t)y.block * sizeof(float);
    const size_t spec_plane = spec_w * (size_t)y.block * 2 * sizeof(float);
    RETURN_ERROR_IF(spec_plane > limits->max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft-block needs a spectrum buffer of %zu MiB for one %lldx%lld "
                    "block but the device's largest allocation is %zu MiB",
                    spec_plane >> 20, x.block, y.block, limits->max_alloc >> 20);
    const long long batch = batch_size(planes, real_plane, spec_plane, limits);
    const long long groups = ceil_div(planes, batch);
    /* Plane numbers, the padding of the last group's included, are ints on the device. */
    RETURN_ERROR_IF(groups * batch > INT_MAX, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft-block: %lldx%lld blocks of %lldx%lld in %d channel(s) are too "
                    "many",
                    x.blocks, y.blocks, x.block, y.block, channels);
    g->block_w = (int)x.block;
    g->block_h = (int)y.block;
    g->step_w = (int)x.step;
    g->step_h = (int)y.step;
    g->blocks_x = (int)x.blocks;
    g->blocks_y = (int)y.blocks;
    g->planes = (int)planes;
    g->batch = (int)batch;
    g->groups = (int)groups;
    g->spec_w = spec_w;
    g->real_bytes = real_plane * (size_t)batch;
    g->spec_bytes = spec_plane * (size_t)batch;
    g->kernel_bytes = spec_plane;
    return TESSEL_OK;
}
