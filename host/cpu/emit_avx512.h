/* 16 floats through the output conversion as convert_body.h's AVX-512
 * store writes them (scale, offset, |.|, then for u8/u16 clamping, + 0.5
 * and truncation): for loops that convert their sums as they make them
 * (running sums, the integer path) and must round as the store does. */
#ifndef TESSEL_CPU_EMIT_AVX512_H
#define TESSEL_CPU_EMIT_AVX512_H

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <stdint.h>

#include "convert.h"

/* kind 0: the floats as they are; else a tessel_dtype, converted. */
__attribute__((target("avx512f,avx2,fma"))) static inline __attribute__((always_inline)) void
tessel_emit16_avx512(__m512 v, int kind, void *out, size_t e, const tessel_store_params *store)
{
    if (kind == 0) {
        _mm512_storeu_ps((float *)out + e, v);
        return;
    }
    v = _mm512_fmadd_ps(v, _mm512_set1_ps(store->scale), _mm512_set1_ps(store->offset));
    if (store->absolute) v = _mm512_abs_ps(v);
    if (kind == TESSEL_F32) {
        _mm512_storeu_ps((float *)out + e, v);
        return;
    }
    const float hi = kind == TESSEL_U8 ? 255.0f : 65535.0f;
    /* min(NaN, hi) is hi and max(NaN, 0) is 0, as the store's comparisons. */
    if (!store->absolute) v = _mm512_max_ps(v, _mm512_setzero_ps());
    v = _mm512_min_ps(v, _mm512_set1_ps(hi));
    const __m512i i = _mm512_cvttps_epi32(_mm512_add_ps(v, _mm512_set1_ps(0.5f)));
    if (kind == TESSEL_U8)
        _mm_storeu_si128((__m128i *)((uint8_t *)out + e), _mm512_cvtepi32_epi8(i));
    else
        _mm256_storeu_si256((__m256i *)((uint16_t *)out + e), _mm512_cvtepi32_epi16(i));
}
#endif

#endif
