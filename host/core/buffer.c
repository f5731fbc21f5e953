/* Public buffer calls: validation here, storage and work in the backends. */
#include "buffer.h"

#include <stdlib.h>

#include "context.h"
#include "plan.h"
#include "tiles.h"

static tessel_status check_shape(tessel_context *ctx, int w, int h, int c, tessel_dtype d)
{
    tessel_image shape = {NULL, w, h, c, d, 0};
    return tessel_image_check(ctx, "buffer", &shape, 0);
}

static tessel_buffer *buffer_new(tessel_context *ctx, int w, int h, int c, tessel_dtype d)
{
    tessel_buffer *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    *b = (tessel_buffer){ctx, w, h, c, d, 0, NULL, NULL, 0};
    b->pitch = tessel_buffer_row_bytes(b);
    return b;
}

tessel_status tessel_buffer_create(tessel_context *context, int width, int height, int channels,
                                   tessel_dtype dtype, tessel_buffer **out_buffer)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!out_buffer, context, TESSEL_ERR_NULL_POINTER, "out_buffer is NULL");
    *out_buffer = NULL;
    FORWARD_IF_ERROR(check_shape(context, width, height, channels, dtype));
    tessel_buffer *b = buffer_new(context, width, height, channels, dtype);
    RETURN_ERROR_IF(!b, context, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a buffer");
    tessel_status s = context->ops->buffer_alloc(b);
    if (s != TESSEL_OK) {
        free(b);
        return s;
    }
    *out_buffer = b;
    return TESSEL_OK;
}

tessel_status tessel_buffer_wrap_cl(tessel_context *context, void *cl_mem, int width, int height,
                                    int channels, tessel_dtype dtype, size_t row_pitch,
                                    tessel_buffer **out_buffer)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!out_buffer, context, TESSEL_ERR_NULL_POINTER, "out_buffer is NULL");
    *out_buffer = NULL;
    RETURN_ERROR_IF(!cl_mem, context, TESSEL_ERR_NULL_POINTER, "cl_mem is NULL");
    RETURN_ERROR_IF(!context->cl_queue, context, TESSEL_ERR_UNSUPPORTED,
                    "wrapping a cl_mem needs a context on the OpenCL backend (this one is %s)",
                    context->ops->name);
    FORWARD_IF_ERROR(check_shape(context, width, height, channels, dtype));
    tessel_buffer *b = buffer_new(context, width, height, channels, dtype);
    RETURN_ERROR_IF(!b, context, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a buffer");
    if (row_pitch) b->pitch = row_pitch;
    const size_t sample = tessel_dtype_size(dtype);
    const size_t row = tessel_buffer_row_bytes(b);
    if (b->pitch < row || b->pitch % sample) {
        free(b);
        return tessel_fail(context, TESSEL_ERR_BAD_SIZE,
                           "row pitch %zu bytes is less than a row of %zu or not a multiple of "
                           "the %zu-byte sample",
                           row_pitch, row, sample);
    }
    b->device = cl_mem;
    b->wrapped = 1;
    tessel_status s = context->ops->buffer_alloc(b); /* checks and retains the cl_mem */
    if (s != TESSEL_OK) {
        free(b);
        return s;
    }
    *out_buffer = b;
    return TESSEL_OK;
}

void tessel_buffer_destroy(tessel_buffer *buffer)
{
    if (!buffer) return;
    buffer->ctx->ops->buffer_release(buffer);
    free(buffer);
}

tessel_status tessel_buffer_shape(const tessel_buffer *buffer, tessel_image *shape)
{
    RETURN_ERROR_IF(!buffer || !shape, NULL, TESSEL_ERR_NULL_POINTER, "buffer or shape is NULL");
    *shape = (tessel_image){NULL, buffer->width, buffer->height, buffer->channels, buffer->dtype, 0};
    return TESSEL_OK;
}

/* The host image must have exactly the buffer's shape. */
static tessel_status check_host_image(const tessel_buffer *b, const char *what,
                                      const tessel_image *img)
{
    tessel_context *ctx = b->ctx;
    FORWARD_IF_ERROR(tessel_image_check(ctx, what, img, 1));
    RETURN_ERROR_IF(img->width != b->width || img->height != b->height ||
                        img->channels != b->channels || img->dtype != b->dtype,
                    ctx, TESSEL_ERR_BAD_SIZE, "%s image %dx%dx%d %s does not match the %dx%dx%d %s buffer",
                    what, img->width, img->height, img->channels, tessel_dtype_name(img->dtype),
                    b->width, b->height, b->channels, tessel_dtype_name(b->dtype));
    return TESSEL_OK;
}

