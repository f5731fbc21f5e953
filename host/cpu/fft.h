/* The frequency-domain method on the CPU backend (FFTW3, single precision):
 * what the backend calls. A build without FFTW compiles fftw_missing.c
 * instead, which answers TESSEL_ERR_UNSUPPORTED naming what is missing. */
#ifndef TESSEL_CPU_FFT_H
#define TESSEL_CPU_FFT_H

#include "core/error.h"
#include "core/geometry.h"
#include "cpu_plan.h"

/* The sizes method fft works at for geometry g: the border-extended input
 * E of ext_height x ext_width (fft_state.h) and the transform sizes it is
 * padded to (factors 2, 3, 5, 7). Preparing and the cost estimate both use
 * it. */
typedef struct tessel_cpu_fft_sizes {
    long long ext_height, ext_width;
    int size_y, size_x;
} tessel_cpu_fft_sizes;

/* 1 with *out filled, 0 when no transform size fits in an int (or the
 * build has no FFTW). */
int tessel_cpu_fft_layout(const tessel_geometry *g, tessel_cpu_fft_sizes *out);

/* Transform sizes, buffers, FFTW plans (with `workers` threads) and the
 * kernel's spectrum, kept in cp->fft. Rows are loaded with tessel_cpu_load_row, so
 * cp's column map must be ready. */
tessel_status tessel_cpu_fft_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers);
/* Runs job (cp->fft prepared); the steps around the transforms are shared
 * between the pool's workers. */
tessel_status tessel_cpu_fft_execute(tessel_pool *pool, tessel_cpu_job *job);
/* Accepts NULL and partly prepared state. */
void tessel_cpu_fft_release(tessel_cpu_fft *fft);

#endif
