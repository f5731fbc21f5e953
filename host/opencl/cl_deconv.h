/* The OpenCL side of deconvolution: White's damped
 * Richardson-Lucy ratio as a kernel (kernels_cl/deconv_damp.cl), so the
 * iterations never leave the device. */
#ifndef TESSEL_OPENCL_CL_DECONV_H
#define TESSEL_OPENCL_CL_DECONV_H

#include "tessel/tessel.h"

/* The table's damped_ratio slot (core/backend.h): enqueues ratio =
 * damped(data / blurred) for packed f32 buffers of one shape. */
tessel_status tessel_cl_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                     const tessel_buffer *blurred, float half_t2, int power,
                                     tessel_buffer *ratio);

#endif
