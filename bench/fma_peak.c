/* Register-only multiply-add loops, one per instruction set (see fma_peak.h).
 * x = x*m + a with m just below 1 converges to a/(1-m): values stay normal,
 * never overflow, and the compiler cannot fold the loop away. */
#include "fma_peak.h"

#define FMA_M 0.9999999f
#define FMA_A 1e-6f

#define REPEAT_CHAINS(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)
#define REPEAT_TAIL(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11)

typedef float vec_baseline __attribute__((vector_size(16)));

/* Portable: mul + add (fused only where the baseline ISA has FMA). */
static float fma_loop_baseline(long iterations, float seed)
{
    const vec_baseline m = {FMA_M, FMA_M, FMA_M, FMA_M}, a = {FMA_A, FMA_A, FMA_A, FMA_A};
#define DECLARE(k) vec_baseline x##k = m * (seed + 0.01f * (k));
    REPEAT_CHAINS(DECLARE)
#undef DECLARE
    for (long i = 0; i < iterations; ++i) {
#define STEP(k) x##k = x##k * m + a;
        REPEAT_CHAINS(STEP)
#undef STEP
    }
#define SUM(k) x0 += x##k;
    REPEAT_TAIL(SUM)
#undef SUM
    return x0[0] + x0[1] + x0[2] + x0[3];
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define BENCH_X86_VARIANTS 1

__attribute__((target("avx2,fma"))) static float fma_loop_avx2(long iterations, float seed)
{
    const __m256 m = _mm256_set1_ps(FMA_M), a = _mm256_set1_ps(FMA_A);
#define DECLARE(k) __m256 x##k = _mm256_set1_ps(seed + 0.01f * (k));
    REPEAT_CHAINS(DECLARE)
#undef DECLARE
    for (long i = 0; i < iterations; ++i) {
#define STEP(k) x##k = _mm256_fmadd_ps(x##k, m, a);
        REPEAT_CHAINS(STEP)
#undef STEP
    }
#define SUM(k) x0 = _mm256_add_ps(x0, x##k);
    REPEAT_TAIL(SUM)
#undef SUM
    float lanes[8];
    _mm256_storeu_ps(lanes, x0);
    float s = 0.0f;
    for (int i = 0; i < 8; ++i) s += lanes[i];
    return s;
}

__attribute__((target("avx512f"))) static float fma_loop_avx512(long iterations, float seed)
{
    const __m512 m = _mm512_set1_ps(FMA_M), a = _mm512_set1_ps(FMA_A);
#define DECLARE(k) __m512 x##k = _mm512_set1_ps(seed + 0.01f * (k));
    REPEAT_CHAINS(DECLARE)
#undef DECLARE
    for (long i = 0; i < iterations; ++i) {
#define STEP(k) x##k = _mm512_fmadd_ps(x##k, m, a);
        REPEAT_CHAINS(STEP)
#undef STEP
    }
#define SUM(k) x0 = _mm512_add_ps(x0, x##k);
    REPEAT_TAIL(SUM)
#undef SUM
    return _mm512_reduce_add_ps(x0);
}
#endif

bench_fma_variant bench_fma_select(void)
{
#ifdef BENCH_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return (bench_fma_variant){fma_loop_avx512, 16, "avx512f"};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return (bench_fma_variant){fma_loop_avx2, 8, "avx2"};
#endif
    return (bench_fma_variant){fma_loop_baseline, 4, "baseline"};
}
