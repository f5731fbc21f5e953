/* Separable method for rank-1 kernels: each input row is filtered once by
 * the row taps into a ring of kh rows, then the column taps combine kh ring
 * rows into an output row. No image-sized float temporary is needed. */
#include "cpu_plan.h"
#include "ring.h"

void cpu_separable_band(const cpu_job *job, cpu_scratch *s, int r0, int r1)
{
    const tessel_plan *plan = job->plan;
    const cpu_plan *cp = job->cp;
    const int kh = plan->geo.kernel_height, kw = plan->geo.kernel_width;
    for (int r = r0; r < r1; ++r) {
        long long y0 = first_input_row(plan, r);
        for (int t = 0; t < kh; ++t) {
            int fresh;
            float *slot = ring_slot(cp, s, kh, y0 + t, &fresh);
            if (fresh) {
                const float *ext = s->ext;
                cpu_load_row(job, y0 + t, s->ext);
                cp->correlate(&ext, 1, plan->row_taps, kw, plan->channels, slot,
                              cp->row_floats);
            }
            s->rows[t] = slot;
        }
        float *out = cpu_direct_output(job, r);
        cp->correlate(s->rows, kh, plan->column_taps, 1, 0, out ? out : s->acc, cp->row_floats);
        if (!out) cpu_store_row(job, s->acc, r);
    }
}
