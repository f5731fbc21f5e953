/* Frequency-domain convolution, the spectra: the kernel's spectrum made
 * once per plan, and the product with the input's spectra on every run.
 * Spectra are half spectra of real transforms: complex floats as float2,
 * spec_w values a row; the planes' rows are interleaved (row y of plane p
 * is row y*planes + p: cl_fft_spectral.h).
 *
 * For the taps padded to the transform size, T = DFT(taps), the circular
 * correlation sum_m E[m + n] * taps[m] is IDFT(DFT(E) * conj(T)); clFFT's
 * backward transform is left unscaled, so the 1/N of the inverse is folded
 * into the kernel's spectrum: K = conj(T) / N, one plane of pad_h rows. */

/* K[y][x] = conj(T[y][x]) * inv_n, from plane 0 of the forward transform. */
__kernel void tessel_fft_kernel_spectrum(__global const float2 *transform, __global float2 *out,
                                         const int spec_w, const int planes, const float inv_n)
{
    const int x = get_global_id(0), y = get_global_id(1);
    if (x >= spec_w) return;
    const float2 t = transform[(size_t)y * planes * spec_w + x];
    out[(size_t)y * spec_w + x] = (float2)(t.x, -t.y) * inv_n;
}

/* S[y][p][x] *= K[y][x] for plane p (global id 2). */
__kernel void tessel_fft_multiply(__global float2 *spectra, __global const float2 *kernel_spectrum,
                                  const int spec_w, const int planes)
{
    const int x = get_global_id(0), y = get_global_id(1), p = get_global_id(2);
    if (x >= spec_w) return;
    __global float2 *s = spectra + ((size_t)y * planes + p) * spec_w + x;
    const float2 a = *s, k = kernel_spectrum[(size_t)y * spec_w + x];
    *s = (float2)(a.x * k.x - a.y * k.y, a.x * k.y + a.y * k.x);
}

/* Plane p (global id 2) of pad_h x pad_w floats: the kh x kw taps in its
 * corner, zeros elsewhere; every plane alike (the batch transforms them
 * all, the kernel's spectrum takes the first). */
__kernel void tessel_fft_taps_planes(__global const float *taps, __global float *planes,
                                     const int kw, const int kh, const int pad_w, const int pad_h)
{
    const int x = get_global_id(0), y = get_global_id(1), p = get_global_id(2);
    if (x >= pad_w || y >= pad_h) return;
    planes[((size_t)y * get_global_size(2) + p) * pad_w + x] =
        x < kw && y < kh ? taps[y * kw + x] : 0.0f;
}
