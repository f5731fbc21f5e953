/* Method running on OpenCL (kernels_cl/running_sum.cl): with a constant
 * column factor, vertical running sums of every extended column into a
 * temporary (int or double, core/running_rule.h), then running sums (or
 * the row taps) along each output row with the conversion; with a
 * constant row factor only, running sums along the needed input rows into
 * a float temporary, then the column taps. Preparing, the memory estimate
 * (cl_tiles_memory.c) and the cost estimate (cl_cost.c) all read
 * tessel_cl_running_layout_of. */
#ifndef TESSEL_OPENCL_CL_RUNNING_H
#define TESSEL_OPENCL_CL_RUNNING_H

#include "cl_common.h"
#include "core/plan.h"
#include "core/running_rule.h"

/* Mirrors running_args in running_sum.cl field for field (all 4-byte). */
typedef struct tessel_cl_running_args {
    cl_int in_w, in_h, src_pitch, channels, in_type;
    cl_int out_w, out_h, dst_pitch, out_type;
    cl_int kw, kh, sx, sy, ox, oy;
    cl_int border, absolute, integer, row_running;
    cl_int temp_w, temp_rows, band, segment;
    cl_float cval, scale, offset, factor;
} tessel_cl_running_args;

typedef struct tessel_cl_running_layout {
    int available;         /* 0: the device has no double for sums that need it */
    tessel_running_rule rule;
    int temp_w, temp_rows; /* samples per row of the temporary, its rows */
    size_t temp_bytes;
    int band;              /* output rows per work-item of running_vertical */
    int segment;           /* outputs per work-item along a row */
    size_t items[2][2];    /* work-items of the first and second kernel (x, y) */
    size_t taps;           /* floats of the taps buffer (row or column taps) */
} tessel_cl_running_layout;

void tessel_cl_running_layout_of(const tessel_plan *plan, const tessel_cl_device_caps *caps,
                                 tessel_cl_running_layout *out);

typedef struct tessel_cl_running tessel_cl_running;

tessel_status tessel_cl_running_prepare(tessel_plan *plan, tessel_cl_state *cl,
                                        tessel_cl_running **out);
/* Enqueues the run from src to dst (pitches in samples). */
tessel_status tessel_cl_running_run(const tessel_plan *plan, tessel_cl_state *cl,
                                    tessel_cl_running *r, cl_mem src, int src_pitch, cl_mem dst,
                                    int dst_pitch);
void tessel_cl_running_destroy(tessel_cl_running *r);

#endif
