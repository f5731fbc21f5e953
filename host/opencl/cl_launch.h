/* One launch of a convolution kernel: a direct pass, one half of a
 * separable convolution in two passes, or the fused separable kernel.
 *
 * Two kernel families (tessel_context_options.cl_kernels): the tiled
 * family, GPU-shaped, runs kernels_cl/conv_direct.cl (an input tile in
 * local memory, or a global-memory form when the tile does not fit) and
 * kernels_cl/conv_separable.cl (the fused separable kernel); the vector
 * family, CPU-shaped, runs kernels_cl/conv_vector.cl (explicit vectors) at
 * column stride 1 and the tiled kernels otherwise. */
#ifndef TESSEL_OPENCL_CL_LAUNCH_H
#define TESSEL_OPENCL_CL_LAUNCH_H

#include "cl_common.h"

/* Mirrors conv_args in kernels_cl/common.cl field for field (all 4-byte). */
typedef struct tessel_cl_conv_args {
    cl_int in_w, in_h, src_pitch;
    cl_int out_w, out_h, dst_pitch;
    cl_int channels, in_type, out_type;
    cl_int kw, kh, sx, sy, ox, oy;
    cl_int border, absolute;
    cl_int tile_w, tile_h, tile_pitch;
    cl_int strip_rows, ring_rows;
    cl_float cval, scale, offset;
} tessel_cl_conv_args;

/* What a launch computes (see conv_direct.cl and conv_separable.cl). */
typedef struct tessel_cl_pass_spec {
    int in_w, in_h, out_w, out_h, channels;
    int kw, kh, sx, sy, ox, oy;
    tessel_border border;
    float cval, scale, offset;
    int absolute;
    tessel_dtype in_dtype, out_dtype;
    const float *taps;        /* kh x kw, correlation orientation; fused: the row's kw */
    const float *column_taps; /* fused separable only: the column's kh */
} tessel_cl_pass_spec;

typedef enum tessel_cl_kernel_kind {
    TESSEL_CL_KERNEL_VECTOR, /* conv_vector.cl */
    TESSEL_CL_KERNEL_TILED,  /* conv_direct.cl, the input tile in local memory */
    TESSEL_CL_KERNEL_GLOBAL, /* conv_direct.cl, samples read from global memory */
    TESSEL_CL_KERNEL_FUSED   /* conv_separable.cl */
} tessel_cl_kernel_kind;

/* How a launch runs on a device: which kernel, its work-group, what each
 * item computes and the local memory it takes. Preparing the launch and the
 * estimates of its memory (cl_tiles_memory.c) and time (cl_cost.c) all take
 * it from the layout functions below. */
typedef struct tessel_cl_pass_layout {
    tessel_cl_kernel_kind kind;
    int lx, ly;             /* the work-group (vector: 8 x 4) */
    int cols, rows;         /* outputs per item: columns (vector: samples) by rows */
    int kw_class;           /* conv_direct.cl's KW: the kernel width, or 0 for any */
    int tile_w, tile_h;     /* tiled: the input tile; fused: staged row width, ring width */
    int tile_pitch;         /* floats per row of the tile or of the staging rows */
    int strip_rows;         /* fused: output rows per work-group */
    int ring_rows;          /* fused: rows of the row pass kept in local memory */
    size_t local_bytes;     /* __local memory per work-group */
} tessel_cl_pass_layout;

/* Sets cl->tiled from the context option, else $TESSEL_CL_KERNELS, else
 * the device type (cl->caps); a value that names no family is an error. */
tessel_status tessel_cl_choose_family(tessel_cl_state *cl, tessel_cl_kernels option);

/* A direct pass on cl's device and kernel family. */
void tessel_cl_pass_layout_of(const tessel_cl_state *cl, const tessel_cl_pass_spec *spec,
                              tessel_cl_pass_layout *out);
/* The fused separable kernel for spec (kw row taps, kh column taps): 1 with
 * its layout, 0 when its local memory does not fit the device. */
int tessel_cl_fused_layout_of(const tessel_cl_state *cl, const tessel_cl_pass_spec *spec,
                              tessel_cl_pass_layout *out);
/* One line on a layout's kernel and tile, for plan info and -v. */
void tessel_cl_layout_describe(const tessel_cl_pass_layout *layout, char *out, size_t size);

typedef struct tessel_cl_pass {
    cl_kernel kernel;
    cl_mem taps, column_taps;
    tessel_cl_conv_args args; /* pitches filled at run time */
    tessel_cl_pass_layout layout;
    size_t global[3], local[3];
} tessel_cl_pass;

/* Builds the launch of spec with layout (from the functions above). */
tessel_status tessel_cl_pass_prepare(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_pass_spec *spec,
                                     const tessel_cl_pass_layout *layout, tessel_cl_pass *pass);
/* Enqueues the pass; pitches are in samples. */
tessel_status tessel_cl_pass_enqueue(tessel_context *ctx, tessel_cl_state *cl, tessel_cl_pass *pass,
                                     cl_mem src, int src_pitch, cl_mem dst, int dst_pitch);
void tessel_cl_pass_release(tessel_cl_pass *pass);

#endif
