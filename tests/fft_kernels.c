/* Kernels for the frequency-domain tests (see fft_kernels.h). */
#include "fft_kernels.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

float *fk_random_coeffs(tu_rng *rng, int n)
{
    double *drawn = tu_xmalloc((size_t)n * sizeof *drawn);
    float *k = tu_xmalloc((size_t)n * sizeof *k);
    double total = 0.0;
    for (int i = 0; i < n; ++i) total += fabs(drawn[i] = tu_rng_uniform(rng, -0.3, 1.0));
    for (int i = 0; i < n; ++i) k[i] = (float)(drawn[i] / total);
    free(drawn);
    return k;
}

tessel_kernel *fk_random_kernel(tu_rng *rng, int kw, int kh, double *coeffs)
{
    const int n = kw * kh;
    float *f = fk_random_coeffs(rng, n);
    for (int i = 0; i < n; ++i) coeffs[i] = f[i];
    tessel_kernel *k = NULL;
    if (tessel_kernel_create(kw, kh, f, &k) != TESSEL_OK) {
        printf("cannot create a %dx%d kernel: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    free(f);
    return k;
}

float *fk_large_kernel(tu_rng *rng, int n)
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
