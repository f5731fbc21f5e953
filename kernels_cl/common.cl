/* Shared by every tessel program: border index maps and output conversion.
 * Build options (-D) used here:
 *   OUT_T, OUT_KIND  output sample type: float (0), uchar (1), ushort (2)
 * Borders: 0 reflect, 1 constant, 2 nearest, 3 mirror, 4 wrap (tessel_border). */

/* Index in [0, n) that border rule b gives position p, or -1 (constant). */
inline int border_index(int b, long p, long n)
{
    if (p >= 0 && p < n) return (int)p;
    switch (b) {
    case 1: return -1;
    case 2: return p < 0 ? 0 : (int)(n - 1);
    case 4: {
        long m = p % n;
        return (int)(m < 0 ? m + n : m);
    }
    case 0: {
        long period = 2 * n, m = p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - 1 - m);
    }
    default: {
        if (n == 1) return 0;
        long period = 2 * n - 2, m = p % period;
        if (m < 0) m += period;
        return (int)(m < n ? m : period - m);
    }
    }
}

/* scale, offset, |.|, then round to nearest and saturate exactly as the CPU
 * backend does (clamp, add 0.5, truncate; NaN becomes 0). */
inline OUT_T convert_output(float v, float scale, float offset, int absolute)
{
    v = v * scale + offset;
    if (absolute) v = fabs(v);
#if OUT_KIND == 0
    return v;
#else
#if OUT_KIND == 1
    const float hi = 255.0f;
#else
    const float hi = 65535.0f;
#endif
    v = v > 0.0f ? v : 0.0f;
    v = v < hi ? v : hi;
    return (OUT_T)(v + 0.5f);
#endif
}

/* The 16-wide form of convert_output, for the vector kernel. */
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)
#define OUT_V CAT(OUT_T, 16)

inline OUT_V convert_output16(float16 v, float scale, float offset, int absolute)
{
    v = v * scale + offset;
    if (absolute) v = fabs(v);
#if OUT_KIND == 0
    return v;
#else
#if OUT_KIND == 1
    const float hi = 255.0f;
#else
    const float hi = 65535.0f;
#endif
    v = fmin(fmax(v, 0.0f), hi); /* fmax(NaN, 0) is 0, as in the scalar form */
    return CAT(convert_, OUT_V)(v + 0.5f);
#endif
}

/* Arguments shared by the convolution kernels (mirrors cl_conv_args). */
typedef struct conv_args {
    int in_w, in_h, src_pitch;   /* input size, row pitch in samples */
    int out_w, out_h, dst_pitch; /* output size, row pitch in samples */
    int kw, kh, sx, sy, ox, oy;  /* kernel, strides, origin (see geometry.h) */
    int border, absolute;
    int tile_w, tile_h;          /* local tile in pixels (tiled kernel) */
    float cval, scale, offset;
} conv_args;

#if defined(IN_T) && defined(CH) /* the convolution kernels */
/* One input sample through the border map (CH interleaved channels). */
inline float read_sample(__global const IN_T *src, const conv_args *a, long y, long x, int c)
{
    const int yy = border_index(a->border, y, a->in_h), xx = border_index(a->border, x, a->in_w);
    if (yy < 0 || xx < 0) return a->cval;
    return (float)src[(size_t)yy * a->src_pitch + (size_t)xx * CH + c];
}
#endif
