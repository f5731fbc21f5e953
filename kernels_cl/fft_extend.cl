/* Frequency-domain convolution, first step: the extended input E as float
 * planes, one per channel, each pad_h rows of pad_w samples:
 *   E[c][y][x] = in[y + oy][x + ox][c]  (border rule)  for y < ext_h, x < ext_w
 *              = 0                                     elsewhere (padding)
 * One work-item per (x, y), all channels. The input's sample type is an
 * argument (common.cl). */

/* Mirrors cl_fft_extend_args in cl_fft_kernels.h (all 4-byte fields). */
typedef struct fft_extend_args {
    int in_w, in_h, src_pitch, channels, in_type; /* pitch in samples */
    int ox, oy, border;
    int ext_w, ext_h, pad_w, pad_h;
    float cval;
} fft_extend_args;

__kernel void tessel_fft_extend(__global const void *src, __global float *ext,
                                const fft_extend_args a)
{
    const int x = get_global_id(0), y = get_global_id(1);
    if (x >= a.pad_w || y >= a.pad_h) return;
    const size_t plane = (size_t)a.pad_w * a.pad_h;
    __global float *e = ext + (size_t)y * a.pad_w + x;
    if (x >= a.ext_w || y >= a.ext_h) {
        for (int c = 0; c < a.channels; ++c) e[c * plane] = 0.0f;
        return;
    }
    const int yy = border_index(a.border, y + a.oy, a.in_h);
    const int xx = border_index(a.border, x + a.ox, a.in_w);
    if (yy < 0 || xx < 0) {
        for (int c = 0; c < a.channels; ++c) e[c * plane] = a.cval;
        return;
    }
    const size_t s = (size_t)yy * a.src_pitch + (size_t)xx * a.channels;
    for (int c = 0; c < a.channels; ++c) e[c * plane] = load_sample(src, s + c, a.in_type);
}
