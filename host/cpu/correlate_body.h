/* Template for one instruction-set variant of the row correlations (see
 * correlate.h). The includer defines VARIANT and BLOCK_VARIANT (function
 * names), VW (floats per vector), ROWS (output rows per block), VEC_T/VEC_U
 * (type names), VARIANT_TARGET (a target attribute or nothing), and
 * VMADD/SMADD(acc, c, x), acc + c * x for vectors and scalars, which must
 * round alike (see correlate.c), and VNAN2(a, b), nonzero when a lane of
 * vector a or b is NaN; they are undefined again at the end, ready for the
 * next variant. Every path (chunk, single vector, scalar tail, row or
 * block) adds the products of a pixel in one order, tap row by tap row, tap
 * by tap, so a pixel's sum is the same wherever it lies in a row or block.
 *
 * Register blocking: a chunk of 4 vectors of outputs (per output row) stays
 * in registers while every tap of every row is applied; outputs are stored
 * once per chunk. */
#define NV 4 /* vectors per chunk */

typedef float VEC_T __attribute__((vector_size(VW * 4)));
typedef float VEC_U __attribute__((vector_size(VW * 4), aligned(4), may_alias));

#define LOADV(p) (*(const VEC_U *)(p))
#define STOREV(p, v) (*(VEC_U *)(p) = (v))

#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define ROW_SPAN CAT(VARIANT, _span)
#define RESUM_BLOCK CAT(BLOCK_VARIANT, _resum)
#define ANY_NAN CAT(BLOCK_VARIANT, _any_nan)

/* The row correlation for out[e0 .. n). */
VARIANT_TARGET static inline __attribute__((always_inline)) void
ROW_SPAN(const float *const *rows, int nrows, const float *taps, int ntaps, int tap_step,
         float *out, size_t e0, size_t n)
{
    size_t e = e0;
    for (; e + NV * VW <= n; e += NV * VW) {
        VEC_T a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) {
                const float c = tap[i];
                a0 = VMADD(a0, c, LOADV(p));
                a1 = VMADD(a1, c, LOADV(p + VW));
                a2 = VMADD(a2, c, LOADV(p + 2 * VW));
                a3 = VMADD(a3, c, LOADV(p + 3 * VW));
            }
        }
        STOREV(out + e, a0);
        STOREV(out + e + VW, a1);
        STOREV(out + e + 2 * VW, a2);
        STOREV(out + e + 3 * VW, a3);
    }
    for (; e + VW <= n; e += VW) {
        VEC_T a = {0};
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) a = VMADD(a, tap[i], LOADV(p));
        }
        STOREV(out + e, a);
    }
    for (; e < n; ++e) {
        float a = 0.0f;
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) a = SMADD(a, tap[i], *p);
        }
        out[e] = a;
    }
}

VARIANT_TARGET static void VARIANT(const float *const *rows, int nrows, const float *taps,
                                   int ntaps, int tap_step, float *out, size_t n)
{
    ROW_SPAN(rows, nrows, taps, ntaps, tap_step, out, 0, n);
}

/* A block's outputs out[q][e .. e + count) again, row by row over each
 * row's own window (taps without padding). */
VARIANT_TARGET __attribute__((noinline, cold)) static void
RESUM_BLOCK(const float *const *rows, int nrows, const float *taps, int ntaps, int tap_step,
            float *const *out, size_t e, size_t count)
{
    for (int q = 0; q < ROWS; ++q)
        ROW_SPAN(rows + q, nrows, taps, ntaps, tap_step, out[q], e, e + count);
}

_Static_assert(ROWS % 2 == 0, "the block kernels test their sums for NaN in pairs");

/* Nonzero when a lane of any of the count (even) vectors is NaN. */
VARIANT_TARGET static inline int ANY_NAN(const VEC_T *v, int count)
{
    int any = 0;
#pragma GCC unroll 16
    for (int k = 0; k < count; k += 2) any |= VNAN2(v[k], v[k + 1]);
    return any;
}

