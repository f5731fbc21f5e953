/* What the OpenCL backend's files share beyond cl_common.h. */
#ifndef TESSEL_OPENCL_CL_INTERNAL_H
#define TESSEL_OPENCL_CL_INTERNAL_H

#include "cl_common.h"

/* Enqueues a plan's run (its passes, or its FFT) from buffer src to buffer dst
 * (pitches in samples). */
tessel_status tessel_cl_run_passes(tessel_plan *plan, cl_mem src, int src_pitch, cl_mem dst,
                                   int dst_pitch);
/* v rounded up to a multiple of m: NDRanges padded to whole work-groups. */
size_t tessel_cl_round_up(size_t v, size_t m);

/* Order on the context's queue (cl_queue.c): on an out-of-order queue a
 * barrier, nothing on an in-order one. Every command tessel enqueues on
 * cl->queue goes between two (tessel_cl_launch does it for kernels). */
tessel_status tessel_cl_fence(tessel_context *ctx, tessel_cl_state *cl);
/* Enqueues kernel over the padded NDRange (local may be NULL) between
 * fences; `what` names it in the error. */
tessel_status tessel_cl_launch(tessel_context *ctx, tessel_cl_state *cl, cl_kernel kernel,
                               cl_uint dims, const size_t *global, const size_t *local,
                               const char *what);

tessel_status tessel_cl_buffer_alloc(tessel_buffer *b);
void tessel_cl_buffer_release(tessel_buffer *b);
tessel_status tessel_cl_buffer_upload(tessel_buffer *b, const tessel_image *src);
tessel_status tessel_cl_buffer_download(const tessel_buffer *b, const tessel_image *dst);
tessel_status tessel_cl_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                             const tessel_buffer *dst);
tessel_status tessel_cl_combine(tessel_context *ctx, const tessel_buffer *a, const tessel_buffer *b,
                                tessel_combine_op op, const tessel_buffer *dst);
int tessel_cl_buffers_alias(const tessel_buffer *a, const tessel_buffer *b);
tessel_status tessel_cl_finish(tessel_context *ctx);

#endif
