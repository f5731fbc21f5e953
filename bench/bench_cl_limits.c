/* OpenCL device limits (see bench_cl_limits.h). */
#define CL_TARGET_OPENCL_VERSION 120
#include "bench_cl_limits.h"

#include <CL/cl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_limits.h"
#include "bench_util.h"

#define FMA_CHAINS 8 /* independent chains per work-item, as in FMA_SOURCE */
#define FMA_PROBE_ITERATIONS 64
/* Work-items per compute unit, in multiples of the largest work-group: enough
 * to hide latency on a GPU without making one launch long. */
#define FMA_GROUPS_PER_UNIT 4

struct bench_cl_device {
    cl_device_id device;
    cl_device_type type;
    cl_uint compute_units;
    size_t max_work_group;
    cl_uint vector_width; /* preferred float vector width: 1, 2, 4, 8 or 16 */
    cl_context context;
    cl_command_queue queue;
};

/* REAL is float or floatN, N the device's preferred vector width, so a CPU
 * device fills its SIMD lanes and a GPU runs one lane per work-item. */
static const char FMA_SOURCE[] =
    "#define STEP(x) x = fma(x, m, c)\n"
    "__kernel void fma_chains(__global REAL *sink, int iterations, float m_in, float c_in)\n"
    "{\n"
    "    const REAL m = (REAL)m_in, c = (REAL)c_in;\n"
    "    REAL x0 = (REAL)((float)get_global_id(0) * 1e-7f);\n"
    "    REAL x1 = x0 + 0.125f, x2 = x0 + 0.25f, x3 = x0 + 0.375f, x4 = x0 + 0.5f;\n"
    "    REAL x5 = x0 + 0.625f, x6 = x0 + 0.75f, x7 = x0 + 0.875f;\n"
    "    for (int i = 0; i < iterations; ++i) {\n"
    "        STEP(x0); STEP(x1); STEP(x2); STEP(x3); STEP(x4); STEP(x5); STEP(x6); STEP(x7);\n"
    "    }\n"
    "    sink[get_global_id(0)] = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;\n"
    "}\n";

/* Prints which call failed; returns 1 when it did. */
static int failed(cl_int err, const char *what)
{
    if (err == CL_SUCCESS) return 0;
    fprintf(stderr, "tessel-bench: %s failed (OpenCL error %d)\n", what, (int)err);
    return 1;
}

/* The device is the one tessel's context runs on (read from its queue), and
 * the measurements use that same queue, so they see exactly what tessel sees. */
bench_cl_device *bench_cl_open(const tessel_context *ctx)
{
    void *queue = NULL;
    if (tessel_context_cl_queue(ctx, &queue) != TESSEL_OK) {
        fprintf(stderr, "tessel-bench: %s\n", tessel_last_error());
        return NULL;
    }
    bench_cl_device *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->queue = (cl_command_queue)queue;
    cl_int err = clGetCommandQueueInfo(d->queue, CL_QUEUE_CONTEXT, sizeof d->context, &d->context,
                                       NULL);
    if (!failed(err, "clGetCommandQueueInfo"))
        err = clGetCommandQueueInfo(d->queue, CL_QUEUE_DEVICE, sizeof d->device, &d->device, NULL);
    if (failed(err, "clGetCommandQueueInfo")) {
        free(d);
        return NULL;
    }
    clRetainCommandQueue(d->queue);
    clRetainContext(d->context);
    clGetDeviceInfo(d->device, CL_DEVICE_TYPE, sizeof d->type, &d->type, NULL);
    clGetDeviceInfo(d->device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof d->compute_units,
                    &d->compute_units, NULL);
    clGetDeviceInfo(d->device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof d->max_work_group,
                    &d->max_work_group, NULL);
    clGetDeviceInfo(d->device, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT, sizeof d->vector_width,
                    &d->vector_width, NULL);
    if (d->vector_width != 2 && d->vector_width != 4 && d->vector_width != 8 &&
        d->vector_width != 16)
        d->vector_width = 1;
    return d;
}

void bench_cl_close(bench_cl_device *d)
{
    if (!d) return;
    if (d->queue) clReleaseCommandQueue(d->queue);
    if (d->context) clReleaseContext(d->context);
    free(d);
}

