/* Writing dense float rows to the output: column stride, scale, offset,
 * absolute value, then rounding to nearest and saturation for integers. */
#include <math.h>
#include <stdint.h>

#include "cpu_plan.h"

static void *output_row(const cpu_job *job, int r)
{
    return (char *)job->dst->data + (size_t)r * tessel_image_row_bytes(job->dst);
}

float *cpu_direct_output(const cpu_job *job, int r)
{
    const tessel_plan *p = job->plan;
    if (p->out_dtype != TESSEL_F32 || p->geo.stride_x != 1 || p->scale != 1.0f ||
        p->offset != 0.0f || p->absolute)
        return NULL;
    return output_row(job, r);
}

/* Saturating round-to-nearest (NaN becomes 0). */
static inline float clampf(float v, float hi)
{
    v = v > 0.0f ? v : 0.0f; /* also maps NaN to 0 */
    return v < hi ? v : hi;
}

void cpu_store_row(const cpu_job *job, const float *acc, int r)
{
    const tessel_plan *p = job->plan;
    const int c = p->channels;
    const int width = p->geo.out_width;
    const size_t step = (size_t)p->geo.stride_x * c;
    const float scale = p->scale, offset = p->offset;
    const int absolute = p->absolute;
    void *row = output_row(job, r);
    size_t k = 0;
    for (int x = 0; x < width; ++x) {
        const float *a = acc + (size_t)x * step;
        for (int ch = 0; ch < c; ++ch, ++k) {
            float v = a[ch] * scale + offset;
            if (absolute) v = fabsf(v);
            switch (p->out_dtype) {
            case TESSEL_F32: ((float *)row)[k] = v; break;
            case TESSEL_U8: ((uint8_t *)row)[k] = (uint8_t)(clampf(v, 255.0f) + 0.5f); break;
            case TESSEL_U16: ((uint16_t *)row)[k] = (uint16_t)(clampf(v, 65535.0f) + 0.5f); break;
            }
        }
    }
}