/* Output row q reads input row u = q + t with tap row t, i.e. padded tap row
 * u - q + ROWS - 1: one load of input row u serves all ROWS outputs, with no
 * tests in the loop. The first and last ROWS - 1 input rows are multiplied
 * by the padding's zeros for the output rows whose window misses them. For a
 * finite sample that changes nothing (a sum that starts at +0 is never -0,
 * so adding a zero product leaves it as it is), but an infinite or NaN one
 * gives NaN where the output never saw it. NaN sticks, so a chunk with no
 * NaN is exact, and one with NaN is summed again row by row over what was
 * stored (RESUM_BLOCK), where only the output's own window can make it NaN.
 * The test comes after the stores: placed before them it cost up to 7% at
 * 9x9 (AVX-512). */
VARIANT_TARGET static void BLOCK_VARIANT(const float *const *rows, int nrows,
                                         const float *taps_padded, int ntaps, int tap_step,
                                         float *const *out, size_t n)
{
    const int inputs = nrows + ROWS - 1;
    const float *taps_body = taps_padded + (size_t)(ROWS - 1) * ntaps;
    size_t e = 0;
    for (; e + NV * VW <= n; e += NV * VW) {
        VEC_T acc[ROWS][NV];
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q)
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) acc[q][v] = (VEC_T){0};
        for (int u = 0; u < inputs; ++u) {
            const float *tp = taps_padded + (size_t)(u + ROWS - 1) * ntaps;
            const float *p = rows[u] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) {
                VEC_T x[NV];
#pragma GCC unroll 4
                for (int v = 0; v < NV; ++v) x[v] = LOADV(p + v * VW);
#pragma GCC unroll 16
                for (int q = 0; q < ROWS; ++q) {
                    const float c = tp[i - q * ntaps];
#pragma GCC unroll 4
                    for (int v = 0; v < NV; ++v) acc[q][v] = VMADD(acc[q][v], c, x[v]);
                }
            }
        }
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q)
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) STOREV(out[q] + e + v * VW, acc[q][v]);
        if (ANY_NAN(&acc[0][0], ROWS * NV))
            RESUM_BLOCK(rows, nrows, taps_body, ntaps, tap_step, out, e, NV * VW);
    }
    for (; e + VW <= n; e += VW) {
        VEC_T acc[ROWS];
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q) acc[q] = (VEC_T){0};
        for (int u = 0; u < inputs; ++u) {
            const float *tp = taps_padded + (size_t)(u + ROWS - 1) * ntaps;
            const float *p = rows[u] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) {
                VEC_T x = LOADV(p);
#pragma GCC unroll 16
                for (int q = 0; q < ROWS; ++q) acc[q] = VMADD(acc[q], tp[i - q * ntaps], x);
            }
        }
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q) STOREV(out[q] + e, acc[q]);
        if (ANY_NAN(acc, ROWS))
            RESUM_BLOCK(rows, nrows, taps_body, ntaps, tap_step, out, e, VW);
    }
    for (; e < n; ++e) {
        for (int q = 0; q < ROWS; ++q) {
            float a = 0.0f;
            for (int t = 0; t < nrows; ++t) {
                const float *tp = taps_body + (size_t)t * ntaps;
                const float *p = rows[q + t] + e;
                for (int i = 0; i < ntaps; ++i, p += tap_step) a = SMADD(a, tp[i], *p);
            }
            out[q][e] = a;
        }
    }
}

#undef NV
#undef CAT_
#undef CAT
#undef ROW_SPAN
#undef RESUM_BLOCK
#undef ANY_NAN
#undef LOADV
#undef STOREV
#undef VARIANT
#undef BLOCK_VARIANT
#undef VW
#undef ROWS
#undef VARIANT_TARGET
#undef VEC_T
#undef VEC_U
#undef VMADD
#undef SMADD
#undef VNAN2
