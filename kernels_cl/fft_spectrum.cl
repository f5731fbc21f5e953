/* Frequency-domain convolution, the spectra (cl_fft_spectral.h): the planes'
 * rows transformed, transposed, then transformed again as rows, so that a
 * plane's spectrum lies column by column: spec_w rows of pad_h complex
 * floats (float2), one plane after the other. The kernel's spectrum is made
 * once per plan, and multiplies the input's spectra on every run.
 *
 * For the taps padded to the transform size, T = DFT(taps), the circular
 * correlation sum_m E[m + n] * taps[m] is IDFT(DFT(E) * conj(T)); clFFT's
 * backward transform is left unscaled, so the 1/N of the inverse is folded
 * into the kernel's spectrum: K = conj(T) / N. */

/* K = conj(T) * inv_n, from the first plane's spectrum (n values). */
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

/* Plane p (global id 2) of pad_h x pad_w floats: the kh x kw taps in its
 * corner, zeros elsewhere; every plane alike (the batch transforms them
 * all, the kernel's spectrum takes the first). */
__kernel void tessel_fft_taps_planes(__global const float *taps, __global float *planes,
                                     const int kw, const int kh, const int pad_w, const int pad_h)
{
    const int x = get_global_id(0), y = get_global_id(1);
    if (x >= pad_w || y >= pad_h) return;
    planes[((size_t)get_global_id(2) * pad_h + y) * pad_w + x] =
        x < kw && y < kh ? taps[y * kw + x] : 0.0f;
}

#define SIDE 16 /* the transpose's square of complex values (its work-group) */

/* out[p][x][y] = in[p][y][x] for planes of rows x cols complex values
 * (plane p: global id 2), through a square in local memory so that both
 * the reads and the writes go along rows. */
__kernel __attribute__((reqd_work_group_size(SIDE, SIDE, 1))) void
tessel_fft_transpose(__global const float2 *in, __global float2 *out, const int rows,
                     const int cols)
{
    __local float2 square[SIDE][SIDE + 1]; /* + 1: columns fall in different banks */
    const int lx = get_local_id(0), ly = get_local_id(1);
    const int x0 = get_group_id(0) * SIDE, y0 = get_group_id(1) * SIDE;
    const size_t plane = (size_t)rows * cols * get_global_id(2);
    if (y0 + ly < rows && x0 + lx < cols)
        square[ly][lx] = in[plane + (size_t)(y0 + ly) * cols + x0 + lx];
    barrier(CLK_LOCAL_MEM_FENCE);
    if (x0 + ly < cols && y0 + lx < rows)
        out[plane + (size_t)(x0 + ly) * rows + y0 + lx] = square[lx][ly];
}
