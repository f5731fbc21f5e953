/* Shared by every tessel program: border index maps, and the sample types
 * as run-time values, so that one program serves every input and output
 * type (a GPU branches on a uniform value for free; each build costs PoCL
 * seconds).
 *
 * Sample types are tessel_dtype's values: 1 uchar, 2 ushort, 3 float.
 * Borders are tessel_border's: 0 reflect, 1 constant, 2 nearest, 3 mirror,
 * 4 wrap. */

/* Products and sums round as written (fma() where fused is meant), as the
 * CPU backend's C does: results must not depend on the compiler's whim. */
#pragma OPENCL FP_CONTRACT OFF

#define TYPE_U8 1
#define TYPE_U16 2
#define TYPE_F32 3

/* Index in [0, n) that border rule b gives position p, or -1 (constant). */
inline int border_index(int b, int p, int n)
{
    if (p >= 0 && p < n) return p;
    switch (b) {
    case 1: return -1;
    case 2: return p < 0 ? 0 : n - 1;
    case 4: {
        const int m = p % n;
        return m < 0 ? m + n : m;
    }
    case 0: {
        /* 2n may pass INT_MAX: the period in long. */
        const long period = 2 * (long)n;
        long m = (long)p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - 1 - m);
    }
    default: {
        if (n == 1) return 0;
        const long period = 2 * (long)n - 2;
        long m = (long)p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - m);
    }
    }
}

/* Sample i of a buffer of the given type, as float. */
inline float load_sample(__global const void *p, size_t i, int type)
{
    switch (type) {
    case TYPE_U8: return (float)((__global const uchar *)p)[i];
    case TYPE_U16: return (float)((__global const ushort *)p)[i];
    default: return ((__global const float *)p)[i];
    }
}

/* scale, offset, |.|: what every output goes through before its type. */
inline float scale_output(float v, float scale, float offset, int absolute)
{
    v = v * scale + offset;
    return absolute ? fabs(v) : v;
}

/* Rounds to nearest and saturates exactly as the CPU backend does (clamp,
 * add 0.5, truncate; NaN becomes 0), then stores sample i. */
inline void store_sample(__global void *p, size_t i, int type, float v)
{
    if (type == TYPE_F32) {
        ((__global float *)p)[i] = v;
        return;
    }
    const float hi = type == TYPE_U8 ? 255.0f : 65535.0f;
    v = v > 0.0f ? v : 0.0f;
    v = v < hi ? v : hi;
    if (type == TYPE_U8) ((__global uchar *)p)[i] = (uchar)(v + 0.5f);
    else ((__global ushort *)p)[i] = (ushort)(v + 0.5f);
}

/* scale_output then store_sample. */
inline void store_output(__global void *p, size_t i, int type, float v, float scale, float offset,
                         int absolute)
{
    store_sample(p, i, type, scale_output(v, scale, offset, absolute));
}

/* Arguments of the convolution kernels (mirrors tessel_cl_conv_args in
 * host/opencl/cl_launch.h field for field, all 4-byte). */
typedef struct conv_args {
    int in_w, in_h, src_pitch;      /* input size, row pitch in samples */
    int out_w, out_h, dst_pitch;    /* output size, row pitch in samples */
    int channels, in_type, out_type;
    int kw, kh, sx, sy, ox, oy;     /* kernel, strides, origin (see geometry.h) */
    int border, absolute;
    int tile_w, tile_h, tile_pitch; /* tiled kernels: the group's input tile (pitch in floats) */
    int strip_rows, ring_rows;      /* fused separable: output rows per group, ring rows */
    float cval, scale, offset;
} conv_args;

/* Input sample (x, y) of channel c through the border map. */
inline float border_sample(__global const void *src, const conv_args *a, int y, int x, int c)
{
    const int yy = border_index(a->border, y, a->in_h), xx = border_index(a->border, x, a->in_w);
    if (yy < 0 || xx < 0) return a->cval;
    return load_sample(src, (size_t)yy * a->src_pitch + (size_t)xx * a->channels + c, a->in_type);
}
