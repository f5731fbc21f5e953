/* The OpenCL side of deconvolution (host/fourier): White's damped
 * Richardson-Lucy ratio as a kernel (kernels_cl/deconv_damp.cl), so the
 * iterations never leave the device. */
#ifndef TESSEL_OPENCL_CL_DECONV_H
#define TESSEL_OPENCL_CL_DECONV_H

#include "tessel/tessel.h"

/* Enqueues ratio = damped(data / blurred) for packed f32 buffers of one
 * shape; half_t2 = threshold^2 / 2 (see host/fourier/deconv_damp.c). */
tessel_status tessel_cl_deconv_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                            const tessel_buffer *blurred, float half_t2,
                                            tessel_buffer *ratio);

#endif
