/* Method fft-block on the OpenCL backend of a build made without clFFT: a
 * clear TESSEL_ERR_UNSUPPORTED (see cl_fft_block.h). */
#include "cl_fft_block.h"

#include <stddef.h>

tessel_status tessel_cl_fft_block_prepare(tessel_plan *plan, cl_state *cl, cl_fft_block **out)
{
    *out = NULL;
    return tessel_fail(plan->ctx, TESSEL_ERR_UNSUPPORTED,
                       "method fft-block on the opencl backend needs clFFT, and this build of "
                       "tessel was made without it (install clFFT, e.g. libclfft-dev, and "
                       "rebuild)");
}

/* Never reached: no plan of this method is ever prepared. */
tessel_status tessel_cl_fft_block_run(tessel_plan *plan, cl_state *cl, cl_fft_block *fb,
                                      cl_mem src, int src_pitch, cl_mem dst, int dst_pitch)
{
    return tessel_fail(plan->ctx, TESSEL_ERR_UNSUPPORTED,
                       "method fft-block on the opencl backend needs clFFT");
}

void tessel_cl_fft_block_destroy(cl_state *cl, cl_fft_block *fb)
{
}
