/* Method running on the CPU: kernels whose separable factors are constant
 * along one axis or both (box:WxH, moving averages) as running sums, at a
 * cost per sample that does not grow with the window.
 *
 * With a constant column factor (the common case: boxes, 1-D signals) each
 * task keeps the vertical sums of the window's input rows over its columns
 * and moves them down one output row at a time (add the rows entering,
 * subtract those leaving); each row of sums is then summed along the row:
 * windows of a few taps tap by tap, longer ones as differences of prefix
 * sums (running_sums.h), or, when the row factor is not constant, through
 * the row taps. With a constant row factor only, each input row is summed
 * that way into the separable method's ring of rows and the column taps
 * combine them (separable.c). Long rows (1-D signals) are cut into
 * segments, each summed afresh, so that every worker has a share.
 *
 * Integer inputs sum exactly in int32 when every window's sum fits (and a
 * constant border's value is a sample value), otherwise in double, exact for
 * integers and far within the contract for f32 over any length. One layout
 * function serves the plan's preparation and the cost estimate. */
#ifndef TESSEL_CPU_RUNNING_H
#define TESSEL_CPU_RUNNING_H

#include "cpu_plan.h"
#include "running_sums.h"

typedef struct tessel_cpu_running_layout {
    int vertical;          /* 1: constant column factor: vertical running sums first */
    int horizontal;        /* 1: constant row factor: window sums along rows */
    tessel_running_acc acc;
    float factor;          /* the constant factors' product, applied to the sums */
    int segment_width;     /* output columns per segment (vertical only) */
    int segments;
    int band_rows, bands;  /* output rows per task, row bands */
    int tasks;             /* bands x segments */
} tessel_cpu_running_layout;

void tessel_cpu_running_layout_of(const tessel_plan *plan, int threads,
                                  tessel_cpu_running_layout *out);

/* Prepares cp for method running (after its column map). Without vertical
 * sums the plan then continues as a separable one whose row pass is
 * cp->row_pass. */
tessel_status tessel_cpu_running_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int threads);
/* 1 when the plan runs through tessel_cpu_running_execute (vertical sums),
 * 0 when through the separable band loop. */
int tessel_cpu_running_own_loop(const tessel_cpu_plan *cp);
tessel_status tessel_cpu_running_execute(tessel_pool *pool, const tessel_cpu_job *job);
void tessel_cpu_running_release(tessel_cpu_running *r);

#endif
