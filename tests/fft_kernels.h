/* Kernels for the frequency-domain tests: random coefficients that keep
 * outputs in range, and dense large kernels. */
#ifndef TESSEL_TESTS_FFT_KERNELS_H
#define TESSEL_TESTS_FFT_KERNELS_H

#include "test_util.h"

/* n coefficients (malloc'ed) with sum |k| = 1, mostly positive, so integer
 * outputs stay in range. */
float *fk_random_coeffs(tu_rng *rng, int n);

/* The same as a kw x kh kernel; coeffs (kw * kh doubles) gets the
 * coefficients as the library sees them (floats). Exits the test when the
 * kernel cannot be made. */
tessel_kernel *fk_random_kernel(tu_rng *rng, int kw, int kh, double *coeffs);

/* An n x n kernel (malloc'ed): a Gaussian-like bump times random ripples,
 * sum 1. */
float *fk_large_kernel(tu_rng *rng, int n);

#endif
