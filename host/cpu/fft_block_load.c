/* Loading a block's window of the border-extended input: a span of one
 * row, through the plan's column map (as tessel_cpu_load_row does for whole rows),
 * so a block reads only its own columns. */
#include <string.h>

#include "core/geometry.h"
#include "fft_block_state.h"

static void fill(float *dst, size_t n, float v)
{
    for (size_t k = 0; k < n; ++k) dst[k] = v;
}

/* Columns i of the span that lie inside E: [0, count). */
static int columns_inside(const tessel_cpu_fft_block *fb, long long j0, int n, int step)
{
    if (j0 >= fb->x.extent) return 0;
    long long inside = (fb->x.extent - 1 - j0) / step + 1;
    return inside < n ? (int)inside : n;
}

/* One extended column j of an input row: c samples, or cval. */
static void load_column(const tessel_cpu_job *job, const char *row, long long j, float *dst)
{
    const tessel_plan *plan = job->plan;
    const int c = plan->channels;
    int x = job->cp->column_map[j];
    if (x < 0)
        fill(dst, (size_t)c, plan->cval);
    else
        job->cp->convert.load[plan->in_dtype](
            row + (size_t)x * c * tessel_dtype_size(plan->in_dtype), dst, (size_t)c);
}

/* A run of consecutive columns: the part inside the image in one call,
 * the edges column by column. */
static void load_run(const tessel_cpu_job *job, const char *row, long long j0, int n, float *dst)
{
    const tessel_cpu_plan *cp = job->cp;
    const tessel_plan *plan = job->plan;
    const size_t c = (size_t)plan->channels;
    long long lo = j0 > cp->interior_lo ? j0 : cp->interior_lo;
    long long hi = j0 + n < cp->interior_hi ? j0 + n : cp->interior_hi;
    if (lo < hi) {
        int x0 = cp->column_map[lo];
        cp->convert.load[plan->in_dtype](
            row + (size_t)x0 * c * tessel_dtype_size(plan->in_dtype), dst + (size_t)(lo - j0) * c,
            (size_t)(hi - lo) * c);
    }
    for (long long j = j0; j < j0 + n; ++j) {
        if (j == lo && lo < hi) j = hi;
        if (j >= j0 + n) break;
        load_column(job, row, j, dst + (size_t)(j - j0) * c);
    }
}

void tessel_cpu_fft_block_load_span(const tessel_cpu_job *job, long long e, long long j0, int n,
                                    int step, float *dst)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_fft_block *fb = job->cp->fft_block;
    const size_t c = (size_t)plan->channels;
    const int inside = e < fb->y.extent ? columns_inside(fb, j0, n, step) : 0;
    memset(dst + (size_t)inside * c, 0, (size_t)(n - inside) * c * sizeof(float));
    if (inside == 0) return;
    int yy = tessel_border_index(plan->border, e + plan->geo.origin_y, plan->geo.in_height);
    if (yy < 0) {
        fill(dst, (size_t)inside * c, plan->cval);
        return;
    }
    const char *row = (const char *)job->src->data + (size_t)yy * tessel_image_row_bytes(job->src);
    if (step == 1) {
        load_run(job, row, j0, inside, dst);
        return;
    }
    for (int i = 0; i < inside; ++i) load_column(job, row, j0 + (long long)i * step, dst + i * c);
}
