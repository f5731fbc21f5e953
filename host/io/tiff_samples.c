/* Samples from libtiff's buffers into tessel images: interleaved rows are
 * copied as they are; separate planes are spread into their channel; 64-bit
 * floats are narrowed to f32. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tiff_io.h"

/* The nearest float; beyond float's range, the infinity of that sign (a
 * plain conversion of such a double is undefined behaviour). */
static float narrow(double v)
{
    if (v > FLT_MAX) return INFINITY;
    if (v < -FLT_MAX) return -INFINITY;
    return (float)v;
}

static void place_doubles(float *dst, int channels, int first, const unsigned char *src,
                          int step, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        for (int s = 0; s < step; ++s) {
            double v;
            memcpy(&v, src + (i * (size_t)step + (size_t)s) * sizeof v, sizeof v);
            dst[i * (size_t)channels + (size_t)(first + s)] = narrow(v);
        }
    }
}

void tessel_tiff_place_samples(void *dst, int channels, int first, tessel_dtype dtype,
                               const void *src, int step, int file_bytes, size_t n)
{
    size_t size = tessel_dtype_size(dtype);
    if (file_bytes == 8) {
        place_doubles(dst, channels, first, src, step, n);
        return;
    }
    if (step == channels) { /* interleaved: the row as it is */
        memcpy(dst, src, n * (size_t)channels * size);
        return;
    }
    /* one plane of a separate-planes file (step 1), or fewer samples than
     * channels: typed loops, which the compiler keeps tight */
    size_t k = (size_t)step, c = (size_t)channels, f = (size_t)first;
    if (size == 1) {
        const uint8_t *in = src;
        uint8_t *out = dst;
        for (size_t i = 0; i < n; ++i)
            for (size_t s = 0; s < k; ++s) out[i * c + f + s] = in[i * k + s];
    } else if (size == 2) {
        const uint16_t *in = src;
        uint16_t *out = dst;
        for (size_t i = 0; i < n; ++i)
            for (size_t s = 0; s < k; ++s) out[i * c + f + s] = in[i * k + s];
    } else {
        const uint32_t *in = src; /* f32 bits, copied exactly */
        uint32_t *out = dst;
        for (size_t i = 0; i < n; ++i)
            for (size_t s = 0; s < k; ++s) out[i * c + f + s] = in[i * k + s];
    }
}
