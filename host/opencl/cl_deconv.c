/* Launches kernels_cl/deconv_damp.cl (see cl_deconv.h). */
#include "cl_deconv.h"

#include "cl_internal.h"
#include "core/buffer.h"
#include "cl_program.h"

#define GROUP 64

tessel_status tessel_cl_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                     const tessel_buffer *blurred, float half_t2, int power,
                                     tessel_buffer *ratio)
{
    tessel_cl_state *cl = ctx->backend_state;
    cl_kernel k = NULL;
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "deconv_damp.cl", NULL,
                                          "tessel_deconv_damped_ratio", &k));
    cl_mem d = data->device, b = blurred->device, r = ratio->device;
    const cl_ulong n = (cl_ulong)(data->pitch / sizeof(float)) * (cl_ulong)data->height;
    cl_int e = clSetKernelArg(k, 0, sizeof d, &d);
    e |= clSetKernelArg(k, 1, sizeof b, &b);
    e |= clSetKernelArg(k, 2, sizeof r, &r);
    e |= clSetKernelArg(k, 3, sizeof n, &n);
    e |= clSetKernelArg(k, 4, sizeof half_t2, &half_t2);
    const cl_int exponent = power;
    e |= clSetKernelArg(k, 5, sizeof exponent, &exponent);
    const size_t local = GROUP, global = tessel_cl_round_up((size_t)n, GROUP);
    if (e == CL_SUCCESS)
        e = clEnqueueNDRangeKernel(cl->queue, k, 1, NULL, &global, &local, 0, NULL, NULL);
    clReleaseKernel(k);
    RETURN_IF_CL_ERROR(ctx, e, "enqueueing the damped Richardson-Lucy ratio");
    return TESSEL_OK;
}
