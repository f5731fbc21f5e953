/* White's damped Richardson-Lucy ratio (R. L. White, "Image restoration
 * using the damped Richardson-Lucy method", 1994): with d the data, b the
 * blurred estimate and T the threshold in standard deviations,
 *
 *   g = min(1, 2 (d ln(d / b) - d + b) / T^2)   (about ((d - b) / (T sqrt b))^2)
 *   ratio = 1 + g^(N-1) (N - (N-1) g) (d / b - 1)
 *
 * so pixels already within T sigma of the data barely move, and the rest
 * take the plain update d / b. Each backend computes it where its buffers
 * are (its table's damped_ratio slot), with the same arithmetic. */
#include "core/context.h"
#include "deconv.h"

tessel_status tessel_deconv_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                         const tessel_buffer *blurred, double damping,
                                         tessel_buffer *ratio)
{
    const float half_t2 = (float)(0.5 * damping * damping);
    return ctx->ops->damped_ratio(ctx, data, blurred, half_t2, TESSEL_DECONV_DAMPING_POWER, ratio);
}
