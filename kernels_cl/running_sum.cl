/* Method running (host/opencl/cl_running.c): running sums for box-like
 * kernels, at a cost per sample that does not grow with the window. One
 * program serves every dtype: sample types are run-time arguments
 * (common.cl's), so no -D variant is built per type.
 *
 * A constant column factor: running_vertical keeps, for one extended
 * column of the input and a band of output rows, the sum of the window's
 * rows and moves it down (add the rows entering, subtract those leaving)
 * into a temporary of sums; running_horizontal then sums a segment of an
 * output row's windows along the row the same way (or applies the row
 * taps) and converts. A constant row factor only: running_rows sums input
 * rows along the row into a float temporary, and running_column_taps
 * applies the column taps.
 *
 * Sums: int (exact) for integer inputs whose window sums fit (the host
 * decides, as the CPU backend does), else double, or float where the
 * device has no double (the host then declines f32). */
#ifdef cl_khr_fp64
#pragma OPENCL EXTENSION cl_khr_fp64 : enable
typedef double wide_t;
#else
typedef float wide_t;
#endif

/* Mirrors tessel_cl_running_args (cl_running.h) field for field. */
typedef struct running_args {
    int in_w, in_h, src_pitch, channels, in_type;
    int out_w, out_h, dst_pitch, out_type;
    int kw, kh, sx, sy, ox, oy;
    int border, absolute, integer, row_running;
    int temp_w, temp_rows, band, segment;
    float cval, scale, offset, factor;
} running_args;

inline int input_integer(__global const void *src, int type, size_t i)
{
    return type == TYPE_U8 ? (int)((__global const uchar *)src)[i] : (int)((__global const ushort *)src)[i];
}

/* Sample (y, x) of channel ch through the border rule; x already mapped
 * (-1: outside, constant border). */
inline float sample_f(__global const void *src, const running_args *a, long y, int x, int ch)
{
    const int yy = border_index(a->border, y, a->in_h);
    if (yy < 0 || x < 0) return a->cval;
    return load_sample(src, (size_t)yy * a->src_pitch + (size_t)x * a->channels + ch, a->in_type);
}

inline int sample_i(__global const void *src, const running_args *a, long y, int x, int ch)
{
    const int yy = border_index(a->border, y, a->in_h);
    if (yy < 0 || x < 0) return (int)a->cval;
    return input_integer(src, a->in_type, (size_t)yy * a->src_pitch + (size_t)x * a->channels + ch);
}

/* Sums of kh rows moving down a band of output rows, one extended column
 * sample e (column e / channels) per work-item: temp[r][e] (int or wide). */
#define VERTICAL_BODY(T, SAMPLE)                                                            \
    T s = 0;                                                                                 \
    long before = 0;                                                                         \
    for (int r = r0; r < r1; ++r) {                                                          \
        const long y = (long)r * a.sy + a.oy;                                                \
        if (r == r0 || a.sy >= a.kh) {                                                       \
            s = 0;                                                                           \
            for (int t = 0; t < a.kh; ++t) s += (T)SAMPLE(src, &a, y + t, x, ch);            \
        } else {                                                                             \
            for (int t = 0; t < a.sy; ++t)                                                   \
                s += (T)SAMPLE(src, &a, before + a.kh + t, x, ch) -                          \
                     (T)SAMPLE(src, &a, before + t, x, ch);                                  \
        }                                                                                    \
        before = y;                                                                          \
        out[(size_t)r * a.temp_w + e] = s;                                                   \
    }

__kernel void tessel_running_vertical(__global const void *src, __global void *temp,
                                      const running_args a)
{
    const int e = get_global_id(0);
    const int r0 = get_global_id(1) * a.band;
    if (e >= a.temp_w || r0 >= a.out_h) return;
    const int r1 = min(r0 + a.band, a.out_h);
    const int ch = e % a.channels;
    const int x = border_index(a.border, (long)(e / a.channels) + a.ox, a.in_w);
    if (a.integer) {
        __global int *out = temp;
        VERTICAL_BODY(int, sample_i)
    } else {
        __global wide_t *out = temp;
        VERTICAL_BODY(wide_t, sample_f)
    }
}

/* One segment of an output row: window sums along the row over the sums
 * in temp (moved by the column stride), or the row taps. */
