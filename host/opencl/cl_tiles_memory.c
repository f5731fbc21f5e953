/* What an OpenCL plan allocates on its device, computed from the layouts
 * its preparation uses (cl_passes.h, cl_launch.h; the frequency domain's in
 * cl_fft_estimates.c), and how much tessel may use there (see cl_tiles.h). */
#include <stdint.h>
#include <stdlib.h>

#include "cl_estimates.h"
#include "cl_passes.h"
#include "cl_running.h"
#include "cl_tiles.h"
#include "core/memory_limit.h"
#include "core/sizes.h"

tessel_status tessel_cl_read_memory_limit(tessel_cl_state *cl)
{
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s =
        tessel_memory_limit_parse(getenv("TESSEL_DEVICE_MEMORY_LIMIT"), &cl->memory_limit, err,
                                  sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, NULL, s, "%s", err);
    return TESSEL_OK;
}

size_t tessel_cl_usable_memory(const tessel_cl_state *cl)
{
    /* Room for programs, clFFT's own buffers and the driver. */
    const cl_ulong usable = cl->caps.global_mem / 8 * 7;
    size_t bytes = usable < SIZE_MAX ? (size_t)usable : SIZE_MAX;
    if (cl->memory_limit && cl->memory_limit < bytes) bytes = cl->memory_limit;
    return bytes;
}

void tessel_cl_memory_add(tessel_plan_memory *m, size_t bytes)
{
    m->workspace_bytes = tessel_size_add_sat(m->workspace_bytes, bytes);
    if (bytes > m->largest_bytes) m->largest_bytes = bytes;
}

/* The taps each launch uploads, and the temporary of separable in two
 * passes. */
static void passes_memory(const tessel_plan *plan, const tessel_cl_state *cl, tessel_plan_memory *m)
{
    tessel_cl_passes p;
    tessel_cl_passes_of(cl, plan, &p);
    if (p.count == 2)
        tessel_cl_memory_add(m, tessel_size_mul_sat((size_t)p.temp_rows,
                                                    (size_t)p.temp_pitch * sizeof(float)));
    for (int i = 0; i < p.count; ++i) {
        const tessel_cl_pass_spec *s = &p.spec[i];
        const size_t taps = s->column_taps ? (size_t)s->kw + s->kh : (size_t)s->kw * s->kh;
        tessel_cl_memory_add(m, taps * sizeof(float));
    }
}

/* The running sums' temporary and taps (cl_running.h). */
static void running_memory(const tessel_plan *plan, const tessel_cl_state *cl,
                           tessel_plan_memory *m)
{
    tessel_cl_running_layout l;
    tessel_cl_running_layout_of(plan, &cl->caps, &l);
    tessel_cl_memory_add(m, l.temp_bytes);
    tessel_cl_memory_add(m, l.taps * sizeof(float));
}

tessel_status tessel_cl_plan_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    const tessel_cl_state *cl = plan->ctx->backend_state;
    *m = (tessel_plan_memory){0};
    if (plan->method == TESSEL_METHOD_FFT) tessel_cl_fft_memory(plan, m);
    else if (plan->method == TESSEL_METHOD_FFT_BLOCK) tessel_cl_fft_block_memory(plan, m);
    else if (plan->method == TESSEL_METHOD_RUNNING) running_memory(plan, cl, m);
    else passes_memory(plan, cl, m);
    m->device_bytes = tessel_cl_usable_memory(cl);
    m->alloc_bytes = cl->caps.max_alloc < m->device_bytes ? (size_t)cl->caps.max_alloc
                                                          : m->device_bytes;
    m->limit_bytes = cl->memory_limit;
    return TESSEL_OK;
}
