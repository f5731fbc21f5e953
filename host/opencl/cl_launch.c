/* Passes of the tiled kernel: tile shape chosen from the device's limits,
 * program options, arguments and the padded NDRange. */
#include "cl_launch.h"

#include <stdio.h>
#include <string.h>

#include "cl_program.h"

typedef struct tile_shape {
    int lx, ly, rows, tiled, tile_w, tile_h;
} tile_shape;

static size_t tile_bytes(const tile_shape *t, const cl_pass_spec *s)
{
    return (size_t)t->tile_w * t->tile_h * s->channels * sizeof(float);
}

static void size_tile(tile_shape *t, const cl_pass_spec *s)
{
    t->tile_w = (t->lx - 1) * s->sx + s->kw;
    t->tile_h = (t->ly * t->rows - 1) * s->sy + s->kh;
}

/* Largest tile that fits the device's __local memory (with room to spare,
 * PoCL aborts on over-allocation), shrinking rows then work-group height;
 * a global-memory kernel when even the smallest does not fit. */
static tile_shape choose_tile(const cl_device_caps *caps, const cl_pass_spec *s)
{
    tile_shape t = {32, 8, 4, 1, 0, 0};
    if (caps->type & CL_DEVICE_TYPE_CPU) t.ly = 4; /* PoCL: fewer items, same vector width */
    while ((size_t)t.lx * t.ly > caps->max_work_group && t.ly > 1) t.ly /= 2;
    while ((size_t)t.lx * t.ly > caps->max_work_group && t.lx > 1) t.lx /= 2;
    const size_t budget = caps->local_mem > 2048 ? caps->local_mem - 1024 : 0;
    for (;;) {
        size_tile(&t, s);
        if (tile_bytes(&t, s) <= budget) return t;
        if (t.rows > 1) t.rows /= 2;
        else if (t.ly > 1) t.ly /= 2;
        else break;
    }
    t = (tile_shape){32 <= (int)caps->max_work_group ? 32 : 1, 1, 4, 0, 0, 0};
    return t;
}

static const char *cl_type(tessel_dtype d)
{
    return d == TESSEL_U8 ? "uchar" : d == TESSEL_U16 ? "ushort" : "float";
}

static int out_kind(tessel_dtype d)
{
    return d == TESSEL_U8 ? 1 : d == TESSEL_U16 ? 2 : 0;
}

static size_t round_up(size_t v, size_t m)
{
    return (v + m - 1) / m * m;
}

tessel_status tessel_cl_pass_prepare(tessel_context *ctx, cl_state *cl, const cl_pass_spec *s,
                                     cl_pass *pass)
{
    memset(pass, 0, sizeof *pass);
    tile_shape t = choose_tile(&cl->caps, s);
    size_t taps_bytes = (size_t)s->kw * s->kh * sizeof(float);
    const char *taps_space = taps_bytes <= cl->caps.max_constant ? "__constant" : "__global";
    char options[256];
    snprintf(options, sizeof options,
             "-D CH=%d -D IN_T=%s -D OUT_T=%s -D OUT_KIND=%d -D LX=%d -D LY=%d -D ROWS=%d "
             "-D TILE=%d -D TAPS_SPACE=%s",
             s->channels, cl_type(s->in_dtype), cl_type(s->out_dtype), out_kind(s->out_dtype),
             t.lx, t.ly, t.rows, t.tiled, taps_space);
    FORWARD_IF_ERROR(
        tessel_cl_kernel_get(ctx, cl, "conv_direct.cl", options, "tessel_conv", &pass->kernel));
    cl_int err;
    pass->taps = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, taps_bytes,
                                (void *)s->taps, &err);
    RETURN_IF_CL_ERROR(ctx, err, "clCreateBuffer (kernel taps)");
    pass->tiled = t.tiled;
    pass->local_bytes = t.tiled ? tile_bytes(&t, s) : sizeof(float);
    pass->local[0] = (size_t)t.lx;
    pass->local[1] = (size_t)t.ly;
    pass->global[0] = round_up((size_t)s->out_w, (size_t)t.lx);
    pass->global[1] = round_up(((size_t)s->out_h + t.rows - 1) / t.rows, (size_t)t.ly);
    pass->args = (cl_conv_args){s->in_w,  s->in_h,     0,         s->out_w, s->out_h,
                                0,        s->kw,       s->kh,     s->sx,    s->sy,
                                s->ox,    s->oy,       (cl_int)s->border, s->absolute,
                                t.tile_w, t.tile_h,    s->cval,   s->scale, s->offset};
    tessel_log(ctx, TESSEL_LOG_DEBUG, "opencl pass %dx%d kernel: %s tile %dx%d, group %dx%d x%d rows",
               s->kw, s->kh, t.tiled ? "local" : "global", t.tile_w, t.tile_h, t.lx, t.ly,
               t.rows);
    return TESSEL_OK;
}

tessel_status tessel_cl_pass_enqueue(tessel_context *ctx, cl_state *cl, cl_pass *pass, cl_mem src,
                                     int src_pitch, cl_mem dst, int dst_pitch)
{
    cl_conv_args args = pass->args;
    args.src_pitch = src_pitch;
    args.dst_pitch = dst_pitch;
    cl_int err = clSetKernelArg(pass->kernel, 0, sizeof src, &src);
    err |= clSetKernelArg(pass->kernel, 1, sizeof dst, &dst);
    err |= clSetKernelArg(pass->kernel, 2, sizeof pass->taps, &pass->taps);
    err |= clSetKernelArg(pass->kernel, 3, sizeof args, &args);
    err |= clSetKernelArg(pass->kernel, 4, pass->local_bytes, NULL);
    RETURN_ERROR_IF(err != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the convolution kernel");
    err = clEnqueueNDRangeKernel(cl->queue, pass->kernel, 2, NULL, pass->global, pass->local, 0,
                                 NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, err, "clEnqueueNDRangeKernel (convolution)");
    return TESSEL_OK;
}

void tessel_cl_pass_release(cl_pass *pass)
{
    if (pass->kernel) clReleaseKernel(pass->kernel);
    if (pass->taps) clReleaseMemObject(pass->taps);
    memset(pass, 0, sizeof *pass);
}
