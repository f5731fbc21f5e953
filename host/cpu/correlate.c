/* Runtime dispatch between the instruction-set variants of the row
 * correlation. The default build never assumes more than the baseline ISA. */
#include "correlate.h"

#define VARIANT correlate_baseline
#define VW 4
#define VARIANT_TARGET
#define VEC_T vec_baseline
#define VEC_U vecu_baseline
#include "correlate_body.h"
#undef VARIANT
#undef VW
#undef VARIANT_TARGET
#undef VEC_T
#undef VEC_U

#if defined(__x86_64__) && defined(__GNUC__)
#define TESSEL_X86_VARIANTS 1

#define VARIANT correlate_avx2
#define VW 8
#define VARIANT_TARGET __attribute__((target("avx2,fma")))
#define VEC_T vec_avx2
#define VEC_U vecu_avx2
#include "correlate_body.h"
#undef VARIANT
#undef VW
#undef VARIANT_TARGET
#undef VEC_T
#undef VEC_U

#define VARIANT correlate_avx512
#define VW 16
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define VEC_T vec_avx512
#define VEC_U vecu_avx512
#include "correlate_body.h"
#undef VARIANT
#undef VW
#undef VARIANT_TARGET
#undef VEC_T
#undef VEC_U
#endif

tessel_correlate_fn tessel_correlate_select(const char **isa_name)
{
#ifdef TESSEL_X86_VARIANTS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        *isa_name = "avx512f";
        return correlate_avx512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        *isa_name = "avx2";
        return correlate_avx2;
    }
#endif
    *isa_name = "baseline";
    return correlate_baseline;
}
