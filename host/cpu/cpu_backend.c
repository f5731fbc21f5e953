/* The native CPU backend: worker pool, plan preparation (column maps,
 * per-worker scratch) and the parallel loop over bands of output rows;
 * methods fft and fft-block hand over to fft.h and fft_block.h after the
 * column map. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/backend.h"
#include "core/context.h"
#include "core/geometry.h"
#include "core/kernel.h"
#include "cpu_internal.h"
#include "cpu_plan.h"
#include "fft.h"
#include "fft_block.h"
#include "fftw_wisdom.h"
#include "integer.h"
#include "rows_layout.h"
#include "running.h"

typedef struct tessel_cpu_context {
    tessel_pool *pool;
    tessel_correlate_kernels kernels;
    tessel_converters convert;
} tessel_cpu_context;

static int available_cores(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static tessel_status tessel_cpu_context_init(tessel_context *ctx, const tessel_context_options *o)
{
    tessel_cpu_context *cc = calloc(1, sizeof *cc);
    RETURN_ERROR_IF(!cc, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for the CPU backend");
    int threads = o->threads > 0 ? o->threads : available_cores();
    cc->pool = tessel_pool_create(threads);
    if (!cc->pool) {
        free(cc);
        return tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY, "could not start %d worker threads",
                           threads);
    }
    tessel_correlate_select(&cc->kernels);
    tessel_converters_select(cc->kernels.isa, &cc->convert);
    const char *isa = cc->kernels.isa;
    ctx->backend_state = cc;
    ctx->threads = threads;
    snprintf(ctx->device_name, sizeof ctx->device_name, "cpu (%d thread%s, %s)", threads,
             threads == 1 ? "" : "s", isa);
    return TESSEL_OK;
}

static void tessel_cpu_context_release(tessel_context *ctx)
{
    tessel_cpu_context *cc = ctx->backend_state;
    if (!cc) return;
    tessel_pool_destroy(cc->pool);
    free(cc);
    ctx->backend_state = NULL;
}

static void scratch_free(tessel_cpu_scratch *s)
{
    free(s->ring);
    free(s->ring_tag);
    free(s->rows);
    free(s->ext);
    free(s->acc);
    free(s->outs);
}

static void tessel_cpu_plan_release(tessel_plan *plan)
{
    tessel_cpu_plan *cp = plan->backend_state;
    if (!cp) return;
    if (cp->scratch)
        for (int w = 0; w < cp->workers; ++w) scratch_free(&cp->scratch[w]);
    free(cp->scratch);
    tessel_cpu_fft_release(cp->fft);
    tessel_cpu_fft_block_release(cp->fft_block);
    tessel_cpu_running_release(cp->running);
    tessel_cpu_integer_release(cp->integer);
    free(cp->column_map);
    free(cp->taps_padded);
    free(cp);
    plan->backend_state = NULL;
}

static int scratch_alloc(tessel_cpu_scratch *s, const tessel_cpu_plan *cp, int separable)
{
    size_t ring = (size_t)cp->ring_rows, block = (size_t)cp->block_rows;
    s->ring = malloc(ring * cp->ring_floats * sizeof(float));
    s->ring_tag = malloc(ring * sizeof *s->ring_tag);
    s->rows = malloc(ring * sizeof *s->rows);
    s->acc = malloc(block * cp->row_floats * sizeof(float));
    s->outs = malloc(block * sizeof *s->outs);
    s->ext = separable ? malloc(cp->ext_floats * sizeof(float)) : NULL;
    return s->ring && s->ring_tag && s->rows && s->acc && s->outs && (!separable || s->ext);
}

/* The vertical taps padded for blocks of output rows (rows_layout.h). */
static int prepare_blocking(const tessel_plan *plan, tessel_cpu_plan *cp, int separable)
{
    const tessel_geometry *g = &plan->geo;
    cp->ring_rows = g->kernel_height + cp->block_rows - 1;
    if (cp->block_rows == 1) return 1;
    if (separable)
        cp->taps_padded = tessel_pad_taps(plan->column_taps, g->kernel_height, 1, cp->block_rows);
    else
        cp->taps_padded =
            tessel_pad_taps(plan->taps, g->kernel_height, g->kernel_width, cp->block_rows);
    return cp->taps_padded != NULL;
}

