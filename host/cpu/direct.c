/* Direct 2-D method: every output row is the sum over kh border-extended
 * input rows of kw taps each, done by the shared row correlation. */
#include "cpu_plan.h"
#include "ring.h"

void cpu_direct_band(const cpu_job *job, cpu_scratch *s, int r0, int r1)
{
    const tessel_plan *plan = job->plan;
    const cpu_plan *cp = job->cp;
    const int kh = plan->geo.kernel_height, kw = plan->geo.kernel_width;
    for (int r = r0; r < r1; ++r) {
        long long y0 = first_input_row(plan, r);
        for (int t = 0; t < kh; ++t) {
            int fresh;
            float *slot = ring_slot(cp, s, kh, y0 + t, &fresh);
            if (fresh) cpu_load_row(job, y0 + t, slot);
            s->rows[t] = slot;
        }
        float *out = cpu_direct_output(job, r);
        cp->correlate(s->rows, kh, plan->taps, kw, plan->channels, out ? out : s->acc,
                      cp->row_floats);
        if (!out) cpu_store_row(job, s->acc, r);
    }
}
