/* Per-ISA running-sum loops (see running_sums.h), selected with the
 * correlations. */
#include "running_sums.h"

#include <string.h>

#define SUFFIX(name) name##_baseline
#define VARIANT_TARGET
#define VD 2 /* doubles per vector */
#include "running_sums_body.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "emit_avx512.h"
#define TESSEL_X86_VARIANTS 1
#define SUFFIX(name) name##_avx2
#define VARIANT_TARGET __attribute__((target("avx2,fma")))
#define VD 4
#include "running_sums_body.h"

#define SUFFIX(name) name##_avx512
/* Whole 512-bit vectors: the conversions to 8 and 16 bits narrow in one
 * instruction there, where 256-bit ones pack and permute. */
#if defined(__clang__) /* clang spells the width preference differently */
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma"), min_vector_width(512)))
#else
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma,prefer-vector-width=512")))
#endif
#define VD 8
#define RS_AVX512 1 /* explicit 512-bit loops for int32 windows */
#include "running_sums_body.h"
#endif

void tessel_running_sums_select(const char *isa, tessel_running_sums *out)
{
    running_sums_baseline(out);
#ifdef TESSEL_X86_VARIANTS
    if (strcmp(isa, "avx512f") == 0) running_sums_avx512(out);
    if (strcmp(isa, "avx2") == 0) running_sums_avx2(out);
#endif
}
