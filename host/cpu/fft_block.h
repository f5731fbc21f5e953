/* Method fft-block on the CPU backend: overlap-save convolution in blocks
 * small enough to stay in cache, each block transformed with FFTW on one
 * worker of the pool (no FFTW threads), so memory stays bounded whatever
 * the image size. A build without FFTW compiles fftw_missing.c instead,
 * which answers TESSEL_ERR_UNSUPPORTED naming what is missing. */
#ifndef TESSEL_CPU_FFT_BLOCK_H
#define TESSEL_CPU_FFT_BLOCK_H

#include "core/error.h"
#include "cpu_plan.h"

/* Block size, FFTW plans, the kernel's spectrum at block size and the
 * workers' buffers, kept in cp->fft_block. Rows are loaded through cp's
 * column map, which must be ready. */
tessel_status tessel_cpu_fft_block_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers);
/* Runs job (cp->fft_block prepared): the pool's workers take whole blocks. */
tessel_status tessel_cpu_fft_block_execute(tessel_pool *pool, tessel_cpu_job *job);
/* Accepts NULL and partly prepared state. */
void tessel_cpu_fft_block_release(tessel_cpu_fft_block *fb);

#endif