const char *bench_cl_kind(const bench_cl_device *d)
{
    return d->type & CL_DEVICE_TYPE_GPU           ? "gpu"
           : d->type & CL_DEVICE_TYPE_CPU         ? "cpu"
           : d->type & CL_DEVICE_TYPE_ACCELERATOR ? "accelerator"
                                                  : "other";
}

int bench_cl_compute_units(const bench_cl_device *d)
{
    return (int)d->compute_units;
}

/* Seconds for `passes` back-to-back copies, to clFinish; negative on failure. */
static double timed_copies(bench_cl_device *d, cl_mem src, cl_mem dst, size_t bytes, int passes)
{
    double t0 = bench_now();
    for (int p = 0; p < passes; ++p)
        if (failed(clEnqueueCopyBuffer(d->queue, src, dst, 0, 0, bytes, 0, NULL, NULL),
                   "clEnqueueCopyBuffer"))
            return -1.0;
    if (failed(clFinish(d->queue), "clFinish")) return -1.0;
    return bench_now() - t0;
}

/* Touches both buffers so that no timed copy pays for first use. */
static int fill_buffers(bench_cl_device *d, cl_mem src, cl_mem dst, size_t bytes)
{
    const cl_uchar a = 0x5A, b = 0xA5;
    return !failed(clEnqueueFillBuffer(d->queue, src, &a, 1, 0, bytes, 0, NULL, NULL),
                   "clEnqueueFillBuffer") &&
           !failed(clEnqueueFillBuffer(d->queue, dst, &b, 1, 0, bytes, 0, NULL, NULL),
                   "clEnqueueFillBuffer") &&
           !failed(clFinish(d->queue), "clFinish");
}

/* Passes per run (one timed pass scaled to BENCH_COPY_RUN_SECONDS), then the
 * median of BENCH_LIMIT_RUNS runs. */
static double measure_copies(bench_cl_device *d, cl_mem src, cl_mem dst, size_t bytes)
{
    if (!fill_buffers(d, src, dst, bytes) || timed_copies(d, src, dst, bytes, 1) < 0.0)
        return -1.0;
    double one = timed_copies(d, src, dst, bytes, 1);
    if (one < 0.0) return -1.0;
    double scaled = one > 0.0 ? BENCH_COPY_RUN_SECONDS / one : BENCH_COPY_MAX_PASSES;
    int passes = scaled < 1.0                     ? 1
                 : scaled > BENCH_COPY_MAX_PASSES ? BENCH_COPY_MAX_PASSES
                                                  : (int)scaled;
    double seconds[BENCH_LIMIT_RUNS];
    for (int r = 0; r < BENCH_LIMIT_RUNS; ++r)
        if ((seconds[r] = timed_copies(d, src, dst, bytes, passes)) <= 0.0) return -1.0;
    return 2.0 * (double)bytes * passes / bench_median(seconds, BENCH_LIMIT_RUNS);
}

double bench_cl_copy_bandwidth(bench_cl_device *d, size_t bytes)
{
    cl_int err_src, err_dst;
    cl_mem src = clCreateBuffer(d->context, CL_MEM_READ_WRITE, bytes, NULL, &err_src);
    cl_mem dst = clCreateBuffer(d->context, CL_MEM_READ_WRITE, bytes, NULL, &err_dst);
    double rate = -1.0;
    if (!failed(err_src, "clCreateBuffer (copy source)") &&
        !failed(err_dst, "clCreateBuffer (copy destination)"))
        rate = measure_copies(d, src, dst, bytes);
    if (src) clReleaseMemObject(src);
    if (dst) clReleaseMemObject(dst);
    return rate;
}

