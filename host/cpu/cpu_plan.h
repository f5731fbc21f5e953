/* Native CPU backend: per-plan state and the pieces that share it. */
#ifndef TESSEL_CPU_CPU_PLAN_H
#define TESSEL_CPU_CPU_PLAN_H

#include "convert.h"
#include "core/plan.h"
#include "correlate.h"
#include "core/pool.h"

/* Scratch of one worker: a ring of the last kh rows it needs, tagged with the
 * virtual input row they hold, so consecutive output rows reuse them. */
typedef struct tessel_cpu_scratch {
    float *ring;            /* ring_rows slots of ring_floats */
    long long *ring_tag;    /* virtual row per slot, or TESSEL_CPU_NO_ROW */
    const float **rows;     /* ring_rows row pointers handed to the correlation */
    float *ext;             /* one border-extended input row (separable pass) */
    float *acc;             /* block_rows dense output rows before conversion */
    float **outs;           /* block_rows output row pointers */
} tessel_cpu_scratch;

#define TESSEL_CPU_NO_ROW (-(1LL << 62))

/* State of the frequency-domain methods (fft_state.h, fft_block_state.h)
 * and of running sums (running.c). */
typedef struct tessel_cpu_fft tessel_cpu_fft;
typedef struct tessel_cpu_fft_block tessel_cpu_fft_block;
typedef struct tessel_cpu_running tessel_cpu_running;
typedef struct tessel_cpu_integer tessel_cpu_integer; /* integer.h */
struct tessel_cpu_job;

/* The separable band loop's row pass: input row y, filtered along the row,
 * into slot (dense_width x channels floats). */
typedef void (*tessel_cpu_row_pass)(const struct tessel_cpu_job *job, tessel_cpu_scratch *s,
                                    long long y, float *slot);

typedef struct tessel_cpu_plan {
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
    tessel_cpu_scratch *scratch;     /* one per worker (direct and separable) */
    tessel_cpu_fft *fft;             /* method FFT only (fft.h) */
    tessel_cpu_fft_block *fft_block; /* method FFT_BLOCK only (fft_block.h) */
    tessel_cpu_running *running;     /* method RUNNING only (running.h) */
    tessel_cpu_integer *integer;     /* the integer path only (integer.h) */
    tessel_cpu_row_pass row_pass;    /* the separable loop's row pass (separable.c) */
} tessel_cpu_plan;

/* One run of a plan, shared by the pool's tasks (each is handed its band
 * of output rows besides). */
typedef struct tessel_cpu_job {
    const tessel_plan *plan;
    tessel_cpu_plan *cp;
    const tessel_image *src;
    const tessel_image *dst;
} tessel_cpu_job;

/* rows.c: the border-extended float copy of virtual input row y. */
void tessel_cpu_load_row(const tessel_cpu_job *job, long long y, float *ext);
/* store.c: points s->outs[q] at where dense output row r+q is accumulated:
 * the destination row itself when no conversion is needed (f32, no column
 * stride, scale 1, offset 0, no abs), else a scratch row. */
void tessel_cpu_block_outputs(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r);
/* store.c: converts the scratch rows of s->outs into output rows r.. r+count-1. */
void tessel_cpu_store_rows(const tessel_cpu_job *job, const tessel_cpu_scratch *s, int r,
                           int count);

void tessel_cpu_direct_band(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r0, int r1);
void tessel_cpu_separable_band(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r0, int r1);
/* separable.c: the separable method's row pass (the row taps). */
void tessel_cpu_separable_row_pass(const tessel_cpu_job *job, tessel_cpu_scratch *s, long long y,
                                   float *slot);

#endif
