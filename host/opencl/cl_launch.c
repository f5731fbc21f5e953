/* Convolution launches (cl_launch.h): the program of a layout, its
 * arguments and its padded NDRange. */
#include "cl_launch.h"

#include <stdio.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_program.h"

size_t tessel_cl_round_up(size_t v, size_t m)
{
    return (v + m - 1) / m * m;
}

/* __constant when the device's constant memory holds the taps, else __global. */
static const char *taps_space(const tessel_cl_state *cl, size_t count)
{
    return count * sizeof(float) <= cl->caps.max_constant ? "__constant" : "__global";
}

static tessel_status upload_taps(tessel_context *ctx, tessel_cl_state *cl, const float *taps,
                                 size_t count, cl_mem *out)
{
    cl_int err;
    *out = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                          count * sizeof(float), (void *)taps, &err);
    RETURN_IF_CL_ERROR(ctx, err, "clCreateBuffer (kernel taps)");
    return TESSEL_OK;
}

static tessel_cl_conv_args pass_args(const tessel_cl_pass_spec *s, const tessel_cl_pass_layout *l)
{
    return (tessel_cl_conv_args){.in_w = s->in_w,
                                 .in_h = s->in_h,
                                 .out_w = s->out_w,
                                 .out_h = s->out_h,
                                 .channels = s->channels,
                                 .in_type = (cl_int)s->in_dtype,
                                 .out_type = (cl_int)s->out_dtype,
                                 .kw = s->kw,
                                 .kh = s->kh,
                                 .sx = s->sx,
                                 .sy = s->sy,
                                 .ox = s->ox,
                                 .oy = s->oy,
                                 .border = (cl_int)s->border,
                                 .absolute = s->absolute,
                                 .tile_w = l->tile_w,
                                 .tile_h = l->tile_h,
                                 .tile_pitch = l->tile_pitch,
                                 .strip_rows = l->strip_rows,
                                 .ring_rows = l->ring_rows,
                                 .cval = s->cval,
                                 .scale = s->scale,
                                 .offset = s->offset};
}

static size_t groups(size_t n, size_t per_group)
{
    return (n + per_group - 1) / per_group;
}

/* The program and kernel of the layout, and its NDRange. */
static tessel_status get_kernel(tessel_context *ctx, tessel_cl_state *cl,
                                const tessel_cl_pass_spec *s, tessel_cl_pass *pass)
{
    const tessel_cl_pass_layout *l = &pass->layout;
    char options[192];
    pass->local[0] = (size_t)l->lx;
    pass->local[1] = (size_t)l->ly;
    pass->local[2] = 1;
    switch (l->kind) {
    case TESSEL_CL_KERNEL_VECTOR:
        snprintf(options, sizeof options, "-D ROWS=%d", l->rows);
        pass->global[0] =
            tessel_cl_round_up(groups((size_t)s->out_w * s->channels, (size_t)l->cols), l->lx);
        pass->global[1] = tessel_cl_round_up(groups((size_t)s->out_h, (size_t)l->rows), l->ly);
        pass->global[2] = 1;
        return tessel_cl_kernel_get(ctx, cl, "conv_vector.cl", options, "tessel_conv_vec",
                                    &pass->kernel);
    case TESSEL_CL_KERNEL_FUSED:
        snprintf(options, sizeof options, "-D LX=%d -D LY=%d -D TAPS_SPACE=%s", l->lx, l->ly,
                 taps_space(cl, (size_t)(s->kw > s->kh ? s->kw : s->kh)));
        pass->global[0] = groups((size_t)s->out_w, (size_t)l->lx * l->cols) * l->lx;
        pass->global[1] = groups((size_t)s->out_h, (size_t)l->strip_rows) * l->ly;
        pass->global[2] = (size_t)s->channels;
        return tessel_cl_kernel_get(ctx, cl, "conv_separable.cl", options,
                                    "tessel_conv_separable", &pass->kernel);
    default:
        snprintf(options, sizeof options,
                 "-D LX=%d -D LY=%d -D COLS=%d -D ROWS=%d -D KW=%d -D TILE=%d -D TAPS_SPACE=%s",
                 l->lx, l->ly, l->cols, l->rows, l->kw_class, l->kind == TESSEL_CL_KERNEL_TILED,
                 taps_space(cl, (size_t)s->kw * s->kh));
        pass->global[0] = groups((size_t)s->out_w, (size_t)l->lx * l->cols) * l->lx;
        pass->global[1] = groups((size_t)s->out_h, (size_t)l->ly * l->rows) * l->ly;
        pass->global[2] = (size_t)s->channels;
        return tessel_cl_kernel_get(ctx, cl, "conv_direct.cl", options, "tessel_conv_tiled",
                                    &pass->kernel);
    }
}

