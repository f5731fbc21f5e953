/* Element-wise combination of two buffers (tessel_buffer_combine):
 *   dst = op(a, b) in float, then converted like every tessel output.
 * One work-item per sample; rows may have different pitches (in samples);
 * the three sample types are arguments (common.cl). */

__kernel void tessel_combine(__global const void *a, int a_pitch, int a_type,
                             __global const void *b, int b_pitch, int b_type, __global void *dst,
                             int dst_pitch, int dst_type, int row_samples, int rows, int op)
{
    const int e = get_global_id(0), y = get_global_id(1);
    if (e >= row_samples || y >= rows) return;
    const float x = load_sample(a, (size_t)y * a_pitch + e, a_type);
    const float z = load_sample(b, (size_t)y * b_pitch + e, b_type);
    float v;
    switch (op) {
    case 0: v = x + z; break;
    case 1: v = x - z; break;
    case 2: v = x * z; break;
    case 3: v = sqrt(x * x + z * z); break;
    default: v = z != 0.0f ? x / z : 0.0f; break; /* 4: divide, 0 where b == 0 */
    }
    store_sample(dst, (size_t)y * dst_pitch + e, dst_type, v);
}
