/* Frequency-domain convolution, last step: the result planes hold the dense
 * correlation at [r][c] (pad_h x pad_w floats a plane); output pixel (r, c)
 * is dense[r*sy][c*sx] of each channel, written interleaved through
 * store_output (scale, offset, |.|, rounding, saturation). One work-item
 * per output pixel; the output's sample type is an argument (common.cl). */

/* Mirrors cl_fft_crop_args in cl_fft_kernels.h (all 4-byte fields). */
typedef struct fft_crop_args {
    int out_w, out_h, dst_pitch, channels, out_type; /* pitch in samples */
    int sx, sy, pad_w, pad_h, absolute;
    float scale, offset;
} fft_crop_args;

__kernel void tessel_fft_crop(__global const float *result, __global void *dst,
                              const fft_crop_args a)
{
    const int c = get_global_id(0), r = get_global_id(1);
    if (c >= a.out_w || r >= a.out_h) return;
    const size_t plane = (size_t)a.pad_w * a.pad_h;
    __global const float *v = result + (size_t)r * a.sy * a.pad_w + (size_t)c * a.sx;
    const size_t o = (size_t)r * a.dst_pitch + (size_t)c * a.channels;
    for (int ch = 0; ch < a.channels; ++ch)
        store_output(dst, o + ch, a.out_type, v[ch * plane], a.scale, a.offset, a.absolute);
}
