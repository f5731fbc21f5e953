/* Direct correlation for CPU-type OpenCL devices (PoCL and the like), the
 * same sum as conv_direct.cl:
 *   out[r][c] = sum_t sum_i taps[t*kw + i] * in[r*sy + oy + t][c*sx + ox + i]
 * CPU OpenCL compilers run work-items as an outer loop and do not vectorise
 * across them when each item loops over taps, so here each work-item is the
 * CPU backend's inner loop: 32 consecutive output samples of a row (two
 * float16 vectors; any mix of interleaved channels, a tap moves `channels`
 * samples) for ROWS rows, with explicit vector arithmetic. Each loaded input
 * vector serves every output row whose window covers it. Chunks whose
 * windows leave the image (and the ragged end of rows) take a scalar path
 * through the border map. Column stride 1 only (the host runs
 * conv_direct.cl otherwise).
 *
 * Compile-time (-D): ROWS. Sample types and channels are arguments
 * (common.cl), the input type chosen once per work-item: one program
 * serves every case. */

#define STRIP 32    /* output samples per work-item: two float16 */
#define EXT_MAX 512 /* private floats for one border-extended input row */

/* Sum for output sample e of row r, every sample through the border map. */
inline float edge_sum(__global const void *src, __global const float *taps, const conv_args *a,
                      int r, int e)
{
    const int px = e / a->channels, c = e - px * a->channels;
    float sum = 0.0f;
    for (int t = 0; t < a->kh; ++t)
        for (int i = 0; i < a->kw; ++i)
            sum = fma(taps[t * a->kw + i],
                      border_sample(src, a, r * a->sy + a->oy + t, px + a->ox + i, c), sum);
    return sum;
}

/* Accumulates input row u (pointer p, any address space and sample type)
 * into acc/acc2 of the output rows whose window holds it, tap row
 * u - q*sy in [0, kh). Rows u in [(ROWS-1)*sy, kh) feed every output row:
 * ALL = 1 there spares the tests. */
#define IN_WINDOW(u, q) ((u) - (q) * a.sy >= 0 && (u) - (q) * a.sy < a.kh)
#define ACCUMULATE_ROW(p, u, ALL)                                             \
    for (int i = 0; i < a.kw; ++i) {                                          \
        const float16 v = convert_float16(vload16(0, (p) + i * a.channels));  \
        const float16 w = convert_float16(vload16(1, (p) + i * a.channels));  \
        _Pragma("unroll") for (int q = 0; q < ROWS; ++q) {                    \
            if (!(ALL) && !IN_WINDOW(u, q)) continue;                         \
            const float k = taps[((u) - q * a.sy) * a.kw + i];                \
            acc[q] = fma((float16)(k), v, acc[q]);                            \
            acc2[q] = fma((float16)(k), w, acc2[q]);                          \
        }                                                                     \
    }
#define ACCUMULATE_ANY_ROW(p, u)                                              \
    if ((u) >= (ROWS - 1) * a.sy && (u) < a.kh) {                             \
        ACCUMULATE_ROW(p, u, 1)                                               \
    } else {                                                                  \
        ACCUMULATE_ROW(p, u, 0)                                               \
    }
/* Every input row of a strip inside the image, from a source of type T. */
#define ACCUMULATE_INSIDE(T)                                                              \
    {                                                                                     \
        __global const T *base = (__global const T *)src + ((size_t)y0 * a.src_pitch +   \
                                                           (size_t)a.ox * a.channels + e0); \
        for (int u = 0; u < span_rows; ++u) {                                             \
            __global const T *p = base + (size_t)u * a.src_pitch;                         \
            ACCUMULATE_ANY_ROW(p, u)                                                      \
        }                                                                                 \
    }

/* The 16 outputs v from sample `at` on: scale, offset, |.|, conversion. */
inline void store16(__global void *dst, size_t at, const conv_args *a, float16 v)
{
    v = v * a->scale + a->offset;
    if (a->absolute) v = fabs(v);
    if (a->out_type == TYPE_F32) {
        vstore16(v, 0, (__global float *)dst + at);
        return;
    }
    const float hi = a->out_type == TYPE_U8 ? 255.0f : 65535.0f;
    v = fmin(fmax(v, 0.0f), hi) + 0.5f; /* fmax(NaN, 0) is 0, as in store_sample */
    if (a->out_type == TYPE_U8) vstore16(convert_uchar16(v), 0, (__global uchar *)dst + at);
    else vstore16(convert_ushort16(v), 0, (__global ushort *)dst + at);
}

__kernel void tessel_conv_vec(__global const void *src, __global void *dst,
                              __global const float *taps, const conv_args a)
{
    const int e0 = get_global_id(0) * STRIP; /* first output sample of the strip */
    const int r0 = get_global_id(1) * ROWS;  /* first output row */
    const int row_samples = a.out_w * a.channels;
    if (e0 >= row_samples || r0 >= a.out_h) return;
    const int y0 = r0 * a.sy + a.oy;
    const int first_px = e0 / a.channels + a.ox;
    const int last_px = (e0 + STRIP - 1) / a.channels + a.ox + a.kw - 1;
    const int span_rows = (ROWS - 1) * a.sy + a.kh;  /* input rows this item reads */
    const int ext_n = STRIP + (a.kw - 1) * a.channels; /* input samples per row */
    const int inside = e0 + STRIP <= row_samples && r0 + ROWS <= a.out_h && first_px >= 0 &&
                       last_px < a.in_w && y0 >= 0 && y0 + span_rows - 1 < a.in_h;
    if (!inside && ext_n > EXT_MAX) {
        for (int q = 0; q < ROWS && r0 + q < a.out_h; ++q)
            for (int e = e0; e < e0 + STRIP && e < row_samples; ++e)
                store_output(dst, (size_t)(r0 + q) * a.dst_pitch + e, a.out_type,
                             edge_sum(src, taps, &a, r0 + q, e), a.scale, a.offset, a.absolute);
        return;
    }

    float16 acc[ROWS], acc2[ROWS];
#pragma unroll
    for (int q = 0; q < ROWS; ++q) acc[q] = acc2[q] = (float16)(0.0f);
    if (inside) {
        switch (a.in_type) {
        case TYPE_U8: ACCUMULATE_INSIDE(uchar) break;
        case TYPE_U16: ACCUMULATE_INSIDE(ushort) break;
        default: ACCUMULATE_INSIDE(float) break;
        }
    } else {
        float ext[EXT_MAX + 16];
        for (int u = 0; u < span_rows; ++u) {
            for (int j = 0; j < ext_n; ++j) {
                const int s = e0 + j, px = s / a.channels;
                ext[j] = border_sample(src, &a, y0 + u, px + a.ox, s - px * a.channels);
            }
            const float *p = ext;
            ACCUMULATE_ANY_ROW(p, u)
        }
    }

#pragma unroll
    for (int q = 0; q < ROWS; ++q) {
        if (r0 + q >= a.out_h) break;
        const size_t at = (size_t)(r0 + q) * a.dst_pitch + e0;
        if (e0 + STRIP <= row_samples) {
            store16(dst, at, &a, acc[q]);
            store16(dst, at + 16, &a, acc2[q]);
        } else {
            float part[STRIP];
            vstore16(acc[q], 0, part);
            vstore16(acc2[q], 1, part);
            for (int e = 0; e < row_samples - e0; ++e)
                store_output(dst, at + e, a.out_type, part[e], a.scale, a.offset, a.absolute);
        }
    }
}
