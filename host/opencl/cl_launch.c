/* Passes of the tiled kernel: tile shape chosen from the device's limits,
 * program options, arguments and the padded NDRange. */
#include "cl_launch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_internal.h"
#include "cl_program.h"
#include "core/kernel.h"

#define VECTOR_ROWS 4  /* output rows per work-item in conv_vector.cl */
#define VECTOR_WIDTH 32 /* output samples per work-item in conv_vector.cl */

static size_t tile_bytes(const tessel_cl_pass_layout *t, const tessel_cl_pass_spec *s)
{
    return (size_t)t->tile_w * t->tile_h * s->channels * sizeof(float);
}

static void size_tile(tessel_cl_pass_layout *t, const tessel_cl_pass_spec *s)
{
    t->tile_w = (t->lx - 1) * s->sx + s->kw;
    t->tile_h = (t->ly * t->rows - 1) * s->sy + s->kh;
}

/* Largest tile that fits the device's __local memory (with room to spare,
 * PoCL aborts on over-allocation), shrinking rows then work-group height;
 * a global-memory kernel when even the smallest does not fit. */
static void choose_tile(const tessel_cl_device_caps *caps, const tessel_cl_pass_spec *s,
                        tessel_cl_pass_layout *t)
{
    t->lx = 32;
    t->ly = caps->type & CL_DEVICE_TYPE_CPU ? 4 : 8; /* PoCL: fewer items, same vector width */
    t->rows = 4;
    t->tiled = 1;
    while ((size_t)t->lx * t->ly > caps->max_work_group && t->ly > 1) t->ly /= 2;
    while ((size_t)t->lx * t->ly > caps->max_work_group && t->lx > 1) t->lx /= 2;
    const size_t budget = caps->local_mem > 2048 ? caps->local_mem - 1024 : 0;
    for (;;) {
        size_tile(t, s);
        if (tile_bytes(t, s) <= budget) return;
        if (t->rows > 1) t->rows /= 2;
        else if (t->ly > 1) t->ly /= 2;
        else break;
    }
    t->lx = 32 <= (int)caps->max_work_group ? 32 : 1;
    t->ly = 1;
    t->rows = 4;
    t->tiled = 0;
    t->tile_w = t->tile_h = 0;
}

void tessel_cl_pass_layout_of(const tessel_cl_device_caps *caps, const tessel_cl_pass_spec *s,
                              tessel_cl_pass_layout *out)
{
    memset(out, 0, sizeof *out);
    if ((caps->type & CL_DEVICE_TYPE_CPU) && s->sx == 1) {
        /* Row stride 1: zero-padded taps spare the kernel its bounds tests. */
        out->vector = 1;
        out->rows = VECTOR_ROWS;
        out->padded = s->sy == 1;
        out->tap_rows = s->kh + (out->padded ? 2 * (VECTOR_ROWS - 1) : 0);
        return;
    }
    choose_tile(caps, s, out);
    out->tap_rows = s->kh;
}

const char *tessel_cl_type_name(tessel_dtype d)
{
    return d == TESSEL_U8 ? "uchar" : d == TESSEL_U16 ? "ushort" : "float";
}

int tessel_cl_out_kind(tessel_dtype d)
{
    return d == TESSEL_U8 ? 1 : d == TESSEL_U16 ? 2 : 0;
}

size_t tessel_cl_round_up(size_t v, size_t m)
{
    return (v + m - 1) / m * m;
}

/* __constant when the device's constant memory holds them, else __global. */
static const char *taps_space(const tessel_cl_state *cl, size_t count)
{
    return count * sizeof(float) <= cl->caps.max_constant ? "__constant" : "__global";
}

static tessel_status upload_taps(tessel_context *ctx, tessel_cl_state *cl, const float *taps,
                                 size_t count, tessel_cl_pass *pass)
{
    cl_int err;
    pass->taps = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                count * sizeof(float), (void *)taps, &err);
    RETURN_IF_CL_ERROR(ctx, err, "clCreateBuffer (kernel taps)");
    return TESSEL_OK;
}

static tessel_cl_conv_args pass_args(const tessel_cl_pass_spec *s, const tessel_cl_pass_layout *t)
{
    return (tessel_cl_conv_args){
        s->in_w, s->in_h,  0,        s->out_w, s->out_h,          0,           s->kw,     s->kh,
        s->sx,   s->sy,    s->ox,    s->oy,    (cl_int)s->border, s->absolute, t->tile_w, t->tile_h,
        s->cval, s->scale, s->offset};
}

/* CPU-type devices: each work-item is a 32-sample, 4-row strip computed with
 * explicit vectors (see conv_vector.cl). */
