/* Template for one instruction-set variant of the running-sum loops
 * (running_sums.h). The includer defines SUFFIX(name), VARIANT_TARGET and
 * VD, doubles per vector (undefined again at the end). The loops are plain
 * so that the compiler vectorises them for the target, except the prefix
 * sums of one channel, a scan within each vector (log2 of its lanes shifts
 * and adds) whose only dependence from vector to vector is the carry. */
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
            for (int t = 0; t < shifts; ++t) v += __builtin_shuffle(v, zero, shift[t]);        \
            v += carry;                                                                        \
            *(vecu *)(out + k) = v;                                                            \
            carry = __builtin_shuffle(v, last);                                                \
        }                                                                                      \
        return k;                                                                              \
    }

SCAN_ONE_CHANNEL(scan_f64, double, VD, long long)
SCAN_ONE_CHANNEL(scan_u32, uint32_t, (2 * VD), uint32_t)
#undef SCAN_ONE_CHANNEL

/* Windows of up to 8 taps summed tap by tap in one pass
 * (the taps unrolled, the samples vectorised): a case per window length
 * that returns from the function. */
#ifndef WINDOW_CASES
#define WINDOW_CASE(T, K, OUT)                                                                 \
    case K:                                                                                    \
        for (size_t e = 0; e < n; ++e) {                                                       \
            T s = a[e];                                                                        \
            for (int i = 1; i < K; ++i) s += a[e + (size_t)i * step];                           \
            out[e] = OUT(e);                                                                   \
        }                                                                                      \
        return;
#define WINDOW_CASES(T, OUT)                                                                   \
    WINDOW_CASE(T, 1, OUT) WINDOW_CASE(T, 2, OUT) WINDOW_CASE(T, 3, OUT)                       \
    WINDOW_CASE(T, 4, OUT) WINDOW_CASE(T, 5, OUT) WINDOW_CASE(T, 6, OUT)                       \
    WINDOW_CASE(T, 7, OUT) WINDOW_CASE(T, 8, OUT)
#endif

/* int32 windows: prefix sums wrap modulo 2^32 (unsigned), and a window's
 * sum, which fits in int32 (the plan makes sure), is their exact difference. */
VARIANT_TARGET static void SUFFIX(window_i32)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, float *out)
{
    const int32_t *a = acc;
    const size_t span = (size_t)taps * step;
#define SUM_I32(e) ((float)s * factor)
    switch (taps) {
        WINDOW_CASES(int32_t, SUM_I32)
    }
#undef SUM_I32
    uint32_t *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0;
    size_t k = step == 1 ? SUFFIX(scan_u32)((const uint32_t *)a, n + span - 1, p + 1) : 0;
    for (; k < n + span - step; ++k) p[k + step] = p[k] + (uint32_t)a[k];
    for (size_t e = 0; e < n; ++e) out[e] = (float)(int32_t)(p[e + span] - p[e]) * factor;
}

VARIANT_TARGET static void SUFFIX(window_f64)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, float *out)
{
    const double *a = acc;
    const size_t span = (size_t)taps * step;
    const double f = factor;
#define SUM_F64(e) ((float)(s * f))
    switch (taps) {
        WINDOW_CASES(double, SUM_F64)
    }
#undef SUM_F64
    double *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0.0;
    size_t k = step == 1 ? SUFFIX(scan_f64)(a, n + span - 1, p + 1) : 0;
    for (; k < n + span - step; ++k) p[k + step] = p[k] + a[k];
    for (size_t e = 0; e < n; ++e) out[e] = (float)((p[e + span] - p[e]) * f);
}

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
