/* What an OpenCL device can do at most, measured on the device itself: its
 * copy bandwidth (clEnqueueCopyBuffer) and its multiply-add rate (a kernel of
 * independent fma chains). Built only when tessel has its OpenCL backend. */
#ifndef TESSEL_BENCH_CL_LIMITS_H
#define TESSEL_BENCH_CL_LIMITS_H

#include <stddef.h>

#include "tessel/tessel.h"

typedef struct bench_cl_device bench_cl_device;

/* The OpenCL device, context and queue of a tessel context on the OpenCL
 * backend (retained). NULL, after printing why, when OpenCL fails. */
bench_cl_device *bench_cl_open(const tessel_context *ctx);
void bench_cl_close(bench_cl_device *d);

/* "cpu", "gpu", "accelerator" or "other". */
const char *bench_cl_kind(const bench_cl_device *d);
int bench_cl_compute_units(const bench_cl_device *d);

/* Bytes per second (read + written) of clEnqueueCopyBuffer between two
 * device buffers of `bytes` bytes, timed to clFinish, median of several
 * runs; negative (after printing why) when OpenCL fails. */
double bench_cl_copy_bandwidth(bench_cl_device *d, size_t bytes);

/* Scalar float multiply-adds per second of a kernel that keeps every
 * compute unit busy with independent fma chains, median of several runs;
 * negative (after printing why) when OpenCL fails. */
double bench_cl_fma_rate(bench_cl_device *d);

#endif
