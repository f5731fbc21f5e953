/* Element-wise combination of two buffers (tessel_buffer_combine):
 *   dst = op(a, b) in float, then converted like every tessel output.
 * Build options: A_T B_T (input types), OUT_T OUT_KIND (output). One
 * work-item per sample; rows may have different pitches (in samples). */

__kernel void tessel_combine(__global const A_T *a, int a_pitch, __global const B_T *b,
                             int b_pitch, __global OUT_T *dst, int dst_pitch, int row_samples,
                             int rows, int op)
{
    const int e = get_global_id(0), y = get_global_id(1);
    if (e >= row_samples || y >= rows) return;
    const float x = (float)a[(size_t)y * a_pitch + e];
    const float z = (float)b[(size_t)y * b_pitch + e];
    float v;
    switch (op) {
    case 0: v = x + z; break;
    case 1: v = x - z; break;
    case 2: v = x * z; break;
    case 3: v = sqrt(x * x + z * z); break;
    default: v = z != 0.0f ? x / z : 0.0f; break; /* 4: divide, 0 where b == 0 */
    }
    dst[(size_t)y * dst_pitch + e] = convert_output(v, 1.0f, 0.0f, 0);
}
