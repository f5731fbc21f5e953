/* The inner loop of every CPU method:
 *   out[e] = sum_t sum_i taps[t*ntaps + i] * rows[t][e + i*tap_step],  0 <= e < n
 * Direct 2-D: nrows = kh, ntaps = kw, tap_step = channels (interleaved pixels).
 * Separable row pass: nrows = 1. Column pass: ntaps = 1.
 * Each rows[t] must hold n + (ntaps-1)*tap_step floats. */
#ifndef TESSEL_CPU_CORRELATE_H
#define TESSEL_CPU_CORRELATE_H

#include <stddef.h>

typedef void (*tessel_correlate_fn)(const float *const *rows, int nrows, const float *taps,
                                    int ntaps, int tap_step, float *out, size_t n);

/* The best variant for this CPU (AVX-512, AVX2+FMA or baseline); isa_name
 * receives its name ("avx512f", "avx2", "baseline"). */
tessel_correlate_fn tessel_correlate_select(const char **isa_name);

#endif
