/* Template for one instruction-set variant of the running-sum loops
 * (running_sums.h). The includer defines SUFFIX(name), VARIANT_TARGET and
 * VD, doubles per vector (undefined again at the end). The loops are plain
 * so that the compiler vectorises them for the target, except the prefix
 * sums of one channel, a scan within each vector (log2 of its lanes shifts
 * and adds) whose only dependence from vector to vector is the carry. */
#include <math.h>
#include <stdint.h>

/* Windows of at most 8 taps are summed tap by tap (WINDOW_CASES); longer
 * ones as differences of prefix sums. */

#define ROW_LOOPS(IN, ACC, NAME)                                                               \
    VARIANT_TARGET static void SUFFIX(add_##NAME)(void *acc, const void *in, size_t n)        \
    {                                                                                          \
        ACC *a = acc;                                                                          \
        const IN *x = in;                                                                      \
        for (size_t k = 0; k < n; ++k) a[k] += (ACC)x[k];                                      \
    }                                                                                          \
    VARIANT_TARGET static void SUFFIX(sub_##NAME)(void *acc, const void *in, size_t n)        \
    {                                                                                          \
        ACC *a = acc;                                                                          \
        const IN *x = in;                                                                      \
        for (size_t k = 0; k < n; ++k) a[k] -= (ACC)x[k];                                      \
    }                                                                                          \
    VARIANT_TARGET static void SUFFIX(add_sub_##NAME)(void *acc, const void *plus,            \
                                                      const void *minus, size_t n)            \
    {                                                                                          \
        ACC *a = acc;                                                                          \
        const IN *p = plus, *m = minus;                                                        \
        for (size_t k = 0; k < n; ++k) a[k] += (ACC)p[k] - (ACC)m[k];                          \
    }

ROW_LOOPS(uint8_t, int32_t, u8_i32)
ROW_LOOPS(uint16_t, int32_t, u16_i32)
ROW_LOOPS(uint8_t, double, u8_f64)
ROW_LOOPS(uint16_t, double, u16_f64)
ROW_LOOPS(float, double, f32_f64)
#undef ROW_LOOPS

#ifndef RS_CAT
#define RS_CAT_(a, b) a##b
#define RS_CAT(a, b) RS_CAT_(a, b)
/* GCC's run-time-mask shuffles; clang has only constant-index ones, so
 * there the lanes are picked one by one (the masks fold to constants). */
#if defined(__clang__)
#define RS_SHUFFLE2(v, z, m, N)                                                                \
    ({                                                                                         \
        __typeof__(v) r_;                                                                      \
        for (int i_ = 0; i_ < (N); ++i_)                                                       \
            r_[i_] = (m)[i_] < (N) ? (v)[(m)[i_]] : (z)[(m)[i_] - (N)];                        \
        r_;                                                                                    \
    })
#define RS_SHUFFLE1(v, m, N) RS_SHUFFLE2(v, v, m, N)
#else
#define RS_SHUFFLE2(v, z, m, N) __builtin_shuffle(v, z, m)
#define RS_SHUFFLE1(v, m, N) __builtin_shuffle(v, m)
#endif
#endif

/* The inclusive prefix sums of one channel, out[k] = a[0] + ... + a[k],
 * for the whole vectors of N lanes of type T among the m samples; returns
 * how many samples it did. MT: the integer type of T's size (masks). */
#define SCAN_ONE_CHANNEL(NAME, T, N, MT)                                                        \
    typedef T RS_CAT(SUFFIX(NAME), _v) __attribute__((vector_size(N * sizeof(T))));                    \
    typedef T RS_CAT(SUFFIX(NAME), _u) __attribute__((vector_size(N * sizeof(T)), aligned(4),         \
                                              may_alias));                                      \
    typedef MT RS_CAT(SUFFIX(NAME), _m) __attribute__((vector_size(N * sizeof(T))));                   \
    VARIANT_TARGET static size_t SUFFIX(NAME)(const T *a, size_t m, T *out)                    \
    {                                                                                          \
        typedef RS_CAT(SUFFIX(NAME), _v) vec;                                                          \
        typedef RS_CAT(SUFFIX(NAME), _u) vecu;                                                         \
        typedef RS_CAT(SUFFIX(NAME), _m) mask;                                                         \
        const vec zero = {0};                                                                  \
        mask last, shift[5];                                                                   \
        int shifts = 0;                                                                        \
        for (int i = 0; i < N; ++i) last[i] = N - 1;                                           \
        for (int s = 1; s < N; s *= 2, ++shifts)                                               \
            for (int i = 0; i < N; ++i) shift[shifts][i] = i >= s ? i - s : N;                 \
        vec carry = zero;                                                                      \
        size_t k = 0;                                                                          \
        for (; k + N <= m; k += N) {                                                           \
            vec v = *(const vecu *)(a + k);                                                    \
            for (int t = 0; t < shifts; ++t) v += RS_SHUFFLE2(v, zero, shift[t], N);            \
            v += carry;                                                                        \
            *(vecu *)(out + k) = v;                                                            \
            carry = RS_SHUFFLE1(v, last, N);                                                   \
        }                                                                                      \
        return k;                                                                              \
    }

SCAN_ONE_CHANNEL(scan_f64, double, VD, long long)
SCAN_ONE_CHANNEL(scan_u32, uint32_t, (2 * VD), uint32_t)
#undef SCAN_ONE_CHANNEL

/* Writes out[e] = CONVERT(VALUE) for e < n in the output's type: floats as
 * they are (kind 0), or through the store's scale, offset, absolute value,
 * rounding and saturation (convert_body.h, the same arithmetic) to f32, u8
 * or u16. VALUE is an expression of e; one loop per kind, so each
 * vectorises. */
#ifndef EMIT_LOOPS
#define EMIT_LOOP(TYPE, CONVERT, VALUE)                                                        \
    {                                                                                          \
        TYPE *d = out;                                                                         \
        for (size_t e = done; e < n; ++e) {                                                    \
            const float v = (VALUE);                                                           \
            d[e] = CONVERT(v);                                                                 \
        }                                                                                      \
    }
#define EMIT_RAW(v) (v)
#define EMIT_F32(v) (abs_ ? fabsf((v) * scale_ + offset_) : (v) * scale_ + offset_)
/* As the store: the absolute value is only clamped above (NaN becomes HI),
 * a signed one below too (NaN becomes 0). */
#define EMIT_CLAMP(v, HI)                                                                      \
    (abs_ ? (EMIT_F32(v) < (HI) ? EMIT_F32(v) : (HI))                                          \
          : EMIT_F32(v) > 0.0f ? (EMIT_F32(v) < (HI) ? EMIT_F32(v) : (HI)) : 0.0f)
#define EMIT_U8(v) ((uint8_t)(int32_t)(EMIT_CLAMP(v, 255.0f) + 0.5f))
#define EMIT_U16(v) ((uint16_t)(int32_t)(EMIT_CLAMP(v, 65535.0f) + 0.5f))
#define EMIT_LOOPS(VALUE)                                                                      \
    {                                                                                          \
        const float scale_ = store ? store->scale : 1.0f;                                      \
        const float offset_ = store ? store->offset : 0.0f;                                    \
        const int abs_ = store ? store->absolute : 0;                                          \
        if (kind == 0) EMIT_LOOP(float, EMIT_RAW, VALUE)                                       \
        else if (kind == TESSEL_F32) EMIT_LOOP(float, EMIT_F32, VALUE)                         \
        else if (kind == TESSEL_U8) EMIT_LOOP(uint8_t, EMIT_U8, VALUE)                         \
        else EMIT_LOOP(uint16_t, EMIT_U16, VALUE)                                              \
    }
#endif

/* Windows of up to 8 taps summed tap by tap in one pass (the taps unrolled,
 * the samples vectorised): a case per window length that returns. */
#ifndef WINDOW_CASES
#define WINDOW_SUM(T, K, e)                                                                    \
    ({                                                                                         \
        T s_ = a[e];                                                                           \
        for (int i = 1; i < K; ++i) s_ += a[(e) + (size_t)i * step];                           \
        s_;                                                                                    \
    })
#define WINDOW_CASE(T, K, TO_FLOAT)                                                            \
    case K:                                                                                    \
        done = VECTOR_WINDOW(K);                                                               \
        EMIT_LOOPS(TO_FLOAT(WINDOW_SUM(T, K, e)))                                              \
        return;
#define WINDOW_CASES(T, TO_FLOAT)                                                              \
    WINDOW_CASE(T, 1, TO_FLOAT) WINDOW_CASE(T, 2, TO_FLOAT) WINDOW_CASE(T, 3, TO_FLOAT)        \
    WINDOW_CASE(T, 4, TO_FLOAT) WINDOW_CASE(T, 5, TO_FLOAT) WINDOW_CASE(T, 6, TO_FLOAT)        \
    WINDOW_CASE(T, 7, TO_FLOAT) WINDOW_CASE(T, 8, TO_FLOAT)
#endif

/* int32 windows: prefix sums wrap modulo 2^32 (unsigned), and a window's
 * sum, which fits in int32 (the plan makes sure), is their exact difference. */
#if RS_AVX512
/* The int32 window sums of one channel, 16 at a time: tap by tap (taps
 * 1..8) or as prefix differences; returns how many it wrote. */
VARIANT_TARGET static size_t SUFFIX(window16_i32)(const int32_t *a, const uint32_t *p, size_t n,
                                                 int taps, float factor, int kind, void *out,
                                                 const tessel_store_params *store)
{
    const __m512 f = _mm512_set1_ps(factor);
    size_t e = 0;
    for (; e + 16 <= n; e += 16) {
        __m512i s;
        if (p) {
            s = _mm512_sub_epi32(_mm512_loadu_si512(p + e + taps), _mm512_loadu_si512(p + e));
        } else {
            s = _mm512_loadu_si512(a + e);
            for (int i = 1; i < taps; ++i) s = _mm512_add_epi32(s, _mm512_loadu_si512(a + e + i));
        }
        tessel_emit16_avx512(_mm512_mul_ps(_mm512_cvtepi32_ps(s), f), kind, out, e, store);
    }
    return e;
}
#define VECTOR_WINDOW(K) (step == 1 ? SUFFIX(window16_i32)(a, NULL, n, K, factor, kind, out, store) : 0)
#define VECTOR_DIFF() (step == 1 ? SUFFIX(window16_i32)(a, p, n, taps, factor, kind, out, store) : 0)
#else
#define VECTOR_WINDOW(K) 0
#define VECTOR_DIFF() 0
#endif

VARIANT_TARGET static void SUFFIX(window_i32)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, int kind, void *out,
                                              const tessel_store_params *store)
{
    const int32_t *a = acc;
    const size_t span = (size_t)taps * step;
    size_t done = 0;
#define I32_TO_FLOAT(s) ((float)(s) * factor)
    switch (taps) {
        WINDOW_CASES(int32_t, I32_TO_FLOAT)
    }
    uint32_t *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0;
    size_t k = step == 1 ? SUFFIX(scan_u32)((const uint32_t *)a, n + span - 1, p + 1) : 0;
    for (; k < n + span - step; ++k) p[k + step] = p[k] + (uint32_t)a[k];
    done = VECTOR_DIFF();
    EMIT_LOOPS(I32_TO_FLOAT((int32_t)(p[e + span] - p[e])))
#undef I32_TO_FLOAT
}
#undef VECTOR_WINDOW
#undef VECTOR_DIFF

#if RS_AVX512
/* 8 doubles times f, rounded to floats. */
VARIANT_TARGET static inline __attribute__((always_inline)) __m256 SUFFIX(to_floats8)(__m512d s,
                                                                                      __m512d f)
{
    return _mm512_cvtpd_ps(_mm512_mul_pd(s, f));
}

/* The double window sums of one channel, 16 at a time (as window16_i32). */
VARIANT_TARGET static size_t SUFFIX(window16_f64)(const double *a, const double *p, size_t n,
                                                 int taps, float factor, int kind, void *out,
                                                 const tessel_store_params *store)
{
    const __m512d f = _mm512_set1_pd(factor);
    size_t e = 0;
    for (; e + 16 <= n; e += 16) {
        __m512d s0, s1;
        if (p) {
            s0 = _mm512_sub_pd(_mm512_loadu_pd(p + e + taps), _mm512_loadu_pd(p + e));
            s1 = _mm512_sub_pd(_mm512_loadu_pd(p + e + 8 + taps), _mm512_loadu_pd(p + e + 8));
        } else {
            s0 = _mm512_loadu_pd(a + e);
            s1 = _mm512_loadu_pd(a + e + 8);
            for (int i = 1; i < taps; ++i) {
                s0 = _mm512_add_pd(s0, _mm512_loadu_pd(a + e + i));
                s1 = _mm512_add_pd(s1, _mm512_loadu_pd(a + e + 8 + i));
            }
        }
        const __m512d lo = _mm512_castps_pd(_mm512_castps256_ps512(SUFFIX(to_floats8)(s0, f)));
        const __m512 v = _mm512_castpd_ps(
            _mm512_insertf64x4(lo, _mm256_castps_pd(SUFFIX(to_floats8)(s1, f)), 1));
        tessel_emit16_avx512(v, kind, out, e, store);
    }
    return e;
}
#define VECTOR_WINDOW(K) (step == 1 ? SUFFIX(window16_f64)(a, NULL, n, K, factor, kind, out, store) : 0)
#define VECTOR_DIFF() (step == 1 ? SUFFIX(window16_f64)(a, p, n, taps, factor, kind, out, store) : 0)
#else
#define VECTOR_WINDOW(K) 0
#define VECTOR_DIFF() 0
#endif

VARIANT_TARGET static void SUFFIX(window_f64)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, int kind, void *out,
                                              const tessel_store_params *store)
{
    const double *a = acc;
    const size_t span = (size_t)taps * step;
    const double f = factor;
    size_t done = 0;
#define F64_TO_FLOAT(s) ((float)((s) * f))
    switch (taps) {
        WINDOW_CASES(double, F64_TO_FLOAT)
    }
    double *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0.0;
    size_t k = step == 1 ? SUFFIX(scan_f64)(a, n + span - 1, p + 1) : 0;
    for (; k < n + span - step; ++k) p[k + step] = p[k] + a[k];
    done = VECTOR_DIFF();
    EMIT_LOOPS(F64_TO_FLOAT(p[e + span] - p[e]))
#undef F64_TO_FLOAT
}
#undef VECTOR_WINDOW
#undef VECTOR_DIFF

