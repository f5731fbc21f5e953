/* The passes of a direct or separable plan on OpenCL (cl_launch.h): direct
 * is one pass; separable a row pass (a 1-row kernel, row stride 1) of every
 * input row the outputs read into a float temporary, the vertical border
 * already applied, then a column pass out of it with the plan's scale,
 * offset and conversion. Preparing the plan (cl_backend.c) and its memory
 * and cost estimates (cl_tiles_memory.c, cl_cost.c) read this one
 * description. */
#ifndef TESSEL_OPENCL_CL_PASSES_H
#define TESSEL_OPENCL_CL_PASSES_H

#include "cl_launch.h"
#include "core/plan.h"

typedef struct tessel_cl_passes {
    tessel_cl_pass_spec spec[2];
    int count;      /* 1 or 2 */
    int temp_rows;  /* separable: rows of the temporary */
    int temp_pitch; /* separable: samples per row of the temporary */
} tessel_cl_passes;

/* The passes of plan (method direct or separable). */
void tessel_cl_passes_of(const tessel_plan *plan, tessel_cl_passes *out);

#endif
