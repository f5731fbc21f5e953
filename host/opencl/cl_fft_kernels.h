/* Method fft's own kernels around the transforms (kernels_cl/fft_*.cl): the
 * extended input, and the crop into the output (the spectrum kernels are
 * cl_fft_spectral.h's). Channels and sample types travel as arguments:
 * one build of each serves every plan. */
#ifndef TESSEL_OPENCL_CL_FFT_KERNELS_H
#define TESSEL_OPENCL_CL_FFT_KERNELS_H

#include "cl_common.h"
#include "cl_fft_geometry.h"
#include "core/plan.h"

/* Mirrors fft_extend_args in fft_extend.cl field for field (all 4-byte). */
typedef struct tessel_cl_fft_extend_args {
    cl_int in_w, in_h, src_pitch, channels, in_type;
    cl_int ox, oy, border;
    cl_int ext_w, ext_h, pad_w, pad_h;
    cl_float cval;
} tessel_cl_fft_extend_args;

/* Mirrors fft_crop_args in fft_crop.cl field for field (all 4-byte). */
typedef struct tessel_cl_fft_crop_args {
    cl_int out_w, out_h, dst_pitch, channels, out_type;
    cl_int sx, sy, pad_w, pad_h, absolute;
    cl_float scale, offset;
} tessel_cl_fft_crop_args;

typedef struct tessel_cl_fft_kernels {
    cl_kernel extend, crop;
    tessel_cl_fft_extend_args extend_args; /* src_pitch filled at run time */
    tessel_cl_fft_crop_args crop_args;     /* dst_pitch filled at run time */
    size_t group;                   /* work-group width of both launches */
} tessel_cl_fft_kernels;

tessel_status tessel_cl_fft_kernels_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                            const tessel_plan *plan,
                                            const tessel_cl_fft_geometry *g,
                                            tessel_cl_fft_kernels *k);
void tessel_cl_fft_kernels_release(tessel_cl_fft_kernels *k);

/* src (pitch in samples) -> the extended input planes in ext. */
tessel_status tessel_cl_fft_extend(tessel_context *ctx, tessel_cl_state *cl,
                                   tessel_cl_fft_kernels *k, cl_mem src, int src_pitch, cl_mem ext);
/* The result planes -> dst (pitch in samples), strided and converted. */
tessel_status tessel_cl_fft_crop(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_fft_kernels *k,
                                 cl_mem result, cl_mem dst, int dst_pitch);

#endif
