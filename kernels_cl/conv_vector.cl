/* Direct correlation for CPU-type OpenCL devices (PoCL and the like), the
 * same form as conv_direct.cl:
 *   out[r][c] = sum_t sum_i taps[t*kw + i] * in[r*sy + oy + t][c*sx + ox + i]
 * CPU OpenCL compilers run work-items as an outer loop and do not vectorise
 * across them when each item loops over taps, so here each work-item is the
 * CPU backend's inner loop: 32 consecutive output samples of a row (two
 * float16 vectors; any mix of interleaved channels, a tap moves CH samples)
 * for ROWS rows, with explicit vector arithmetic. Each loaded input vector serves every output
 * row whose window covers it. Chunks whose windows leave the image (and the
 * ragged end of rows) take a scalar path through the border map.
 * Column stride 1 only (the host uses the tiled kernel otherwise).
 *
 * Compile-time (-D): CH IN_T OUT_T OUT_KIND ROWS PADDED TAPS_SPACE. */

/* Sum for output sample e of row r, every sample through the border map. */
inline float edge_sum(__global const IN_T *src, TAPS_SPACE const float *taps,
                      const conv_args *a, int r, int e)
{
    const int px = e / CH, c = e - px * CH;
    float sum = 0.0f;
    for (int t = 0; t < a->kh; ++t)
        for (int i = 0; i < a->kw; ++i)
            sum = fma(taps[t * a->kw + i],
                      read_sample(src, a, (long)r * a->sy + a->oy + t, (long)px + a->ox + i, c),
                      sum);
    return sum;
}

#define STRIP 32 /* output samples per work-item: two float16 */
#define EXT_MAX 512 /* private floats for one border-extended input row */

/* Accumulates input row u (pointer p, any address space) into acc/acc2 of
 * the output rows whose window holds it, tap row u - q*sy in [0, kh): a zero
 * tap times an infinite sample would make NaN of an output that never saw
 * the sample. Rows u in [(ROWS-1)*sy, kh) feed every output row: ALL = 1
 * there spares the tests. */
#define IN_WINDOW(u, q) ((u) - (q) * a.sy >= 0 && (u) - (q) * a.sy < a.kh)
#if PADDED
/* Row stride 1: taps has ROWS-1 zero rows before and after the kh tap rows
 * (tessel_pad_taps), so output row q's tap row is padded row u - q + ROWS - 1. */
#define TAP(u, q, i) taps[(size_t)((u) - (q) + ROWS - 1) * a.kw + (i)]
#else
#define TAP(u, q, i) taps[((u) - (q) * a.sy) * a.kw + (i)]
#endif
#define ACCUMULATE_ROW(p, u, ALL)                                             \
    for (int i = 0; i < a.kw; ++i) {                                          \
        const float16 v = convert_float16(vload16(0, (p) + i * CH));          \
        const float16 w = convert_float16(vload16(1, (p) + i * CH));          \
        _Pragma("unroll") for (int q = 0; q < ROWS; ++q) {                    \
            if (!(ALL) && !IN_WINDOW(u, q)) continue;                         \
            const float k = TAP(u, q, i);                                     \
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

__kernel void tessel_conv_vec(__global const IN_T *src, __global OUT_T *dst,
                              TAPS_SPACE const float *taps, const conv_args a)
{
    const int e0 = get_global_id(0) * STRIP; /* first output sample of the strip */
    const int r0 = get_global_id(1) * ROWS;  /* first output row */
    const int row_samples = a.out_w * CH;
    if (e0 >= row_samples || r0 >= a.out_h) return;
    const long y0 = (long)r0 * a.sy + a.oy;
    const long first_px = (long)(e0 / CH) + a.ox;
    const long last_px = (long)((e0 + STRIP - 1) / CH) + a.ox + a.kw - 1;
    const int span_rows = (ROWS - 1) * a.sy + a.kh; /* input rows this item reads */
    const int ext_n = STRIP + (a.kw - 1) * CH;        /* input samples per row */
    const int inside = e0 + STRIP <= row_samples && r0 + ROWS <= a.out_h && first_px >= 0 &&
                       last_px < a.in_w && y0 >= 0 && y0 + span_rows - 1 < a.in_h;
    if (!inside && ext_n > EXT_MAX) {
#if PADDED
        TAPS_SPACE const float *taps_body = taps + (size_t)(ROWS - 1) * a.kw;
#else
        TAPS_SPACE const float *taps_body = taps;
#endif
        for (int q = 0; q < ROWS && r0 + q < a.out_h; ++q)
            for (int e = e0; e < e0 + STRIP && e < row_samples; ++e)
                dst[(size_t)(r0 + q) * a.dst_pitch + e] = convert_output(
                    edge_sum(src, taps_body, &a, r0 + q, e), a.scale, a.offset, a.absolute);
        return;
    }

    float16 acc[ROWS], acc2[ROWS];
#pragma unroll
    for (int q = 0; q < ROWS; ++q) acc[q] = acc2[q] = (float16)(0.0f);
    if (inside) {
        __global const IN_T *base = src + (size_t)y0 * a.src_pitch + (size_t)a.ox * CH + e0;
        for (int u = 0; u < span_rows; ++u) {
            __global const IN_T *p = base + (size_t)u * a.src_pitch;
            ACCUMULATE_ANY_ROW(p, u)
        }
    } else {
        float ext[EXT_MAX + 16];
        for (int u = 0; u < span_rows; ++u) {
            for (int j = 0; j < ext_n; ++j) {
                const int s = e0 + j, px = s / CH;
                ext[j] = read_sample(src, &a, y0 + u, (long)px + a.ox, s - px * CH);
            }
            const float *p = ext;
            ACCUMULATE_ANY_ROW(p, u)
        }
    }

#pragma unroll
    for (int q = 0; q < ROWS; ++q) {
        if (r0 + q >= a.out_h) break;
        __global OUT_T *o = dst + (size_t)(r0 + q) * a.dst_pitch + e0;
        const OUT_V lo = convert_output16(acc[q], a.scale, a.offset, a.absolute);
        const OUT_V hi = convert_output16(acc2[q], a.scale, a.offset, a.absolute);
        if (e0 + STRIP <= row_samples) {
            vstore16(lo, 0, o);
            vstore16(hi, 1, o);
        } else {
            OUT_T part[STRIP];
            vstore16(lo, 0, part);
            vstore16(hi, 1, part);
            for (int e = 0; e < row_samples - e0; ++e) o[e] = part[e];
        }
    }
}
