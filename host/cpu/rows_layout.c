/* The CPU backend's direct and separable layout (rows_layout.h). */
#include "rows_layout.h"

void tessel_cpu_rows_layout_of(const tessel_geometry *g, int threads,
                               const tessel_correlate_kernels *kernels,
                               tessel_cpu_rows_layout *out)
{
    out->block_rows = g->stride_y == 1 ? kernels->block_rows : 1;
    out->vector_floats = kernels->vector_floats;
    int bands = threads <= 1 ? 1 : threads * 4;
    if (bands > g->out_height) bands = g->out_height;
    out->band_rows = 1 + (g->out_height - 1) / bands; /* ceil without overflow */
    out->bands = 1 + (g->out_height - 1) / out->band_rows;
}
