/* The OpenCL backend's frequency domain in a build made without clFFT: what
 * cl_fft.h, cl_fft_block.h and cl_estimates.h declare for methods fft and
 * fft-block, answering TESSEL_ERR_UNSUPPORTED with what is missing, or, for
 * the estimates, that these methods are not available. */
#include <stddef.h>

#include "cl_estimates.h"
#include "cl_fft.h"
#include "cl_fft_block.h"

static tessel_status no_clfft(tessel_context *ctx, const char *method)
{
    return tessel_fail(ctx, TESSEL_ERR_UNSUPPORTED,
                       "method %s on the opencl backend needs clFFT, and this build of tessel "
                       "was made without it (install clFFT, e.g. libclfft-dev, and rebuild)",
                       method);
}

tessel_status tessel_cl_fft_prepare(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft **out)
{
    *out = NULL;
    return no_clfft(plan->ctx, "fft");
}

/* Never reached: no plan of these methods is ever prepared. */
tessel_status tessel_cl_fft_run(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft *fft,
                                cl_mem src, int src_pitch, cl_mem dst, int dst_pitch)
{
    return no_clfft(plan->ctx, "fft");
}

void tessel_cl_fft_describe(const tessel_cl_fft *fft, char *out, size_t size)
{
    if (size) out[0] = '\0';
}

void tessel_cl_fft_destroy(tessel_cl_state *cl, tessel_cl_fft *fft)
{
}

void tessel_cl_fft_context_release(tessel_cl_state *cl)
{
}

tessel_status tessel_cl_fft_block_prepare(tessel_plan *plan, tessel_cl_state *cl,
                                          tessel_cl_fft_block **out)
{
    *out = NULL;
    return no_clfft(plan->ctx, "fft-block");
}

tessel_status tessel_cl_fft_block_run(tessel_plan *plan, tessel_cl_state *cl,
                                      tessel_cl_fft_block *fb, cl_mem src, int src_pitch,
                                      cl_mem dst, int dst_pitch)
{
    return no_clfft(plan->ctx, "fft-block");
}

void tessel_cl_fft_block_describe(const tessel_cl_fft_block *fb, char *out, size_t size)
{
    if (size) out[0] = '\0';
}

void tessel_cl_fft_block_destroy(tessel_cl_state *cl, tessel_cl_fft_block *fb)
{
}

void tessel_cl_fft_cost(const tessel_plan *plan, tessel_cost_work *w)
{
}

void tessel_cl_fft_block_cost(const tessel_plan *plan, tessel_cost_work *w)
{
}

void tessel_cl_fft_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
}

void tessel_cl_fft_block_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
}
