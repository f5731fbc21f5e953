/* Method fft-block on the OpenCL backend: overlap-save convolution in
 * blocks through batched clFFT transforms, in bounded device memory.
 *
 * Per run, for each group of planes (cl_fft_block_geometry.h): gather each
 * block's border-extended input window into a batch of float planes,
 * forward real-to-hermitian transform of the batch, product with the
 * kernel's spectrum at block size (made once per plan), backward transform,
 * then scatter each block's valid outputs into the output with stride,
 * scale, offset, |.| and conversion. Every buffer and clFFT plan belongs to
 * the tessel plan.
 *
 * Built without clFFT (clfft_missing.c), preparing answers
 * TESSEL_ERR_UNSUPPORTED with a message that names clFFT. */
#ifndef TESSEL_OPENCL_CL_FFT_BLOCK_H
#define TESSEL_OPENCL_CL_FFT_BLOCK_H

#include "cl_common.h"
#include "cl_fft_block_geometry.h"
#include "core/plan.h"

typedef struct tessel_cl_fft_block tessel_cl_fft_block;

/* Everything a plan needs to run by blocks, its kernel's spectrum included. */
tessel_status tessel_cl_fft_block_prepare(tessel_plan *plan, tessel_cl_state *cl,
                                          tessel_cl_fft_block **out);

/* Enqueues one run from buffer src to buffer dst (pitches in samples). */
tessel_status tessel_cl_fft_block_run(tessel_plan *plan, tessel_cl_state *cl,
                                      tessel_cl_fft_block *fb, cl_mem src, int src_pitch,
                                      cl_mem dst, int dst_pitch);

/* One line on the blocks and transforms, for plan info. */
void tessel_cl_fft_block_describe(const tessel_cl_fft_block *fb, char *out, size_t size);

/* Waits for pending work, then frees the plan's block state. Accepts NULL. */
void tessel_cl_fft_block_destroy(tessel_cl_state *cl, tessel_cl_fft_block *fb);

/* The limits plans on cl's device are made with: the work budget (128 MiB,
 * at most a quarter of the device), its largest buffer, the forced batch.
 * With tessel_cl_fft_block_geometry_make, what a plan will allocate. */
tessel_cl_fft_block_limits tessel_cl_fft_block_limits_of(const tessel_cl_state *cl);

/* For tests: planes > 0 makes every plan prepared after the call transform
 * exactly that many planes at a time (many small groups, one clFFT plan
 * size); 0 restores the automatic choice. Not for use while another thread
 * prepares plans. Only in builds with clFFT. */
void tessel_cl_fft_block_force_batch(int planes);

#endif
