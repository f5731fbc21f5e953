/* The frequency-domain method on the CPU backend (FFTW3, single precision):
 * what the backend calls. A build without FFTW answers
 * TESSEL_ERR_UNSUPPORTED, naming what is missing. */
#ifndef TESSEL_CPU_FFT_H
#define TESSEL_CPU_FFT_H

#include "../core/error.h"
#include "cpu_plan.h"

#ifdef TESSEL_HAVE_FFTW

/* Transform sizes, buffers, FFTW plans (with `workers` threads) and the
 * kernel's spectrum, kept in cp->fft. Rows are loaded with cpu_load_row, so
 * cp's column map must be ready. */
tessel_status cpu_fft_prepare(tessel_plan *plan, cpu_plan *cp, int workers);
/* Runs job (cp->fft prepared); the steps around the transforms are shared
 * between the pool's workers. */
tessel_status cpu_fft_execute(tessel_pool *pool, cpu_job *job);
/* Accepts NULL and partly prepared state. */
void cpu_fft_release(cpu_fft *fft);

#else

#define CPU_FFT_MISSING                                                               \
    "method fft needs FFTW3 (fftw3f with threads), and this build of tessel was made " \
    "without it (TESSEL_FFTW=OFF, or fftw3f not found when it was configured)"

static inline tessel_status cpu_fft_prepare(tessel_plan *plan, cpu_plan *cp, int workers)
{
    (void)cp;
    (void)workers;
    return tessel_fail(plan->ctx, TESSEL_ERR_UNSUPPORTED, CPU_FFT_MISSING);
}

static inline tessel_status cpu_fft_execute(tessel_pool *pool, cpu_job *job)
{
    (void)pool;
    return tessel_fail(job->plan->ctx, TESSEL_ERR_UNSUPPORTED, CPU_FFT_MISSING);
}

/* Nothing was ever prepared. */
static inline void cpu_fft_release(cpu_fft *fft)
{
    (void)fft;
}

#endif

#endif
