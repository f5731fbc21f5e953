/* Per-shape clFFT plans of one tessel plan (see cl_fft_plans.h). */
#include "cl_fft_plans.h"

#include <string.h>

static int same_shape(const tessel_cl_fft_shape *a, const tessel_cl_fft_shape *b)
{
    return a->complex == b->complex && a->inverse == b->inverse && a->length == b->length &&
           a->batch == b->batch;
}

tessel_status tessel_cl_fft_plans_get(tessel_cl_fft_plans *plans, tessel_context *ctx,
                                      tessel_cl_state *cl, const tessel_cl_fft_shape *shape,
                                      clfftPlanHandle *out)
{
    for (int i = 0; i < plans->count; ++i) {
        if (same_shape(&plans->entry[i].shape, shape)) {
            *out = plans->entry[i].handle;
            return TESSEL_OK;
        }
    }
    RETURN_ERROR_IF(plans->count == CL_FFT_MAX_PLANS, ctx, TESSEL_ERR_UNSUPPORTED,
                    "a plan may hold at most %d FFT sizes", CL_FFT_MAX_PLANS);
    size_t scratch = 0;
    clfftPlanHandle handle = 0;
    FORWARD_IF_ERROR(tessel_clfft_plan_bake(ctx, cl, shape, &handle, &scratch));
    plans->entry[plans->count].shape = *shape;
    plans->entry[plans->count].handle = handle;
    ++plans->count;
    if (scratch > plans->scratch_bytes) plans->scratch_bytes = scratch;
    *out = handle;
    return TESSEL_OK;
}

tessel_status tessel_cl_fft_plans_scratch(tessel_cl_fft_plans *plans, tessel_context *ctx,
                                          tessel_cl_state *cl, cl_mem *out)
{
    size_t have = 0;
    if (plans->scratch)
        clGetMemObjectInfo(plans->scratch, CL_MEM_SIZE, sizeof have, &have, NULL);
    if (plans->scratch_bytes > have) {
        RETURN_ERROR_IF(plans->scratch_bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                        "clFFT asks for a temporary buffer of %zu MiB, more than the device's "
                        "largest allocation (%llu MiB)",
                        plans->scratch_bytes >> 20, (unsigned long long)(cl->caps.max_alloc >> 20));
        if (plans->scratch) clReleaseMemObject(plans->scratch);
        plans->scratch = NULL;
        cl_int e;
        plans->scratch = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, plans->scratch_bytes, NULL, &e);
        RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (clFFT temporary)");
    }
    *out = plans->scratch;
    return TESSEL_OK;
}

void tessel_cl_fft_plans_clear(tessel_cl_fft_plans *plans)
{
    for (int i = 0; i < plans->count; ++i) tessel_clfft_plan_destroy(&plans->entry[i].handle);
    if (plans->scratch) clReleaseMemObject(plans->scratch);
    memset(plans, 0, sizeof *plans);
}