/* The fma kernel, built for this device; NULL after printing the build log. */
static cl_kernel build_fma_kernel(bench_cl_device *d, cl_program *program)
{
    const char *source = FMA_SOURCE;
    cl_int err;
    *program = clCreateProgramWithSource(d->context, 1, &source, NULL, &err);
    if (failed(err, "clCreateProgramWithSource")) return NULL;
    char options[32] = "-D REAL=float";
    if (d->vector_width > 1)
        snprintf(options, sizeof options, "-D REAL=float%u", (unsigned)d->vector_width);
    err = clBuildProgram(*program, 1, &d->device, options, NULL, NULL);
    if (err != CL_SUCCESS) {
        char log[4096] = "";
        clGetProgramBuildInfo(*program, d->device, CL_PROGRAM_BUILD_LOG, sizeof log - 1, log,
                              NULL);
        fprintf(stderr, "tessel-bench: building the fma kernel failed (%d):\n%s\n", (int)err,
                log);
        return NULL;
    }
    cl_kernel kernel = clCreateKernel(*program, "fma_chains", &err);
    return failed(err, "clCreateKernel") ? NULL : kernel;
}

/* Seconds for one launch of `items` work-items, to clFinish; negative on failure. */
static double timed_fma(bench_cl_device *d, cl_kernel kernel, size_t items, cl_int iterations)
{
    if (failed(clSetKernelArg(kernel, 1, sizeof iterations, &iterations), "clSetKernelArg"))
        return -1.0;
    double t0 = bench_now();
    if (failed(clEnqueueNDRangeKernel(d->queue, kernel, 1, NULL, &items, NULL, 0, NULL, NULL),
               "clEnqueueNDRangeKernel") ||
        failed(clFinish(d->queue), "clFinish"))
        return -1.0;
    return bench_now() - t0;
}

/* Iterations for a run of about BENCH_FMA_RUN_SECONDS, from a warmed-up probe. */
static cl_int calibrated_iterations(bench_cl_device *d, cl_kernel kernel, size_t items)
{
    if (timed_fma(d, kernel, items, FMA_PROBE_ITERATIONS) < 0.0) return -1;
    double probe = timed_fma(d, kernel, items, FMA_PROBE_ITERATIONS);
    if (probe < 0.0) return -1;
    double scaled = probe > 0.0 ? FMA_PROBE_ITERATIONS * BENCH_FMA_RUN_SECONDS / probe : 1e6;
    if (scaled > 1e8) return 100000000;
    return scaled < FMA_PROBE_ITERATIONS ? FMA_PROBE_ITERATIONS : (cl_int)scaled;
}

static double measure_fma(bench_cl_device *d, cl_kernel kernel, cl_mem sink, size_t items)
{
    const cl_float m = 0.999f, c = 0.001f;
    if (failed(clSetKernelArg(kernel, 0, sizeof sink, &sink), "clSetKernelArg") ||
        failed(clSetKernelArg(kernel, 2, sizeof m, &m), "clSetKernelArg") ||
        failed(clSetKernelArg(kernel, 3, sizeof c, &c), "clSetKernelArg"))
        return -1.0;
    cl_int iterations = calibrated_iterations(d, kernel, items);
    if (iterations < 0 || timed_fma(d, kernel, items, iterations) < 0.0) return -1.0;
    double seconds[BENCH_LIMIT_RUNS];
    for (int r = 0; r < BENCH_LIMIT_RUNS; ++r)
        if ((seconds[r] = timed_fma(d, kernel, items, iterations)) <= 0.0) return -1.0;
    double fmas = (double)items * (double)iterations * FMA_CHAINS * d->vector_width;
    return fmas / bench_median(seconds, BENCH_LIMIT_RUNS);
}

double bench_cl_fma_rate(bench_cl_device *d)
{
    size_t units = d->compute_units ? d->compute_units : 1;
    size_t group = d->max_work_group ? d->max_work_group : 64;
    size_t items = units * group * FMA_GROUPS_PER_UNIT;
    cl_program program = NULL;
    cl_kernel kernel = build_fma_kernel(d, &program);
    cl_int err = CL_SUCCESS;
    cl_mem sink = NULL;
    if (kernel)
        sink = clCreateBuffer(d->context, CL_MEM_WRITE_ONLY,
                              items * d->vector_width * sizeof(cl_float), NULL, &err);
    double rate = -1.0;
    if (kernel && !failed(err, "clCreateBuffer (fma sink)"))
        rate = measure_fma(d, kernel, sink, items);
    if (sink) clReleaseMemObject(sink);
    if (kernel) clReleaseKernel(kernel);
    if (program) clReleaseProgram(program);
    return rate;
}
