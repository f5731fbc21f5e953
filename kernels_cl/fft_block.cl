/* Overlap-save block convolution (method fft-block): the gather before the
 * batched transforms and the scatter after them. Blocks tile the dense
 * correlation D of the extended input E (cl_fft_block_geometry.h): block
 * (bx, by) reads the block_h x block_w window of E starting at
 * (by * step_h, bx * step_w) and gives the dense outputs of the step_h x
 * step_w region at that same corner. A plane of the batch is one channel of
 * one block: global plane P is block P / channels, channel P % channels,
 * blocks numbered row by row; a group runs planes first_plane onward.
 * Quotients and remainders are taken as
 * q = a / b, r = a - q*b: the pair a / b, a % b makes LLVM emit a freeze
 * instruction that Oclgrind's uninitialised-value check cannot run.
 *
 * Each work-item does ROWS rows of one column: fewer work-groups, whose
 * start-up dominates short work-items on CPU devices. The sample types are
 * arguments (common.cl). */

#define ROWS 8 /* rows per work-item (cl_fft_block_kernels.c launches them so) */

/* Mirrors cl_fft_block_args in cl_fft_block_kernels.h (all 4-byte fields). */
typedef struct fft_block_args {
    int in_w, in_h, pitch, channels; /* pitch: src (gather) or dst (scatter), in samples */
    int ox, oy, border;
    int block_w, block_h, step_w, step_h, blocks_x;
    int first_plane, planes; /* this group's first plane; planes of all groups */
    int out_w, out_h, sx, sy, absolute;
    int in_type, out_type;
    float cval, scale, offset;
} fft_block_args;

/* Column x, rows y0 .. y0 + ROWS - 1 of plane p of the group; planes past
 * the last are written as zeros (the padding of the batch). */
__kernel void tessel_fft_block_gather(__global const void *src, __global float *planes,
                                      const fft_block_args a)
{
    const int x = get_global_id(0), y0 = get_global_id(1) * ROWS, p = get_global_id(2);
    if (x >= a.block_w || y0 >= a.block_h) return;
    const int rows = min(ROWS, a.block_h - y0);
    const size_t row = a.block_w;
    __global float *e = planes + ((size_t)p * a.block_h + y0) * a.block_w + x;
    const int plane = a.first_plane + p;
    if (plane >= a.planes) {
        for (int r = 0; r < rows; ++r) e[r * row] = 0.0f;
        return;
    }
    const int block = plane / a.channels, c = plane - block * a.channels;
    const int by = block / a.blocks_x, bx = block - by * a.blocks_x;
    const long ey = (long)by * a.step_h + y0;
    const long ex = (long)bx * a.step_w + x;
    const int xx = border_index(a.border, (int)(ex + a.ox), a.in_w);
    for (int r = 0; r < rows; ++r) {
        const int yy = border_index(a.border, (int)(ey + r + a.oy), a.in_h);
        e[r * row] =
            yy < 0 || xx < 0
                ? a.cval
                : load_sample(src, (size_t)yy * a.pitch + (size_t)xx * a.channels + c, a.in_type);
    }
}

/* First multiple of s at or after v (v >= 0), over s: the first output
 * whose dense position lies in a block starting at v. */
inline int first_output(long v, int s)
{
    return (int)((v + s - 1) / s);
}

/* Output column i and rows j0 .. j0 + ROWS - 1 of those a block holds, for
 * plane p of the group: output (r, c) of channel ch is the dense result at
 * (r * sy, c * sx), found in the block that covers it. */
__kernel void tessel_fft_block_scatter(__global const float *planes, __global void *dst,
                                       const fft_block_args a)
{
    const int i = get_global_id(0), j0 = get_global_id(1) * ROWS, p = get_global_id(2);
    const int plane = a.first_plane + p;
    if (plane >= a.planes) return;
    const int block = plane / a.channels, ch = plane - block * a.channels;
    const int by = block / a.blocks_x, bx = block - by * a.blocks_x;
    const long x0 = (long)bx * a.step_w;
    const long y0 = (long)by * a.step_h;
    const int c = first_output(x0, a.sx) + i;
    const long lx = (long)c * a.sx - x0;
    if (c >= a.out_w || lx >= a.step_w) return; /* past the output, or the next block's */
    const size_t row = a.block_w;
    __global const float *v = planes + (size_t)p * a.block_w * a.block_h + (size_t)lx;
    const int r0 = first_output(y0, a.sy) + j0;
    for (int r = r0; r < r0 + ROWS && r < a.out_h; ++r) {
        const long ly = (long)r * a.sy - y0;
        if (ly >= a.step_h) break;
        store_output(dst, (size_t)r * a.pitch + (size_t)c * a.channels + ch, a.out_type,
                     v[(size_t)ly * row], a.scale, a.offset, a.absolute);
    }
}
