/* Separable method for rank-1 kernels: each input row is filtered once by
 * the row taps into a ring of rows, then the column taps combine ring rows
 * into output rows (in blocks, see correlate.h). No image-sized float
 * temporary is needed. */
#include "cpu_plan.h"
#include "ring.h"

void tessel_cpu_separable_row_pass(const tessel_cpu_job *job, tessel_cpu_scratch *s, long long y,
                                   float *slot)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const float *ext = s->ext;
    tessel_cpu_load_row(job, y, s->ext);
    cp->kernels.row(&ext, 1, plan->row_taps, plan->geo.kernel_width, plan->channels, slot,
                    cp->row_floats);
}

/* Points s->rows[0..count) at row-filtered input rows y0.. in the ring
 * (the row pass: the row taps, or running sums along the row). */
static void gather_filtered_rows(const tessel_cpu_job *job, tessel_cpu_scratch *s, long long y0,
                                 int count)
{
    const tessel_cpu_plan *cp = job->cp;
    for (int u = 0; u < count; ++u) {
        int fresh;
        float *slot = ring_slot(cp, s, y0 + u, &fresh);
        if (fresh) cp->row_pass(job, s, y0 + u, slot);
        s->rows[u] = slot;
    }
}

void tessel_cpu_separable_band(const tessel_cpu_job *job, tessel_cpu_scratch *s, int r0, int r1)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int kh = plan->geo.kernel_height;
    const int block = cp->block_rows;
    int r = r0;
    for (; block > 1 && r + block <= r1; r += block) {
        gather_filtered_rows(job, s, first_input_row(plan, r), kh + block - 1);
        tessel_cpu_block_outputs(job, s, r);
        cp->kernels.block(s->rows, kh, cp->taps_padded, 1, 0, s->outs, cp->row_floats);
        tessel_cpu_store_rows(job, s, r, block);
    }
    for (; r < r1; ++r) {
        gather_filtered_rows(job, s, first_input_row(plan, r), kh);
        tessel_cpu_block_outputs(job, s, r);
        cp->kernels.row(s->rows, kh, plan->column_taps, 1, 0, s->outs[0], cp->row_floats);
        tessel_cpu_store_rows(job, s, r, 1);
    }
}
