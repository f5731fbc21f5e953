/* Template for one instruction-set variant of the row correlation (see
 * correlate.h). The includer defines VARIANT (function name), VW (floats per
 * vector) and VARIANT_TARGET (a target attribute or nothing).
 *
 * Register blocking: CHUNK = 4 vectors of outputs stay in registers while
 * every tap of every row is applied, so each loaded input vector costs one
 * fused multiply-add and the outputs are stored once. */
#define CHUNK (4 * VW)

typedef float VEC_T __attribute__((vector_size(VW * 4)));
typedef float VEC_U __attribute__((vector_size(VW * 4), aligned(4), may_alias));

VARIANT_TARGET static void VARIANT(const float *const *rows, int nrows, const float *taps,
                                   int ntaps, int tap_step, float *out, size_t n)
{
    size_t e = 0;
    for (; e + CHUNK <= n; e += CHUNK) {
        VEC_T a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) {
                const float c = tap[i];
                a0 += c * *(const VEC_U *)(p);
                a1 += c * *(const VEC_U *)(p + VW);
                a2 += c * *(const VEC_U *)(p + 2 * VW);
                a3 += c * *(const VEC_U *)(p + 3 * VW);
            }
        }
        *(VEC_U *)(out + e) = a0;
        *(VEC_U *)(out + e + VW) = a1;
        *(VEC_U *)(out + e + 2 * VW) = a2;
        *(VEC_U *)(out + e + 3 * VW) = a3;
    }
    for (; e + VW <= n; e += VW) {
        VEC_T a = {0};
        for (int t = 0; t < nrows; ++t) {
            const float *tap = taps + (size_t)t * ntaps;
            const float *p = rows[t] + e;
            for (int i = 0; i < ntaps; ++i, p += tap_step) a += tap[i] * *(const VEC_U *)p;
        }
        *(VEC_U *)(out + e) = a;
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

#undef CHUNK
