/* Sizes of the frequency-domain path. The plan's one-form contract
 *   out[r][c] = sum_t sum_i taps[t][i] * in[r*sy + oy + t][c*sx + ox + i]
 * needs the dense correlation at rows 0..(out_h-1)*sy and columns
 * 0..(out_w-1)*sx of the extended input E[y][x] = in[y + oy][x + ox] (border
 * rule applied), which is (dense + k - 1) samples along each axis. A
 * circular correlation of any length P >= that per axis leaves those outputs
 * free of wrap-around, so each axis is padded to the next length whose
 * factors are 2, 3, 5 and 7 (fast for clFFT), or up to 64 to the next power
 * of two (fewer distinct sizes to compile kernels for). */
#ifndef TESSEL_OPENCL_CL_FFT_GEOMETRY_H
#define TESSEL_OPENCL_CL_FFT_GEOMETRY_H

#include <stddef.h>

#include "core/plan.h"

typedef struct tessel_cl_fft_geometry {
    int ext_w, ext_h;     /* E: the border-extended input the outputs read */
    size_t pad_w, pad_h;  /* transform lengths, >= ext_w, ext_h */
    size_t spec_w;        /* complex columns of a real transform's half spectrum */
    int planes;           /* channels, transformed as one batch */
    size_t real_bytes;    /* E: planes * pad_h * pad_w floats (also the result);
                             SIZE_MAX when that overflows, as the next two */
    size_t spec_bytes;    /* spectra of E: planes * pad_h * spec_w complex floats */
    size_t kernel_bytes;  /* the kernel's spectrum: one plane */
} tessel_cl_fft_geometry;

/* The sizes for a plan's geometry and channel count. */
void tessel_cl_fft_geometry_make(const tessel_plan *plan, tessel_cl_fft_geometry *g);

#endif
