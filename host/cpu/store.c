/* Writing dense float rows to the output: column stride, then scale, offset,
 * absolute value and conversion (round to nearest, saturate) in one pass. */
#include "cpu_plan.h"

static void *output_row(const tessel_cpu_job *job, int r)
{
    return (char *)job->dst->data + (size_t)r * tessel_image_row_bytes(job->dst);
}

static int needs_conversion(const tessel_plan *p)
{
    return p->out_dtype != TESSEL_F32 || p->geo.stride_x != 1 || p->scale != 1.0f ||
           p->offset != 0.0f || p->absolute;
}

void tessel_cpu_block_outputs(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r)
{
    const int direct = !needs_conversion(job->plan);
    int rows = job->cp->block_rows;
    if (r + rows > job->plan->geo.out_height) rows = job->plan->geo.out_height - r;
    for (int q = 0; q < rows; ++q)
        s->outs[q] = direct ? (float *)output_row(job, r + q) : s->acc + q * job->cp->row_floats;
}

/* Keeps every stride_x-th pixel of a dense row, packed at its start (reads
 * never fall behind writes, so it works in place). */
static void pick_columns(const tessel_plan *p, float *acc)
{
    const int c = p->channels;
    const size_t step = (size_t)p->geo.stride_x * c;
    for (int x = 0; x < p->geo.out_width; ++x)
        for (int ch = 0; ch < c; ++ch) acc[(size_t)x * c + ch] = acc[(size_t)x * step + ch];
}

void tessel_cpu_store_rows(const tessel_cpu_job *job, const tessel_cpu_scratch *s, int r, int count)
{
    const tessel_plan *p = job->plan;
    if (!needs_conversion(p)) return; /* accumulated in place */
    const tessel_cpu_plan *cp = job->cp;
    const size_t n = (size_t)p->geo.out_width * p->channels;
    const tessel_store_fn store = cp->convert.store[p->out_dtype];
    for (int q = 0; q < count && r + q < p->geo.out_height; ++q) {
        if (p->geo.stride_x != 1) pick_columns(p, s->outs[q]);
        store(s->outs[q], output_row(job, r + q), n, &cp->store);
    }
}