/* Which input column each extended column reads, and the 1:1 interior run. */
static int build_column_map(const tessel_plan *plan, tessel_cpu_plan *cp)
{
    const tessel_geometry *g = &plan->geo;
    cp->ext_width = g->dense_width + g->kernel_width - 1;
    cp->column_map = malloc((size_t)cp->ext_width * sizeof(int));
    if (!cp->column_map) return 0;
    for (int j = 0; j < cp->ext_width; ++j)
        cp->column_map[j] =
            tessel_border_index(plan->border, (long long)j + g->origin_x, g->in_width);
    long long lo = -(long long)g->origin_x, hi = (long long)g->in_width - g->origin_x;
    cp->interior_lo = (int)(lo < 0 ? 0 : lo > cp->ext_width ? cp->ext_width : lo);
    cp->interior_hi = (int)(hi < cp->interior_lo ? cp->interior_lo
                            : hi > cp->ext_width ? cp->ext_width : hi);
    return 1;
}

static tessel_status tessel_cpu_plan_prepare(tessel_plan *plan)
{
    tessel_context *ctx = plan->ctx;
    tessel_cpu_context *cc = ctx->backend_state;
    const tessel_geometry *g = &plan->geo;
    tessel_cpu_plan *cp = calloc(1, sizeof *cp);
    RETURN_ERROR_IF(!cp, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    plan->backend_state = cp;
    cp->kernels = cc->kernels;
    cp->convert = cc->convert;
    cp->store = (tessel_store_params){plan->scale, plan->offset, plan->absolute};
    const int c = plan->channels;
    const int threads = tessel_pool_threads(cc->pool);
    RETURN_ERROR_IF(!build_column_map(plan, cp), ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a CPU plan");
    cp->ext_floats = (size_t)cp->ext_width * c;
    cp->row_floats = (size_t)g->dense_width * c;
    cp->workers = threads;
    cp->row_pass = tessel_cpu_separable_row_pass;
    /* The frequency domain loads rows the same way, and needs nothing else here. */
    if (plan->method == TESSEL_METHOD_FFT) return tessel_cpu_fft_prepare(plan, cp, threads);
    if (plan->method == TESSEL_METHOD_FFT_BLOCK)
        return tessel_cpu_fft_block_prepare(plan, cp, threads);
    if (plan->method == TESSEL_METHOD_RUNNING) {
        FORWARD_IF_ERROR(tessel_cpu_running_prepare(plan, cp, threads));
        if (tessel_cpu_running_own_loop(cp)) return TESSEL_OK;
    }
    if (plan->integer.active) return tessel_cpu_integer_prepare(plan, cp, threads);
    /* Running sums along rows only go through the separable loop. */
    const int separable = plan->method != TESSEL_METHOD_DIRECT;
    tessel_cpu_rows_layout layout;
    tessel_cpu_rows_layout_of(g, threads, &cp->kernels, &layout);
    cp->block_rows = layout.block_rows;
    cp->band_rows = layout.band_rows;
    cp->bands = layout.bands;
    RETURN_ERROR_IF(!prepare_blocking(plan, cp, separable), ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a CPU plan");
    cp->ring_floats = separable ? cp->row_floats : cp->ext_floats;
    cp->scratch = calloc((size_t)threads, sizeof *cp->scratch);
    RETURN_ERROR_IF(!cp->scratch, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    for (int w = 0; w < threads; ++w)
        RETURN_ERROR_IF(!scratch_alloc(&cp->scratch[w], cp, separable), ctx,
                        TESSEL_ERR_OUT_OF_MEMORY,
                        "out of memory for row buffers (%d rows of %zu floats per thread)",
                        cp->ring_rows, cp->ring_floats);
    return TESSEL_OK;
}

static void run_band(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    tessel_cpu_plan *cp = job->cp;
    tessel_cpu_scratch *s = &cp->scratch[worker];
    int r0 = task * cp->band_rows;
    int r1 = r0 + cp->band_rows;
    if (r1 > job->plan->geo.out_height) r1 = job->plan->geo.out_height;
    for (int t = 0; t < cp->ring_rows; ++t) s->ring_tag[t] = TESSEL_CPU_NO_ROW;
    if (job->plan->method == TESSEL_METHOD_DIRECT) tessel_cpu_direct_band(job, s, r0, r1);
    else tessel_cpu_separable_band(job, s, r0, r1);
}

const tessel_converters *tessel_cpu_converters(tessel_context *ctx)
{
    return &((tessel_cpu_context *)ctx->backend_state)->convert;
}

const tessel_correlate_kernels *tessel_cpu_kernels(const tessel_context *ctx)
{
    return &((const tessel_cpu_context *)ctx->backend_state)->kernels;
}

tessel_status tessel_cpu_plan_execute(tessel_plan *plan, const tessel_image *src,
                                      const tessel_image *dst)
{
    tessel_cpu_context *cc = plan->ctx->backend_state;
    tessel_cpu_job job = {plan, plan->backend_state, src, dst};
    if (plan->method == TESSEL_METHOD_FFT) return tessel_cpu_fft_execute(cc->pool, &job);
    if (plan->method == TESSEL_METHOD_FFT_BLOCK)
        return tessel_cpu_fft_block_execute(cc->pool, &job);
    if (tessel_cpu_running_own_loop(job.cp)) return tessel_cpu_running_execute(cc->pool, &job);
    if (job.cp->integer) return tessel_cpu_integer_execute(cc->pool, &job);
    tessel_pool_run(cc->pool, job.cp->bands, run_band, &job);
    return TESSEL_OK;
}

/* FFTW's wisdom is what tuning leaves for later processes (fftw_wisdom.h). */
static void tune_end(tessel_context *ctx)
{
    tessel_fftw_wisdom_save(ctx, 1);
}

const tessel_backend_ops tessel_cpu_backend = {
    .id = TESSEL_BACKEND_CPU,
    .name = "cpu",
    .device_claim = tessel_cpu_device_claim,
    .auto_device = tessel_cpu_auto_device,
    .list_devices = tessel_cpu_list_devices,
    .device_hint = "use \"cpu\" or \"auto\"",
    .adopts_cl_queue = 0,
    .context_init = tessel_cpu_context_init,
    .context_release = tessel_cpu_context_release,
    .plan_prepare = tessel_cpu_plan_prepare,
    .plan_execute = tessel_cpu_plan_execute,
    .plan_release = tessel_cpu_plan_release,
    .plan_memory = NULL,   /* host memory: no device to fit */
    .tiles_execute = NULL, /* core/tiles.c runs tiles one after another */
    .buffer_alloc = tessel_cpu_buffer_alloc,
    .buffer_release = tessel_cpu_buffer_release,
    .buffer_upload = tessel_cpu_buffer_upload,
    .buffer_download = tessel_cpu_buffer_download,
    .plan_execute_buffers = tessel_cpu_plan_execute_buffers,
    .combine = tessel_cpu_combine,
    .damped_ratio = tessel_cpu_damped_ratio,
    .finish = tessel_cpu_finish,
    .cost_work = tessel_cpu_cost_work,
    .cost_defaults = tessel_cpu_cost_defaults,
    .cost_term_name = NULL, /* the cost model's own names */
    .tune_begin = tessel_fftw_wisdom_load,
    .tune_end = tune_end,
};
