/* Buffers on the OpenCL backend: device memory, rectangular transfers that
 * keep host row strides, runs and combinations enqueued in order. */
#include <stdio.h>

#include "cl_internal.h"
#include "cl_program.h"
#include "cl_tiles.h"
#include "core/buffer.h"
#include "core/memory_limit.h"
#include "core/plan.h"

tessel_status tessel_cl_buffer_alloc(tessel_buffer *b)
{
    tessel_context *ctx = b->ctx;
    tessel_cl_state *cl = ctx->backend_state;
    const size_t bytes = b->pitch * (size_t)b->height;
    if (b->wrapped) { /* the application's cl_mem: same context, large enough */
        cl_context owner = NULL;
        size_t size = 0;
        cl_int e = clGetMemObjectInfo((cl_mem)b->device, CL_MEM_CONTEXT, sizeof owner, &owner, NULL);
        if (e == CL_SUCCESS) e = clGetMemObjectInfo((cl_mem)b->device, CL_MEM_SIZE, sizeof size, &size, NULL);
        RETURN_IF_CL_ERROR(ctx, e, "clGetMemObjectInfo (wrapped cl_mem)");
        RETURN_ERROR_IF(owner != cl->context, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                        "the cl_mem belongs to another OpenCL context than tessel's");
        RETURN_ERROR_IF(size < bytes, ctx, TESSEL_ERR_BAD_SIZE,
                        "the cl_mem holds %zu bytes but %d rows of %zu bytes need %zu", size,
                        b->height, b->pitch, bytes);
        return clRetainMemObject((cl_mem)b->device) == CL_SUCCESS
                   ? TESSEL_OK
                   : tessel_fail(ctx, TESSEL_ERR_BACKEND, "clRetainMemObject failed");
    }
    const size_t usable = tessel_cl_usable_memory(cl);
    char need_text[32], usable_text[32];
    RETURN_ERROR_IF(bytes > usable, ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "a %dx%dx%d %s buffer of %s exceeds the %s of device memory tessel may use%s "
                    "(buffers are not tiled; host images are)",
                    b->width, b->height, b->channels, tessel_dtype_name(b->dtype),
                    tessel_bytes_text(bytes, need_text, sizeof need_text),
                    tessel_bytes_text(usable, usable_text, sizeof usable_text),
                    cl->memory_limit && usable == cl->memory_limit
                        ? " (TESSEL_DEVICE_MEMORY_LIMIT)"
                        : "");
    RETURN_ERROR_IF(bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                    "a buffer of %zu MiB exceeds the device's largest allocation (%llu MiB)",
                    bytes >> 20, (unsigned long long)(cl->caps.max_alloc >> 20));
    cl_int e;
    b->device = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, bytes, NULL, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (tessel_buffer)");
    return TESSEL_OK;
}

void tessel_cl_buffer_release(tessel_buffer *b)
{
    if (!b->device) return;
    tessel_cl_state *cl = b->ctx->backend_state;
    clFinish(cl->queue); /* pending work may still use it */
    clReleaseMemObject((cl_mem)b->device);
    b->device = NULL;
}

/* Whole rows both sides: one contiguous copy, which drivers (and
 * Oclgrind's uninitialised-memory check, which follows only the first row
 * of a rectangular write) handle best. */
static int contiguous(const tessel_buffer *b, const tessel_image *host)
{
    const size_t row = tessel_buffer_row_bytes(b);
    return b->pitch == row && tessel_image_row_bytes(host) == row;
}

