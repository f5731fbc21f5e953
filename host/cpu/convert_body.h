/* Template for one instruction-set variant of the conversions (convert.h).
 * The includer defines SUFFIX(name) and VARIANT_TARGET (undefined again at
 * the end). The loops are plain
 * so the compiler vectorises them for the target. */
#include <math.h>
#include <stdint.h>
#include <string.h>

VARIANT_TARGET static void SUFFIX(load_u8)(const void *src, float *dst, size_t n)
{
    const uint8_t *s = src;
    for (size_t k = 0; k < n; ++k) dst[k] = (float)s[k];
}

VARIANT_TARGET static void SUFFIX(load_u16)(const void *src, float *dst, size_t n)
{
    const uint16_t *s = src;
    for (size_t k = 0; k < n; ++k) dst[k] = (float)s[k];
}

VARIANT_TARGET static void SUFFIX(load_f32)(const void *src, float *dst, size_t n)
{
    memcpy(dst, src, n * sizeof(float));
}

/* Adding 0.5 after clamping to [0, hi] and truncating rounds to nearest.
 * The truncation goes through int32 (the value fits), which vectorises to
 * one conversion; straight to an unsigned type it takes a dozen. */
#define STORE_INTEGER(NAME, TYPE, HI)                                                       \
    VARIANT_TARGET static void SUFFIX(NAME)(const float *src, void *dst, size_t n,           \
                                            const tessel_store_params *p)                   \
    {                                                                                       \
        TYPE *d = dst;                                                                      \
        const float scale = p->scale, offset = p->offset;                                  \
        if (p->absolute) {                                                                  \
            for (size_t k = 0; k < n; ++k) {                                                \
                float v = fabsf(src[k] * scale + offset);                                   \
                v = v < (HI) ? v : (HI);                                                    \
                d[k] = (TYPE)(int32_t)(v + 0.5f);                                           \
            }                                                                               \
        } else {                                                                            \
            for (size_t k = 0; k < n; ++k) {                                                \
                float v = src[k] * scale + offset;                                          \
                v = v > 0.0f ? v : 0.0f;                                                    \
                v = v < (HI) ? v : (HI);                                                    \
                d[k] = (TYPE)(int32_t)(v + 0.5f);                                           \
            }                                                                               \
        }                                                                                   \
    }

STORE_INTEGER(store_u8, uint8_t, 255.0f)
STORE_INTEGER(store_u16, uint16_t, 65535.0f)
#undef STORE_INTEGER

VARIANT_TARGET static void SUFFIX(store_f32)(const float *src, void *dst, size_t n,
                                            const tessel_store_params *p)
{
    float *d = dst;
    const float scale = p->scale, offset = p->offset;
    if (p->absolute)
        for (size_t k = 0; k < n; ++k) d[k] = fabsf(src[k] * scale + offset);
    else
        for (size_t k = 0; k < n; ++k) d[k] = src[k] * scale + offset;
}

static const tessel_converters SUFFIX(converters) = {
    {NULL, SUFFIX(load_u8), SUFFIX(load_u16), SUFFIX(load_f32)},
    {NULL, SUFFIX(store_u8), SUFFIX(store_u16), SUFFIX(store_f32)},
};

#undef SUFFIX
#undef VARIANT_TARGET
