/* The inner loops of the integer path (core/integer_rule.h) on the CPU,
 * compiled per instruction set and picked at run time. Integer arithmetic
 * is exact, so every variant (and every path within one: vectors, tails)
 * gives the same integers, and the sums are converted by the output
 * conversion's own arithmetic (convert.h).
 *
 * Samples travel in 16-bit lanes: u8 as they are, u16 offset by -32768
 * (x ^ 0x8000), so that a pair of them multiply-adds into int32 in one
 * instruction (pmaddwd, vpdpwssd), with a pair of taps packed as one
 * int32 (low word for the first sample, high word for the second):
 *   - a row pair holds, per sample k, (a[k], b[k]) of two input rows, for
 *     two taps down a column; it is stored in the variant's own block
 *     order, which only `column` reads;
 *   - a pair row holds, per sample e, (s[e], s[e + step]) of one extended
 *     row, for two taps along the row, in sample order.
 * The vector loops work in whole blocks of TESSEL_INTEGER_BLOCK samples:
 * past n they read and write (garbage) up to n rounded up to a block, so
 * the arrays they read and write (not the images: row_pair's inputs and
 * emit's output) must hold that many more samples. */
#ifndef TESSEL_CPU_INTEGER_LOOPS_H
#define TESSEL_CPU_INTEGER_LOOPS_H

#include <stddef.h>
#include <stdint.h>

#include "convert.h"

/* Samples per block of the widest variant. */
#define TESSEL_INTEGER_BLOCK 64

typedef struct tessel_integer_loops {
    /* The row pair of input rows a and b, n samples of u8 ([0]) or u16 ([1]). */
    void (*row_pair[2])(const void *a, const void *b, uint32_t *p, size_t n);
    /* The column pass: out[k] = bias + sum_i pairs[i][k] . taps[i] for
     * k < n (sample order), which must fit in 16 bits. */
    void (*column)(const uint32_t *const *pairs, int count, const int32_t *taps, int32_t bias,
                   int16_t *out, size_t n);
    /* out[k] = the 16-bit form of in[k], u8 ([0]) or u16 ([1]), k < n. */
    void (*to_s16[2])(const void *in, int16_t *out, size_t n);
    /* The pair row q[e] = (s[e], s[e + step]), e < n. */
    void (*pair_row)(const int16_t *s, size_t step, uint32_t *q, size_t n);
    /* acc[e] = bias + sum_t sum_p q[t][e + 2p*step] . taps[t*pairs + p], e < n. */
    void (*dot)(const uint32_t *const *q, int nq, int pairs, size_t step, const int32_t *taps,
                int32_t bias, int32_t *acc, size_t n);
    /* n results into out, of dtype kind (u8 or u16): with round_shift
     * T >= 0, clamp((acc[k] + 2^(T-1)) >> T); else (float)acc[k] * unit
     * converted as store (convert.h's, for that dtype) does, with floats n
     * floats of scratch. */
    void (*emit)(const int32_t *acc, size_t n, int round_shift, float unit, int kind, void *out,
                 const tessel_store_params *params, tessel_store_fn store, float *floats);
    const char *isa; /* "avx512vnni", "avx512bw", "avx2" or "baseline" */
} tessel_integer_loops;

void tessel_integer_loops_select(tessel_integer_loops *out);
/* The variant for isa (a name above) when this CPU runs it: 1, else 0. */
int tessel_integer_loops_variant(const char *isa, tessel_integer_loops *out);

/* A pair of 16-bit taps as one int32 (low word a, high word b). */
static inline int32_t tessel_integer_tap_pair(int16_t a, int16_t b)
{
    return (int32_t)((uint32_t)(uint16_t)a | (uint32_t)(uint16_t)b << 16);
}

#endif