tessel_status tessel_cl_pass_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_pass_spec *s,
                                     const tessel_cl_pass_layout *layout, tessel_cl_pass *pass)
{
    memset(pass, 0, sizeof *pass);
    pass->layout = *layout;
    FORWARD_IF_ERROR(upload_taps(ctx, cl, s->taps, (size_t)s->kw * (s->column_taps ? 1 : s->kh),
                                 &pass->taps));
    if (s->column_taps)
        FORWARD_IF_ERROR(upload_taps(ctx, cl, s->column_taps, (size_t)s->kh, &pass->column_taps));
    FORWARD_IF_ERROR(get_kernel(ctx, cl, s, pass));
    pass->args = pass_args(s, layout);
    char text[256];
    tessel_cl_layout_describe(layout, text, sizeof text);
    tessel_log(ctx, TESSEL_LOG_DEBUG, "opencl launch, kernel %dx%d: %s", s->kw, s->kh, text);
    return TESSEL_OK;
}

tessel_status tessel_cl_pass_enqueue(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_pass *pass,
                                     cl_mem src, int src_pitch, cl_mem dst, int dst_pitch)
{
    tessel_cl_conv_args args = pass->args;
    args.src_pitch = src_pitch;
    args.dst_pitch = dst_pitch;
    const tessel_cl_pass_layout *l = &pass->layout;
    cl_uint n = 0;
    cl_int err = clSetKernelArg(pass->kernel, n++, sizeof src, &src);
    err |= clSetKernelArg(pass->kernel, n++, sizeof dst, &dst);
    err |= clSetKernelArg(pass->kernel, n++, sizeof pass->taps, &pass->taps);
    if (l->kind == TESSEL_CL_KERNEL_FUSED)
        err |= clSetKernelArg(pass->kernel, n++, sizeof pass->column_taps, &pass->column_taps);
    err |= clSetKernelArg(pass->kernel, n++, sizeof args, &args);
    if (l->kind == TESSEL_CL_KERNEL_FUSED) {
        const size_t stage = (size_t)l->ly * l->tile_pitch * sizeof(float);
        err |= clSetKernelArg(pass->kernel, n++, stage, NULL);
        err |= clSetKernelArg(pass->kernel, n++, l->local_bytes - stage, NULL);
    } else if (l->kind != TESSEL_CL_KERNEL_VECTOR) {
        /* The global-memory form still declares the tile: one float. */
        err |= clSetKernelArg(pass->kernel, n++, l->local_bytes ? l->local_bytes : sizeof(float),
                              NULL);
    }
    RETURN_ERROR_IF(err != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the convolution kernel");
    const cl_uint dims = l->kind == TESSEL_CL_KERNEL_VECTOR ? 2 : 3;
    return tessel_cl_launch(ctx, cl, pass->kernel, dims, pass->global, pass->local,
                            "clEnqueueNDRangeKernel (convolution)");
}

void tessel_cl_pass_release(tessel_cl_pass *pass)
{
    if (pass->kernel) clReleaseKernel(pass->kernel);
    if (pass->taps) clReleaseMemObject(pass->taps);
    if (pass->column_taps) clReleaseMemObject(pass->column_taps);
    memset(pass, 0, sizeof *pass);
}
