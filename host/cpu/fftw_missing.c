/* The CPU backend's frequency domain in a build made without FFTW: what
 * fft.h, fft_block.h, fft_block_size.h and fftw_wisdom.h declare, answering
 * TESSEL_ERR_UNSUPPORTED with what is missing, or that there is nothing to
 * do. No layout exists, so the cost model never offers these methods. */
#include "fft.h"
#include "fft_block.h"
#include "fft_block_size.h"
#include "fftw_wisdom.h"

#define NO_FFTW                                                                            \
    "needs FFTW3 (fftw3f with threads), and this build of tessel was made without it "   \
    "(TESSEL_FFTW=OFF, or fftw3f not found when it was configured)"

int tessel_cpu_fft_layout(const tessel_geometry *g, tessel_cpu_fft_sizes *out)
{
    return 0;
}

int tessel_cpu_fft_block_choose(const tessel_geometry *g, int workers, tessel_cpu_fft_block_axis *y,
                                tessel_cpu_fft_block_axis *x)
{
    return 0;
}

tessel_status tessel_cpu_fft_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers)
{
    return tessel_fail(plan->ctx, TESSEL_ERR_UNSUPPORTED, "method fft " NO_FFTW);
}

/* Never reached: no plan of these methods is ever prepared. */
tessel_status tessel_cpu_fft_execute(tessel_pool *pool, tessel_cpu_job *job)
{
    return tessel_fail(job->plan->ctx, TESSEL_ERR_UNSUPPORTED, "method fft " NO_FFTW);
}

void tessel_cpu_fft_release(tessel_cpu_fft *fft)
{
}

tessel_status tessel_cpu_fft_block_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers)
{
    return tessel_fail(plan->ctx, TESSEL_ERR_UNSUPPORTED, "method fft-block " NO_FFTW);
}

tessel_status tessel_cpu_fft_block_execute(tessel_pool *pool, tessel_cpu_job *job)
{
    return tessel_fail(job->plan->ctx, TESSEL_ERR_UNSUPPORTED, "method fft-block " NO_FFTW);
}

void tessel_cpu_fft_block_release(tessel_cpu_fft_block *fb)
{
}

void tessel_fftw_wisdom_load(tessel_context *ctx)
{
}

void tessel_fftw_wisdom_save(tessel_context *ctx, int create)
{
}
