/* What an OpenCL plan allocates on its device, computed from sizes alone,
 * and how much tessel may use there (see cl_tiles.h). The sums follow
 * cl_plan_prepare (cl_backend.c), cl_launch.c, cl_fft.c and cl_fft_block.c;
 * a change to what those allocate belongs here too. */
#include <stdint.h>
#include <stdlib.h>

#include "../core/tiles.h"
#include "../core/sizes.h"
#include "cl_tiles.h"

#ifdef TESSEL_HAVE_CLFFT
#include "cl_fft_block.h"
#include "cl_fft_block_geometry.h"
#include "cl_fft_geometry.h"
#endif

#define PADDED_TAP_ROWS 6 /* conv_vector.cl's zero rows around the taps (cl_launch.c) */

tessel_status tessel_cl_read_memory_limit(cl_state *cl)
{
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s =
        tessel_memory_limit_parse(getenv("TESSEL_DEVICE_MEMORY_LIMIT"), &cl->memory_limit, err,
                                  sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, NULL, s, "%s", err);
    return TESSEL_OK;
}

size_t tessel_cl_usable_memory(const cl_state *cl)
{
    /* Room for programs, clFFT's own buffers and the driver. */
    const cl_ulong usable = cl->caps.global_mem / 8 * 7;
    size_t bytes = usable < SIZE_MAX ? (size_t)usable : SIZE_MAX;
    if (cl->memory_limit && cl->memory_limit < bytes) bytes = cl->memory_limit;
    return bytes;
}

/* One allocation of a plan's workspace. */
static void add_buffer(tessel_plan_memory *m, size_t bytes)
{
    m->workspace_bytes = tessel_size_add_sat(m->workspace_bytes, bytes);
    if (bytes > m->largest_bytes) m->largest_bytes = bytes;
}

static void taps_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    const size_t kw = (size_t)plan->geo.kernel_width, kh = (size_t)plan->geo.kernel_height;
    if (plan->method == TESSEL_METHOD_SEPARABLE) {
        add_buffer(m, (1 + PADDED_TAP_ROWS) * kw * sizeof(float));
        add_buffer(m, (kh + PADDED_TAP_ROWS) * sizeof(float));
    } else {
        add_buffer(m, (kh + PADDED_TAP_ROWS) * kw * sizeof(float));
    }
}

/* The float rows between the two passes (prepare_separable). */
static void separable_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    const tessel_geometry *g = &plan->geo;
    const size_t rows = (size_t)(g->out_height - 1) * g->stride_y + g->kernel_height;
    const size_t row = (size_t)g->out_width * plan->channels * sizeof(float);
    add_buffer(m, tessel_size_mul_sat(rows, row));
}

#ifdef TESSEL_HAVE_CLFFT
/* Extended input, its spectra, the kernel's spectrum, and clFFT's temporary
 * (known only once baked: counted at a spectrum's size). */
static void fft_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    cl_fft_geometry g;
    tessel_cl_fft_geometry_make(plan, &g);
    add_buffer(m, g.real_bytes);
    add_buffer(m, g.spec_bytes);
    add_buffer(m, g.kernel_bytes);
    add_buffer(m, g.spec_bytes);
}

/* One group of block planes, their spectra, the kernel's spectrum, clFFT's
 * temporary; when the geometry fails, preparing fails with its message. */
static void fft_block_memory(const tessel_plan *plan, const cl_state *cl, tessel_plan_memory *m)
{
    const cl_fft_block_limits limits = tessel_cl_fft_block_limits(cl); /* what prepare uses */
    cl_fft_block_geometry g;
    if (tessel_cl_fft_block_geometry_make(NULL, &plan->geo, plan->channels, &limits, &g) !=
        TESSEL_OK)
        return;
    add_buffer(m, g.real_bytes);
    add_buffer(m, g.spec_bytes);
    add_buffer(m, g.kernel_bytes);
    add_buffer(m, g.spec_bytes);
}
#endif

tessel_status tessel_cl_plan_memory(const tessel_plan *plan, tessel_plan_memory *m)
{
    const cl_state *cl = plan->ctx->backend_state;
    *m = (tessel_plan_memory){0};
    if (plan->method == TESSEL_METHOD_SEPARABLE) separable_memory(plan, m);
#ifdef TESSEL_HAVE_CLFFT
    if (plan->method == TESSEL_METHOD_FFT) fft_memory(plan, m);
    if (plan->method == TESSEL_METHOD_FFT_BLOCK) fft_block_memory(plan, cl, m);
#endif
    if (plan->method == TESSEL_METHOD_DIRECT || plan->method == TESSEL_METHOD_SEPARABLE)
        taps_memory(plan, m);
    m->device_bytes = tessel_cl_usable_memory(cl);
    m->alloc_bytes = cl->caps.max_alloc < m->device_bytes ? (size_t)cl->caps.max_alloc
                                                          : m->device_bytes;
    m->limit_bytes = cl->memory_limit;
    return TESSEL_OK;
}
