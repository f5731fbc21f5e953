/* How the CPU backend cuts a direct or separable run: bands of output rows
 * as pool tasks, blocks of rows per correlation call, vectors per row. One
 * function makes it for the plan's preparation (cpu_backend.c) and for the
 * cost estimate (cpu_cost.c), so what is estimated is what runs. */
#ifndef TESSEL_CPU_ROWS_LAYOUT_H
#define TESSEL_CPU_ROWS_LAYOUT_H

#include "core/geometry.h"
#include "correlate.h"

typedef struct tessel_cpu_rows_layout {
    int block_rows;    /* output rows per block call: the kernels' block, or 1
                          with a vertical stride (no input rows shared) */
    int band_rows;     /* output rows per pool task */
    int bands;         /* pool tasks: four per worker, at most one per row */
    int vector_floats; /* floats per vector of the row loops */
} tessel_cpu_rows_layout;

void tessel_cpu_rows_layout_of(const tessel_geometry *g, int threads,
                               const tessel_correlate_kernels *kernels,
                               tessel_cpu_rows_layout *out);

#endif
