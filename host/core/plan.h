/* The plan: everything fixed for a shape, kernel and options, ready to run. */
#ifndef TESSEL_CORE_PLAN_H
#define TESSEL_CORE_PLAN_H

#include "geometry.h"
#include "integer_rule.h"
#include "spectral_filter.h"
#include "tessel/tessel.h"

struct tessel_plan {
    tessel_context *ctx;
    tessel_geometry geo;
    int channels;
    tessel_dtype in_dtype, out_dtype;
    tessel_border border;
    float cval;
    float scale, offset;
    int absolute;
    tessel_method method;       /* the method that runs (never AUTO) */
    const char *method_reason;
    char method_reason_text[192]; /* method_reason when composed (AUTO's cost model) */
    float *taps;                /* kh*kw, correlation orientation (flipped if convolving) */
    float *row_taps;            /* kw (rank-1 kernels only, else NULL), correlation orientation */
    float *column_taps;         /* kh (rank-1 kernels only, else NULL), correlation orientation */
    tessel_spectral_filter filter; /* NONE unless made by tessel_plan_create_filtered */
    tessel_integer_rule integer; /* whether direct and separable run the integer
                                    path, and its taps (integer_rule.h) */
    void *backend_state;        /* NULL when the plan runs only in tiles */
    struct tessel_tiling *tiling; /* set when the plan runs in tiles (tiles.h) */
    tessel_plan *band_plan;     /* the last stream's sub-plan, kept for the next
                                   (tiles_stream.c) */
    int band_rows;              /* the band height band_plan was made for */
    char kernel_family[16];     /* what the backend runs (backend.h, plan_kernels) */
    char kernel_detail[448];
    int staged_by_caller;       /* 1: runs only between device buffers its caller
                                   stages (a tile's sub-plan, tiles_execute): the
                                   backend keeps no per-image staging */
};

/* 1 when the plan runs in tiles, each through a sub-plan. */
static inline int tessel_plan_is_tiled(const tessel_plan *plan)
{
    return plan->tiling != NULL;
}

/* tessel_plan_create for method fft with the kernel's spectrum replaced by
 * filter's (spectral_filter.h): options must ask for method fft. */
tessel_status tessel_plan_create_filtered(tessel_context *context, const tessel_image *src_shape,
                                          tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                          const tessel_conv_options *options,
                                          const tessel_spectral_filter *filter,
                                          tessel_plan **out_plan);

/* Checks that img is a usable view of the given shape; names the problem. */
tessel_status tessel_image_check(tessel_context *ctx, const char *what, const tessel_image *img,
                                 int require_data);
/* Checks that src has the plan's input shape and dtype and dst its output
 * shape and dtype (data and strides are not looked at). */
tessel_status tessel_plan_check_shapes(const tessel_plan *plan, const tessel_image *src,
                                       const tessel_image *dst);
/* Row stride in bytes of img (its own stride, or packed). */
size_t tessel_image_row_bytes(const tessel_image *img);

#endif
