/* The clFFT plans of one tessel plan, cached by shape: a plan is baked the
 * first time a shape is asked for and reused after, and every plan shares
 * one temporary buffer sized for the largest of them. */
#ifndef TESSEL_OPENCL_CL_FFT_PLANS_H
#define TESSEL_OPENCL_CL_FFT_PLANS_H

#include "cl_fft_lib.h"

#define CL_FFT_MAX_PLANS 8

typedef struct tessel_cl_fft_plans {
    struct {
        tessel_cl_fft_shape shape;
        clfftPlanHandle handle;
    } entry[CL_FFT_MAX_PLANS];
    int count;
    size_t scratch_bytes; /* what the largest plan asked for */
    cl_mem scratch;       /* NULL until a plan needs one */
} tessel_cl_fft_plans;

/* The plan for shape, baked on first use. */
tessel_status tessel_cl_fft_plans_get(tessel_cl_fft_plans *plans, tessel_context *ctx,
                                      tessel_cl_state *cl, const tessel_cl_fft_shape *shape,
                                      clfftPlanHandle *out);

/* The temporary buffer every plan baked so far can use (NULL when none needs
 * one), allocated or grown here; sizes checked against the device. */
tessel_status tessel_cl_fft_plans_scratch(tessel_cl_fft_plans *plans, tessel_context *ctx,
                                          tessel_cl_state *cl, cl_mem *out);

/* Destroys the plans and the temporary buffer. Accepts a zeroed cache. */
void tessel_cl_fft_plans_clear(tessel_cl_fft_plans *plans);

#endif
