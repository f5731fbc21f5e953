/* The OpenCL backend's side of the cost model (core/cost_model.h): the
 * work terms of each method counted as this backend runs them. */
#include <stdint.h>
#include <stdio.h>

#include "../core/cost_profile.h"
#include "cl_common.h"
#ifdef TESSEL_HAVE_CLFFT
#include "cl_fft_block.h"
#include "cl_fft_geometry.h"
#endif

/* Output rows one work-item computes (VECTOR_ROWS in cl_launch.c for CPU
 * devices, the tile's rows on others): each item applies
 * (rows - 1) * sy + kh tap rows, zero-padded ones included, for every
 * output row it computes. */
#define ITEM_ROWS 4

static double tap_rows(int kernel_height, int stride_y)
{
    return (double)(ITEM_ROWS - 1) * stride_y + kernel_height;
}

static void direct_work(const tessel_plan *plan, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    const double samples = (double)g->out_height * g->out_width * plan->channels;
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = samples;
    w->term[2] = samples * tap_rows(g->kernel_height, g->stride_y) * g->kernel_width;
}

/* Row pass (a 1-row kernel, stride 1) into the float temporary of every
 * input row the outputs read, then the column pass (cl_backend.c). */
static void separable_work(const tessel_plan *plan, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    const double row = (double)g->out_width * plan->channels;
    const double temp_rows = (double)(g->out_height - 1) * g->stride_y + g->kernel_height;
    const double row_pass = temp_rows * row, column_pass = (double)g->out_height * row;
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = row_pass + column_pass;
    w->term[2] = row_pass * tap_rows(1, 1) * g->kernel_width +
                 column_pass * tap_rows(g->kernel_height, g->stride_y);
}

#ifdef TESSEL_HAVE_CLFFT
/* One batched transform of every channel at the lengths cl_fft_geometry.c
 * pads to. */
static void fft_work(const tessel_plan *plan, tessel_cost_work *w)
{
    cl_fft_geometry g;
    tessel_cl_fft_geometry_make(plan, &g);
    if (g.real_bytes == SIZE_MAX) return;
    const double points = (double)g.pad_w * (double)g.pad_h, planes = g.planes;
    const double log_work = points * (tessel_cost_fft_stages((long long)g.pad_w) +
                                      tessel_cost_fft_stages((long long)g.pad_h));
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = planes * points;
    w->term[2] = planes * log_work;
    w->term[3] = planes * log_work * tessel_cost_spill(points);
}

/* The blocks and groups cl_fft_block.c makes for the device's limits; the
 * last group is padded with zero planes, which are transformed too. */
static void fft_block_work(const tessel_plan *plan, tessel_cost_work *w)
{
    const cl_state *cl = plan->ctx->backend_state;
    const cl_fft_block_limits limits = tessel_cl_fft_block_limits(cl);
    cl_fft_block_geometry g;
    /* A shape the device cannot hold is not a candidate; the message the
     * geometry records on this thread is no failure of the caller's. */
    char kept[TESSEL_MESSAGE_SIZE];
    snprintf(kept, sizeof kept, "%s", tessel_last_error());
    tessel_status s = tessel_cl_fft_block_geometry_make(NULL, &plan->geo, plan->channels,
                                                        &limits, &g);
    if (s != TESSEL_OK) {
        tessel_fail(NULL, TESSEL_OK, "%s", kept);
        return;
    }
    const double planes = (double)g.groups * g.batch;
    const double points = (double)g.block_w * g.block_h;
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = g.groups;
    w->term[2] = planes * points;
    w->term[3] = planes * points *
                 (tessel_cost_fft_stages(g.block_w) + tessel_cost_fft_stages(g.block_h));
}
#endif

void tessel_cl_cost_work(const tessel_plan *plan, tessel_method method, tessel_cost_work *out)
{
    if (method == TESSEL_METHOD_DIRECT) direct_work(plan, out);
    else if (method == TESSEL_METHOD_SEPARABLE) separable_work(plan, out);
#ifdef TESSEL_HAVE_CLFFT
    else if (method == TESSEL_METHOD_FFT) fft_work(plan, out);
    else if (method == TESSEL_METHOD_FFT_BLOCK) fft_block_work(plan, out);
#endif
}

/* CPU devices (PoCL and the like): what `tessel tune --device opencl`
 * fitted (Release build, the second of two runs; they differed up to 2x
 * while other work shared the machine) with PoCL 3.1 on a 2-core Intel Xeon
 * (Sapphire Rapids, AVX-512) and clFFT 2.12. */
static const tessel_cost_constants cpu_device_defaults = {{
    {2.75e-5, 8.19e-10, 1.27e-11, 0.0},   /* direct: run, sample, sample-tap */
    {2.63e-5, 3.95e-10, 1.82e-11, 0.0},   /* separable: run, sample, sample-tap */
    {2.57e-5, 2.11e-8, 8.7e-10, 4.28e-10}, /* fft: run, point, point-stage, spill */
    {3.86e-6, 0.0, 0.0, 1.91e-9},         /* fft-block: run, group, point, point-stage */
}};

/* GPUs and other devices: not measured, guesses that lean towards the
 * exact methods: taps at about 1 TFMA/s, clFFT at about 100 Gflop/s,
 * passes over memory at about 100 GB/s, tens of microseconds per launch
 * (real GPUs are faster at all of it). 'tessel tune' measures the device. */
static const tessel_cost_constants gpu_defaults = {{
    {2e-5, 2e-11, 1e-12, 0.0},    /* direct */
    {4e-5, 4e-11, 1e-12, 0.0},    /* separable */
    {1e-4, 1e-10, 5e-11, 0.0},    /* fft */
    {1e-4, 2e-5, 1e-10, 5e-11},   /* fft-block */
}};

const char *tessel_cl_cost_defaults(const tessel_context *ctx, tessel_cost_constants *k)
{
    const cl_state *cl = ctx->backend_state;
    if (cl->caps.type & CL_DEVICE_TYPE_CPU) {
        *k = cpu_device_defaults;
        return "default constants for CPU devices";
    }
    *k = gpu_defaults;
    return "conservative GPU defaults";
}
