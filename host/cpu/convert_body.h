/* Template for one instruction-set variant of the conversions (convert.h).
 * The includer defines SUFFIX(name) and VARIANT_TARGET (undefined again at
 * the end). The loops are plain
 * so the compiler vectorises them for the target. */
#include <math.h>
#include <stdint.h>
#include <string.h>

VARIANT_TARGET static void SUFFIX(load_u8)(const void *src, float *dst, size_t n)
{
    const uint8_t *s = src;
    for (size_t k = 0; k < n; ++k) dst[k] = (float)s[k];
}

VARIANT_TARGET static void SUFFIX(load_u16)(const void *src, float *dst, size_t n)
{
    const uint16_t *s = src;
    for (size_t k = 0; k < n; ++k) dst[k] = (float)s[k];
}

VARIANT_TARGET static void SUFFIX(load_f32)(const void *src, float *dst, size_t n)
{
    memcpy(dst, src, n * sizeof(float));
}

#if CONVERT_AVX512
/* The integer stores' vectors, 16 samples at a time, in the arithmetic of
 * the loops below: min(NaN, hi) is hi and max(NaN, 0) is 0, as their
 * comparisons. Returns how many samples it stored. */
VARIANT_TARGET static size_t SUFFIX(store_narrow)(const float *src, void *dst, size_t n,
                                                 const tessel_store_params *p, int bytes)
{
    const __m512 scale = _mm512_set1_ps(p->scale), offset = _mm512_set1_ps(p->offset);
    const __m512 hi = _mm512_set1_ps(bytes == 1 ? 255.0f : 65535.0f), half = _mm512_set1_ps(0.5f);
    size_t k = 0;
    for (; k + 16 <= n; k += 16) {
        __m512 v = _mm512_fmadd_ps(_mm512_loadu_ps(src + k), scale, offset);
        v = p->absolute ? _mm512_abs_ps(v) : _mm512_max_ps(v, _mm512_setzero_ps());
        const __m512i i = _mm512_cvttps_epi32(_mm512_add_ps(_mm512_min_ps(v, hi), half));
        if (bytes == 1) _mm_storeu_si128((__m128i *)((uint8_t *)dst + k), _mm512_cvtepi32_epi8(i));
        else _mm256_storeu_si256((__m256i *)((uint16_t *)dst + k), _mm512_cvtepi32_epi16(i));
    }
    return k;
}
#define STORE_HEAD(bytes) SUFFIX(store_narrow)(src, dst, n, p, bytes)
#else
#define STORE_HEAD(bytes) 0
#endif

/* Adding 0.5 after clamping to [0, hi] and truncating rounds to nearest.
 * The truncation goes through int32 (the value fits), which vectorises to
 * one conversion; straight to an unsigned type it takes a dozen. */
#define STORE_INTEGER(NAME, TYPE, HI)                                                       \
    VARIANT_TARGET static void SUFFIX(NAME)(const float *src, void *dst, size_t n,           \
                                            const tessel_store_params *p)                   \
    {                                                                                       \
        TYPE *d = dst;                                                                      \
        const float scale = p->scale, offset = p->offset;                                  \
        const size_t head = STORE_HEAD(sizeof(TYPE));                                      \
        if (p->absolute) {                                                                  \
            for (size_t k = head; k < n; ++k) {                                             \
                float v = fabsf(src[k] * scale + offset);                                   \
                v = v < (HI) ? v : (HI);                                                    \
                d[k] = (TYPE)(int32_t)(v + 0.5f);                                           \
            }                                                                               \
        } else {                                                                            \
            for (size_t k = head; k < n; ++k) {                                             \
                float v = src[k] * scale + offset;                                          \
                v = v > 0.0f ? v : 0.0f;                                                    \
                v = v < (HI) ? v : (HI);                                                    \
                d[k] = (TYPE)(int32_t)(v + 0.5f);                                           \
            }                                                                               \
        }                                                                                   \
    }

STORE_INTEGER(store_u8, uint8_t, 255.0f)
STORE_INTEGER(store_u16, uint16_t, 65535.0f)
#undef STORE_INTEGER

VARIANT_TARGET static void SUFFIX(store_f32)(const float *src, void *dst, size_t n,
                                            const tessel_store_params *p)
{
    float *d = dst;
    const float scale = p->scale, offset = p->offset;
    if (p->absolute)
        for (size_t k = 0; k < n; ++k) d[k] = fabsf(src[k] * scale + offset);
    else
        for (size_t k = 0; k < n; ++k) d[k] = src[k] * scale + offset;
}

static const tessel_converters SUFFIX(converters) = {
    {NULL, SUFFIX(load_u8), SUFFIX(load_u16), SUFFIX(load_f32)},
    {NULL, SUFFIX(store_u8), SUFFIX(store_u16), SUFFIX(store_f32)},
};

#undef STORE_HEAD
#undef SUFFIX
#undef VARIANT_TARGET
#undef CONVERT_AVX512
