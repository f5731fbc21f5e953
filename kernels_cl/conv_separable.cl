/* The separable method in one kernel, for GPU-shaped devices: the row pass
 * writes into __local memory, the column pass reads from it, in the same
 * work-group, so the input is read about once and the output written once
 * (no float temporary in global memory):
 *   R[y][x]   = sum_i row[i] * in[y][x*sx + ox + i]          (row pass)
 *   out[r][x] = sum_t col[t] * R[r*sy + oy + t][x]           (column pass)
 * each summed from 0 with fma in tap order, as the CPU backend's separable
 * method does, so the results are the same bits.
 *
 * A work-group of LX x LY items owns one channel (group id 2) of a strip of
 * LX*COLS output columns and strip_rows output rows, and walks down it LY
 * output rows at a time. The rows of R the strip needs go through a ring of
 * ring_rows = (LY - 1)*sy + kh rows in local memory: each step row-filters
 * the input rows the next LY outputs need (staged a chunk of LY rows at a
 * time in local memory, plain loads when the strip lies inside the image
 * horizontally, one test per group), then every item sums COLS outputs of
 * one row down the ring. The input is read once per strip, plus its halo:
 * kw - 1 columns and kh - sy rows per strip, which the host makes tall.
 *
 * Compile-time (-D): LX LY TAPS_SPACE. Types, channels, kernel sizes,
 * strides and border are arguments: one program serves every case. */

#define COLS 4          /* output columns per item (float4 ring reads) */
#define TW (LX * COLS) /* output columns of a strip */

/* Row y (strip-relative) of the staging area from a source of type T,
 * inside the image horizontally. */
#define STAGE_INSIDE(T)                                                                     \
    {                                                                                       \
        __global const T *s = (__global const T *)src + (row + (size_t)ix0 * a.channels);   \
        for (int x = lx; x < in_cols; x += LX) d[x] = (float)s[x * a.channels];             \
    }

/* Stages input rows iy0 + first + ly (ly < count) of channel c, columns
 * [ix0, ix0 + in_cols), into stage (one row per item row). */
