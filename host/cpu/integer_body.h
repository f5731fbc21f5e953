/* Template for one instruction-set variant of the integer path's loops
 * (integer_loops.h). The includer defines SUFFIX(name), VARIANT_TARGET and
 * INT_BITS: 512 (AVX-512BW; INT_VNNI 1 adds vpdpwssd), 256 (AVX2) or 0
 * (plain C); all are undefined again at the end.
 *
 * Block order of a row pair: a block of WORDS samples is two rows' words
 * interleaved by unpacklo/hi (within 128-bit lanes): the lo vector holds
 * the first four samples of each lane, the hi vector the last four. The
 * column pass sums blocks alike and narrows the two int32 vectors with a
 * signed pack (the rule keeps column sums within 16 bits), which puts the samples back in order. The vector forms
 * run whole blocks (integer_loops.h); a row pair's last partial block is
 * made from zero-padded copies of its rows. The plain C form keeps sample
 * order and does exactly n samples. */
#include <stdint.h>
#include <string.h>

/* ------------------------------------------------------------ every variant */

VARIANT_TARGET static void SUFFIX(to_s16_u8)(const void *in, int16_t *out, size_t n)
{
    const uint8_t *s = in;
    for (size_t k = 0; k < n; ++k) out[k] = s[k];
}

VARIANT_TARGET static void SUFFIX(to_s16_u16)(const void *in, int16_t *out, size_t n)
{
    const uint16_t *s = in;
    for (size_t k = 0; k < n; ++k) out[k] = (int16_t)(s[k] ^ 0x8000u);
}

/* ------------------------------------------------------------ vector forms */

#if INT_BITS == 512
#define VI __m512i
#define WORDS 32
#define LOADU(p) _mm512_loadu_si512((const void *)(p))
#define STOREU(p, v) _mm512_storeu_si512((void *)(p), v)
#define ZEXT8(p) _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(p)))
#define SET1(v) _mm512_set1_epi32(v)
#define FLIP16(v) _mm512_xor_si512(v, _mm512_set1_epi16((short)0x8000))
#define UNPACKLO(a, b) _mm512_unpacklo_epi16(a, b)
#define UNPACKHI(a, b) _mm512_unpackhi_epi16(a, b)
#define PACKS(a, b) _mm512_packs_epi32(a, b)
#if INT_VNNI
#define DP(acc, a, t) _mm512_dpwssd_epi32(acc, a, t)
#else
#define DP(acc, a, t) _mm512_add_epi32(acc, _mm512_madd_epi16(a, t))
#endif
#elif INT_BITS == 256
#define VI __m256i
#define WORDS 16
#define LOADU(p) _mm256_loadu_si256((const __m256i *)(p))
#define STOREU(p, v) _mm256_storeu_si256((__m256i *)(p), v)
#define ZEXT8(p) _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(p)))
#define SET1(v) _mm256_set1_epi32(v)
#define FLIP16(v) _mm256_xor_si256(v, _mm256_set1_epi16((short)0x8000))
#define UNPACKLO(a, b) _mm256_unpacklo_epi16(a, b)
#define UNPACKHI(a, b) _mm256_unpackhi_epi16(a, b)
#define PACKS(a, b) _mm256_packs_epi32(a, b)
#define DP(acc, a, t) _mm256_add_epi32(acc, _mm256_madd_epi16(a, t))
#endif

#if INT_BITS

/* A block of two rows' samples (x, y: their 16-bit forms) in block order. */
#define STORE_BLOCK(p, x, y)                                                                   \
    do {                                                                                       \
        STOREU(p, UNPACKLO(x, y));                                                             \
        STOREU((p) + WORDS / 2, UNPACKHI(x, y));                                               \
    } while (0)

/* The last partial block from zero-padded copies: whole blocks only. */
VARIANT_TARGET static void SUFFIX(row_pair_u8)(const void *a, const void *b, uint32_t *p,
                                               size_t n)
{
    size_t k = 0;
    for (; k + WORDS <= n; k += WORDS)
        STORE_BLOCK(p + k, ZEXT8((const uint8_t *)a + k), ZEXT8((const uint8_t *)b + k));
    if (k == n) return;
    uint8_t ta[WORDS] = {0}, tb[WORDS] = {0};
    memcpy(ta, (const uint8_t *)a + k, n - k);
    memcpy(tb, (const uint8_t *)b + k, n - k);
    STORE_BLOCK(p + k, ZEXT8(ta), ZEXT8(tb));
}