#define HORIZONTAL_BODY(T, TO_FLOAT)                                                        \
    T s = 0;                                                                                 \
    for (int x = x0; x < x1; ++x) {                                                          \
        const size_t d = (size_t)x * a.sx * c + ch;                                          \
        float v;                                                                             \
        if (!a.row_running) {                                                                \
            float t = 0.0f;                                                                  \
            for (int i = 0; i < a.kw; ++i) t = fma(taps[i], TO_FLOAT(row[d + (size_t)i * c]), t); \
            v = t;                                                                           \
        } else {                                                                             \
            if (x == x0 || a.sx >= a.kw) {                                                   \
                s = 0;                                                                       \
                for (int i = 0; i < a.kw; ++i) s += row[d + (size_t)i * c];                  \
            } else {                                                                         \
                const size_t old = d - (size_t)a.sx * c;                                     \
                for (int i = 0; i < a.sx; ++i)                                               \
                    s += row[old + (size_t)(a.kw + i) * c] - row[old + (size_t)i * c];       \
            }                                                                                \
            v = TO_FLOAT(s);                                                                 \
        }                                                                                    \
        store_output(dst, (size_t)r * a.dst_pitch + (size_t)x * c + ch, a.out_type, v, a.scale,  \
                     a.offset, a.absolute);                                                  \
    }

#define INT_TO_FLOAT(s) ((float)(s) * a.factor)
#define WIDE_TO_FLOAT(s) ((float)((s) * (wide_t)a.factor))

__kernel void tessel_running_horizontal(__global const void *temp, __global void *dst,
                                        __constant float *taps, const running_args a)
{
    const int c = a.channels;
    const int item = get_global_id(0), r = get_global_id(1);
    const int ch = item % c, x0 = (item / c) * a.segment;
    if (x0 >= a.out_w || r >= a.out_h) return;
    const int x1 = min(x0 + a.segment, a.out_w);
    if (a.integer) {
        __global const int *row = (__global const int *)temp + (size_t)r * a.temp_w;
        HORIZONTAL_BODY(int, INT_TO_FLOAT)
    } else {
        __global const wide_t *row = (__global const wide_t *)temp + (size_t)r * a.temp_w;
        HORIZONTAL_BODY(wide_t, WIDE_TO_FLOAT)
    }
}

/* A constant row factor only: input row t (virtual row t + oy) summed
 * along the row over a segment of dense columns into the float temp. */
#define ROWS_BODY(T, SAMPLE, TO_FLOAT)                                                      \
    T s = 0;                                                                                 \
    for (int d = d0; d < d1; ++d) {                                                          \
        if (d == d0) {                                                                       \
            s = 0;                                                                           \
            for (int i = 0; i < a.kw; ++i)                                                   \
                s += (T)SAMPLE(src, &a, y, border_index(a.border, (long)d + i + a.ox, a.in_w), ch); \
        } else {                                                                             \
            s += (T)SAMPLE(src, &a, y, border_index(a.border, (long)d - 1 + a.kw + a.ox, a.in_w), ch) - \
                 (T)SAMPLE(src, &a, y, border_index(a.border, (long)d - 1 + a.ox, a.in_w), ch); \
        }                                                                                    \
        out[(size_t)t * a.temp_w + (size_t)d * c + ch] = TO_FLOAT(s);                        \
    }

__kernel void tessel_running_rows(__global const void *src, __global float *out,
                                  const running_args a)
{
    const int c = a.channels;
    const int item = get_global_id(0), t = get_global_id(1);
    const int dense_w = a.temp_w / c;
    const int ch = item % c, d0 = (item / c) * a.segment;
    if (d0 >= dense_w || t >= a.temp_rows) return;
    const int d1 = min(d0 + a.segment, dense_w);
    const long y = (long)t + a.oy;
    if (a.integer) {
        ROWS_BODY(int, sample_i, INT_TO_FLOAT)
    } else {
        ROWS_BODY(wide_t, sample_f, WIDE_TO_FLOAT)
    }
}

/* The column taps over the float temp of running_rows, one output sample
 * per work-item. */
__kernel void tessel_running_column_taps(__global const float *temp, __global void *dst,
                                         __constant float *taps, const running_args a)
{
    const int c = a.channels;
    const int e = get_global_id(0), r = get_global_id(1);
    if (e >= a.out_w * c || r >= a.out_h) return;
    const size_t col = (size_t)(e / c) * a.sx * c + e % c;
    const size_t y0 = (size_t)r * a.sy;
    float v = 0.0f;
    for (int t = 0; t < a.kh; ++t) v = fma(taps[t], temp[(y0 + t) * a.temp_w + col], v);
    store_output(dst, (size_t)r * a.dst_pitch + e, a.out_type, v, a.scale, a.offset, a.absolute);
}
