/* Tiled direct correlation, the GPU-shaped kernel of method direct (and of
 * the separable method's two-pass fallback; conv_separable.cl is its fused
 * form):
 *   out[r][x] = sum_t sum_i taps[t*kw + i] * in[r*sy + oy + t][x*sx + ox + i]
 * with the border rule on input indices (taps already flipped for
 * convolution by the host), summed from 0 with fma, tap row by tap row and
 * tap by tap: the CPU backend's order, so the results are the same bits.
 *
 * A work-group of LX x LY items computes one channel (group id 2) of an
 * output tile of LX*COLS columns by LY*ROWS rows; each item a block of
 * COLS x ROWS outputs. With TILE=1 the group first loads its input tile
 * plus halo into __local memory (plain loads when the tile lies inside the
 * image, one test per group; the border maps otherwise); each input row an
 * item reads from it serves every output row of its block whose window
 * covers it. With KW > 0 (column stride 1, kernel width KW known when
 * building: a size class, never the coefficients) the COLS + KW - 1 samples
 * of a row sit in registers and every loop unrolls; KW = 0 is the general
 * form (any width and stride). TILE=0 (the tile does not fit the device's
 * local memory) reads samples through the border map from global memory.
 *
 * Compile-time (-D): LX LY COLS ROWS KW TILE TAPS_SPACE. Sample types,
 * channels, kernel height, strides and border are arguments (common.cl):
 * one program serves them all. */

#define TW (LX * COLS) /* output columns of a group */
#define TH (LY * ROWS) /* output rows of a group */

/* The tile's rows from a source of element type T, all inside the image. */
#define FILL_INSIDE(T)                                                                       \
    for (int ty = ly; ty < a.tile_h; ty += LY) {                                             \
        __global const T *s = (__global const T *)src + ((size_t)(iy0 + ty) * a.src_pitch + \
                                                         (size_t)ix0 * a.channels + c);      \
        __local float *d = tile + ty * a.tile_pitch;                                         \
        for (int tx = lx; tx < a.tile_w; tx += LX) d[tx] = (float)s[tx * a.channels];        \
        for (int tx = a.tile_w + lx; tx < a.tile_pitch; tx += LX) d[tx] = 0.0f;              \
    }

/* The same through the border maps (the tile reaches past the image). */
#define FILL_EDGE(T)                                                                         \
    for (int ty = ly; ty < a.tile_h; ty += LY) {                                             \
        const int yy = border_index(a.border, iy0 + ty, a.in_h);                             \
        __global const T *s = (__global const T *)src + ((size_t)max(yy, 0) * a.src_pitch + c); \
        __local float *d = tile + ty * a.tile_pitch;                                         \
        for (int tx = lx; tx < a.tile_w; tx += LX) {                                         \
            const int xx = border_index(a.border, ix0 + tx, a.in_w);                         \
            d[tx] = yy < 0 || xx < 0 ? a.cval : (float)s[(size_t)xx * a.channels];           \
        }                                                                                    \
        for (int tx = a.tile_w + lx; tx < a.tile_pitch; tx += LX) d[tx] = 0.0f;              \
    }

#if TILE
/* Loads the group's input tile (tile_h x tile_w samples of channel c from
 * (iy0, ix0)) into tile; the spare columns of each row (the pitch) get
 * zeros, so that no item reads an unset float. */
inline void fill_tile(__global const void *src, const conv_args a, __local float *tile, int c,
                      int iy0, int ix0, int lx, int ly)
{
    const int inside = ix0 >= 0 && iy0 >= 0 && ix0 + a.tile_w <= a.in_w &&
                       iy0 + a.tile_h <= a.in_h;
    if (inside) {
        switch (a.in_type) {
        case TYPE_U8: FILL_INSIDE(uchar) break;
        case TYPE_U16: FILL_INSIDE(ushort) break;
        default: FILL_INSIDE(float) break;
        }
    } else {
        switch (a.in_type) {
        case TYPE_U8: FILL_EDGE(uchar) break;
        case TYPE_U16: FILL_EDGE(ushort) break;
        default: FILL_EDGE(float) break;
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}
#define SAMPLE(ty, tx) tile[(ty) * a.tile_pitch + (tx)]
#else
#define SAMPLE(ty, tx) border_sample(src, &a, iy0 + (ty), ix0 + (tx), c)
#endif

__kernel __attribute__((reqd_work_group_size(LX, LY, 1))) void
tessel_conv_tiled(__global const void *src, __global void *dst, TAPS_SPACE const float *taps,
                  const conv_args a, __local float *tile)
{
    const int lx = get_local_id(0), ly = get_local_id(1), c = get_group_id(2);
    const int ox0 = get_group_id(0) * TW, oy0 = get_group_id(1) * TH; /* the group's outputs */
    const int ix0 = ox0 * a.sx + a.ox, iy0 = oy0 * a.sy + a.oy;      /* its input tile */
#if TILE
    fill_tile(src, a, tile, c, iy0, ix0, lx, ly);
#endif

    float acc[ROWS][COLS];
#pragma unroll
    for (int q = 0; q < ROWS; ++q)
#pragma unroll
        for (int j = 0; j < COLS; ++j) acc[q][j] = 0.0f;

    const int ty0 = ly * ROWS * a.sy, tx0 = lx * COLS * a.sx; /* the item's window in the tile */
    const int span = (ROWS - 1) * a.sy + a.kh;                /* input rows it reads */
    for (int u = 0; u < span; ++u) {
#if KW
        /* Row u of the window in registers; output row q takes it with tap row u - q*sy. */
        float w[COLS + KW - 1];
#pragma unroll
        for (int j = 0; j < COLS + KW - 1; ++j) w[j] = SAMPLE(ty0 + u, tx0 + j);
#pragma unroll
        for (int q = 0; q < ROWS; ++q) {
            const int t = u - q * a.sy;
            if (t < 0 || t >= a.kh) continue;
            TAPS_SPACE const float *k = taps + t * KW;
#pragma unroll
            for (int i = 0; i < KW; ++i) {
                const float kv = k[i];
#pragma unroll
                for (int j = 0; j < COLS; ++j) acc[q][j] = fma(kv, w[i + j], acc[q][j]);
            }
        }
#else
        int row_of[ROWS]; /* offset of output row q's tap row in taps, or -1 */
#pragma unroll
        for (int q = 0; q < ROWS; ++q) {
            const int t = u - q * a.sy;
            row_of[q] = t >= 0 && t < a.kh ? t * a.kw : -1;
        }
        for (int i = 0; i < a.kw; ++i) {
            float v[COLS];
#pragma unroll
            for (int j = 0; j < COLS; ++j) v[j] = SAMPLE(ty0 + u, tx0 + j * a.sx + i);
#pragma unroll
            for (int q = 0; q < ROWS; ++q) {
                if (row_of[q] < 0) continue;
                const float kv = taps[row_of[q] + i];
#pragma unroll
                for (int j = 0; j < COLS; ++j) acc[q][j] = fma(kv, v[j], acc[q][j]);
            }
        }
#endif
    }

    const int x0 = ox0 + lx * COLS;
#pragma unroll
    for (int q = 0; q < ROWS; ++q) {
        const int r = oy0 + ly * ROWS + q;
        if (r >= a.out_h) break;
        const size_t base = (size_t)r * a.dst_pitch + (size_t)x0 * a.channels + c;
#pragma unroll
        for (int j = 0; j < COLS; ++j)
            if (x0 + j < a.out_w)
                store_output(dst, base + (size_t)j * a.channels, a.out_type, acc[q][j], a.scale,
                             a.offset, a.absolute);
    }
}
#undef SAMPLE
