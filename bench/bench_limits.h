/* What this machine can do at most with a given thread count: the copy
 * bandwidth (memory-bound limit) and the multiply-add rate (compute-bound
 * limit). Each case's throughput is reported as a fraction of these. */
#ifndef TESSEL_BENCH_LIMITS_H
#define TESSEL_BENCH_LIMITS_H

#include <stddef.h>

/* Shared by every limit measurement, here and in bench_cl_limits.c. */
#define BENCH_LIMIT_RUNS 7          /* timed runs per limit; the median is kept */
#define BENCH_FMA_RUN_SECONDS 0.05  /* target length of one multiply-add run */
/* A copy run repeats the copy for at least this long: an image that fits in
 * cache copies in microseconds, where one preemption would dominate. */
#define BENCH_COPY_RUN_SECONDS 0.01
#define BENCH_COPY_MAX_PASSES 100000

/* Bytes per second (read + written) of a threaded memcpy of `bytes` bytes,
 * median of several copies; negative when memory or threads ran out. */
double bench_copy_bandwidth(size_t bytes, int threads);

/* Scalar multiply-adds per second of `threads` threads each running the
 * widest FMA loop of this CPU, median of several runs; *isa receives the
 * instruction set measured. Negative when threads could not be started. */
double bench_fma_rate(int threads, const char **isa);

#endif