VARIANT_TARGET static void SUFFIX(row_pair_u16)(const void *a, const void *b, uint32_t *p,
                                                size_t n)
{
    size_t k = 0;
    for (; k + WORDS <= n; k += WORDS)
        STORE_BLOCK(p + k, FLIP16(LOADU((const uint16_t *)a + k)),
                    FLIP16(LOADU((const uint16_t *)b + k)));
    if (k == n) return;
    uint16_t ta[WORDS] = {0}, tb[WORDS] = {0};
    memcpy(ta, (const uint16_t *)a + k, (n - k) * sizeof *ta);
    memcpy(tb, (const uint16_t *)b + k, (n - k) * sizeof *tb);
    STORE_BLOCK(p + k, FLIP16(LOADU(ta)), FLIP16(LOADU(tb)));
}

/* NB blocks of column sums from sample k into out (NB a constant: the
 * sums stay in registers). */
VARIANT_TARGET static inline __attribute__((always_inline)) void
SUFFIX(column_blocks)(const uint32_t *const *pairs, int count, const int32_t *taps, int32_t bias,
                      int16_t *out, size_t k, const int NB)
{
    const size_t H = WORDS / 2;
    VI lo[4], hi[4];
#pragma GCC unroll 4
    for (int b = 0; b < NB; ++b) lo[b] = hi[b] = SET1(bias);
    for (int i = 0; i < count; ++i) {
        const VI t = SET1(taps[i]);
        const uint32_t *p = pairs[i] + k;
#pragma GCC unroll 4
        for (int b = 0; b < NB; ++b) {
            lo[b] = DP(lo[b], LOADU(p + b * WORDS), t);
            hi[b] = DP(hi[b], LOADU(p + b * WORDS + H), t);
        }
    }
#pragma GCC unroll 4
    for (int b = 0; b < NB; ++b) STOREU(out + k + b * WORDS, PACKS(lo[b], hi[b]));
}

/* Four blocks per step (eight int32 sums in flight), then one at a time. */
VARIANT_TARGET static void SUFFIX(column)(const uint32_t *const *pairs, int count,
                                          const int32_t *taps, int32_t bias, int16_t *out,
                                          size_t n)
{
    size_t k = 0;
    for (; k + 3 * WORDS < n; k += 4 * WORDS)
        SUFFIX(column_blocks)(pairs, count, taps, bias, out, k, 4);
    for (; k < n; k += WORDS) SUFFIX(column_blocks)(pairs, count, taps, bias, out, k, 1);
}

/* NB vectors of sums from output e into s (NB a constant). */
VARIANT_TARGET static inline __attribute__((always_inline)) void
SUFFIX(dot_vectors)(const uint32_t *const *q, int nq, int pairs, size_t step, const int32_t *taps,
                    int32_t bias, size_t e, VI *s, const int NB)
{
    const size_t V = WORDS / 2;
#pragma GCC unroll 8
    for (int v = 0; v < NB; ++v) s[v] = SET1(bias);
    for (int t = 0; t < nq; ++t) {
        const uint32_t *row = q[t] + e;
        for (int p = 0; p < pairs; ++p, row += 2 * step) {
            const VI k = SET1(taps[t * pairs + p]);
#pragma GCC unroll 8
            for (int v = 0; v < NB; ++v) s[v] = DP(s[v], LOADU(row + v * V), k);
        }
    }
}

