/* Sizes of overlap-save block convolution (method fft-block) on OpenCL.
 *
 * With E the border-extended input and D[y][x] = sum_t sum_i taps[t][i] *
 * E[y + t][x + i] its dense correlation (cl_fft_geometry.h), a window of B_h
 * x B_w samples of E at (y0, x0) correlated circularly at length B gives
 * D at (y0 + y, x0 + x) for y < V_h = B_h - kh + 1 and x < V_w = B_w - kw
 * + 1 free of wrap-around; the rest of the window is discarded (overlap-
 * save). Blocks at steps of V tile the dense outputs the strided output
 * reads; the last block of a row or column is partial.
 *
 * Block sides are powers of two (clFFT's fastest lengths, and few distinct
 * sizes to compile on PoCL): about 8 kernel sides, 128 to 1024, at least
 * twice the kernel, and no longer than the power of two that holds the whole
 * axis of E (a 1-row image has B_h = 1).
 *
 * Each (block, channel) is one plane of a batched transform. Planes pass
 * through the device in groups of `batch` so that the work buffers (planes,
 * their spectra and clFFT's temporary, estimated at a spectrum's size) stay
 * within a budget; groups are balanced, and the last is padded with zero
 * planes so that every group runs the same clFFT plan. */
#ifndef TESSEL_OPENCL_CL_FFT_BLOCK_GEOMETRY_H
#define TESSEL_OPENCL_CL_FFT_BLOCK_GEOMETRY_H

#include <stddef.h>

#include "core/error.h"
#include "core/geometry.h"

typedef struct tessel_cl_fft_block_geometry {
    int block_w, block_h; /* B: transform lengths of one block */
    int step_w, step_h;   /* V: dense outputs one block gives along each axis */
    int blocks_x, blocks_y;
    int planes;           /* blocks_x * blocks_y * channels */
    int batch;            /* planes per transform */
    int groups;           /* transforms per run: ceil(planes / batch) */
    size_t spec_w;        /* complex columns of a block's half spectrum */
    size_t real_bytes;    /* one group's planes (also the results) */
    size_t spec_bytes;    /* their half spectra */
    size_t kernel_bytes;  /* the kernel's spectrum: one plane */
} tessel_cl_fft_block_geometry;

typedef struct tessel_cl_fft_block_limits {
    size_t budget;    /* bytes of work buffers one group may use */
    size_t max_alloc; /* the device's largest buffer */
    int forced_batch; /* > 0: exactly this many planes per transform (tests) */
} tessel_cl_fft_block_limits;

/* The blocks and groups for a plan's geometry and channel count.
 * TESSEL_ERR_UNSUPPORTED, naming the sizes (in ctx's message; ctx may be
 * NULL), when one plane's buffers exceed max_alloc or a count exceeds an
 * int. */
tessel_status tessel_cl_fft_block_geometry_make(tessel_context *ctx, const tessel_geometry *geo,
                                                int channels,
                                                const tessel_cl_fft_block_limits *limits,
                                                tessel_cl_fft_block_geometry *g);

#endif
