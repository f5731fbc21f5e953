/* Runtime dispatch between the instruction-set variants of the row
 * correlations. The default build never assumes more than the baseline ISA;
 * the wider variants are compiled with target attributes and picked by
 * cpuid at context creation. */
#include "correlate.h"


#define VARIANT correlate_baseline
#define BLOCK_VARIANT correlate_block_baseline
#define VW 4
#define ROWS 2
#define VARIANT_TARGET
#define VEC_T vec_baseline
#define VEC_U vecu_baseline
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
#include "correlate_body.h"

#define VARIANT correlate_avx512
#define BLOCK_VARIANT correlate_block_avx512
#define VW 16
#define ROWS 4
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define VEC_T vec_avx512
#define VEC_U vecu_avx512
#include "correlate_body.h"
#endif

void tessel_correlate_select(tessel_correlate_kernels *out)
{
    *out = (tessel_correlate_kernels){correlate_baseline, correlate_block_baseline, 2,
                                      "baseline"};
#ifdef TESSEL_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        *out = (tessel_correlate_kernels){correlate_avx512, correlate_block_avx512, 4,
                                          "avx512f"};
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        *out = (tessel_correlate_kernels){correlate_avx2, correlate_block_avx2, 2, "avx2"};
#endif
}
