/* Runtime dispatch between the instruction-set variants of the row
 * correlations. The default build never assumes more than the baseline ISA;
 * the wider variants are compiled with target attributes and picked by
 * cpuid at context creation.
 *
 * Each variant states how it multiplies and adds: VMADD for vectors, SMADD
 * for the scalar tail, the same arithmetic both, fused (one rounding) where
 * the ISA has FMA and unfused in the baseline. Nothing is left to the
 * compiler's contraction (this file is built with -ffp-contract=off): at -O3
 * GCC turns the tail's tap loop into an in-order vector reduction, which
 * rounds each product before adding it, so a pixel would differ by where
 * in the row it falls (vector body or tail), i.e. with the image and tile
 * size. */
#include <math.h>

#include "correlate.h"

/* VNAN2(a, b): nonzero when a lane of vector a or b is NaN (an unordered
 * compare); the block kernels test their sums with it (correlate_body.h). */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BASELINE_NAN2(a, b) _mm_movemask_ps(_mm_cmpunord_ps((__m128)(a), (__m128)(b)))
#else
#define BASELINE_NAN_LANES(m) ((m)[0] | (m)[1] | (m)[2] | (m)[3])
#define BASELINE_NAN2(a, b) BASELINE_NAN_LANES(((a) != (a)) | ((b) != (b)))
#endif

#define VARIANT correlate_baseline
#define BLOCK_VARIANT correlate_block_baseline
#define VW 4
#define ROWS 2
#define VARIANT_TARGET
#define VEC_T vec_baseline
#define VEC_U vecu_baseline
#define VMADD(acc, c, x) ((acc) + (c) * (x))
#define SMADD(acc, c, x) ((acc) + (c) * (x))
#define VNAN2(a, b) BASELINE_NAN2(a, b)
#include "correlate_body.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define TESSEL_X86_VARIANTS 1

#define VARIANT correlate_avx2
#define BLOCK_VARIANT correlate_block_avx2
#define VW 8
#define ROWS 2
#define VARIANT_TARGET __attribute__((target("avx2,fma")))
#define VEC_T vec_avx2
#define VEC_U vecu_avx2
#define VMADD(acc, c, x) ((VEC_T)_mm256_fmadd_ps(_mm256_set1_ps(c), (__m256)(x), (__m256)(acc)))
#define SMADD(acc, c, x) fmaf((c), (x), (acc))
#define VNAN2(a, b) _mm256_movemask_ps(_mm256_cmp_ps((__m256)(a), (__m256)(b), _CMP_UNORD_Q))
#include "correlate_body.h"

#define VARIANT correlate_avx512
#define BLOCK_VARIANT correlate_block_avx512
#define VW 16
#define ROWS 4
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define VEC_T vec_avx512
#define VEC_U vecu_avx512
#define VMADD(acc, c, x) ((VEC_T)_mm512_fmadd_ps(_mm512_set1_ps(c), (__m512)(x), (__m512)(acc)))
#define SMADD(acc, c, x) fmaf((c), (x), (acc))
#define VNAN2(a, b) ((int)_mm512_cmp_ps_mask((__m512)(a), (__m512)(b), _CMP_UNORD_Q))
#include "correlate_body.h"
#endif

void tessel_correlate_select(tessel_correlate_kernels *out)
{
    *out = (tessel_correlate_kernels){correlate_baseline, correlate_block_baseline, 2, 4,
                                      "baseline"};
#ifdef TESSEL_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        *out = (tessel_correlate_kernels){correlate_avx512, correlate_block_avx512, 4, 16,
                                          "avx512f"};
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        *out = (tessel_correlate_kernels){correlate_avx2, correlate_block_avx2, 2, 8, "avx2"};
#endif
}
