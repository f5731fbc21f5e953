/* Template for one instruction-set variant of the row correlations (see
 * correlate.h). The includer defines VARIANT and BLOCK_VARIANT (function
 * names), VW (floats per vector), ROWS (output rows per block), VEC_T/VEC_U
 * (type names) and VARIANT_TARGET (a target attribute or nothing); they are
 * undefined again at the end, ready for the next variant.
 *
 * Register blocking: a chunk of 4 vectors of outputs (per output row) stays
 * in registers while every tap of every row is applied; outputs are stored
 * once per chunk. */
#define NV 4 /* vectors per chunk */

typedef float VEC_T __attribute__((vector_size(VW * 4)));
typedef float VEC_U __attribute__((vector_size(VW * 4), aligned(4), may_alias));

#define LOADV(p) (*(const VEC_U *)(p))
#define STOREV(p, v) (*(VEC_U *)(p) = (v))

VARIANT_TARGET static void VARIANT(const float *const *rows, int nrows, const float *taps,
                                   int ntaps, int tap_step, float *out, size_t n)
{
    size_t e = 0;
    for (; e + NV * VW <= n; e += NV * VW) {
        VEC_T a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) {
                const float c = tap[i];
                a0 += c * LOADV(p);
                a1 += c * LOADV(p + VW);
                a2 += c * LOADV(p + 2 * VW);
                a3 += c * LOADV(p + 3 * VW);
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
            for (int i = 0; i < ntaps; ++i, p += tap_step) a += tap[i] * LOADV(p);
        }
        STOREV(out + e, a);
    }
    for (; e < n; ++e) {
        float a = 0.0f;
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) a += tap[i] * *p;
        }
        out[e] = a;
    }
}

/* Output row q reads input row u = q + t with tap row t, i.e. padded tap row
 * u - q + ROWS - 1: one load of input row u serves all ROWS outputs. */
VARIANT_TARGET static void BLOCK_VARIANT(const float *const *rows, int nrows,
                                         const float *taps_padded, int ntaps, int tap_step,
                                         float *const *out, size_t n)
{
    const int inputs = nrows + ROWS - 1;
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
                    for (int v = 0; v < NV; ++v) acc[q][v] += c * x[v];
                }
            }
        }
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q)
#pragma GCC unroll 4
            for (int v = 0; v < NV; ++v) STOREV(out[q] + e + v * VW, acc[q][v]);
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
                for (int q = 0; q < ROWS; ++q) acc[q] += tp[i - q * ntaps] * x;
            }
        }
#pragma GCC unroll 16
        for (int q = 0; q < ROWS; ++q) STOREV(out[q] + e, acc[q]);
    }
    for (; e < n; ++e) {
        for (int q = 0; q < ROWS; ++q) {
            float a = 0.0f;
            for (int t = 0; t < nrows; ++t) {
                const float *tp = taps_padded + (size_t)(t + ROWS - 1) * ntaps;
                const float *p = rows[q + t] + e;
                for (int i = 0; i < ntaps; ++i, p += tap_step) a += tp[i] * *p;
            }
            out[q][e] = a;
        }
    }
}

#undef NV
#undef LOADV
#undef STOREV
#undef VARIANT
#undef BLOCK_VARIANT
#undef VW
#undef ROWS
#undef VARIANT_TARGET
#undef VEC_T
#undef VEC_U
