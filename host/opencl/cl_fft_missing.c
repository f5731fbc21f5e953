/* Method fft on the OpenCL backend of a build made without clFFT: a clear
 * TESSEL_ERR_UNSUPPORTED (see cl_fft.h). */
#include "cl_fft.h"

#include <stddef.h>

static tessel_status no_clfft(tessel_context *ctx)
{
    return tessel_fail(ctx, TESSEL_ERR_UNSUPPORTED,
                       "method fft on the opencl backend needs clFFT, and this build of tessel "
                       "was made without it (install clFFT, e.g. libclfft-dev, and rebuild)");
}

tessel_status tessel_cl_fft_prepare(tessel_plan *plan, cl_state *cl, cl_fft **out)
{
    *out = NULL;
    return no_clfft(plan->ctx);
}

tessel_status tessel_cl_fft_run(tessel_plan *plan, cl_state *cl, cl_fft *fft, cl_mem src,
                                int src_pitch, cl_mem dst, int dst_pitch)
{
    return no_clfft(plan->ctx);
}

void tessel_cl_fft_destroy(cl_state *cl, cl_fft *fft)
{
}

void tessel_cl_fft_context_release(cl_state *cl)
{
}
