/* Frequency-domain convolution, the spectra: the kernel's spectrum made
 * once per plan, and the product with the input's spectra on every run.
 * Spectra are half spectra of real transforms: complex floats as float2,
 * n values a plane.
 *
 * For the taps padded to the transform size, T = DFT(taps), the circular
 * correlation sum_m E[m + n] * taps[m] is IDFT(DFT(E) * conj(T)); clFFT's
 * backward transform is left unscaled, so the 1/N of the inverse is folded
 * into the kernel's spectrum: K = conj(T) / N. */

/* K = conj(T) * inv_n, from the first plane of the forward transform. */
__kernel void tessel_fft_kernel_spectrum(__global const float2 *transform, __global float2 *out,
                                         const ulong n, const float inv_n)
{
    const size_t i = get_global_id(0);
    if (i >= n) return;
    const float2 t = transform[i];
    out[i] = (float2)(t.x, -t.y) * inv_n;
}

/* S[p][i] *= K[i] for each plane p (global id 1). */
__kernel void tessel_fft_multiply(__global float2 *spectra, __global const float2 *kernel_spectrum,
                                  const ulong n)
{
    const size_t i = get_global_id(0);
    if (i >= n) return;
    __global float2 *s = spectra + get_global_id(1) * n + i;
    const float2 a = *s, k = kernel_spectrum[i];
    *s = (float2)(a.x * k.x - a.y * k.y, a.x * k.y + a.y * k.x);
}
