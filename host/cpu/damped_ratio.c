/* White's damped Richardson-Lucy ratio on the CPU backend's host buffers
 * (the formula: fourier/deconv_damp.c). */
#include <math.h>

#include "core/buffer.h"
#include "cpu_internal.h"

/* The same arithmetic as kernels_cl/deconv_damp.cl, so both backends agree. */
static float damped(float d, float b, float half_t2, int power_n)
{
    if (!(b > 0.0f)) return 0.0f;
    const float r = d / b;
    /* Half the Poisson deviance, >= 0; d ln(d/b) -> 0 as d -> 0. */
    const float deviance = (d > 0.0f ? d * logf(r) : 0.0f) - d + b;
    float g = deviance / half_t2;
    g = g > 1.0f ? 1.0f : g > 0.0f ? g : 0.0f;
    /* g^(N-1) below 1e-27 counts as 0 (no slow subnormal arithmetic). */
    if (g < 1e-3f) return 1.0f;
    float power = 1.0f;
    for (int k = 1; k < power_n; ++k) power *= g;
    const float n = (float)power_n;
    return 1.0f + power * (n - (n - 1.0f) * g) * (r - 1.0f);
}

tessel_status tessel_cpu_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                      const tessel_buffer *blurred, float half_t2, int power,
                                      tessel_buffer *ratio)
{
    (void)ctx;
    const size_t n = (size_t)data->width * data->channels;
    for (int y = 0; y < data->height; ++y) {
        const float *d = (const float *)((const char *)data->host + (size_t)y * data->pitch);
        const float *b = (const float *)((const char *)blurred->host + (size_t)y * blurred->pitch);
        float *r = (float *)((char *)ratio->host + (size_t)y * ratio->pitch);
        for (size_t i = 0; i < n; ++i) r[i] = damped(d[i], b[i], half_t2, power);
    }
    return TESSEL_OK;
}
