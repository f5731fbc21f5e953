/* Writing dense float rows to the output: column stride, scale, offset,
 * absolute value, then rounding to nearest and saturation for integers. */
#include <math.h>
#include <stdint.h>

#include "cpu_plan.h"

static void *output_row(const cpu_job *job, int r)
{
    return (char *)job->dst->data + (size_t)r * tessel_image_row_bytes(job->dst);
}

static int needs_conversion(const tessel_plan *p)
{
    return p->out_dtype != TESSEL_F32 || p->geo.stride_x != 1 || p->scale != 1.0f ||
           p->offset != 0.0f || p->absolute;
}

void cpu_block_outputs(const cpu_job *job, cpu_scratch *s, int r)
{
    const int direct = !needs_conversion(job->plan);
    int rows = job->cp->block_rows;
    if (r + rows > job->plan->geo.out_height) rows = job->plan->geo.out_height - r;
    for (int q = 0; q < rows; ++q)
        s->outs[q] = direct ? (float *)output_row(job, r + q) : s->acc + q * job->cp->row_floats;
}

/* Scale, offset and |.|, applied to `count` samples picked every `step`
 * floats in groups of `channels` (the column stride), into packed floats. */
static void transform(const tessel_plan *p, const float *acc, float *out, int width)
{
    const int c = p->channels;
    const size_t step = (size_t)p->geo.stride_x * c;
    const float scale = p->scale, offset = p->offset;
    size_t k = 0;
    for (int x = 0; x < width; ++x)
        for (int ch = 0; ch < c; ++ch, ++k) {
            float v = acc[(size_t)x * step + ch] * scale + offset;
            out[k] = p->absolute ? fabsf(v) : v;
        }
}

/* Round to nearest and saturate to [0, hi]; NaN becomes 0. */
static inline float saturate(float v, float hi)
{
    v = v > 0.0f ? v : 0.0f;
    v = v < hi ? v : hi;
    return v + 0.5f;
}

static void to_u8(const float *v, uint8_t *out, size_t n)
{
    for (size_t k = 0; k < n; ++k) out[k] = (uint8_t)saturate(v[k], 255.0f);
}

static void to_u16(const float *v, uint16_t *out, size_t n)
{
    for (size_t k = 0; k < n; ++k) out[k] = (uint16_t)saturate(v[k], 65535.0f);
}

void cpu_store_rows(const cpu_job *job, const cpu_scratch *s, int r, int count)
{
    const tessel_plan *p = job->plan;
    if (!needs_conversion(p)) return; /* accumulated in place */
    const int width = p->geo.out_width;
    const size_t n = (size_t)width * p->channels;
    for (int q = 0; q < count && r + q < p->geo.out_height; ++q) {
        float *acc = s->outs[q];
        /* The transformed row is never longer than the dense one, so it can
         * be written over the start of acc (reads run ahead of writes). */
        transform(p, acc, acc, width);
        void *row = output_row(job, r + q);
        switch (p->out_dtype) {
        case TESSEL_F32:
            for (size_t k = 0; k < n; ++k) ((float *)row)[k] = acc[k];
            break;
        case TESSEL_U8: to_u8(acc, row, n); break;
        case TESSEL_U16: to_u16(acc, row, n); break;
        }
    }
}
