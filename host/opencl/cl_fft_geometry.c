/* Sizes of the frequency-domain path (see cl_fft_geometry.h). */
#include "cl_fft_geometry.h"

#include <stdint.h>

#include "core/fft_size.h"
#include "core/sizes.h"

/* Up to this length an axis pads to a power of two instead: transforms this
 * small cost next to nothing to run, but each distinct pair of lengths is a
 * set of clFFT kernels to compile (seconds each on PoCL), and powers of two
 * make far fewer pairs (a varied test matrix: 58 pairs instead of 197). */
#define POWER_OF_TWO_UP_TO 64

static size_t transform_length(size_t n)
{
    if (n > POWER_OF_TWO_UP_TO) {
        int smooth = tessel_fft_smooth_size((int)n); /* n is an int extent */
        return smooth > 0 ? (size_t)smooth : SIZE_MAX; /* SIZE_MAX: no device holds it */
    }
    size_t p = 1;
    while (p < n) p *= 2;
    return p;
}

/* Extent of E along one axis: the last needed dense output plus the kernel. */
static int extended_extent(int out, int stride, int kernel)
{
    return (out - 1) * stride + kernel; /* <= dense + kernel - 1, an int by geometry.c */
}

void tessel_cl_fft_geometry_make(const tessel_plan *plan, tessel_cl_fft_geometry *g)
{
    const tessel_geometry *geo = &plan->geo;
    g->ext_w = extended_extent(geo->out_width, geo->stride_x, geo->kernel_width);
    g->ext_h = extended_extent(geo->out_height, geo->stride_y, geo->kernel_height);
    g->pad_w = transform_length((size_t)g->ext_w);
    g->pad_h = transform_length((size_t)g->ext_h);
    g->spec_w = g->pad_w / 2 + 1;
    g->planes = plan->channels;
    const size_t complex_bytes = 2 * sizeof(float);
    const size_t planes = (size_t)g->planes;
    g->real_bytes =
        tessel_size_mul_sat(tessel_size_mul_sat(planes * sizeof(float), g->pad_h), g->pad_w);
    g->kernel_bytes =
        tessel_size_mul_sat(tessel_size_mul_sat(complex_bytes, g->pad_h), g->spec_w);
    g->spec_bytes = tessel_size_mul_sat(planes, g->kernel_bytes);
}