/* Eight vectors of sums per step, then four: whole steps. */
VARIANT_TARGET static void SUFFIX(dot)(const uint32_t *const *q, int nq, int pairs, size_t step,
                                       const int32_t *taps, int32_t bias, int32_t *acc, size_t n)
{
    const size_t V = WORDS / 2;
    size_t e = 0;
    VI s[8];
    for (; e + 4 * V < n; e += 8 * V) {
        SUFFIX(dot_vectors)(q, nq, pairs, step, taps, bias, e, s, 8);
#pragma GCC unroll 8
        for (int v = 0; v < 8; ++v) STOREU(acc + e + v * V, s[v]);
    }
    for (; e < n; e += 4 * V) {
        SUFFIX(dot_vectors)(q, nq, pairs, step, taps, bias, e, s, 4);
#pragma GCC unroll 4
        for (int v = 0; v < 4; ++v) STOREU(acc + e + v * V, s[v]);
    }
}

#if INT_BITS == 512
/* Samples e.. and e + step.. interleaved in order, 32 at a time. */
VARIANT_TARGET static void SUFFIX(pair_row)(const int16_t *s, size_t step, uint32_t *q, size_t n)
{
    const __m512i first = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9,
                                           40, 8, 39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1,
                                           32, 0);
    const __m512i second = _mm512_add_epi16(first, _mm512_set1_epi16(16));
    for (size_t e = 0; e < n; e += 32) {
        const __m512i a = LOADU(s + e), b = LOADU(s + e + step);
        STOREU(q + e, _mm512_permutex2var_epi16(a, first, b));
        STOREU(q + e + 16, _mm512_permutex2var_epi16(a, second, b));
    }
}
#else
VARIANT_TARGET static void SUFFIX(pair_row)(const int16_t *s, size_t step, uint32_t *q, size_t n)
{
    for (size_t e = 0; e < n; e += 8) {
        const __m256i a = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + e)));
        const __m256i b = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(s + e + step)));
        STOREU(q + e, _mm256_or_si256(a, _mm256_slli_epi32(b, 16)));
    }
}
#endif

#else /* plain C: sample order throughout, exactly n samples */

static inline uint32_t SUFFIX(pair_of)(int32_t a, int32_t b)
{
    return (uint16_t)a | (uint32_t)(uint16_t)b << 16;
}

static inline int32_t SUFFIX(pair_dot)(uint32_t q, int32_t taps)
{
    return (int32_t)(int16_t)(q & 0xffffu) * (int16_t)(taps & 0xffff) +
           (int32_t)(int16_t)(q >> 16) * (int16_t)((uint32_t)taps >> 16);
}

VARIANT_TARGET static void SUFFIX(row_pair_u8)(const void *a, const void *b, uint32_t *p,
                                               size_t n)
{
    for (size_t k = 0; k < n; ++k)
        p[k] = SUFFIX(pair_of)(((const uint8_t *)a)[k], ((const uint8_t *)b)[k]);
}

VARIANT_TARGET static void SUFFIX(row_pair_u16)(const void *a, const void *b, uint32_t *p,
                                                size_t n)
{
    for (size_t k = 0; k < n; ++k)
        p[k] = SUFFIX(pair_of)(((const uint16_t *)a)[k] ^ 0x8000u,
                               ((const uint16_t *)b)[k] ^ 0x8000u);
}

VARIANT_TARGET static void SUFFIX(column)(const uint32_t *const *pairs, int count,
                                          const int32_t *taps, int32_t bias, int16_t *out,
                                          size_t n)
{
    for (size_t k = 0; k < n; ++k) {
        int32_t w = bias;
        for (int i = 0; i < count; ++i) w += SUFFIX(pair_dot)(pairs[i][k], taps[i]);
        out[k] = (int16_t)w;
    }
}

VARIANT_TARGET static void SUFFIX(dot)(const uint32_t *const *q, int nq, int pairs, size_t step,
                                       const int32_t *taps, int32_t bias, int32_t *acc, size_t n)
{
    for (size_t e = 0; e < n; ++e) {
        int32_t s = bias;
        for (int t = 0; t < nq; ++t)
            for (int p = 0; p < pairs; ++p)
                s += SUFFIX(pair_dot)(q[t][e + 2 * p * step], taps[t * pairs + p]);
        acc[e] = s;
    }
}

VARIANT_TARGET static void SUFFIX(pair_row)(const int16_t *s, size_t step, uint32_t *q, size_t n)
{
    for (size_t e = 0; e < n; ++e) q[e] = SUFFIX(pair_of)(s[e], s[e + step]);
}
#endif