VARIANT_TARGET static void SUFFIX(to_float_i32)(const void *acc, size_t n, float factor,
                                                float *out)
{
    const int32_t *a = acc;
    for (size_t k = 0; k < n; ++k) out[k] = (float)a[k] * factor;
}

VARIANT_TARGET static void SUFFIX(to_float_f64)(const void *acc, size_t n, float factor,
                                                float *out)
{
    const double *a = acc;
    const double f = factor;
    for (size_t k = 0; k < n; ++k) out[k] = (float)(a[k] * f);
}

/* v is integral whenever the accumulators are int32 (the plan makes sure). */
VARIANT_TARGET static void SUFFIX(add_value_i32)(void *acc, double v, size_t n)
{
    int32_t *a = acc;
    const int32_t iv = (int32_t)v;
    for (size_t k = 0; k < n; ++k) a[k] += iv;
}

VARIANT_TARGET static void SUFFIX(add_value_f64)(void *acc, double v, size_t n)
{
    double *a = acc;
    for (size_t k = 0; k < n; ++k) a[k] += v;
}

static void SUFFIX(running_sums)(tessel_running_sums *out)
{
    memset(out, 0, sizeof *out);
#define ROWS(DTYPE, ACC, NAME)                                                                 \
    out->rows[DTYPE][ACC] = (tessel_running_rows){SUFFIX(add_##NAME), SUFFIX(sub_##NAME),     \
                                                  SUFFIX(add_sub_##NAME)}
    ROWS(TESSEL_U8, TESSEL_RUNNING_INT32, u8_i32);
    ROWS(TESSEL_U16, TESSEL_RUNNING_INT32, u16_i32);
    ROWS(TESSEL_U8, TESSEL_RUNNING_DOUBLE, u8_f64);
    ROWS(TESSEL_U16, TESSEL_RUNNING_DOUBLE, u16_f64);
    ROWS(TESSEL_F32, TESSEL_RUNNING_DOUBLE, f32_f64);
#undef ROWS
    out->window[TESSEL_RUNNING_INT32] = SUFFIX(window_i32);
    out->window[TESSEL_RUNNING_DOUBLE] = SUFFIX(window_f64);
    out->to_float[TESSEL_RUNNING_INT32] = SUFFIX(to_float_i32);
    out->to_float[TESSEL_RUNNING_DOUBLE] = SUFFIX(to_float_f64);
    out->add_value[TESSEL_RUNNING_INT32] = SUFFIX(add_value_i32);
    out->add_value[TESSEL_RUNNING_DOUBLE] = SUFFIX(add_value_f64);
}

#undef SUFFIX
#undef VARIANT_TARGET
#undef VD
#undef RS_AVX512
