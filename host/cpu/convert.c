/* Per-ISA conversions (see convert.h), selected with the correlations. */
#include "convert.h"

#include <string.h>

#define SUFFIX(name) name##_baseline
#define VARIANT_TARGET
#include "convert_body.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define TESSEL_X86_VARIANTS 1
#define SUFFIX(name) name##_avx2
#define VARIANT_TARGET __attribute__((target("avx2,fma")))
#include "convert_body.h"

#define SUFFIX(name) name##_avx512
#define VARIANT_TARGET __attribute__((target("avx512f,avx2,fma")))
#define CONVERT_AVX512 1 /* explicit 512-bit integer stores */
#include "convert_body.h"
#endif

void tessel_converters_select(const char *isa, tessel_converters *out)
{
    *out = converters_baseline;
#ifdef TESSEL_X86_VARIANTS
    if (strcmp(isa, "avx512f") == 0) *out = converters_avx512;
    if (strcmp(isa, "avx2") == 0) *out = converters_avx2;
#endif
}