/* clamp((acc + 2^(T-1)) >> T) of n sums into u8 (kind 1) or u16 outputs. */
VARIANT_TARGET static void SUFFIX(emit_rounded)(const int32_t *acc, size_t n, int shift,
                                                int kind, void *out)
{
    const int32_t half = shift ? 1 << (shift - 1) : 0, hi = kind == TESSEL_U8 ? 255 : 65535;
    size_t e = 0;
#if INT_BITS == 512
    /* Signed then unsigned saturating packs clamp; they interleave the four
     * vectors' 128-bit lanes, which the permutation undoes. */
    const __m512i h = _mm512_set1_epi32(half);
    const __m128i s = _mm_cvtsi32_si128(shift);
    const __m512i order8 = _mm512_set_epi32(15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0);
    const __m512i order16 = _mm512_set_epi64(7, 5, 3, 1, 6, 4, 2, 0);
    for (; e + 64 <= n; e += 64) {
        __m512i v[4];
        for (int i = 0; i < 4; ++i)
            v[i] = _mm512_sra_epi32(_mm512_add_epi32(LOADU(acc + e + 16 * i), h), s);
        if (kind == TESSEL_U8) {
            const __m512i b = _mm512_packus_epi16(_mm512_packs_epi32(v[0], v[1]),
                                                  _mm512_packs_epi32(v[2], v[3]));
            STOREU((uint8_t *)out + e, _mm512_permutexvar_epi32(order8, b));
        } else {
            STOREU((uint16_t *)out + e,
                   _mm512_permutexvar_epi64(order16, _mm512_packus_epi32(v[0], v[1])));
            STOREU((uint16_t *)out + e + 32,
                   _mm512_permutexvar_epi64(order16, _mm512_packus_epi32(v[2], v[3])));
        }
    }
#endif
    for (; e < n; ++e) {
        int32_t v = (acc[e] + half) >> shift;
        v = v < 0 ? 0 : v > hi ? hi : v;
        if (kind == TESSEL_U8) ((uint8_t *)out)[e] = (uint8_t)v;
        else ((uint16_t *)out)[e] = (uint16_t)v;
    }
}

/* Through floats: the vector part converted as it is made (AVX-512), the
 * rest by the store itself. */
VARIANT_TARGET static void SUFFIX(emit)(const int32_t *acc, size_t n, int round_shift,
                                        float unit, int kind, void *out,
                                        const tessel_store_params *params,
                                        tessel_store_fn store, float *floats)
{
    if (round_shift >= 0) {
        SUFFIX(emit_rounded)(acc, n, round_shift, kind, out);
        return;
    }
    size_t e = 0;
#if INT_BITS == 512
    const __m512 u = _mm512_set1_ps(unit);
    for (; e + 16 <= n; e += 16)
        tessel_emit16_avx512(_mm512_mul_ps(_mm512_cvtepi32_ps(LOADU(acc + e)), u), kind, out, e,
                             params);
#endif
    if (e == n) return;
    for (size_t k = e; k < n; ++k) floats[k - e] = (float)acc[k] * unit;
    store(floats, (char *)out + e * (kind == TESSEL_U8 ? 1 : 2), n - e, params);
}

static void SUFFIX(loops)(tessel_integer_loops *out, const char *isa)
{
    *out = (tessel_integer_loops){{SUFFIX(row_pair_u8), SUFFIX(row_pair_u16)},
                                  SUFFIX(column),
                                  {SUFFIX(to_s16_u8), SUFFIX(to_s16_u16)},
                                  SUFFIX(pair_row),
                                  SUFFIX(dot),
                                  SUFFIX(emit),
                                  isa};
}

#undef VI
#undef WORDS
#undef LOADU
#undef STOREU
#undef ZEXT8
#undef SET1
#undef FLIP16
#undef UNPACKLO
#undef UNPACKHI
#undef PACKS
#undef DP
#undef STORE_BLOCK
#undef SUFFIX
#undef VARIANT_TARGET
#undef INT_BITS
#undef INT_VNNI
