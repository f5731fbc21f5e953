/* Launching the simple kernels (the FFT paths' gathers and scatters,
 * running sums): one work-group shape per kernel, NDRanges padded to
 * whole groups (PoCL has no non-uniform groups). */
#ifndef TESSEL_OPENCL_CL_NDRANGE_H
#define TESSEL_OPENCL_CL_NDRANGE_H

#include "cl_common.h"

/* The work-group width of every launch: the widest power of two up to 64
 * that each of the count kernels accepts (one fixed shape: PoCL compiles a
 * kernel once per shape). */
size_t tessel_cl_group_width(const tessel_cl_state *cl, const cl_kernel *kernels, int count);

/* Enqueues kernel over width x height x depth work-items, in rows of group
 * items (width rounded up to a whole group), through tessel_cl_launch, so
 * it is ordered on an out-of-order queue too. */
tessel_status tessel_cl_launch_rows(tessel_context *ctx, tessel_cl_state *cl, cl_kernel kernel,
                                    size_t group, size_t width, size_t height, size_t depth,
                                    const char *what);

#endif
