/* Loading input rows as floats, extended left and right by the border rule,
 * so the inner loops never test for edges. */
#include "core/geometry.h"
#include "cpu_plan.h"

static void fill(float *dst, size_t n, float v)
{
    for (size_t k = 0; k < n; ++k) dst[k] = v;
}

void tessel_cpu_load_row(const tessel_cpu_job *job, long long y, float *ext)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int c = plan->channels;
    int yy = tessel_border_index(plan->border, y, plan->geo.in_height);
    if (yy < 0) {
        fill(ext, cp->ext_floats, plan->cval);
        return;
    }
    const tessel_image *src = job->src;
    const size_t sample = tessel_dtype_size(src->dtype);
    const tessel_load_fn load = cp->convert.load[src->dtype];
    const char *row = (const char *)src->data + (size_t)yy * tessel_image_row_bytes(src);
    /* Interior: one contiguous run of input pixels. */
    if (cp->interior_hi > cp->interior_lo) {
        int x0 = cp->column_map[cp->interior_lo];
        load(row + (size_t)x0 * c * sample, ext + (size_t)cp->interior_lo * c,
             (size_t)(cp->interior_hi - cp->interior_lo) * c);
    }
    /* Edges: pixel by pixel through the column map. */
    for (int j = 0; j < cp->ext_width; ++j) {
        if (j == cp->interior_lo && cp->interior_hi > cp->interior_lo) j = cp->interior_hi;
        if (j >= cp->ext_width) break;
        int x = cp->column_map[j];
        float *d = ext + (size_t)j * c;
        if (x < 0)
            fill(d, (size_t)c, plan->cval);
        else
            load(row + (size_t)x * c * sample, d, (size_t)c);
    }
}
