/* What this machine can do at most with a given thread count: the copy
 * bandwidth (memory-bound limit) and the multiply-add rate (compute-bound
 * limit). Each case's throughput is reported as a fraction of these. */
#ifndef TESSEL_BENCH_LIMITS_H
#define TESSEL_BENCH_LIMITS_H

#include <stddef.h>

/* Bytes per second (read + written) of a threaded memcpy of `bytes` bytes,
 * median of several copies; negative when memory or threads ran out. */
double bench_copy_bandwidth(size_t bytes, int threads);

/* Scalar multiply-adds per second of `threads` threads each running the
 * widest FMA loop of this CPU, median of several runs; *isa receives the
 * instruction set measured. Negative when threads could not be started. */
double bench_fma_rate(int threads, const char **isa);

#endif
