/* The OpenCL backend's side of the cost model (core/cost_model.h): the work
 * terms of each method counted from the layout its executor runs (direct
 * and separable here, from cl_passes.h and cl_launch.h; the frequency
 * domain in cl_fft_estimates.c), and the default constants. */
#include <math.h>

#include "cl_estimates.h"
#include "cl_passes.h"
#include "cl_running.h"
#include "core/cost_model.h"

/* Tap rows one work-item runs through per output row it computes (the
 * rows of its block's window): (rows - 1) * sy + kh. */
static double tap_rows(const tessel_cl_pass_spec *s, const tessel_cl_pass_layout *l)
{
    return (double)(l->rows - 1) * s->sy + s->kh;
}

static void direct_work(const tessel_plan *plan, const tessel_cl_passes *p,
                        tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    const double samples = (double)g->out_height * g->out_width * plan->channels;
    w->available = 1;
    w->term[0] = 1.0;
    w->term[1] = samples;
    w->term[2] = samples * tap_rows(&p->spec[0], &p->layout[0]) * g->kernel_width;
}

/* Fused: every strip row-filters its (strip_rows - 1) * sy + kh input rows
 * into local memory, then sums kh of them per output. Two passes: the row
 * pass into the temporary, then the column pass out of it. */
static void separable_work(const tessel_plan *plan, const tessel_cl_passes *p,
                           tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    const double row = (double)g->out_width * plan->channels;
    const double column_pass = (double)g->out_height * row;
    w->available = 1;
    w->term[0] = 1.0;
    if (p->count == 1) {
        const tessel_cl_pass_layout *l = &p->layout[0];
        const double strips = ceil((double)g->out_height / l->strip_rows);
        const double row_pass =
            strips * ((double)(l->strip_rows - 1) * g->stride_y + g->kernel_height) * row;
        w->term[1] = row_pass + column_pass;
        w->term[2] = row_pass * g->kernel_width + column_pass * g->kernel_height;
        return;
    }
    const double row_pass = p->temp_rows * row;
    w->term[1] = row_pass + column_pass;
    w->term[2] = row_pass * tap_rows(&p->spec[0], &p->layout[0]) * g->kernel_width +
                 column_pass * tap_rows(&p->spec[1], &p->layout[1]);
}

/* Both kernels of the layout: each sample read a constant number of times
 * (the first window of each run afresh, a window's worth), plus the taps of
 * a factor that is not constant. */
static void running_work(const tessel_plan *plan, tessel_cost_work *w)
{
    const tessel_cl_state *cl = plan->ctx->backend_state;
    const tessel_geometry *g = &plan->geo;
    tessel_cl_running_layout l;
    tessel_cl_running_layout_of(plan, &cl->caps, &l);
    if (!l.available) return;
    const double temp = (double)l.temp_w * l.temp_rows;
    const double out = (double)g->out_width * g->out_height * plan->channels;
    const double fresh = l.rule.vertical ? (double)g->kernel_height / l.band
                                         : (double)g->kernel_width / l.segment;
    w->available = 1;
    w->term[0] = 2.0;
    w->term[1] = temp * (2.0 + fresh) + out * 3.0;
    w->term[2] = l.rule.vertical ? (l.rule.horizontal ? 0.0 : out * g->kernel_width)
                                 : out * g->kernel_height;
}

void tessel_cl_cost_work(const tessel_plan *plan, tessel_method method,
                         struct tessel_cost_work *out)
{
    if (method == TESSEL_METHOD_FFT) {
        tessel_cl_fft_cost(plan, out);
    } else if (method == TESSEL_METHOD_FFT_BLOCK) {
        tessel_cl_fft_block_cost(plan, out);
    } else if (method == TESSEL_METHOD_RUNNING) {
        running_work(plan, out);
    } else if (method == TESSEL_METHOD_DIRECT || method == TESSEL_METHOD_SEPARABLE) {
        /* The launches of the method asked about, whatever the plan's own. */
        tessel_plan as_method = *plan;
        as_method.method = method;
        tessel_cl_passes p;
        tessel_cl_passes_of(plan->ctx->backend_state, &as_method, &p);
        if (method == TESSEL_METHOD_DIRECT) direct_work(plan, &p, out);
        else separable_work(plan, &p, out);
    }
}

/* Method fft-block's second term counts transform groups here, not blocks. */
const char *tessel_cl_cost_term_name(tessel_method method, int term)
{
    return method == TESSEL_METHOD_FFT_BLOCK && term == 1 ? "group" : NULL;
}

/* CPU devices (PoCL and the like): what `tessel tune --device opencl`
 * fitted (Release build, the second of two runs; they differed up to 2x
 * while other work shared the machine) with PoCL 3.1 on a 2-core Intel Xeon
 * (Sapphire Rapids, AVX-512) and clFFT 2.12. */
static const tessel_cost_constants cpu_device_defaults = {{
    {2.75e-5, 8.19e-10, 1.27e-11, 0.0},   /* direct: run, sample, sample-tap */
    {2.63e-5, 3.95e-10, 1.82e-11, 0.0},   /* separable: run, sample, sample-tap */
    {2.57e-5, 2.11e-8, 8.7e-10, 4.28e-10}, /* fft: run, point, point-stage, spill */
    {3.86e-6, 0.0, 0.0, 1.91e-9},         /* fft-block: run, group, point, point-stage */
    {2.63e-5, 3.95e-10, 1.82e-11, 0.0},   /* running: as separable until measured */
}};

/* GPUs and other devices: not measured, guesses that lean towards the
 * exact methods: taps at about 1 TFMA/s, clFFT at about 100 Gflop/s,
 * passes over memory at about 100 GB/s, tens of microseconds per launch
 * (real GPUs are faster at all of it). 'tessel tune' measures the device. */
static const tessel_cost_constants gpu_defaults = {{
    {2e-5, 2e-11, 1e-12, 0.0},    /* direct */
    {4e-5, 4e-11, 1e-12, 0.0},    /* separable */
    {1e-4, 1e-10, 5e-11, 0.0},    /* fft */
    {1e-4, 2e-5, 1e-10, 5e-11},   /* fft-block */
    {4e-5, 4e-11, 1e-12, 0.0},    /* running */
}};

const char *tessel_cl_cost_defaults(const tessel_context *ctx, struct tessel_cost_constants *k)
{
    const tessel_cl_state *cl = ctx->backend_state;
    if (cl->caps.type & CL_DEVICE_TYPE_CPU) {
        *k = cpu_device_defaults;
        return "default constants for CPU devices";
    }
    *k = gpu_defaults;
    return "conservative GPU defaults";
}
