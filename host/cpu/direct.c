/* Direct 2-D method: every output row is the sum over kh border-extended
 * input rows of kw taps each. Consecutive output rows are computed in blocks
 * so that each input row is read once per block (see correlate.h). */
#include "cpu_plan.h"
#include "ring.h"

/* Points s->rows[0..count) at input rows y0.. loaded into the ring. */
static void gather_input_rows(const tessel_cpu_job *job, tessel_cpu_scratch *s, long long y0,
                              int count)
{
    for (int u = 0; u < count; ++u) {
        int fresh;
        float *slot = ring_slot(job->cp, s, y0 + u, &fresh);
        if (fresh) tessel_cpu_load_row(job, y0 + u, slot);
        s->rows[u] = slot;
    }
}

void tessel_cpu_direct_band(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r0, int r1)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int kh = plan->geo.kernel_height, kw = plan->geo.kernel_width;
    const int block = cp->block_rows;
    int r = r0;
    for (; block > 1 && r + block <= r1; r += block) {
        gather_input_rows(job, s, first_input_row(plan, r), kh + block - 1);
        tessel_cpu_block_outputs(job, s, r);
        cp->kernels.block(s->rows, kh, cp->taps_padded, kw, plan->channels, s->outs,
                          cp->row_floats);
        tessel_cpu_store_rows(job, s, r, block);
    }
    for (; r < r1; ++r) {
        gather_input_rows(job, s, first_input_row(plan, r), kh);
        tessel_cpu_block_outputs(job, s, r);
        cp->kernels.row(s->rows, kh, plan->taps, kw, plan->channels, s->outs[0],
                        cp->row_floats);
        tessel_cpu_store_rows(job, s, r, 1);
    }
}
