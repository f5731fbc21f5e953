/* Builds and launches the kernels of method fft-block (see
 * cl_fft_block_kernels.h). */
#include "cl_fft_block_kernels.h"

#include <string.h>

#include "cl_fft_spectral.h"
#include "cl_internal.h"
#include "cl_program.h"

#define ROWS 8 /* rows per work-item of the gather and scatter (fft_block.cl's ROWS) */

static tessel_status get_kernels(tessel_context *ctx, tessel_cl_state *cl,
                                 tessel_cl_fft_block_kernels *k)
{
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_block.cl", NULL,
                                          "tessel_fft_block_gather", &k->gather));
    return tessel_cl_kernel_get(ctx, cl, "fft_block.cl", NULL, "tessel_fft_block_scatter",
                                &k->scatter);
}

tessel_status tessel_cl_fft_block_kernels_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                                  const tessel_plan *plan,
                                                  const tessel_cl_fft_block_geometry *g,
                                                  tessel_cl_fft_block_kernels *k)
{
    memset(k, 0, sizeof *k);
    FORWARD_IF_ERROR(get_kernels(ctx, cl, k));
    const cl_kernel both[2] = {k->gather, k->scatter};
    k->group = tessel_cl_group_width(cl, both, 2);
    const tessel_geometry *geo = &plan->geo;
    k->args = (tessel_cl_fft_block_args){.in_w = geo->in_width,
                                         .in_h = geo->in_height,
                                         .channels = plan->channels,
                                         .ox = geo->origin_x,
                                         .oy = geo->origin_y,
                                         .border = (cl_int)plan->border,
                                         .block_w = g->block_w,
                                         .block_h = g->block_h,
                                         .step_w = g->step_w,
                                         .step_h = g->step_h,
                                         .blocks_x = g->blocks_x,
                                         .planes = g->planes,
                                         .out_w = geo->out_width,
                                         .out_h = geo->out_height,
                                         .sx = geo->stride_x,
                                         .sy = geo->stride_y,
                                         .absolute = plan->absolute,
                                         .in_type = (cl_int)plan->in_dtype,
                                         .out_type = (cl_int)plan->out_dtype,
                                         .cval = plan->cval,
                                         .scale = plan->scale,
                                         .offset = plan->offset};
    k->batch = g->batch;
    return TESSEL_OK;
}

void tessel_cl_fft_block_kernels_release(tessel_cl_fft_block_kernels *k)
{
    if (k->gather) clReleaseKernel(k->gather);
    if (k->scatter) clReleaseKernel(k->scatter);
    memset(k, 0, sizeof *k);
}

/* Work-items along y for `rows` rows, ROWS to an item. */
static size_t row_items(size_t rows)
{
    return (rows + ROWS - 1) / ROWS;
}

static tessel_status set_buffers_and_args(tessel_context *ctx, cl_kernel kernel, cl_mem a, cl_mem b,
                                          const tessel_cl_fft_block_args *args, const char *what)
{
    cl_int e = clSetKernelArg(kernel, 0, sizeof a, &a);
    e |= clSetKernelArg(kernel, 1, sizeof b, &b);
    e |= clSetKernelArg(kernel, 2, sizeof *args, args);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND, "clSetKernelArg failed for the %s",
                    what);
    return TESSEL_OK;
}

tessel_status tessel_cl_fft_block_gather(tessel_context *ctx, tessel_cl_state *cl,
                                         tessel_cl_fft_block_kernels *k, cl_mem src, int src_pitch,
                                         int first_plane, cl_mem planes)
{
    tessel_cl_fft_block_args a = k->args;
    a.pitch = src_pitch;
    a.first_plane = first_plane;
    FORWARD_IF_ERROR(set_buffers_and_args(ctx, k->gather, src, planes, &a, "FFT block gather"));
    return tessel_cl_launch_rows(ctx, cl, k->gather, k->group, (size_t)a.block_w,
                                 row_items((size_t)a.block_h), (size_t)k->batch,
                                 "clEnqueueNDRangeKernel (FFT block gather)");
}

/* Outputs one block holds along an axis: at most ceil(step / stride). */
static size_t outputs_per_block(int step, int stride)
{
    return (size_t)((step + stride - 1) / stride);
}

tessel_status tessel_cl_fft_block_scatter(tessel_context *ctx, tessel_cl_state *cl,
                                          tessel_cl_fft_block_kernels *k, cl_mem planes,
                                          int first_plane, cl_mem dst, int dst_pitch)
{
    tessel_cl_fft_block_args a = k->args;
    a.pitch = dst_pitch;
    a.first_plane = first_plane;
    FORWARD_IF_ERROR(set_buffers_and_args(ctx, k->scatter, planes, dst, &a, "FFT block scatter"));
    return tessel_cl_launch_rows(ctx, cl, k->scatter, k->group, outputs_per_block(a.step_w, a.sx),
                                 row_items(outputs_per_block(a.step_h, a.sy)), (size_t)k->batch,
                                 "clEnqueueNDRangeKernel (FFT block scatter)");
}
