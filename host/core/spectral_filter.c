/* Wiener and Tikhonov filters of a kernel spectrum (spectral_filter.h). */
#include "spectral_filter.h"

#include <math.h>

static const double TWO_PI = 6.283185307179586476925286766559;

/* |L|^2 of the 5-point Laplacian at frequency (u, v) of a size_y x size_x
 * transform: its response 2 cos(wu) + 2 cos(wv) - 4 is real. */
static double laplacian_power(size_t u, size_t v, size_t size_y, size_t size_x)
{
    const double l = 2.0 * cos(TWO_PI * (double)u / (double)size_y) +
                     2.0 * cos(TWO_PI * (double)v / (double)size_x) - 4.0;
    return l * l;
}

void tessel_spectral_filter_apply(const tessel_spectral_filter *filter, float *spectrum,
                                  size_t size_y, size_t size_x)
{
    if (filter->kind == TESSEL_SPECTRAL_NONE) return;
    const size_t columns = size_x / 2 + 1;
    const double n = (double)size_y * (double)size_x;
    for (size_t u = 0; u < size_y; ++u) {
        for (size_t v = 0; v < columns; ++v) {
            float *k = spectrum + 2 * (u * columns + v);
            const double re = k[0], im = k[1];
            const double h2 = (re * re + im * im) * n * n; /* |H|^2, H = K* N */
            const double penalty = filter->kind == TESSEL_SPECTRAL_WIENER
                                       ? filter->parameter
                                       : filter->parameter * laplacian_power(u, v, size_y, size_x);
            const double denominator = h2 + penalty;
            /* 0 / 0 only where H and the penalty both vanish: nothing to restore. */
            const double gain = denominator > 0.0 ? 1.0 / denominator : 0.0;
            k[0] = (float)(re * gain);
            k[1] = (float)(im * gain);
        }
    }
}
