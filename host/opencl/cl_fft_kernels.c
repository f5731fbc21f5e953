/* Builds and launches kernels_cl/fft_extend.cl, fft_spectrum.cl and
 * fft_crop.cl (see cl_fft_kernels.h). */
#include "cl_fft_kernels.h"

#include <stdio.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_program.h"

#define GROUP_WIDTH 64 /* one fixed work-group shape: PoCL compiles one per shape */

static tessel_status get_kernels(tessel_context *ctx, cl_state *cl, const tessel_plan *plan,
                                 cl_fft_kernels *k)
{
    char options[128];
    /* common.cl always wants an output type; float where none is written. */
    snprintf(options, sizeof options, "-D IN_T=%s -D OUT_T=float -D OUT_KIND=0",
             tessel_cl_type_name(plan->in_dtype));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_extend.cl", options, "tessel_fft_extend",
                                          &k->extend));
    const char *spectrum_options = "-D OUT_T=float -D OUT_KIND=0";
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", spectrum_options,
                                          "tessel_fft_kernel_spectrum", &k->kernel_spectrum));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", spectrum_options,
                                          "tessel_fft_multiply", &k->multiply));
    snprintf(options, sizeof options, "-D OUT_T=%s -D OUT_KIND=%d",
             tessel_cl_type_name(plan->out_dtype), tessel_cl_out_kind(plan->out_dtype));
    return tessel_cl_kernel_get(ctx, cl, "fft_crop.cl", options, "tessel_fft_crop", &k->crop);
}

/* The widest power of two up to GROUP_WIDTH that every kernel accepts. */
static size_t group_width(const cl_state *cl, const cl_fft_kernels *k)
{
    size_t limit = cl->caps.max_work_group;
    const cl_kernel all[4] = {k->extend, k->kernel_spectrum, k->multiply, k->crop};
    for (int i = 0; i < 4; ++i) {
        size_t w = 0;
        if (clGetKernelWorkGroupInfo(all[i], cl->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof w, &w,
                                     NULL) == CL_SUCCESS &&
            w < limit)
            limit = w;
    }
    size_t width = GROUP_WIDTH;
    while (width > 1 && width > limit) width /= 2;
    return width;
}

tessel_status tessel_cl_fft_kernels_prepare(tessel_context *ctx, cl_state *cl,
                                            const tessel_plan *plan, const cl_fft_geometry *g,
                                            cl_fft_kernels *k)
{
    memset(k, 0, sizeof *k);
    FORWARD_IF_ERROR(get_kernels(ctx, cl, plan, k));
    k->group = group_width(cl, k);
    const tessel_geometry *geo = &plan->geo;
    /* Pads fit an int: cl_fft.c checked them. */
    k->extend_args = (cl_fft_extend_args){.in_w = geo->in_width,
                                          .in_h = geo->in_height,
                                          .channels = plan->channels,
                                          .ox = geo->origin_x,
                                          .oy = geo->origin_y,
                                          .border = (cl_int)plan->border,
                                          .ext_w = g->ext_w,
                                          .ext_h = g->ext_h,
                                          .pad_w = (cl_int)g->pad_w,
                                          .pad_h = (cl_int)g->pad_h,
                                          .cval = plan->cval};
    k->crop_args = (cl_fft_crop_args){.out_w = geo->out_width,
                                      .out_h = geo->out_height,
                                      .channels = plan->channels,
                                      .sx = geo->stride_x,
                                      .sy = geo->stride_y,
                                      .pad_w = (cl_int)g->pad_w,
                                      .pad_h = (cl_int)g->pad_h,
                                      .absolute = plan->absolute,
                                      .scale = plan->scale,
                                      .offset = plan->offset};
    k->spec_plane = (cl_ulong)(g->pad_h * g->spec_w);
    return TESSEL_OK;
}