tessel_status tessel_cl_buffer_upload(tessel_buffer *b, const tessel_image *src)
{
    tessel_cl_state *cl = b->ctx->backend_state;
    const size_t origin[3] = {0, 0, 0};
    const size_t region[3] = {tessel_buffer_row_bytes(b), (size_t)b->height, 1};
    FORWARD_IF_ERROR(tessel_cl_fence(b->ctx, cl));
    const cl_int e =
        contiguous(b, src)
            ? clEnqueueWriteBuffer(cl->queue, (cl_mem)b->device, CL_TRUE, 0,
                                   b->pitch * (size_t)b->height, src->data, 0, NULL, NULL)
            : clEnqueueWriteBufferRect(cl->queue, (cl_mem)b->device, CL_TRUE, origin, origin,
                                       region, b->pitch, 0, tessel_image_row_bytes(src), 0,
                                       src->data, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(b->ctx, e, "writing the buffer (upload)");
    return TESSEL_OK;
}

tessel_status tessel_cl_buffer_download(const tessel_buffer *b, const tessel_image *dst)
{
    tessel_cl_state *cl = b->ctx->backend_state;
    const size_t origin[3] = {0, 0, 0};
    const size_t region[3] = {tessel_buffer_row_bytes(b), (size_t)b->height, 1};
    FORWARD_IF_ERROR(tessel_cl_fence(b->ctx, cl));
    const cl_int e =
        contiguous(b, dst)
            ? clEnqueueReadBuffer(cl->queue, (cl_mem)b->device, CL_TRUE, 0,
                                  b->pitch * (size_t)b->height, dst->data, 0, NULL, NULL)
            : clEnqueueReadBufferRect(cl->queue, (cl_mem)b->device, CL_TRUE, origin, origin,
                                      region, b->pitch, 0, tessel_image_row_bytes(dst), 0,
                                      dst->data, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(b->ctx, e, "reading the buffer (download)");
    return TESSEL_OK;
}

static int pitch_samples(const tessel_buffer *b)
{
    return (int)(b->pitch / tessel_dtype_size(b->dtype));
}

tessel_status tessel_cl_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                             const tessel_buffer *dst)
{
    return tessel_cl_run_passes(plan, (cl_mem)src->device, pitch_samples(src),
                                (cl_mem)dst->device, pitch_samples(dst));
}

tessel_status tessel_cl_combine(tessel_context *ctx, const tessel_buffer *a, const tessel_buffer *b,
                                tessel_combine_op op, const tessel_buffer *dst)
{
    tessel_cl_state *cl = ctx->backend_state;
    cl_kernel k = NULL;
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "combine.cl", NULL, "tessel_combine", &k));
    cl_mem ma = a->device, mb = b->device, md = dst->device;
    cl_int pa = pitch_samples(a), pb = pitch_samples(b), pd = pitch_samples(dst);
    cl_int ta = (cl_int)a->dtype, tb = (cl_int)b->dtype, td = (cl_int)dst->dtype;
    cl_int n = a->width * a->channels, rows = a->height, code = (cl_int)op;
    const struct {
        size_t size;
        const void *value;
    } args[] = {{sizeof ma, &ma}, {sizeof pa, &pa}, {sizeof ta, &ta}, {sizeof mb, &mb},
                {sizeof pb, &pb}, {sizeof tb, &tb}, {sizeof md, &md}, {sizeof pd, &pd},
                {sizeof td, &td}, {sizeof n, &n},   {sizeof rows, &rows}, {sizeof code, &code}};
    cl_int e = CL_SUCCESS;
    for (cl_uint i = 0; i < sizeof args / sizeof args[0]; ++i)
        e |= clSetKernelArg(k, i, args[i].size, args[i].value);
    const size_t local[2] = {64, 1};
    const size_t global[2] = {tessel_cl_round_up((size_t)n, 64), (size_t)rows};
    tessel_status s = e == CL_SUCCESS ? tessel_cl_launch(ctx, cl, k, 2, global, local,
                                                         "clEnqueueNDRangeKernel (combine)")
                                      : tessel_fail(ctx, TESSEL_ERR_BACKEND,
                                                    "clSetKernelArg failed for the combine kernel");
    clReleaseKernel(k);
    return s;
}

/* The buffer's cl_mem as a byte range of the memory object at its root
 * (a sub-buffer's parent); 0 when OpenCL cannot say. */
static int byte_range(const tessel_buffer *b, cl_mem *root, size_t *first, size_t *end)
{
    cl_mem mem = (cl_mem)b->device, parent = NULL;
    size_t offset = 0;
    if (clGetMemObjectInfo(mem, CL_MEM_ASSOCIATED_MEMOBJECT, sizeof parent, &parent, NULL) !=
            CL_SUCCESS ||
        (parent && clGetMemObjectInfo(mem, CL_MEM_OFFSET, sizeof offset, &offset, NULL) !=
                       CL_SUCCESS))
        return 0;
    *root = parent ? parent : mem;
    *first = offset;
    *end = offset + b->pitch * (size_t)b->height;
    return 1;
}

int tessel_cl_buffers_alias(const tessel_buffer *a, const tessel_buffer *b)
{
    if (a->device == b->device) return 1;
    cl_mem ra, rb;
    size_t a0, a1, b0, b1;
    if (!byte_range(a, &ra, &a0, &a1) || !byte_range(b, &rb, &b0, &b1)) return 0;
    return ra == rb && a0 < b1 && b0 < a1;
}

tessel_status tessel_cl_finish(tessel_context *ctx)
{
    tessel_cl_state *cl = ctx->backend_state;
    cl_int e = clFinish(cl->queue);
    RETURN_IF_CL_ERROR(ctx, e, "clFinish");
    return TESSEL_OK;
}
