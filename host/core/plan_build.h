/* Building a plan below the choice of tiles: validation, geometry, method
 * choice, the oriented taps, and the backend's preparation. The public
 * tessel_plan_create (plan.c) puts the choice of tiles (tiles.h) between
 * defining and preparing; the tiler builds its tiles' sub-plans here
 * directly, which are never tiled themselves. */
#ifndef TESSEL_CORE_PLAN_BUILD_H
#define TESSEL_CORE_PLAN_BUILD_H

#include "plan.h"

/* A plan for src_shape, kernel and options (filter: NULL, or the spectral
 * filter of tessel_plan_create_filtered), everything set but the backend's
 * state. On failure *out is NULL and the message is on the context. */
tessel_status tessel_plan_define(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options,
                                 const tessel_spectral_filter *filter, tessel_plan **out);

/* The backend allocates the plan's state for its geometry and method. */
tessel_status tessel_plan_prepare(tessel_plan *plan);

/* Says in ctx's debug log what the plan computes and how (once it is
 * prepared, or tiled). */
void tessel_plan_log_ready(const tessel_plan *plan);

/* Frees what defining and preparing made: the backend's state, the taps,
 * the plan. Its tiling and stream cache are the caller's (plan.c). */
void tessel_plan_free(tessel_plan *plan);

#endif
