/* Method fft on the OpenCL backend: convolution through clFFT.
 *
 * Per run: extend the input by the border rule into float planes padded to
 * the transform size (cl_fft_geometry.h), real-to-hermitian forward
 * transform, product with the kernel's spectrum (made once per plan),
 * hermitian-to-real backward transform, then crop, stride and convert into
 * the output. Every buffer and clFFT plan belongs to the tessel plan.
 *
 * Built without clFFT (clfft_missing.c), preparing answers
 * TESSEL_ERR_UNSUPPORTED with a message that names clFFT. */
#ifndef TESSEL_OPENCL_CL_FFT_H
#define TESSEL_OPENCL_CL_FFT_H

#include "cl_common.h"
#include "core/plan.h"

typedef struct tessel_cl_fft tessel_cl_fft;

/* Everything a plan needs to run by FFT, its kernel's spectrum included. */
tessel_status tessel_cl_fft_prepare(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft **out);

/* Enqueues one run from buffer src to buffer dst (pitches in samples). */
tessel_status tessel_cl_fft_run(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft *fft,
                                cl_mem src, int src_pitch, cl_mem dst, int dst_pitch);

/* One line on the transforms, for plan info. */
void tessel_cl_fft_describe(const tessel_cl_fft *fft, char *out, size_t size);

/* Waits for pending work, then frees the plan's FFT state. Accepts NULL. */
void tessel_cl_fft_destroy(tessel_cl_state *cl, tessel_cl_fft *fft);

/* Ends the context's use of clFFT (cl_fft_lib.h); call before its
 * cl_context is released. */
void tessel_cl_fft_context_release(tessel_cl_state *cl);

#endif
