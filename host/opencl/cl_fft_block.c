/* Method fft-block on the OpenCL backend (see cl_fft_block.h). */
#include "cl_fft_block.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cl_fft_block_kernels.h"
#include "cl_fft_spectral.h"

/* Work buffers of one group: enough planes per transform to keep a GPU
 * busy, few enough to leave the device's memory to the application. */
#define WORK_BUDGET ((size_t)128 << 20)

static int forced_batch; /* tessel_cl_fft_block_force_batch */

struct tessel_cl_fft_block {
    tessel_cl_fft_block_geometry g;
    tessel_cl_fft_spectral spectral; /* its planes: a group's block windows, then their results */
    tessel_cl_fft_block_kernels kernels;
};

void tessel_cl_fft_block_describe(const tessel_cl_fft_block *fb, char *out, size_t size)
{
    const tessel_cl_fft_block_geometry *g = &fb->g;
    snprintf(out, size,
             "clFFT blocks of %dx%d (%dx%d outputs each), %d plane(s) in %d group(s) of %d, out "
             "of place",
             g->block_w, g->block_h, g->step_w, g->step_h, g->planes, g->groups, g->batch);
}

void tessel_cl_fft_block_force_batch(int planes)
{
    forced_batch = planes > 0 ? planes : 0;
}

tessel_cl_fft_block_limits tessel_cl_fft_block_limits_of(const tessel_cl_state *cl)
{
    tessel_cl_fft_block_limits limits;
    const cl_ulong quarter = cl->caps.global_mem / 4;
    limits.budget = quarter < WORK_BUDGET ? (size_t)quarter : WORK_BUDGET;
    limits.max_alloc = cl->caps.max_alloc < SIZE_MAX ? (size_t)cl->caps.max_alloc : SIZE_MAX;
    limits.forced_batch = forced_batch;
    return limits;
}

static tessel_status prepare(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft_block *fb)
{
    tessel_context *ctx = plan->ctx;
    const tessel_cl_fft_block_limits limits = tessel_cl_fft_block_limits_of(cl);
    FORWARD_IF_ERROR(
        tessel_cl_fft_block_geometry_make(ctx, &plan->geo, plan->channels, &limits, &fb->g));
    const tessel_cl_fft_block_geometry *g = &fb->g;
    const size_t total = g->real_bytes + 2 * g->spec_bytes + g->kernel_bytes;
    RETURN_ERROR_IF(total > cl->caps.global_mem, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft-block needs %zu MiB of buffers for %d plane(s) of %dx%d but the "
                    "device has %llu MiB",
                    total >> 20, g->batch, g->block_w, g->block_h,
                    (unsigned long long)(cl->caps.global_mem >> 20));
    tessel_log(ctx, TESSEL_LOG_DEBUG,
               "opencl fft-block: %dx%d blocks of %dx%d (%dx%d outputs each), %d plane(s) in "
               "%d group(s) of %d",
               g->blocks_x, g->blocks_y, g->block_w, g->block_h, g->step_w, g->step_h, g->planes,
               g->groups, g->batch);
    FORWARD_IF_ERROR(tessel_clfft_acquire_user(ctx, cl));
    const tessel_cl_fft_spectral_size size = {.method = "fft-block",
                                              .pad_w = (size_t)g->block_w,
                                              .pad_h = (size_t)g->block_h,
                                              .batch = g->batch,
                                              .spec_w = g->spec_w,
                                              .real_bytes = g->real_bytes,
                                              .spec_bytes = g->spec_bytes,
                                              .kernel_bytes = g->kernel_bytes};
    FORWARD_IF_ERROR(tessel_cl_fft_spectral_prepare(plan, cl, &size, &fb->spectral));
    return tessel_cl_fft_block_kernels_prepare(ctx, cl, plan, g, &fb->kernels);
}

tessel_status tessel_cl_fft_block_prepare(tessel_plan *plan, tessel_cl_state *cl,
                                          tessel_cl_fft_block **out)
{
    *out = calloc(1, sizeof **out);
    RETURN_ERROR_IF(!*out, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for an FFT block plan");
    return prepare(plan, cl, *out); /* on failure the caller destroys *out */
}

tessel_status tessel_cl_fft_block_run(tessel_plan *plan, tessel_cl_state *cl,
                                      tessel_cl_fft_block *fb, cl_mem src, int src_pitch,
                                      cl_mem dst, int dst_pitch)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_fft_block_kernels *k = &fb->kernels;
    cl_mem planes = fb->spectral.planes;
    for (int group = 0; group < fb->g.groups; ++group) {
        const int first = group * fb->g.batch;
        FORWARD_IF_ERROR(tessel_cl_fft_block_gather(ctx, cl, k, src, src_pitch, first, planes));
        FORWARD_IF_ERROR(tessel_cl_fft_spectral_apply(ctx, cl, &fb->spectral));
        FORWARD_IF_ERROR(tessel_cl_fft_block_scatter(ctx, cl, k, planes, first, dst, dst_pitch));
    }
    return TESSEL_OK;
}

void tessel_cl_fft_block_destroy(tessel_cl_state *cl, tessel_cl_fft_block *fb)
{
    if (!fb) return;
    clFinish(cl->queue); /* runs on buffers may still be using them */
    tessel_cl_fft_block_kernels_release(&fb->kernels);
    tessel_cl_fft_spectral_release(&fb->spectral);
    free(fb);
}
