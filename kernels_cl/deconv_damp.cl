/* White's damped Richardson-Lucy ratio (host/fourier/deconv_damp.c has the
 * formula, host/cpu/damped_ratio.c the same arithmetic for the CPU backend),
 * without branches so that the work-items of a group run as vectors. Packed
 * float buffers of n samples; power is White's exponent N. */

__kernel void tessel_deconv_damped_ratio(__global const float *data,
                                         __global const float *blurred, __global float *ratio,
                                         const ulong n, const float half_t2, const int power)
{
    const size_t i = get_global_id(0);
    if (i >= n) return;
    const float d = data[i], b = blurred[i];
    const int usable = b > 0.0f;
    const float r = usable ? d / b : 0.0f;
    /* Half the Poisson deviance; d ln(d/b) -> 0 as d -> 0. */
    const float deviance = (d > 0.0f && usable ? d * log(r) : 0.0f) - d + b;
    const float g = clamp(deviance / half_t2, 0.0f, 1.0f);
    float g_power = 1.0f;
    for (int k = 1; k < power; ++k) g_power *= g;
    const float exponent = (float)power;
    /* g^(power-1) below 1e-27 counts as 0 (no subnormal arithmetic). */
    const float weight = g < 1e-3f ? 0.0f : g_power * (exponent - (exponent - 1.0f) * g);
    ratio[i] = usable ? 1.0f + weight * (r - 1.0f) : 0.0f;
}
