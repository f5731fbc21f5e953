/* Order on the context's queue (cl_internal.h). An application may hand
 * tessel an out-of-order queue (tessel_context_options.cl_queue), where a
 * command may run before one enqueued earlier: the column pass before the
 * row pass that writes its input, a kernel before the upload it reads. On
 * such a queue every command tessel enqueues sits between two barriers, so
 * that it runs after everything enqueued before it (tessel's or the
 * application's) and before everything enqueued after it. */
#include "cl_internal.h"

tessel_status tessel_cl_fence(tessel_context *ctx, tessel_cl_state *cl)
{
    if (!cl->out_of_order) return TESSEL_OK;
    const cl_int e = clEnqueueBarrierWithWaitList(cl->queue, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueBarrierWithWaitList (ordering an out-of-order queue)");
    return TESSEL_OK;
}

tessel_status tessel_cl_launch(tessel_context *ctx, tessel_cl_state *cl, cl_kernel kernel,
                               cl_uint dims, const size_t *global, const size_t *local,
                               const char *what)
{
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    const cl_int e = clEnqueueNDRangeKernel(cl->queue, kernel, dims, NULL, global, local, 0, NULL,
                                            NULL);
    RETURN_IF_CL_ERROR(ctx, e, what);
    return tessel_cl_fence(ctx, cl);
}
