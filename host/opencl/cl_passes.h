/* The launches of a direct or separable plan on OpenCL (cl_launch.h):
 * direct is one pass; separable on the tiled family is the fused kernel
 * (one launch, no temporary) when its tile fits the device's local memory,
 * and otherwise, as on the vector family, a row pass (a 1-row kernel, row
 * stride 1) of every input row the outputs read into a float temporary,
 * the vertical border already applied, then a column pass out of it with
 * the plan's scale, offset and conversion. Preparing the plan
 * (cl_backend.c), its memory and cost estimates (cl_tiles_memory.c,
 * cl_cost.c) and its description (plan info) read this one description. */
#ifndef TESSEL_OPENCL_CL_PASSES_H
#define TESSEL_OPENCL_CL_PASSES_H

#include "cl_launch.h"
#include "core/plan.h"

typedef struct tessel_cl_passes {
    tessel_cl_pass_spec spec[2];
    tessel_cl_pass_layout layout[2];
    int count;      /* 1 (direct, or fused separable) or 2 (separable through a temporary) */
    int temp_rows;  /* two passes: rows of the temporary */
    int temp_pitch; /* two passes: samples per row of the temporary */
} tessel_cl_passes;

/* The launches of plan (method direct or separable) on cl's device and
 * kernel family. */
void tessel_cl_passes_of(const tessel_cl_state *cl, const tessel_plan *plan,
                         tessel_cl_passes *out);

/* The family ("tiled", "vector") and one line on the kernels and tiles. */
void tessel_cl_passes_describe(const tessel_cl_state *cl, const tessel_cl_passes *p,
                               char *family, size_t family_size, char *detail,
                               size_t detail_size);

#endif
