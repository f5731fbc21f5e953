/* Images larger than the device on the OpenCL backend (core/tiles.h): what
 * a plan would allocate, and the pipelined executor of tiled plans. */
#ifndef TESSEL_OPENCL_CL_TILES_H
#define TESSEL_OPENCL_CL_TILES_H

#include "cl_common.h"
#include "core/backend.h"

/* Reads TESSEL_DEVICE_MEMORY_LIMIT into cl->memory_limit (when a context is
 * created); a malformed value fails with a message. */
tessel_status tessel_cl_read_memory_limit(tessel_cl_state *cl);

/* Device memory tessel may use: 7/8 of the device's global memory, capped
 * by TESSEL_DEVICE_MEMORY_LIMIT. */
size_t tessel_cl_usable_memory(const tessel_cl_state *cl);

/* backend_ops.plan_memory: what tessel_cl_plan_prepare would allocate. */
tessel_status tessel_cl_plan_memory(const tessel_plan *plan, tessel_plan_memory *out);

/* backend_ops.tiles_execute: two tiles in flight, their uploads and
 * downloads on a transfer queue overlapping the compute queue's work. */
tessel_status tessel_cl_tiles_execute(tessel_plan *plan, const tessel_image *src,
                                      const tessel_image *dst);

#endif
