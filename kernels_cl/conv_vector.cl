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

__kernel void tessel_conv_vec(__global const IN_T *src, __global OUT_T *dst,
                              TAPS_SPACE const float *taps, const conv_args a)
{
    const int e0 = get_global_id(0) * 32;   /* first output sample of the strip */
    const int r0 = get_global_id(1) * ROWS; /* first output row */
    const int row_samples = a.out_w * CH;
    if (e0 >= row_samples || r0 >= a.out_h) return;
    const long y0 = (long)r0 * a.sy + a.oy;
    const long first_px = (long)(e0 / CH) + a.ox, last_px = (long)((e0 + 31) / CH) + a.ox + a.kw - 1;
    const int inside = e0 + 32 <= row_samples && r0 + ROWS <= a.out_h && first_px >= 0 &&
                       last_px < a.in_w && y0 >= 0 &&
                       y0 + (long)(ROWS - 1) * a.sy + a.kh - 1 < a.in_h;
    if (!inside) {
#if PADDED
        TAPS_SPACE const float *taps_body = taps + (size_t)(ROWS - 1) * a.kw;
#else
        TAPS_SPACE const float *taps_body = taps;
#endif
        for (int q = 0; q < ROWS && r0 + q < a.out_h; ++q)
            for (int e = e0; e < e0 + 32 && e < row_samples; ++e)
                dst[(size_t)(r0 + q) * a.dst_pitch + e] =
                    convert_output(edge_sum(src, taps_body, &a, r0 + q, e), a.scale, a.offset, a.absolute);
        return;
    }
    float16 acc[ROWS], acc2[ROWS];
#pragma unroll
    for (int q = 0; q < ROWS; ++q) acc[q] = acc2[q] = (float16)(0.0f);
    const int span_rows = (ROWS - 1) * a.sy + a.kh; /* input rows this item reads */
    __global const IN_T *base = src + (size_t)y0 * a.src_pitch + (size_t)a.ox * CH + e0;
    for (int u = 0; u < span_rows; ++u) {
        __global const IN_T *p = base + (size_t)u * a.src_pitch;
#if PADDED
        /* Row stride 1: taps has ROWS-1 zero rows before and after the kh tap
         * rows, so output row q takes padded row u - q + ROWS - 1 untested. */
        TAPS_SPACE const float *tp = taps + (size_t)(u + ROWS - 1) * a.kw;
#endif
        for (int i = 0; i < a.kw; ++i) {
            const float16 v = convert_float16(vload16(0, p + i * CH));
            const float16 w = convert_float16(vload16(1, p + i * CH));
#pragma unroll
            for (int q = 0; q < ROWS; ++q) {
#if PADDED
                const float k = tp[i - q * a.kw];
#else
                const int t = u - q * a.sy; /* tap row of this input row for output row q */
                const float k = t >= 0 && t < a.kh ? taps[t * a.kw + i] : 0.0f;
#endif
                acc[q] = fma((float16)(k), v, acc[q]);
                acc2[q] = fma((float16)(k), w, acc2[q]);
            }
        }
    }
#pragma unroll
    for (int q = 0; q < ROWS; ++q) {
        __global OUT_T *o = dst + (size_t)(r0 + q) * a.dst_pitch + e0;
        vstore16(convert_output16(acc[q], a.scale, a.offset, a.absolute), 0, o);
        vstore16(convert_output16(acc2[q], a.scale, a.offset, a.absolute), 1, o);
    }
}