void tessel_cl_fft_kernels_release(cl_fft_kernels *k)
{
    const cl_kernel all[4] = {k->extend, k->kernel_spectrum, k->multiply, k->crop};
    for (int i = 0; i < 4; ++i)
        if (all[i]) clReleaseKernel(all[i]);
    memset(k, 0, sizeof *k);
}

/* A 2-D launch over width x height items, rows of one work-group width. */
static tessel_status launch(tessel_context *ctx, cl_state *cl, const cl_fft_kernels *k,
                            cl_kernel kernel, size_t width, size_t height, const char *what)
{
    const size_t local[2] = {k->group, 1};
    const size_t global[2] = {tessel_cl_round_up(width, k->group), height};
    cl_int e = clEnqueueNDRangeKernel(cl->queue, kernel, 2, NULL, global, local, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, what);
    return TESSEL_OK;
}

tessel_status tessel_cl_fft_extend(tessel_context *ctx, cl_state *cl, cl_fft_kernels *k,
                                   cl_mem src, int src_pitch, cl_mem ext)
{
    cl_fft_extend_args a = k->extend_args;
    a.src_pitch = src_pitch;
    cl_int e = clSetKernelArg(k->extend, 0, sizeof src, &src);
    e |= clSetKernelArg(k->extend, 1, sizeof ext, &ext);
    e |= clSetKernelArg(k->extend, 2, sizeof a, &a);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT extend kernel");
    return launch(ctx, cl, k, k->extend, (size_t)a.pad_w, (size_t)a.pad_h,
                  "clEnqueueNDRangeKernel (FFT extend)");
}

tessel_status tessel_cl_fft_kernel_spectrum(tessel_context *ctx, cl_state *cl, cl_fft_kernels *k,
                                            cl_mem transform, cl_mem out, float inv_n)
{
    cl_int e = clSetKernelArg(k->kernel_spectrum, 0, sizeof transform, &transform);
    e |= clSetKernelArg(k->kernel_spectrum, 1, sizeof out, &out);
    e |= clSetKernelArg(k->kernel_spectrum, 2, sizeof k->spec_plane, &k->spec_plane);
    e |= clSetKernelArg(k->kernel_spectrum, 3, sizeof inv_n, &inv_n);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT kernel spectrum kernel");
    return launch(ctx, cl, k, k->kernel_spectrum, (size_t)k->spec_plane, 1,
                  "clEnqueueNDRangeKernel (FFT kernel spectrum)");
}

tessel_status tessel_cl_fft_multiply(tessel_context *ctx, cl_state *cl, cl_fft_kernels *k,
                                     cl_mem spectra, cl_mem kernel_spectrum, int planes)
{
    cl_int e = clSetKernelArg(k->multiply, 0, sizeof spectra, &spectra);
    e |= clSetKernelArg(k->multiply, 1, sizeof kernel_spectrum, &kernel_spectrum);
    e |= clSetKernelArg(k->multiply, 2, sizeof k->spec_plane, &k->spec_plane);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT multiply kernel");
    return launch(ctx, cl, k, k->multiply, (size_t)k->spec_plane, (size_t)planes,
                  "clEnqueueNDRangeKernel (FFT multiply)");
}

tessel_status tessel_cl_fft_crop(tessel_context *ctx, cl_state *cl, cl_fft_kernels *k,
                                 cl_mem result, cl_mem dst, int dst_pitch)
{
    cl_fft_crop_args a = k->crop_args;
    a.dst_pitch = dst_pitch;
    cl_int e = clSetKernelArg(k->crop, 0, sizeof result, &result);
    e |= clSetKernelArg(k->crop, 1, sizeof dst, &dst);
    e |= clSetKernelArg(k->crop, 2, sizeof a, &a);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT crop kernel");
    return launch(ctx, cl, k, k->crop, (size_t)a.out_w, (size_t)a.out_h,
                  "clEnqueueNDRangeKernel (FFT crop)");
}
