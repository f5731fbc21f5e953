/* What a plan of the frequency-domain method keeps between runs (shared by
 * fft_plan.c, which makes it, and fft_run.c, which uses it).
 *
 * The dense output kept is Dh x Dw = ((oh-1)*sy+1) x ((ow-1)*sx+1); it is a
 * valid-mode correlation of the border-extended input E of
 * (Dh+kh-1) x (Dw+kw-1), E[y][x] = in[y+origin_y][x+origin_x] under the
 * border rule. A circular correlation of size >= E per axis does not wrap
 * into the part kept, so E is padded with zeros to a 7-smooth size. */
#ifndef TESSEL_CPU_FFT_STATE_H
#define TESSEL_CPU_FFT_STATE_H

#include <fftw3.h>
#include <stddef.h>

#include "fft.h"

struct tessel_cpu_fft {
    int ext_height, ext_width; /* E's rows and columns */
    int size_y, size_x;        /* transform sizes Ph x Pw (>= E, factors 2, 3, 5, 7) */
    size_t row_floats;         /* 2*(Pw/2+1): a row in FFTW's in-place real layout */
    size_t spectrum_count;     /* complex values per channel: Ph*(Pw/2+1) */
    size_t plane_floats;       /* floats per channel plane (Ph rows, rounded up) */
    float *planes;             /* one plane per channel, transformed in place */
    float *kernel_spectrum;    /* conj(DFT(taps)) / (Ph*Pw): spectrum_count complex */
    fftwf_plan forward;        /* r2c of every plane */
    fftwf_plan inverse;        /* c2r of every plane */
    float *scratch;            /* per worker: one extended input row or output row */
    size_t scratch_floats;
    int tasks;                 /* parts each step is cut into for the pool */
    unsigned planner;          /* FFTW planner flags (FFTW_ESTIMATE unless asked) */
};

#endif
