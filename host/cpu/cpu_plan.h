/* Native CPU backend: per-plan state and the pieces that share it. */
#ifndef TESSEL_CPU_CPU_PLAN_H
#define TESSEL_CPU_CPU_PLAN_H

#include "../core/plan.h"
#include "correlate.h"
#include "pool.h"

/* Scratch of one worker: a ring of the last kh rows it needs, tagged with the
 * virtual input row they hold, so consecutive output rows reuse them. */
typedef struct cpu_scratch {
    float *ring;            /* kh slots of ring_floats */
    long long *ring_tag;    /* virtual row per slot, or CPU_NO_ROW */
    const float **rows;     /* kh row pointers handed to the correlation */
    float *ext;             /* one border-extended input row (separable pass) */
    float *acc;             /* one dense output row before conversion */
} cpu_scratch;

#define CPU_NO_ROW (-(1LL << 62))

typedef struct cpu_plan {
    tessel_correlate_fn correlate;
    int *column_map;        /* input column of each extended column, -1 = cval */
    int ext_width;          /* dense_width + kw - 1 pixels */
    int interior_lo, interior_hi; /* extended columns that map 1:1 onto the input */
    size_t ext_floats;      /* ext_width * channels */
    size_t row_floats;      /* dense_width * channels */
    size_t ring_floats;     /* floats per ring slot */
    int band_rows, bands;   /* output rows per task, task count */
    int workers;
    cpu_scratch *scratch;   /* one per worker */
} cpu_plan;

/* One task's work: output rows [r0, r1). */
typedef struct cpu_job {
    const tessel_plan *plan;
    cpu_plan *cp;
    const tessel_image *src;
    const tessel_image *dst;
} cpu_job;

/* rows.c: the border-extended float copy of virtual input row y. */
void cpu_load_row(const cpu_job *job, long long y, float *ext);
/* store.c: converts a dense float row into output row r of dst. */
void cpu_store_row(const cpu_job *job, const float *acc, int r);
/* store.c: where output row r can be accumulated directly (f32 output with
 * no conversion or column stride), else NULL. */
float *cpu_direct_output(const cpu_job *job, int r);

void cpu_direct_band(const cpu_job *job, cpu_scratch *s, int r0, int r1);
void cpu_separable_band(const cpu_job *job, cpu_scratch *s, int r0, int r1);

#endif
