/* Per-ISA integer loops (integer_loops.h), picked by cpuid: AVX-512BW
 * (with VNNI's vpdpwssd where the CPU has it), AVX2, or plain C. */
#include "integer_loops.h"

#include <string.h>

#define SUFFIX(name) name##_baseline
#define VARIANT_TARGET
#define INT_BITS 0
#include "integer_body.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include "emit_avx512.h"
#define TESSEL_X86_VARIANTS 1

#define SUFFIX(name) name##_avx2
#define VARIANT_TARGET __attribute__((target("avx2")))
#define INT_BITS 256
#include "integer_body.h"

#define SUFFIX(name) name##_avx512bw
#define VARIANT_TARGET __attribute__((target("avx512f,avx512bw,avx2,fma")))
#define INT_BITS 512
#include "integer_body.h"

#define SUFFIX(name) name##_avx512vnni
#define VARIANT_TARGET __attribute__((target("avx512f,avx512bw,avx512vnni,avx2,fma")))
#define INT_BITS 512
#define INT_VNNI 1
#include "integer_body.h"
#endif

int tessel_integer_loops_variant(const char *isa, tessel_integer_loops *out)
{
    if (strcmp(isa, "baseline") == 0) {
        loops_baseline(out, "baseline");
        return 1;
    }
#ifdef TESSEL_X86_VARIANTS
    __builtin_cpu_init();
    const int bw = __builtin_cpu_supports("avx512bw");
    if (strcmp(isa, "avx512vnni") == 0 && bw && __builtin_cpu_supports("avx512vnni")) {
        loops_avx512vnni(out, "avx512vnni");
        return 1;
    }
    if (strcmp(isa, "avx512bw") == 0 && bw) {
        loops_avx512bw(out, "avx512bw");
        return 1;
    }
    if (strcmp(isa, "avx2") == 0 && __builtin_cpu_supports("avx2")) {
        loops_avx2(out, "avx2");
        return 1;
    }
#endif
    return 0;
}

void tessel_integer_loops_select(tessel_integer_loops *out)
{
    static const char *const best_first[] = {"avx512vnni", "avx512bw", "avx2"};
    for (size_t i = 0; i < sizeof best_first / sizeof *best_first; ++i)
        if (tessel_integer_loops_variant(best_first[i], out)) return;
    loops_baseline(out, "baseline");
}
