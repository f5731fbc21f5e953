/* The kernels a benchmark case runs: random dense (not rank 1), random
 * rank 1, or one from tessel's built-in library. */
#ifndef TESSEL_BENCH_KERNELS_H
#define TESSEL_BENCH_KERNELS_H

#include "tessel/tessel.h"

/* dense:K, sep:K or a built-in spec; prints why and returns NULL on failure.
 * The random kernels use a fixed seed: every run times the same coefficients. */
tessel_kernel *bench_kernel_from_spec(const char *spec);

/* Prints {"kernel","kw","kh","separable","coeffs":[...]} for spec (the exact
 * coefficients, so other programs can time the same filter). 0 on success. */
int bench_print_kernel(const char *spec);

#endif
