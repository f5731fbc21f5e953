/* What a plan of method fft-block keeps between runs (made by
 * fft_block_plan.c, used by fft_block_run.c and fft_block_load.c).
 *
 * A worker's buffer holds one real plane per channel (the block's input,
 * later its correlation), one spectrum and one staging row. The spectrum
 * is out of place: with the x axis transformed it has size.y rows of
 * size.x/2+1 complex values, with only y transformed size.y/2+1 rows of
 * size.x. The FFTW plans are made once on worker 0's buffer and run on
 * every worker's through FFTW's new-array execute calls (thread-safe; all
 * buffers share the planned alignment and strides). */
#ifndef TESSEL_CPU_FFT_BLOCK_STATE_H
#define TESSEL_CPU_FFT_BLOCK_STATE_H

#include <fftw3.h>
#include <stddef.h>

#include "fft_block.h"
#include "fft_block_size.h"

struct tessel_cpu_fft_block {
    tessel_cpu_fft_block_axis y, x;
    size_t real_row;        /* floats between rows of a real plane */
    size_t plane_floats;    /* floats per real plane (rounded for alignment) */
    size_t complex_rows, complex_row; /* the spectrum: rows of complex values */
    size_t spectrum_floats; /* floats of a spectrum (rounded for alignment) */
    size_t stage_floats;    /* one block row of every channel, interleaved */
    size_t worker_floats;   /* a worker's whole buffer */
    float **buffers;        /* one per worker (fftwf_malloc) */
    int workers;
    /* conj(DFT(taps)) / (transform size): kernel_rows x kernel_cols complex
     * values; a count of 1 is the same value for every row or column. */
    float *kernel_spectrum;
    size_t kernel_rows, kernel_cols;
    fftwf_plan forward, inverse;
    long long blocks;       /* blocks in all */
    long long blocks_per_task;
    int tasks;
    unsigned planner;       /* FFTW planner flags */
    int time_limited;       /* planner not chosen by the user: FFTW's time limit */
};

/* fft_block_load.c: samples of row e of E (E[e][j] = in[e + origin_y][j +
 * origin_x] under the border rule), columns j0 + i*step for i < n, all
 * channels interleaved into dst; rows and columns past E's extent (fb->y,
 * fb->x) are zeros. */
void tessel_cpu_fft_block_load_span(const tessel_cpu_job *job, long long e, long long j0, int n,
                                    int step, float *dst);

#endif
