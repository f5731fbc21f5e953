/* The plan: everything fixed for a shape, kernel and options, ready to run. */
#ifndef TESSEL_CORE_PLAN_H
#define TESSEL_CORE_PLAN_H

#include "geometry.h"
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
    tessel_method method;       /* DIRECT or SEPARABLE (never AUTO) */
    const char *method_reason;
    float *taps;                /* kh*kw, correlation orientation (flipped if convolving) */
    float *row_taps;            /* kw (SEPARABLE only), correlation orientation */
    float *column_taps;         /* kh (SEPARABLE only), correlation orientation */
    void *backend_state;
};

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
