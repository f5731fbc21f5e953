/* One-shot entry points: a temporary plan per call, and the 1-D forms. */
#include <stdlib.h>

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

static tessel_status convolve_rows(tessel_context *ctx, const tessel_image *src,
                                   const tessel_kernel *kernel,
                                   const tessel_conv_options *options, tessel_image *dst)
{
    tessel_conv_options o = {0};
    if (options) o = *options;
    o.stride_y = 1;  /* rows are independent signals: no vertical stride or anchor */
    o.anchor_y = 0;
    tessel_kernel *row = NULL;
    FORWARD_IF_ERROR(as_row_kernel(ctx, kernel, &row));
    tessel_status s = tessel_convolve2d(ctx, src, row, &o, dst);
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