tessel_status tessel_buffer_upload(tessel_buffer *buffer, const tessel_image *src)
{
    RETURN_ERROR_IF(!buffer, NULL, TESSEL_ERR_NULL_POINTER, "buffer is NULL");
    tessel_clear_error(buffer->ctx);
    FORWARD_IF_ERROR(check_host_image(buffer, "source", src));
    return buffer->ctx->ops->buffer_upload(buffer, src);
}

tessel_status tessel_buffer_download(const tessel_buffer *buffer, tessel_image *dst)
{
    RETURN_ERROR_IF(!buffer, NULL, TESSEL_ERR_NULL_POINTER, "buffer is NULL");
    tessel_clear_error(buffer->ctx);
    FORWARD_IF_ERROR(check_host_image(buffer, "destination", dst));
    return buffer->ctx->ops->buffer_download(buffer, dst);
}

tessel_status tessel_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                          tessel_buffer *dst)
{
    RETURN_ERROR_IF(!plan, NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL");
    tessel_context *ctx = plan->ctx;
    tessel_clear_error(ctx);
    RETURN_ERROR_IF(!src || !dst, ctx, TESSEL_ERR_NULL_POINTER, "source or destination buffer is NULL");
    RETURN_ERROR_IF(src->ctx != ctx || dst->ctx != ctx, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "buffers belong to another context than the plan");
    RETURN_ERROR_IF(src == dst, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "destination buffer is the source (in-place convolution is not supported)");
    RETURN_ERROR_IF(ctx->ops->buffers_alias && ctx->ops->buffers_alias(src, dst), ctx,
                    TESSEL_ERR_INVALID_ARGUMENT,
                    "destination buffer shares memory with the source (in-place convolution is "
                    "not supported)");
    tessel_image src_shape, dst_shape;
    tessel_buffer_shape(src, &src_shape);
    tessel_buffer_shape(dst, &dst_shape);
    FORWARD_IF_ERROR(tessel_plan_check_shapes(plan, &src_shape, &dst_shape));
    RETURN_ERROR_IF(!plan->backend_state, ctx, TESSEL_ERR_UNSUPPORTED,
                    "the plan runs %s; buffers need the whole image and workspace on the "
                    "device: run it on host images (tessel_plan_execute)",
                    plan->tiling ? plan->tiling->how : "");
    return ctx->ops->plan_execute_buffers(plan, src, dst);
}

tessel_status tessel_convolve2d_buffers(tessel_context *context, const tessel_buffer *src,
                                        const tessel_kernel *kernel,
                                        const tessel_conv_options *options, tessel_buffer *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    RETURN_ERROR_IF(!src || !dst, context, TESSEL_ERR_NULL_POINTER,
                    "source or destination buffer is NULL");
    tessel_image shape;
    tessel_buffer_shape(src, &shape);
    tessel_plan *plan = NULL;
    FORWARD_IF_ERROR(tessel_plan_create(context, &shape, dst->dtype, kernel, options, &plan));
    tessel_status s = tessel_plan_execute_buffers(plan, src, dst);
    tessel_plan_destroy(plan); /* waits for nothing: the queue keeps what it needs */
    return s;
}

tessel_status tessel_buffer_combine(tessel_context *context, const tessel_buffer *a,
                                    const tessel_buffer *b, tessel_combine_op op,
                                    tessel_buffer *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    RETURN_ERROR_IF(!a || !b || !dst, context, TESSEL_ERR_NULL_POINTER, "a buffer is NULL");
    RETURN_ERROR_IF((unsigned)op > TESSEL_COMBINE_DIVIDE, context, TESSEL_ERR_INVALID_ARGUMENT,
                    "unknown combine operation %d", (int)op);
    RETURN_ERROR_IF(a->ctx != context || b->ctx != context || dst->ctx != context, context,
                    TESSEL_ERR_INVALID_ARGUMENT, "buffers belong to another context");
    RETURN_ERROR_IF(a->width != b->width || a->height != b->height || a->channels != b->channels ||
                        dst->width != a->width || dst->height != a->height ||
                        dst->channels != a->channels,
                    context, TESSEL_ERR_BAD_SIZE,
                    "combine needs equal shapes: %dx%dx%d, %dx%dx%d -> %dx%dx%d", a->width,
                    a->height, a->channels, b->width, b->height, b->channels, dst->width,
                    dst->height, dst->channels);
    return context->ops->combine(context, a, b, op, dst);
}

tessel_status tessel_finish(tessel_context *context)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    return context->ops->finish(context);
}

tessel_status tessel_context_cl_queue(const tessel_context *context, void **queue)
{
    RETURN_ERROR_IF(!context || !queue, NULL, TESSEL_ERR_NULL_POINTER, "context or queue is NULL");
    RETURN_ERROR_IF(!context->cl_queue, NULL, TESSEL_ERR_UNSUPPORTED,
                    "the context runs on the %s backend, which has no OpenCL queue",
                    context->ops->name);
    *queue = context->cl_queue;
    return TESSEL_OK;
}
