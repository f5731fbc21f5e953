/* Template for one instruction-set variant of the running-sum loops
 * (running_sums.h). The includer defines SUFFIX(name) and VARIANT_TARGET
 * (undefined again at the end). The loops are plain so that the compiler
 * vectorises them for the target; only the prefix sums carry a dependence
 * from sample to sample. */
#include <stdint.h>

/* Windows of at most this many taps are summed tap by tap (each a pass the
 * compiler vectorises); longer ones as differences of prefix sums. */
#define RUNNING_DIRECT_TAPS 8

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

/* int32 windows: prefix sums wrap modulo 2^32 (unsigned), and a window's
 * sum, which fits in int32 (the plan makes sure), is their exact difference. */
VARIANT_TARGET static void SUFFIX(window_i32)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, float *out)
{
    const int32_t *a = acc;
    const size_t span = (size_t)taps * step;
    if (taps <= RUNNING_DIRECT_TAPS) {
        int32_t *s = prefix;
        for (size_t e = 0; e < n; ++e) s[e] = a[e];
        for (int i = 1; i < taps; ++i) {
            const int32_t *b = a + (size_t)i * step;
            for (size_t e = 0; e < n; ++e) s[e] += b[e];
        }
        for (size_t e = 0; e < n; ++e) out[e] = (float)s[e] * factor;
        return;
    }
    uint32_t *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0;
    for (size_t k = 0; k < n + span - step; ++k) p[k + step] = p[k] + (uint32_t)a[k];
    for (size_t e = 0; e < n; ++e) out[e] = (float)(int32_t)(p[e + span] - p[e]) * factor;
}

VARIANT_TARGET static void SUFFIX(window_f64)(const void *acc, size_t n, int taps, int step,
                                              float factor, void *prefix, float *out)
{
    const double *a = acc;
    const size_t span = (size_t)taps * step;
    const double f = factor;
    if (taps <= RUNNING_DIRECT_TAPS) {
        double *s = prefix;
        for (size_t e = 0; e < n; ++e) s[e] = a[e];
        for (int i = 1; i < taps; ++i) {
            const double *b = a + (size_t)i * step;
            for (size_t e = 0; e < n; ++e) s[e] += b[e];
        }
        for (size_t e = 0; e < n; ++e) out[e] = (float)(s[e] * f);
        return;
    }
    double *p = prefix;
    for (int c = 0; c < step; ++c) p[c] = 0.0;
    for (size_t k = 0; k < n + span - step; ++k) p[k + step] = p[k] + a[k];
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

#undef RUNNING_DIRECT_TAPS
#undef SUFFIX
#undef VARIANT_TARGET
