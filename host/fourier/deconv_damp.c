/* White's damped Richardson-Lucy ratio (R. L. White, "Image restoration
 * using the damped Richardson-Lucy method", 1994): with d the data, b the
 * blurred estimate and T the threshold in standard deviations,
 *
 *   g = min(1, 2 (d ln(d / b) - d + b) / T^2)   (about ((d - b) / (T sqrt b))^2)
 *   ratio = 1 + g^(N-1) (N - (N-1) g) (d / b - 1)
 *
 * so pixels already within T sigma of the data barely move, and the rest
 * take the plain update d / b. The CPU backend computes it on the host
 * buffers; the OpenCL backend with a kernel on the device. */
#include <math.h>

#include "../core/buffer.h"
#include "../core/context.h"
#include "deconv.h"
#ifdef TESSEL_HAVE_OPENCL
#include "../opencl/cl_deconv.h"
#endif

/* The same arithmetic as kernels_cl/deconv_damp.cl, so both backends agree. */
static float damped(float d, float b, float half_t2)
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
    for (int k = 1; k < DECONV_DAMPING_POWER; ++k) power *= g;
    const float n = (float)DECONV_DAMPING_POWER;
    return 1.0f + power * (n - (n - 1.0f) * g) * (r - 1.0f);
}

static void damped_rows_host(const tessel_buffer *data, const tessel_buffer *blurred,
                             float half_t2, tessel_buffer *ratio)
{
    const size_t n = (size_t)data->width * data->channels;
    for (int y = 0; y < data->height; ++y) {
        const float *d = (const float *)((const char *)data->host + (size_t)y * data->pitch);
        const float *b = (const float *)((const char *)blurred->host + (size_t)y * blurred->pitch);
        float *r = (float *)((char *)ratio->host + (size_t)y * ratio->pitch);
        for (size_t i = 0; i < n; ++i) r[i] = damped(d[i], b[i], half_t2);
    }
}

tessel_status deconv_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                  const tessel_buffer *blurred, double damping,
                                  tessel_buffer *ratio)
{
    const float half_t2 = (float)(0.5 * damping * damping);
    if (ctx->backend == TESSEL_BACKEND_CPU) {
        damped_rows_host(data, blurred, half_t2, ratio);
        return TESSEL_OK;
    }
#ifdef TESSEL_HAVE_OPENCL
    if (ctx->backend == TESSEL_BACKEND_OPENCL)
        return tessel_cl_deconv_damped_ratio(ctx, data, blurred, half_t2, ratio);
#endif
    return tessel_fail(ctx, TESSEL_ERR_UNSUPPORTED,
                       "damped Richardson-Lucy is not available on the %s backend",
                       tessel_backend_name(ctx->backend));
}
