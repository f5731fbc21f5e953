/* Tiled direct correlation, the GPU-shaped kernel of methods direct and
 * separable (CPU-type devices run conv_vector.cl at column stride 1; the
 * frequency domain has its own kernels):
 *   out[r][c] = sum_t sum_i taps[t*kw + i] * in[r*sy + oy + t][c*sx + ox + i]
 * with the border rule on input indices (taps already flipped for
 * convolution by the host). The separable method runs it twice: a 1-row
 * pass into a float temporary, then a 1-column pass.
 *
 * A work-group of LX x LY items computes LX columns by LY*ROWS rows of
 * output. With TILE=1 it first loads its input tile plus halo into __local
 * memory (tile_w x tile_h pixels, sized by the host), applying the border
 * rule while loading; each item then computes ROWS vertically adjacent
 * outputs (register blocking: each tile sample it reads serves every output
 * row whose window covers it). With TILE=0 (the tile does not fit the
 * device's local memory) samples are read through the border map directly.
 *
 * Compile-time (-D): CH IN_T OUT_T OUT_KIND LX LY ROWS TILE TAPS_SPACE.
 * Everything else is an argument, so one program serves every kernel size,
 * stride and border: few programs to build (PoCL builds take seconds). */

__kernel __attribute__((reqd_work_group_size(LX, LY, 1))) void
tessel_conv(__global const IN_T *src, __global OUT_T *dst, TAPS_SPACE const float *taps,
            const conv_args a, __local float *tile)
{
    const int lx = get_local_id(0), ly = get_local_id(1);
    const int gx0 = get_group_id(0) * LX;        /* first output column of the group */
    const int gy0 = get_group_id(1) * LY * ROWS; /* first output row of the group */
    const long in_x0 = (long)gx0 * a.sx + a.ox;
    const long in_y0 = (long)gy0 * a.sy + a.oy;

#if TILE
    const int tile_n = a.tile_w * a.tile_h;
    for (int idx = ly * LX + lx; idx < tile_n; idx += LX * LY) {
        const int ty = idx / a.tile_w, tx = idx - ty * a.tile_w;
#pragma unroll
        for (int c = 0; c < CH; ++c) tile[idx * CH + c] = read_sample(src, &a, in_y0 + ty, in_x0 + tx, c);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
#define SAMPLE(ty, tx, c) tile[((ty) * a.tile_w + (tx)) * CH + (c)]
#else
#define SAMPLE(ty, tx, c) read_sample(src, &a, in_y0 + (ty), in_x0 + (tx), (c))
#endif

    float acc[ROWS][CH];
#pragma unroll
    for (int q = 0; q < ROWS; ++q)
#pragma unroll
        for (int c = 0; c < CH; ++c) acc[q][c] = 0.0f;

    const int ty0 = ly * ROWS * a.sy, tx0 = lx * a.sx;
    const int span_rows = (ROWS - 1) * a.sy + a.kh; /* input rows this item reads */
    for (int u = 0; u < span_rows; ++u) {
        for (int i = 0; i < a.kw; ++i) {
            float v[CH];
#pragma unroll
            for (int c = 0; c < CH; ++c) v[c] = SAMPLE(ty0 + u, tx0 + i, c);
#pragma unroll
            for (int q = 0; q < ROWS; ++q) {
                const int t = u - q * a.sy; /* tap row of this sample for output row q */
                if (t >= 0 && t < a.kh) {
                    const float k = taps[t * a.kw + i];
#pragma unroll
                    for (int c = 0; c < CH; ++c) acc[q][c] = fma(k, v[c], acc[q][c]);
                }
            }
        }
    }

    const int x = gx0 + lx;
    if (x >= a.out_w) return;
#pragma unroll
    for (int q = 0; q < ROWS; ++q) {
        const int r = gy0 + ly * ROWS + q;
        if (r < a.out_h) {
            __global OUT_T *o = dst + (size_t)r * a.dst_pitch + (size_t)x * CH;
#pragma unroll
            for (int c = 0; c < CH; ++c) o[c] = convert_output(acc[q][c], a.scale, a.offset, a.absolute);
        }
    }
#undef SAMPLE
}