static tessel_status prepare_vector(tessel_context *ctx, tessel_cl_state *cl,
                                    const tessel_cl_pass_spec *s, const tessel_cl_pass_layout *l,
                                    tessel_cl_pass *pass)
{
    const int padded = l->padded;
    float *taps = padded ? tessel_pad_taps(s->taps, s->kh, s->kw, l->rows) : NULL;
    RETURN_ERROR_IF(padded && !taps, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for taps");
    const size_t rows = (size_t)l->tap_rows;
    FORWARD_IF_ERROR(upload_taps(ctx, cl, padded ? taps : s->taps, rows * s->kw, pass));
    free(taps);
    char options[256];
    snprintf(options, sizeof options,
             "-D CH=%d -D IN_T=%s -D OUT_T=%s -D OUT_KIND=%d -D ROWS=%d -D PADDED=%d "
             "-D TAPS_SPACE=%s",
             s->channels, tessel_cl_type_name(s->in_dtype), tessel_cl_type_name(s->out_dtype),
             tessel_cl_out_kind(s->out_dtype), l->rows, padded, taps_space(cl, rows * s->kw));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "conv_vector.cl", options, "tessel_conv_vec",
                                          &pass->kernel));
    pass->vector = 1;
    pass->args = pass_args(s, l);
    pass->local[0] = 8;
    pass->local[1] = 4;
    size_t chunks = ((size_t)s->out_w * s->channels + VECTOR_WIDTH - 1) / VECTOR_WIDTH;
    pass->global[0] = tessel_cl_round_up(chunks, pass->local[0]);
    pass->global[1] =
        tessel_cl_round_up(((size_t)s->out_h + l->rows - 1) / l->rows, pass->local[1]);
    return TESSEL_OK;
}

tessel_status tessel_cl_pass_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_pass_spec *s, tessel_cl_pass *pass)
{
    memset(pass, 0, sizeof *pass);
    tessel_cl_pass_layout t;
    tessel_cl_pass_layout_of(&cl->caps, s, &t);
    if (t.vector) return prepare_vector(ctx, cl, s, &t, pass);
    FORWARD_IF_ERROR(upload_taps(ctx, cl, s->taps, (size_t)s->kw * s->kh, pass));
    char options[256];
    snprintf(options, sizeof options,
             "-D CH=%d -D IN_T=%s -D OUT_T=%s -D OUT_KIND=%d -D LX=%d -D LY=%d -D ROWS=%d "
             "-D TILE=%d -D TAPS_SPACE=%s",
             s->channels, tessel_cl_type_name(s->in_dtype), tessel_cl_type_name(s->out_dtype),
             tessel_cl_out_kind(s->out_dtype), t.lx, t.ly, t.rows, t.tiled,
             taps_space(cl, (size_t)s->kw * s->kh));
    FORWARD_IF_ERROR(
        tessel_cl_kernel_get(ctx, cl, "conv_direct.cl", options, "tessel_conv", &pass->kernel));
    pass->tiled = t.tiled;
    pass->local_bytes = t.tiled ? tile_bytes(&t, s) : sizeof(float);
    pass->local[0] = (size_t)t.lx;
    pass->local[1] = (size_t)t.ly;
    pass->global[0] = tessel_cl_round_up((size_t)s->out_w, (size_t)t.lx);
    pass->global[1] = tessel_cl_round_up(((size_t)s->out_h + t.rows - 1) / t.rows, (size_t)t.ly);
    pass->args = pass_args(s, &t);
    tessel_log(ctx, TESSEL_LOG_DEBUG, "opencl pass %dx%d kernel: %s tile %dx%d, group %dx%d x%d rows",
               s->kw, s->kh, t.tiled ? "local" : "global", t.tile_w, t.tile_h, t.lx, t.ly,
               t.rows);
    return TESSEL_OK;
}

tessel_status tessel_cl_pass_enqueue(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_pass *pass,
                                     cl_mem src, int src_pitch, cl_mem dst, int dst_pitch)
{
    tessel_cl_conv_args args = pass->args;
    args.src_pitch = src_pitch;
    args.dst_pitch = dst_pitch;
    cl_int err = clSetKernelArg(pass->kernel, 0, sizeof src, &src);
    err |= clSetKernelArg(pass->kernel, 1, sizeof dst, &dst);
    err |= clSetKernelArg(pass->kernel, 2, sizeof pass->taps, &pass->taps);
    err |= clSetKernelArg(pass->kernel, 3, sizeof args, &args);
    if (!pass->vector) err |= clSetKernelArg(pass->kernel, 4, pass->local_bytes, NULL);
    RETURN_ERROR_IF(err != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the convolution kernel");
    err = clEnqueueNDRangeKernel(cl->queue, pass->kernel, 2, NULL, pass->global, pass->local, 0,
                                 NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, err, "clEnqueueNDRangeKernel (convolution)");
    return TESSEL_OK;
}

void tessel_cl_pass_release(tessel_cl_pass *pass)
{
    if (pass->kernel) clReleaseKernel(pass->kernel);
    if (pass->taps) clReleaseMemObject(pass->taps);
    memset(pass, 0, sizeof *pass);
}
