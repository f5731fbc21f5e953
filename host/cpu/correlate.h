/* The inner loops of every CPU method.
 *
 * row:   out[e] = sum_t sum_i taps[t*ntaps + i] * rows[t][e + i*tap_step],  0 <= e < n
 *        Direct 2-D: nrows = kh, ntaps = kw, tap_step = channels (interleaved
 *        pixels). Separable row pass: nrows = 1. Column pass: ntaps = 1.
 *        Each rows[t] holds n + (ntaps-1)*tap_step floats.
 * block: the same for block_rows consecutive output rows at once,
 *        out[q][e] = sum_t sum_i taps[t][i] * rows[q + t][e + i*tap_step],
 *        from nrows + block_rows - 1 input rows. Each loaded input vector then
 *        feeds up to block_rows multiply-adds, which is what makes the direct
 *        method and the column pass fast. taps_padded holds block_rows - 1 zero
 *        rows, the nrows tap rows, then block_rows - 1 zero rows again, so the
 *        loop needs no bounds tests (see tessel_pad_taps in core/kernel.h);
 *        outputs that a zero tap times a non-finite sample made NaN are
 *        summed again without the padding (correlate_body.h). */
#ifndef TESSEL_CPU_CORRELATE_H
#define TESSEL_CPU_CORRELATE_H

#include <stddef.h>

typedef void (*tessel_correlate_fn)(const float *const *rows, int nrows, const float *taps,
                                    int ntaps, int tap_step, float *out, size_t n);
typedef void (*tessel_correlate_block_fn)(const float *const *rows, int nrows,
                                          const float *taps_padded, int ntaps, int tap_step,
                                          float *const *out, size_t n);

typedef struct tessel_correlate_kernels {
    tessel_correlate_fn row;
    tessel_correlate_block_fn block;
    int block_rows;    /* output rows per block call */
    int vector_floats; /* floats per vector of the loops */
    const char *isa;   /* "avx512f", "avx2" or "baseline" */
} tessel_correlate_kernels;

/* The best variants for this CPU. */
void tessel_correlate_select(tessel_correlate_kernels *out);

#endif
