/* Builds and launches kernels_cl/fft_extend.cl and fft_crop.cl (see
 * cl_fft_kernels.h). */
#include "cl_fft_kernels.h"

#include <string.h>

#include "cl_fft_spectral.h"
#include "cl_internal.h"
#include "cl_program.h"

static tessel_status get_kernels(tessel_context *ctx, tessel_cl_state *cl,
                                 tessel_cl_fft_kernels *k)
{
    FORWARD_IF_ERROR(
        tessel_cl_kernel_get(ctx, cl, "fft_extend.cl", NULL, "tessel_fft_extend", &k->extend));
    return tessel_cl_kernel_get(ctx, cl, "fft_crop.cl", NULL, "tessel_fft_crop", &k->crop);
}

tessel_status tessel_cl_fft_kernels_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                            const tessel_plan *plan,
                                            const tessel_cl_fft_geometry *g,
                                            tessel_cl_fft_kernels *k)
{
    memset(k, 0, sizeof *k);
    FORWARD_IF_ERROR(get_kernels(ctx, cl, k));
    const cl_kernel both[2] = {k->extend, k->crop};
    k->group = tessel_cl_group_width(cl, both, 2);
    const tessel_geometry *geo = &plan->geo;
    /* Pads fit an int: cl_fft.c checked them. */
    k->extend_args = (tessel_cl_fft_extend_args){.in_w = geo->in_width,
                                                 .in_h = geo->in_height,
                                                 .channels = plan->channels,
                                                 .in_type = (cl_int)plan->in_dtype,
                                                 .ox = geo->origin_x,
                                                 .oy = geo->origin_y,
                                                 .border = (cl_int)plan->border,
                                                 .ext_w = g->ext_w,
                                                 .ext_h = g->ext_h,
                                                 .pad_w = (cl_int)g->pad_w,
                                                 .pad_h = (cl_int)g->pad_h,
                                                 .cval = plan->cval};
    k->crop_args = (tessel_cl_fft_crop_args){.out_w = geo->out_width,
                                             .out_h = geo->out_height,
                                             .channels = plan->channels,
                                             .out_type = (cl_int)plan->out_dtype,
                                             .sx = geo->stride_x,
                                             .sy = geo->stride_y,
                                             .pad_w = (cl_int)g->pad_w,
                                             .pad_h = (cl_int)g->pad_h,
                                             .absolute = plan->absolute,
                                             .scale = plan->scale,
                                             .offset = plan->offset};
    return TESSEL_OK;
}

void tessel_cl_fft_kernels_release(tessel_cl_fft_kernels *k)
{
    if (k->extend) clReleaseKernel(k->extend);
    if (k->crop) clReleaseKernel(k->crop);
    memset(k, 0, sizeof *k);
}

tessel_status tessel_cl_fft_extend(tessel_context *ctx, tessel_cl_state *cl,
                                   tessel_cl_fft_kernels *k, cl_mem src, int src_pitch, cl_mem ext)
{
    tessel_cl_fft_extend_args a = k->extend_args;
    a.src_pitch = src_pitch;
    cl_int e = clSetKernelArg(k->extend, 0, sizeof src, &src);
    e |= clSetKernelArg(k->extend, 1, sizeof ext, &ext);
    e |= clSetKernelArg(k->extend, 2, sizeof a, &a);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT extend kernel");
    return tessel_cl_launch_rows(ctx, cl, k->extend, k->group, (size_t)a.pad_w, (size_t)a.pad_h, 1,
                                 "clEnqueueNDRangeKernel (FFT extend)");
}

tessel_status tessel_cl_fft_crop(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_fft_kernels *k,
                                 cl_mem result, cl_mem dst, int dst_pitch)
{
    tessel_cl_fft_crop_args a = k->crop_args;
    a.dst_pitch = dst_pitch;
    cl_int e = clSetKernelArg(k->crop, 0, sizeof result, &result);
    e |= clSetKernelArg(k->crop, 1, sizeof dst, &dst);
    e |= clSetKernelArg(k->crop, 2, sizeof a, &a);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT crop kernel");
    return tessel_cl_launch_rows(ctx, cl, k->crop, k->group, (size_t)a.out_w, (size_t)a.out_h, 1,
                                 "clEnqueueNDRangeKernel (FFT crop)");
}
