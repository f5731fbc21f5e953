/* Small helpers shared by the benchmark: clock, statistics, random numbers,
 * JSON strings. */
#ifndef TESSEL_BENCH_UTIL_H
#define TESSEL_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Median of n values (n >= 1); sorts the array in place. */
double bench_median(double *values, int n);
/* Smallest of n values (n >= 1). */
double bench_min(const double *values, int n);

/* splitmix64: a small, fixed-seed generator so every run sees the same data. */
typedef struct bench_rng {
    uint64_t state;
} bench_rng;

uint64_t bench_rng_next(bench_rng *rng);
/* Uniform in [lo, hi). */
float bench_rng_float(bench_rng *rng, float lo, float hi);

/* Writes s as a JSON string literal (quotes and escapes included). */
void bench_json_string(FILE *out, const char *s);

#endif
