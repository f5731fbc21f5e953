/* One-shot entry points: a temporary plan per call, and the 1-D forms. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "geometry.h"
#include "kernel.h"
#include "plan.h"

tessel_status tessel_conv_output_size(int width, int height, const tessel_kernel *kernel,
                                      const tessel_conv_options *options, int *out_width,
                                      int *out_height)
{
    RETURN_ERROR_IF(!kernel, NULL, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    RETURN_ERROR_IF(!out_width || !out_height, NULL, TESSEL_ERR_NULL_POINTER,
                    "output size pointers are NULL");
    tessel_conv_options o;
    tessel_geometry g;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_options_resolve(options, &o, err, sizeof err);
    if (s == TESSEL_OK)
        s = tessel_geometry_make(width, height, kernel->width, kernel->height, &o, &g, err,
                                 sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, NULL, s, "%s", err);
    *out_width = g.out_width;
    *out_height = g.out_height;
    return TESSEL_OK;
}

tessel_status tessel_convolve2d(tessel_context *context, const tessel_image *src,
                                const tessel_kernel *kernel, const tessel_conv_options *options,
                                tessel_image *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    RETURN_ERROR_IF(!dst, context, TESSEL_ERR_NULL_POINTER, "destination image is NULL");
    tessel_plan *plan = NULL;
    FORWARD_IF_ERROR(tessel_plan_create(context, src, dst->dtype, kernel, options, &plan));
    tessel_status s = tessel_plan_execute(plan, src, dst);
    tessel_plan_destroy(plan);
    return s;
}

/* A 1-D kernel as a row (1 x N): column kernels are transposed, so the
 * caller may pass either orientation. */
