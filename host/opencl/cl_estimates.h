/* What a plan's run costs (core/cost_model.h) and allocates (core/backend.h,
 * plan_memory) on the OpenCL backend, each counted from the layout its
 * executor runs: direct and separable in cl_cost.c and cl_tiles_memory.c,
 * the frequency domain in cl_fft_estimates.c (clfft_missing.c in a build
 * without clFFT, where those methods cost and allocate nothing: they are
 * not available). */
#ifndef TESSEL_OPENCL_CL_ESTIMATES_H
#define TESSEL_OPENCL_CL_ESTIMATES_H

#include "cl_common.h"
#include "core/cost_model.h"

/* The table's cost slots (cl_cost.c). */
void tessel_cl_cost_work(const tessel_plan *plan, tessel_method method,
                         struct tessel_cost_work *out);
const char *tessel_cl_cost_defaults(const tessel_context *ctx, struct tessel_cost_constants *k);
const char *tessel_cl_cost_term_name(tessel_method method, int term);

/* One allocation of a plan's workspace, added to m (cl_tiles_memory.c). */
void tessel_cl_memory_add(tessel_plan_memory *m, size_t bytes);

/* Methods fft and fft-block: their work terms (left unavailable when the
 * device or the build cannot run them) and their device buffers. */
void tessel_cl_fft_cost(const tessel_plan *plan, tessel_cost_work *w);
void tessel_cl_fft_block_cost(const tessel_plan *plan, tessel_cost_work *w);
void tessel_cl_fft_memory(const tessel_plan *plan, tessel_plan_memory *m);
void tessel_cl_fft_block_memory(const tessel_plan *plan, tessel_plan_memory *m);

#endif
