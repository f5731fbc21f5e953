/* The public plan calls: creation (defined by plan_build.c, then whole or
 * in tiles), runs on host images, the plan's description and its end. */
#include "plan.h"

#include <stdint.h>
#include <string.h>

#include "context.h"
#include "plan_build.h"
#include "tiles.h"
#include "versioned.h"

/* The public create: a plan defined, then run whole (prepared) or in tiles
 * when its image or workspace does not fit the device (tiles.h): the whole
 * never gets prepared then. A spectral filter's plan is never tiled. */
static tessel_status plan_create(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options,
                                 const tessel_spectral_filter *filter, tessel_plan **out_plan)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!out_plan, context, TESSEL_ERR_NULL_POINTER, "out_plan is NULL");
    *out_plan = NULL;
    tessel_plan *plan = NULL;
    FORWARD_IF_ERROR(
        tessel_plan_define(context, src_shape, dst_dtype, kernel, options, filter, &plan));
    tessel_status s = filter ? TESSEL_OK : tessel_tiles_plan(plan);
    if (s == TESSEL_OK && !tessel_plan_is_tiled(plan)) s = tessel_plan_prepare(plan);
    if (s != TESSEL_OK) {
        tessel_plan_destroy(plan);
        return s;
    }
    tessel_plan_log_ready(plan);
    *out_plan = plan;
    return TESSEL_OK;
}

tessel_status tessel_plan_create(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options, tessel_plan **out_plan)
{
    return plan_create(context, src_shape, dst_dtype, kernel, options, NULL, out_plan);
}

tessel_status tessel_plan_create_filtered(tessel_context *context, const tessel_image *src_shape,
                                          tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                          const tessel_conv_options *options,
                                          const tessel_spectral_filter *filter,
                                          tessel_plan **out_plan)
{
    return plan_create(context, src_shape, dst_dtype, kernel, options, filter, out_plan);
}

static int images_overlap(const tessel_image *a, const tessel_image *b)
{
    uintptr_t a0 = (uintptr_t)a->data, b0 = (uintptr_t)b->data;
    uintptr_t a1 = a0 + tessel_image_row_bytes(a) * (size_t)(a->height - 1) +
                   (size_t)a->width * a->channels * tessel_dtype_size(a->dtype);
    uintptr_t b1 = b0 + tessel_image_row_bytes(b) * (size_t)(b->height - 1) +
                   (size_t)b->width * b->channels * tessel_dtype_size(b->dtype);
    return a0 < b1 && b0 < a1;
}

tessel_status tessel_plan_check_shapes(const tessel_plan *plan, const tessel_image *src,
                                       const tessel_image *dst)
{
    tessel_context *ctx = plan->ctx;
    const tessel_geometry *g = &plan->geo;
    RETURN_ERROR_IF(src->width != g->in_width || src->height != g->in_height ||
                        src->channels != plan->channels || src->dtype != plan->in_dtype,
                    ctx, TESSEL_ERR_PLAN_MISMATCH,
                    "source %dx%dx%d %s does not match the plan's %dx%dx%d %s", src->width,
                    src->height, src->channels, tessel_dtype_name(src->dtype), g->in_width,
                    g->in_height, plan->channels, tessel_dtype_name(plan->in_dtype));
    RETURN_ERROR_IF(dst->width != g->out_width || dst->height != g->out_height ||
                        dst->channels != plan->channels,
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "destination is %dx%dx%d but the output is %dx%dx%d", dst->width,
                    dst->height, dst->channels, g->out_width, g->out_height, plan->channels);
    RETURN_ERROR_IF(dst->dtype != plan->out_dtype, ctx, TESSEL_ERR_PLAN_MISMATCH,
                    "destination dtype %s does not match the plan's %s",
                    tessel_dtype_name(dst->dtype), tessel_dtype_name(plan->out_dtype));
    return TESSEL_OK;
}

tessel_status tessel_plan_execute(tessel_plan *plan, const tessel_image *src, tessel_image *dst)
{
    RETURN_ERROR_IF(!plan, NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL");
    tessel_context *ctx = plan->ctx;
    tessel_clear_error(ctx);
    FORWARD_IF_ERROR(tessel_image_check(ctx, "source", src, 1));
    FORWARD_IF_ERROR(tessel_image_check(ctx, "destination", dst, 1));
    FORWARD_IF_ERROR(tessel_plan_check_shapes(plan, src, dst));
    RETURN_ERROR_IF(images_overlap(src, dst), ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "destination overlaps the source (in-place convolution is not supported)");
    if (tessel_plan_is_tiled(plan)) return tessel_tiles_execute(plan, src, dst);
    return ctx->ops->plan_execute(plan, src, dst);
}

tessel_status tessel_plan_info(const tessel_plan *plan, tessel_plan_properties *info)
{
    RETURN_ERROR_IF(!plan, NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL");
    RETURN_ERROR_IF(!info, plan->ctx, TESSEL_ERR_NULL_POINTER, "info is NULL");
    tessel_plan_properties p = {0};
    p.struct_size = sizeof p;
    p.backend = plan->ctx->backend;
    p.backend_name = tessel_backend_name(p.backend);
    p.device_name = plan->ctx->device_name;
    p.method = plan->method;
    p.method_name = tessel_method_name(plan->method);
    p.method_reason = plan->method_reason;
    p.tiles_x = p.tiles_y = 1;
    p.tile_width = plan->geo.out_width;
    p.tile_height = plan->geo.out_height;
    p.kernel_family = plan->kernel_family;
    p.kernel_detail = plan->kernel_detail;
    if (tessel_plan_is_tiled(plan)) {
        const tessel_tiling *t = plan->tiling;
        p.kernel_family = t->tile_plan->kernel_family;
        p.kernel_detail = t->tile_plan->kernel_detail;
        p.method_reason = t->reason;
        p.tiles_x = t->cols;
        p.tiles_y = t->rows;
        p.tile_width = t->tile_w;
        p.tile_height = t->tile_h;
    }
    p.in_width = plan->geo.in_width;
    p.in_height = plan->geo.in_height;
    p.channels = plan->channels;
    p.in_dtype = plan->in_dtype;
    p.out_dtype = plan->out_dtype;
    p.out_width = plan->geo.out_width;
    p.out_height = plan->geo.out_height;
    p.kernel_width = plan->geo.kernel_width;
    p.kernel_height = plan->geo.kernel_height;
    p.threads = plan->ctx->threads;
    p.integer_path = tessel_integer_report(plan);
    return tessel_struct_write(plan->ctx, &tessel_plan_properties_kind, &p, info);
}

void tessel_plan_destroy(tessel_plan *plan)
{
    if (!plan) return;
    tessel_tiling_destroy(plan->tiling);
    tessel_plan_destroy(plan->band_plan);
    tessel_plan_free(plan);
}
