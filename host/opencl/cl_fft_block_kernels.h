/* Method fft-block's own kernels around its batched block transforms: the
 * gather and scatter of kernels_cl/fft_block.cl (the spectrum kernels are
 * cl_fft_spectral.h's). */
#ifndef TESSEL_OPENCL_CL_FFT_BLOCK_KERNELS_H
#define TESSEL_OPENCL_CL_FFT_BLOCK_KERNELS_H

#include "cl_common.h"
#include "cl_fft_block_geometry.h"
#include "core/plan.h"

/* Mirrors fft_block_args in fft_block.cl field for field (all 4-byte). */
typedef struct tessel_cl_fft_block_args {
    cl_int in_w, in_h, pitch, channels;
    cl_int ox, oy, border;
    cl_int block_w, block_h, step_w, step_h, blocks_x;
    cl_int first_plane, planes;
    cl_int out_w, out_h, sx, sy, absolute;
    cl_int in_type, out_type;
    cl_float cval, scale, offset;
} tessel_cl_fft_block_args;

typedef struct tessel_cl_fft_block_kernels {
    cl_kernel gather, scatter;
    tessel_cl_fft_block_args args; /* pitch and first_plane filled per launch */
    int batch;               /* planes per group */
    size_t group;            /* work-group width of both launches */
} tessel_cl_fft_block_kernels;

tessel_status tessel_cl_fft_block_kernels_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                                  const tessel_plan *plan,
                                                  const tessel_cl_fft_block_geometry *g,
                                                  tessel_cl_fft_block_kernels *k);
void tessel_cl_fft_block_kernels_release(tessel_cl_fft_block_kernels *k);

/* src (pitch in samples) -> the block windows of planes first_plane onward. */
tessel_status tessel_cl_fft_block_gather(tessel_context *ctx, tessel_cl_state *cl,
                                         tessel_cl_fft_block_kernels *k, cl_mem src, int src_pitch,
                                         int first_plane, cl_mem planes);
/* A group's result planes -> their outputs in dst, strided and converted. */
tessel_status tessel_cl_fft_block_scatter(tessel_context *ctx, tessel_cl_state *cl,
                                          tessel_cl_fft_block_kernels *k, cl_mem planes,
                                          int first_plane, cl_mem dst, int dst_pitch);

#endif
