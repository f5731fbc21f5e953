/* Plans: validation, geometry, method choice and the backend hand-off. */
#include "plan.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "cost_model.h"
#include "kernel.h"
#include "sizes.h"
#include "tiles.h"

size_t tessel_image_row_bytes(const tessel_image *img)
{
    if (img->stride) return img->stride;
    return (size_t)img->width * (size_t)img->channels * tessel_dtype_size(img->dtype);
}

tessel_status tessel_image_check(tessel_context *ctx, const char *what, const tessel_image *img,
                                 int require_data)
{
    RETURN_ERROR_IF(!img, ctx, TESSEL_ERR_NULL_POINTER, "%s image is NULL", what);
    RETURN_ERROR_IF(require_data && !img->data, ctx, TESSEL_ERR_NULL_POINTER,
                    "%s image data is NULL", what);
    RETURN_ERROR_IF(img->width <= 0 || img->height <= 0, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image size %dx%d is not positive", what, img->width, img->height);
    RETURN_ERROR_IF(img->channels < 1 || img->channels > 4, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image has %d channels (1 to 4 are supported)", what, img->channels);
    size_t sample = tessel_dtype_size(img->dtype);
    RETURN_ERROR_IF(sample == 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "%s image has unknown dtype %d", what, (int)img->dtype);
    size_t packed = (size_t)img->width * (size_t)img->channels * sample;
    RETURN_ERROR_IF(img->stride != 0 && img->stride < packed, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image row stride %zu bytes is less than a row of %zu bytes", what,
                    img->stride, packed);
    RETURN_ERROR_IF(img->stride % sample != 0, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image row stride %zu bytes is not a multiple of the %zu-byte sample",
                    what, img->stride, sample);
    size_t bytes;
    RETURN_ERROR_IF(!tessel_size_product(tessel_image_row_bytes(img), (size_t)img->height, 1,
                                         &bytes),
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image of %dx%d overflows the address space", what, img->width,
                    img->height);
    return TESSEL_OK;
}

static tessel_status choose_method(tessel_plan *plan, const tessel_kernel *k,
                                   tessel_method requested)
{
    tessel_context *ctx = plan->ctx;
    if (requested == TESSEL_METHOD_FFT || requested == TESSEL_METHOD_FFT_BLOCK) {
        /* the backend says whether it can */
        plan->method = requested;
        plan->method_reason = "requested";
    } else if (requested == TESSEL_METHOD_SEPARABLE) {
        RETURN_ERROR_IF(!k->separable, ctx, TESSEL_ERR_UNSUPPORTED,
                        "kernel %dx%d is not separable (rank > 1); use method direct or auto",
                        k->width, k->height);
        plan->method = TESSEL_METHOD_SEPARABLE;
        plan->method_reason = "requested";
    } else if (requested == TESSEL_METHOD_DIRECT) {
        plan->method = TESSEL_METHOD_DIRECT;
        plan->method_reason = "requested";
    } else {
        /* AUTO: the cheapest by the backend's cost model (cost_model.h). */
        const int separable = k->separable && k->width > 1 && k->height > 1;
        plan->method = tessel_cost_choose(plan, separable, plan->method_reason_text,
                                          sizeof plan->method_reason_text);
        plan->method_reason = plan->method_reason_text;
    }
    return TESSEL_OK;
}

/* Taps in correlation orientation: reversed for convolution. */
static float *oriented_copy(const float *v, size_t n, int reverse)
{
    float *out = malloc(n * sizeof(float));
    if (!out) return NULL;
    for (size_t t = 0; t < n; ++t) out[t] = reverse ? v[n - 1 - t] : v[t];
    return out;
}

static tessel_status copy_taps(tessel_plan *plan, const tessel_kernel *k, int correlate)
{
    size_t n = (size_t)k->width * k->height;
    plan->taps = oriented_copy(k->coeffs, n, !correlate);
    if (plan->taps && plan->method == TESSEL_METHOD_SEPARABLE) {
        plan->row_taps = oriented_copy(k->row, (size_t)k->width, !correlate);
        plan->column_taps = oriented_copy(k->column, (size_t)k->height, !correlate);
        if (!plan->row_taps || !plan->column_taps) {
            free(plan->taps);
            plan->taps = NULL;
        }
    }
    RETURN_ERROR_IF(!plan->taps, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a %dx%d kernel", k->width, k->height);
    return TESSEL_OK;
}

static void plan_free(tessel_plan *plan)
{
    tessel_tiles_destroy(plan->tiles);
    if (plan->backend_state) plan->ctx->ops->plan_release(plan);
    free(plan->taps);
    free(plan->row_taps);
    free(plan->column_taps);
    free(plan);
}

static tessel_status plan_fill(tessel_plan *plan, const tessel_image *src, tessel_dtype dst_dtype,
                               const tessel_kernel *kernel, const tessel_conv_options *options,
                               const tessel_spectral_filter *filter)
{
    tessel_context *ctx = plan->ctx;
    tessel_conv_options o;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_options_resolve(options, &o, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", err);
    s = tessel_geometry_make(src->width, src->height, kernel->width, kernel->height, &o,
                             &plan->geo, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", err);
    plan->channels = src->channels;
    plan->in_dtype = src->dtype;
    plan->out_dtype = dst_dtype;
    plan->border = o.border;
    plan->cval = (float)o.cval;
    plan->scale = (float)o.scale;
    plan->offset = (float)o.offset;
    plan->absolute = o.absolute != 0;
    FORWARD_IF_ERROR(choose_method(plan, kernel, o.method));
    if (filter) {
        /* Only the frequency-domain method has a spectrum to filter. */
        RETURN_ERROR_IF(o.method != TESSEL_METHOD_FFT, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                        "a spectral filter needs method fft, not %s", tessel_method_name(o.method));
        plan->filter = *filter;
    }
    FORWARD_IF_ERROR(copy_taps(plan, kernel, o.correlate));
    /* A plan whose image or workspace does not fit the device runs in
     * tiles, each through a sub-plan: the whole never gets prepared. */
    if (!plan->tile_part && !filter) FORWARD_IF_ERROR(tessel_tiles_plan(plan));
    if (!plan->tiles) FORWARD_IF_ERROR(ctx->ops->plan_prepare(plan));
    tessel_log(ctx, TESSEL_LOG_DEBUG, "plan %dx%dx%d %s -> %dx%d %s, kernel %dx%d, %s (%s)",
               src->width, src->height, src->channels, tessel_dtype_name(src->dtype),
               plan->geo.out_width, plan->geo.out_height, tessel_dtype_name(dst_dtype),
               kernel->width, kernel->height, tessel_method_name(plan->method),
               plan->method_reason);
    return TESSEL_OK;
}

static tessel_status plan_create(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options,
                                 const tessel_spectral_filter *filter, int tile_part,
                                 tessel_plan **out_plan)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!out_plan, context, TESSEL_ERR_NULL_POINTER, "out_plan is NULL");
    *out_plan = NULL;
    RETURN_ERROR_IF(!kernel, context, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    FORWARD_IF_ERROR(tessel_image_check(context, "source", src_shape, 0));
    RETURN_ERROR_IF(tessel_dtype_size(dst_dtype) == 0, context, TESSEL_ERR_INVALID_ARGUMENT,
                    "unknown destination dtype %d", (int)dst_dtype);
    tessel_plan *plan = calloc(1, sizeof *plan);
    RETURN_ERROR_IF(!plan, context, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a plan");
    plan->ctx = context;
    plan->tile_part = tile_part;
    tessel_status s = plan_fill(plan, src_shape, dst_dtype, kernel, options, filter);
    if (s != TESSEL_OK) {
        plan_free(plan);
        return s;
    }
    *out_plan = plan;
    return TESSEL_OK;
}

tessel_status tessel_plan_create(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options, tessel_plan **out_plan)
{
    return tessel_plan_create_part(context, src_shape, dst_dtype, kernel, options, 0, out_plan);
}

tessel_status tessel_plan_create_part(tessel_context *context, const tessel_image *src_shape,
                                      tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                      const tessel_conv_options *options, int tile_part,
                                      tessel_plan **out_plan)
{
    return plan_create(context, src_shape, dst_dtype, kernel, options, NULL, tile_part, out_plan);
}

tessel_status tessel_plan_create_filtered(tessel_context *context, const tessel_image *src_shape,
                                          tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                          const tessel_conv_options *options,
                                          const tessel_spectral_filter *filter,
                                          tessel_plan **out_plan)
{
    return plan_create(context, src_shape, dst_dtype, kernel, options, filter, 0, out_plan);
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
    if (plan->tiles && plan->tiles->tile_plan) return tessel_tiles_execute(plan, src, dst);
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
    if (plan->tiles && plan->tiles->tile_plan) {
        p.method_reason = plan->tiles->reason;
        p.tiles_x = plan->tiles->cols;
        p.tiles_y = plan->tiles->rows;
        p.tile_width = plan->tiles->tile_w;
        p.tile_height = plan->tiles->tile_h;
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
    /* Copy no more than the caller's struct holds (older, smaller callers). */
    size_t n = info->struct_size && info->struct_size < sizeof p ? info->struct_size : sizeof p;
    p.struct_size = (uint32_t)n; /* the caller's size stays its own */
    memcpy(info, &p, n);
    return TESSEL_OK;
}

void tessel_plan_destroy(tessel_plan *plan)
{
    if (plan) plan_free(plan);
}
