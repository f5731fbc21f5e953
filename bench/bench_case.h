/* One benchmark case: a plan for one image size, dtype and kernel, timed
 * over repeated executions and reported as one JSON line. */
#ifndef TESSEL_BENCH_CASE_H
#define TESSEL_BENCH_CASE_H

#include "bench_options.h"

typedef struct bench_machine_limits {
    double copy_bytes_per_s; /* read + written, for a buffer as large as the image */
    double fma_per_s;        /* scalar multiply-adds per second, all threads */
} bench_machine_limits;

/* Runs the case and prints its line on stdout; prints why and returns
 * nonzero when the kernel, the buffers or the plan could not be made. */
int bench_run_case(tessel_context *ctx, const bench_options *o, bench_size size,
                   const char *kernel_spec, const bench_machine_limits *limits);

#endif