inline void stage_rows(__global const void *src, const conv_args *ap, __local float *stage,
                       int c, int iy0, int ix0, int in_cols, int first, int count, int lx,
                       int ly)
{
    const conv_args a = *ap;
    barrier(CLK_LOCAL_MEM_FENCE); /* the last readers of stage and ring are done */
    if (ly < count) {
        const int yy = border_index(a.border, iy0 + first + ly, a.in_h);
        __local float *d = stage + ly * a.tile_pitch;
        const size_t row = (size_t)(yy < 0 ? 0 : yy) * a.src_pitch + c;
        if (yy < 0) {
            for (int x = lx; x < in_cols; x += LX) d[x] = a.cval;
        } else if (ix0 >= 0 && ix0 + in_cols <= a.in_w) {
            switch (a.in_type) {
            case TYPE_U8: STAGE_INSIDE(uchar) break;
            case TYPE_U16: STAGE_INSIDE(ushort) break;
            default: STAGE_INSIDE(float) break;
            }
        } else {
            for (int x = lx; x < in_cols; x += LX) {
                const int xx = border_index(a.border, ix0 + x, a.in_w);
                d[x] = xx < 0 ? a.cval
                              : load_sample(src, row + (size_t)xx * a.channels, a.in_type);
            }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* The row pass of staged row ly: COLS values of R from column lx*COLS on,
 * into ring row `slot`. At column stride 1 the taps go COLS at a time, each
 * new sample loaded once. */
inline void row_pass(const conv_args *ap, TAPS_SPACE const float *row_taps,
                     __local const float *stage, __local float *ring, int slot, int lx, int ly)
{
    const conv_args a = *ap;
    __local const float *s = stage + ly * a.tile_pitch + lx * COLS * a.sx;
    float acc[COLS];
#pragma unroll
    for (int j = 0; j < COLS; ++j) acc[j] = 0.0f;
    int i = 0;
    if (a.sx == 1) {
        /* Samples i .. i + 2*COLS - 2: the last COLS - 1 carry over to the
         * next COLS taps, COLS new ones come in. */
        float w[2 * COLS - 1];
#pragma unroll
        for (int j = 0; j < COLS - 1; ++j) w[j] = s[j];
        for (; i + COLS <= a.kw; i += COLS) {
#pragma unroll
            for (int j = COLS - 1; j < 2 * COLS - 1; ++j) w[j] = s[i + j];
#pragma unroll
            for (int m = 0; m < COLS; ++m) {
                const float k = row_taps[i + m];
#pragma unroll
                for (int j = 0; j < COLS; ++j) acc[j] = fma(k, w[m + j], acc[j]);
            }
#pragma unroll
            for (int j = 0; j < COLS - 1; ++j) w[j] = w[COLS + j];
        }
    }
    for (; i < a.kw; ++i) {
        const float k = row_taps[i];
#pragma unroll
        for (int j = 0; j < COLS; ++j) acc[j] = fma(k, s[j * a.sx + i], acc[j]);
    }
    __local float *r = ring + slot * TW + lx * COLS;
#pragma unroll
    for (int j = 0; j < COLS; ++j) r[j] = acc[j];
}

/* The column pass of one output: ring rows first_slot onwards (wrapping),
 * COLS outputs of row `out_row` from column x0 on. */
inline void column_pass(__global void *dst, const conv_args *ap, TAPS_SPACE const float *col_taps,
                        __local const float *ring, int first_slot, int out_row, int x0, int lx,
                        int c)
{
    const conv_args a = *ap;
    float acc[COLS];
#pragma unroll
    for (int j = 0; j < COLS; ++j) acc[j] = 0.0f;
    __local const float *col = ring + lx * COLS;
    /* Taps [0, wrap) from first_slot on, the rest from slot 0. */
    const int wrap = min(a.kh, a.ring_rows - first_slot);
    for (int t = 0; t < wrap; ++t) {
        const float k = col_taps[t];
        const float4 v = vload4(0, col + (first_slot + t) * TW);
        acc[0] = fma(k, v.s0, acc[0]);
        acc[1] = fma(k, v.s1, acc[1]);
        acc[2] = fma(k, v.s2, acc[2]);
        acc[3] = fma(k, v.s3, acc[3]);
    }
    for (int t = wrap; t < a.kh; ++t) {
        const float k = col_taps[t];
        const float4 v = vload4(0, col + (t - wrap) * TW);
        acc[0] = fma(k, v.s0, acc[0]);
        acc[1] = fma(k, v.s1, acc[1]);
        acc[2] = fma(k, v.s2, acc[2]);
        acc[3] = fma(k, v.s3, acc[3]);
    }
    const size_t base = (size_t)out_row * a.dst_pitch + (size_t)x0 * a.channels + c;
#pragma unroll
    for (int j = 0; j < COLS; ++j)
        if (x0 + j < a.out_w)
            store_output(dst, base + (size_t)j * a.channels, a.out_type, acc[j], a.scale,
                         a.offset, a.absolute);
}

__kernel __attribute__((reqd_work_group_size(LX, LY, 1))) void
tessel_conv_separable(__global const void *src, __global void *dst,
                      TAPS_SPACE const float *row_taps, TAPS_SPACE const float *col_taps,
                      const conv_args a, __local float *stage, __local float *ring)
{
    const int lx = get_local_id(0), ly = get_local_id(1), c = get_group_id(2);
    const int ox0 = get_group_id(0) * TW, r0 = get_group_id(1) * a.strip_rows;
    const int outputs = min(a.strip_rows, a.out_h - r0); /* rows of this strip */
    const int ix0 = ox0 * a.sx + a.ox, iy0 = r0 * a.sy + a.oy;
    const int in_cols = (TW - 1) * a.sx + a.kw;
    const int x0 = ox0 + lx * COLS;
    int computed = 0; /* rows of R made so far (strip-relative input rows) */
    for (int done = 0; done < outputs; done += LY) {
        const int step = min(LY, outputs - done);
        const int needed = (done + step - 1) * a.sy + a.kh; /* rows of R the step reads */
        while (computed < needed) {
            const int count = min(LY, needed - computed);
            stage_rows(src, &a, stage, c, iy0, ix0, in_cols, computed, count, lx, ly);
            if (ly < count) row_pass(&a, row_taps, stage, ring, (computed + ly) % a.ring_rows, lx, ly);
            computed += count;
        }
        barrier(CLK_LOCAL_MEM_FENCE); /* the ring's new rows are written */
        if (ly < step)
            column_pass(dst, &a, col_taps, ring, ((done + ly) * a.sy) % a.ring_rows,
                        r0 + done + ly, x0, lx, c);
    }
}