static tessel_status as_row_kernel(tessel_context *ctx, const tessel_kernel *k,
                                   tessel_kernel **row_kernel)
{
    RETURN_ERROR_IF(!k, ctx, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    RETURN_ERROR_IF(k->width != 1 && k->height != 1, ctx, TESSEL_ERR_BAD_KERNEL,
                    "a 1-D convolution needs a 1-D kernel, got %dx%d", k->width, k->height);
    int n = k->width * k->height;
    tessel_status s = tessel_kernel_build(n, 1, k->coeffs, NULL, NULL, row_kernel);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", tessel_last_error());
    return TESSEL_OK;
}

/*
 * numpy.convolve swaps a kernel longer than the signal with the signal, so
 * modes same and valid keep max(M, N) and |M - N| + 1 samples. Both are a
 * slice of the full output: valid starts where kernel and signal first
 * overlap whole (N - 1); same centres max(M, N) samples in the M + N - 1,
 * the odd one out on the right for convolution and on the left for
 * correlation, as the 2-D same mode does for a kernel not longer than the
 * image. Returns 1 and the slice when that rule applies (kernel longer than
 * the signal, mode same without an explicit anchor, or valid), else 0.
 */
static int long_kernel_slice(int length, int taps, const tessel_conv_options *o, int *start,
                             int *count)
{
    if (taps <= length || o->mode == TESSEL_MODE_FULL) return 0;
    if (o->mode == TESSEL_MODE_SAME) {
        if (o->anchor_set) return 0; /* an explicit anchor keeps the signal's length */
        *start = o->correlate ? length / 2 : (length - 1) / 2;
        *count = taps;
    } else {
        *start = length - 1;
        *count = taps - length + 1;
    }
    return 1;
}

tessel_status tessel_conv1d_output_size(int length, const tessel_kernel *kernel,
                                        const tessel_conv_options *options, int *out_length)
{
    RETURN_ERROR_IF(!kernel, NULL, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    RETURN_ERROR_IF(!out_length, NULL, TESSEL_ERR_NULL_POINTER, "output length pointer is NULL");
    RETURN_ERROR_IF(kernel->width != 1 && kernel->height != 1, NULL, TESSEL_ERR_BAD_KERNEL,
                    "a 1-D convolution needs a 1-D kernel, got %dx%d", kernel->width,
                    kernel->height);
    tessel_conv_options o;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_options_resolve(options, &o, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, NULL, s, "%s", err);
    int taps = kernel->width * kernel->height, start = 0, count = 0;
    if (length > 0 && long_kernel_slice(length, taps, &o, &start, &count)) {
        *out_length = (count + o.stride_x - 1) / o.stride_x;
        return TESSEL_OK;
    }
    tessel_geometry g;
    s = tessel_geometry_make(length, 1, taps, 1, &o, &g, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, NULL, s, "%s", err);
    *out_length = g.out_width;
    return TESSEL_OK;
}

/* Copies samples start, start + stride, ... of each row of full into dst. */
static void copy_slice(const tessel_image *full, int start, int stride, tessel_image *dst)
{
    size_t pixel = (size_t)dst->channels * tessel_dtype_size(dst->dtype);
    size_t dst_stride = dst->stride ? dst->stride : pixel * (size_t)dst->width;
    for (int y = 0; y < dst->height; ++y) {
        const char *from = (const char *)full->data + (size_t)y * full->stride;
        char *to = (char *)dst->data + (size_t)y * dst_stride;
        for (int x = 0; x < dst->width; ++x)
            memcpy(to + (size_t)x * pixel, from + ((size_t)start + (size_t)x * stride) * pixel,
                   pixel);
    }
}

/* A kernel longer than the signals in mode same or valid: the full output
 * into a temporary, then NumPy's slice of it into dst. */
static tessel_status convolve_long_kernel(tessel_context *ctx, const tessel_image *src,
                                          const tessel_kernel *row, const tessel_conv_options *o,
                                          int start, int count, tessel_image *dst)
{
    RETURN_ERROR_IF(!dst, ctx, TESSEL_ERR_NULL_POINTER, "destination image is NULL");
    RETURN_ERROR_IF(!dst->data, ctx, TESSEL_ERR_NULL_POINTER, "destination data is NULL");
    int out_width = (count + o->stride_x - 1) / o->stride_x;
    RETURN_ERROR_IF(dst->width != out_width || dst->height != src->height ||
                        dst->channels != src->channels,
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "destination is %dx%d with %d channels; a %d-tap kernel over %d samples "
                    "in %s mode gives %dx%d with %d",
                    dst->width, dst->height, dst->channels, row->width, src->width,
                    tessel_mode_name(o->mode), out_width, src->height, src->channels);
    size_t pixel = (size_t)src->channels * tessel_dtype_size(dst->dtype);
    tessel_image full = tessel_image_view(NULL, src->width + row->width - 1, src->height,
                                          src->channels, dst->dtype);
    RETURN_ERROR_IF(pixel == 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "destination dtype %d is not u8, u16 or f32", (int)dst->dtype);
    full.stride = pixel * (size_t)full.width;
    RETURN_ERROR_IF(full.stride > SIZE_MAX / (size_t)full.height, ctx, TESSEL_ERR_BAD_SIZE,
                    "the full output of %d samples x %d rows is too large", full.width,
                    full.height);
    full.data = malloc(full.stride * (size_t)full.height);
    RETURN_ERROR_IF(!full.data, ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for the %d-sample full output", full.width);
    tessel_conv_options fo = *o;
    fo.mode = TESSEL_MODE_FULL;
    fo.stride_x = 1;
    tessel_status s = tessel_convolve2d(ctx, src, row, &fo, &full);
    if (s == TESSEL_OK) copy_slice(&full, start, o->stride_x, dst);
    free(full.data);
    return s;
}

static tessel_status convolve_rows(tessel_context *ctx, const tessel_image *src,
                                   const tessel_kernel *kernel,
                                   const tessel_conv_options *options, tessel_image *dst)
{
    RETURN_ERROR_IF(!src, ctx, TESSEL_ERR_NULL_POINTER, "source image is NULL");
    tessel_conv_options o;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_options_resolve(options, &o, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", err);
    o.stride_y = 1;  /* rows are independent signals: no vertical stride or anchor */
    o.anchor_y = 0;
    tessel_kernel *row = NULL;
    FORWARD_IF_ERROR(as_row_kernel(ctx, kernel, &row));
    int start = 0, count = 0;
    if (src->width > 0 && long_kernel_slice(src->width, row->width, &o, &start, &count))
        s = convolve_long_kernel(ctx, src, row, &o, start, count, dst);
    else
        s = tessel_convolve2d(ctx, src, row, &o, dst);
    tessel_kernel_destroy(row);
    return s;
}

tessel_status tessel_convolve1d(tessel_context *context, const tessel_image *src,
                                const tessel_kernel *kernel, const tessel_conv_options *options,
                                tessel_image *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!src, context, TESSEL_ERR_NULL_POINTER, "source signal is NULL");
    RETURN_ERROR_IF(src->height != 1, context, TESSEL_ERR_BAD_SIZE,
                    "a 1-D signal has height 1, got %d rows (use tessel_convolve1d_rows for "
                    "many signals)",
                    src->height);
    return convolve_rows(context, src, kernel, options, dst);
}

tessel_status tessel_convolve1d_rows(tessel_context *context, const tessel_image *src,
                                     const tessel_kernel *kernel,
                                     const tessel_conv_options *options, tessel_image *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    return convolve_rows(context, src, kernel, options, dst);
}
