/* The estimates of methods fft and fft-block on OpenCL (cl_estimates.h),
 * from the geometry functions their preparation uses (cl_fft_geometry.h,
 * cl_fft_block_geometry.h with the device's limits). */
#include <stdint.h>
#include <stdio.h>

#include "cl_estimates.h"
#include "cl_fft_block.h"
#include "cl_fft_geometry.h"

/* One batched transform of every channel at the lengths cl_fft_geometry.c
 * pads to. */
void tessel_cl_fft_cost(const tessel_plan *plan, tessel_cost_work *w)
{
    tessel_cl_fft_geometry g;
    tessel_cl_fft_geometry_make(plan, &g);
    if (g.real_bytes == SIZE_MAX) return;
    const double points = (double)g.pad_w * (double)g.pad_h, planes = g.planes;
    const double log_work = points * (tessel_cost_fft_stages((long long)g.pad_w) +
                                      tessel_cost_fft_stages((long long)g.pad_h));
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = planes * points;
    w->term[2] = planes * log_work;
    w->term[3] = planes * log_work * tessel_cost_spill(points);
}

/* The blocks and groups for the device's limits, or 0 when the device
 * cannot hold the shape (the message the geometry records on this thread
 * is no failure of the caller's, and is put back). */
static int block_geometry(const tessel_plan *plan, tessel_cl_fft_block_geometry *g)
{
    const tessel_cl_state *cl = plan->ctx->backend_state;
    const tessel_cl_fft_block_limits limits =
        tessel_cl_fft_block_limits_of(cl); /* what prepare uses */
    char kept[TESSEL_MESSAGE_SIZE];
    snprintf(kept, sizeof kept, "%s", tessel_last_error());
    if (tessel_cl_fft_block_geometry_make(NULL, &plan->geo, plan->channels, &limits, g) ==
        TESSEL_OK)
        return 1;
    tessel_fail(NULL, TESSEL_OK, "%s", kept);
    return 0;
}

/* The last group is padded with zero planes, which are transformed too. */
void tessel_cl_fft_block_cost(const tessel_plan *plan, tessel_cost_work *w)
{
    tessel_cl_fft_block_geometry g;
    if (!block_geometry(plan, &g)) return;
    const double planes = (double)g.groups * g.batch;
    const double points = (double)g.block_w * g.block_h;
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = g.groups;
    w->term[2] = planes * points;
    w->term[3] = planes * points *
                 (tessel_cost_fft_stages(g.block_w) + tessel_cost_fft_stages(g.block_h));
}

/* Extended input, its spectra and their transpose, the kernel's
 * spectrum, and clFFT's temporary (known only once baked: counted at a
 * spectrum's size). */
void tessel_cl_fft_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    tessel_cl_fft_geometry g;
    tessel_cl_fft_geometry_make(plan, &g);
    tessel_cl_memory_add(m, g.real_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
    tessel_cl_memory_add(m, g.kernel_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
}

/* One group of block planes, their two spectra, the kernel's spectrum,
 * clFFT's temporary; when the geometry fails, preparing fails with its
 * message. */
void tessel_cl_fft_block_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    tessel_cl_fft_block_geometry g;
    if (!block_geometry(plan, &g)) return;
    tessel_cl_memory_add(m, g.real_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
    tessel_cl_memory_add(m, g.kernel_bytes);
    tessel_cl_memory_add(m, g.spec_bytes);
}
