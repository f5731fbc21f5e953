/* One launch of a convolution kernel: a direct pass, or one half of a
 * separable convolution. GPU-shaped devices run kernels_cl/conv_direct.cl
 * (a tile of the input in local memory, or a global-memory variant when the
 * tile does not fit); CPU-type devices, at column stride 1,
 * kernels_cl/conv_vector.cl (explicit vectors). */
#ifndef TESSEL_OPENCL_CL_LAUNCH_H
#define TESSEL_OPENCL_CL_LAUNCH_H

#include "cl_common.h"

/* Mirrors conv_args in conv_direct.cl field for field (all 4-byte). */
typedef struct tessel_cl_conv_args {
    cl_int in_w, in_h, src_pitch;
    cl_int out_w, out_h, dst_pitch;
    cl_int kw, kh, sx, sy, ox, oy;
    cl_int border, absolute;
    cl_int tile_w, tile_h;
    cl_float cval, scale, offset;
} tessel_cl_conv_args;

/* What a pass computes (see conv_direct.cl). */
typedef struct tessel_cl_pass_spec {
    int in_w, in_h, out_w, out_h, channels;
    int kw, kh, sx, sy, ox, oy;
    tessel_border border;
    float cval, scale, offset;
    int absolute;
    tessel_dtype in_dtype, out_dtype;
    const float *taps; /* kh x kw, correlation orientation */
} tessel_cl_pass_spec;

/* How a pass runs on a device: which kernel, its tile, the rows each
 * work-item computes and the taps it reads. Preparing the pass and the
 * estimates of its memory (cl_tiles_memory.c) and time (cl_cost.c) all
 * take it from tessel_cl_pass_layout_of. */
typedef struct tessel_cl_pass_layout {
    int vector;             /* 1: conv_vector.cl */
    int padded;             /* vector, row stride 1: taps padded with zero rows */
    int rows;               /* output rows per work-item */
    int tap_rows;           /* rows of kw taps in the taps buffer */
    int lx, ly;             /* conv_direct.cl: the work-group */
    int tiled;              /* conv_direct.cl: 1 = local-memory tile, 0 = global */
    int tile_w, tile_h;     /* conv_direct.cl: the tile with its halo */
} tessel_cl_pass_layout;

void tessel_cl_pass_layout_of(const tessel_cl_device_caps *caps, const tessel_cl_pass_spec *spec,
                              tessel_cl_pass_layout *out);

typedef struct tessel_cl_pass {
    cl_kernel kernel;
    cl_mem taps;
    tessel_cl_conv_args args; /* pitches filled at run time */
    size_t local_bytes;
    size_t global[2], local[2];
    int tiled;         /* 1 = local-memory tile, 0 = global-memory fallback */
    int vector;        /* 1 = conv_vector.cl (CPU-type devices) */
} tessel_cl_pass;

tessel_status tessel_cl_pass_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_pass_spec *spec, tessel_cl_pass *pass);
/* Enqueues the pass; pitches are in samples. */
tessel_status tessel_cl_pass_enqueue(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_pass *pass,
                                     cl_mem src, int src_pitch, cl_mem dst, int dst_pitch);
void tessel_cl_pass_release(tessel_cl_pass *pass);

#endif
