/* Native CPU backend: per-plan state and the pieces that share it. */
#ifndef TESSEL_CPU_CPU_PLAN_H
#define TESSEL_CPU_CPU_PLAN_H

#include "../core/plan.h"
#include "convert.h"
#include "correlate.h"
#include "pool.h"

/* Scratch of one worker: a ring of the last kh rows it needs, tagged with the
 * virtual input row they hold, so consecutive output rows reuse them. */
typedef struct cpu_scratch {
    float *ring;            /* ring_rows slots of ring_floats */
    long long *ring_tag;    /* virtual row per slot, or CPU_NO_ROW */
    const float **rows;     /* ring_rows row pointers handed to the correlation */
    float *ext;             /* one border-extended input row (separable pass) */
    float *acc;             /* block_rows dense output rows before conversion */
    float **outs;           /* block_rows output row pointers */
} cpu_scratch;

#define CPU_NO_ROW (-(1LL << 62))

/* State of the frequency-domain methods (fft_state.h, fft_block_state.h). */
typedef struct cpu_fft cpu_fft;
typedef struct cpu_fft_block cpu_fft_block;

typedef struct cpu_plan {
    tessel_correlate_kernels kernels;
    tessel_converters convert;
    tessel_store_params store;
    int block_rows;         /* output rows per block call (1 = no blocking) */
    int ring_rows;          /* kh + block_rows - 1 */
    float *taps_padded;     /* the vertical taps padded for blocks (see correlate.h) */
    int *column_map;        /* input column of each extended column, -1 = cval */
    int ext_width;          /* dense_width + kw - 1 pixels */
    int interior_lo, interior_hi; /* extended columns that map 1:1 onto the input */
    size_t ext_floats;      /* ext_width * channels */
    size_t row_floats;      /* dense_width * channels */
    size_t ring_floats;     /* floats per ring slot */
    int band_rows, bands;   /* output rows per task, task count */
    int workers;
    cpu_scratch *scratch;   /* one per worker (direct and separable) */
    cpu_fft *fft;           /* method FFT only (fft.h) */
    cpu_fft_block *fft_block; /* method FFT_BLOCK only (fft_block.h) */
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
/* store.c: points s->outs[q] at where dense output row r+q is accumulated:
 * the destination row itself when no conversion is needed (f32, no column
 * stride, scale 1, offset 0, no abs), else a scratch row. */
void cpu_block_outputs(const cpu_job *job, cpu_scratch *s, int r);
/* store.c: converts the scratch rows of s->outs into output rows r.. r+count-1. */
void cpu_store_rows(const cpu_job *job, const cpu_scratch *s, int r, int count);

void cpu_direct_band(const cpu_job *job, cpu_scratch *s, int r0, int r1);
void cpu_separable_band(const cpu_job *job, cpu_scratch *s, int r0, int r1);

#endif
