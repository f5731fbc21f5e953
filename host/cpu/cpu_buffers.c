/* Buffers on the CPU backend: plain host memory, so every buffer call is a
 * copy or a run on host views, and nothing is ever pending. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buffer.h"
#include "core/context.h"
#include "core/plan.h"
#include "cpu_internal.h"

tessel_status tessel_cpu_buffer_alloc(tessel_buffer *b)
{
    b->host = malloc(b->pitch * (size_t)b->height);
    RETURN_ERROR_IF(!b->host, b->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a %dx%dx%d %s buffer", b->width, b->height, b->channels,
                    tessel_dtype_name(b->dtype));
    return TESSEL_OK;
}

void tessel_cpu_buffer_release(tessel_buffer *b)
{
    free(b->host);
    b->host = NULL;
}

static void copy_rows(const tessel_image *from, const tessel_image *to)
{
    const size_t row = (size_t)from->width * from->channels * tessel_dtype_size(from->dtype);
    for (int y = 0; y < from->height; ++y)
        memcpy((char *)to->data + (size_t)y * tessel_image_row_bytes(to),
               (const char *)from->data + (size_t)y * tessel_image_row_bytes(from), row);
}

tessel_status tessel_cpu_buffer_upload(tessel_buffer *b, const tessel_image *src)
{
    tessel_image view = tessel_buffer_view(b);
    copy_rows(src, &view);
    return TESSEL_OK;
}

tessel_status tessel_cpu_buffer_download(const tessel_buffer *b, const tessel_image *dst)
{
    tessel_image view = tessel_buffer_view(b);
    copy_rows(&view, dst);
    return TESSEL_OK;
}

tessel_status tessel_cpu_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                              const tessel_buffer *dst)
{
    tessel_image in = tessel_buffer_view(src), out = tessel_buffer_view(dst);
    return tessel_cpu_plan_execute(plan, &in, &out);
}

static float combine_one(tessel_combine_op op, float a, float b)
{
    switch (op) {
    case TESSEL_COMBINE_ADD: return a + b;
    case TESSEL_COMBINE_SUBTRACT: return a - b;
    case TESSEL_COMBINE_MULTIPLY: return a * b;
    case TESSEL_COMBINE_MAGNITUDE: return sqrtf(a * a + b * b);
    case TESSEL_COMBINE_DIVIDE: return b != 0.0f ? a / b : 0.0f;
    }
    return 0.0f;
}

/* Row by row through float: load both rows, combine, store with the
 * backend's saturating conversion. */
tessel_status tessel_cpu_combine(tessel_context *ctx, const tessel_buffer *a,
                                 const tessel_buffer *b, tessel_combine_op op,
                                 const tessel_buffer *dst)
{
    const tessel_converters *cv = tessel_cpu_converters(ctx);
    const size_t n = (size_t)a->width * a->channels;
    float *fa = malloc(2 * n * sizeof(float));
    RETURN_ERROR_IF(!fa, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for two rows of %zu floats",
                    n);
    float *fb = fa + n;
    const tessel_store_params identity = {1.0f, 0.0f, 0};
    for (int y = 0; y < a->height; ++y) {
        cv->load[a->dtype]((const char *)a->host + (size_t)y * a->pitch, fa, n);
        cv->load[b->dtype]((const char *)b->host + (size_t)y * b->pitch, fb, n);
        for (size_t k = 0; k < n; ++k) fa[k] = combine_one(op, fa[k], fb[k]);
        cv->store[dst->dtype](fa, (char *)dst->host + (size_t)y * dst->pitch, n, &identity);
    }
    free(fa);
    return TESSEL_OK;
}

tessel_status tessel_cpu_finish(tessel_context *ctx)
{
    (void)ctx;
    return TESSEL_OK;
}
