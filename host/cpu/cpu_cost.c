/* The CPU backend's side of the cost model (core/cost_model.h): the work
 * terms of each method counted from the layout its executor runs
 * (rows_layout.h, fft.h, fft_block_size.h), and the default constants. */
#include <math.h>

#include "core/context.h"
#include "core/cost_model.h"
#include "cpu_internal.h"
#include "fft.h"
#include "fft_block_size.h"
#include "rows_layout.h"
#include "running.h"

/* Workers busy on average when `tasks` equal tasks run on `threads`
 * workers: the last round may leave some idle. */
static double busy_workers(double tasks, int threads)
{
    if (threads <= 1 || tasks <= 1.0) return 1.0;
    const double rounds = ceil(tasks / threads);
    return tasks / rounds;
}

/* Input rows the bands load (each band its own rows and kh - 1 more). */
static double loaded_rows(const tessel_geometry *g, double bands)
{
    const double kh = g->kernel_height, oh = g->out_height;
    const double rows = (oh - 1.0) * g->stride_y + 1.0 + bands * (kh - 1.0);
    return rows < oh * kh ? rows : oh * kh;
}

/* A row of n samples as the loops see it: whole vectors, then a scalar
 * tail whose every sample costs about a vector (correlate_body.h). */
static double vector_samples(double n, const tessel_cpu_rows_layout *l)
{
    const double width = l->vector_floats;
    const double tail = fmod(n, width);
    return n - tail + tail * width;
}

/* Tap rows the loops apply per output row: kh + rows - 1 (zero-padded)
 * for the rows of a band computed in whole blocks, kh for the rest. */
static double tap_rows(const tessel_geometry *g, const tessel_cpu_rows_layout *l)
{
    const int block = l->block_rows, rows = l->band_rows;
    const double blocked = (double)(rows / block * block) / rows;
    return g->kernel_height + blocked * (block - 1);
}

/* The pool's workers, woken once per pool run (the run's fixed cost). */
static double wakeups(int runs, int threads)
{
    return (double)runs * threads;
}

static void direct_work(const tessel_plan *plan, int threads, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    tessel_cpu_rows_layout l;
    tessel_cpu_rows_layout_of(g, threads, tessel_cpu_kernels(plan->ctx), &l);
    const double bands = l.bands;
    const double samples = (double)g->out_height * g->dense_width * plan->channels;
    const double loaded = loaded_rows(g, bands) * (g->dense_width + g->kernel_width - 1.0) *
                          plan->channels;
    w->available = 1;
    w->term[0] = wakeups(1, threads);
    w->term[1] = samples + loaded;
    w->term[2] = g->out_height * vector_samples((double)g->dense_width * plan->channels, &l) *
                 tap_rows(g, &l) * g->kernel_width;
    w->parallel = busy_workers(bands, threads);
}

/* Row pass over every input row a band reads (bands overlap by kh - 1
 * rows), then the column pass into each output row. */
static void separable_work(const tessel_plan *plan, int threads, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    tessel_cpu_rows_layout l;
    tessel_cpu_rows_layout_of(g, threads, tessel_cpu_kernels(plan->ctx), &l);
    const double bands = l.bands;
    const double row = (double)g->dense_width * plan->channels,
                 vector_row = vector_samples(row, &l);
    const double rows = loaded_rows(g, bands), out_rows = g->out_height;
    w->available = 1;
    w->term[0] = wakeups(1, threads);
    w->term[1] = (rows + out_rows) * row;
    w->term[2] = vector_row * (rows * g->kernel_width + out_rows * tap_rows(g, &l));
    w->parallel = busy_workers(bands, threads);
}

/* One transform of the border-extended input per channel, at the sizes
 * method fft transforms (fft.h); FFTW's threads share it. */
static void fft_work(const tessel_plan *plan, int threads, tessel_cost_work *w)
{
    tessel_cpu_fft_sizes sizes;
    if (!tessel_cpu_fft_layout(&plan->geo, &sizes)) return;
    const int py = sizes.size_y, px = sizes.size_x;
    const double points = (double)py * px, planes = plan->channels;
    const double log_work = points * (tessel_cost_fft_stages(py) + tessel_cost_fft_stages(px));
    w->available = 1;
    w->term[0] = wakeups(5, threads); /* three pool runs, two threaded transforms */
    w->term[1] = planes * points;
    w->term[2] = planes * log_work;
    w->term[3] = planes * log_work * tessel_cost_spill(points);
    w->parallel = threads;
}

/* The blocks fft_block_plan.c makes (the same choice, made the same way),
 * each transformed per channel by one worker. */
static void fft_block_work(const tessel_plan *plan, int threads, tessel_cost_work *w)
{
    tessel_cpu_fft_block_axis y, x;
    if (!tessel_cpu_fft_block_choose(&plan->geo, threads, &y, &x)) return;
    const double blocks = (double)y.blocks * x.blocks, planes = blocks * plan->channels;
    const double points = (double)y.size * x.size;
    const double stages = (y.transformed ? tessel_cost_fft_stages(y.size) : 0.0) +
                          (x.transformed ? tessel_cost_fft_stages(x.size) : 0.0);
    w->available = 1;
    w->term[0] = wakeups(1, threads);
    w->term[1] = planes;
    w->term[2] = planes * points;
    w->term[3] = planes * points * stages;
    w->parallel = busy_workers(blocks, threads);
}

/* Vertical sums: each output row moves the window (two row passes per
 * row of stride, or a fresh window of kh rows), and each band and
 * segment starts with a fresh window; then the sums along the row (about
 * three passes: prefix, difference, store) or the row taps. Without
 * vertical sums: the separable loop with a row pass of about three passes.
 * A sample summed in double counts as DOUBLE_SUM_WEIGHT int32 ones (twice
 * the bytes, conversions both ways, no 512-bit loops of its own: measured
 * 4 to 6 times slower on AVX-512). */
#define DOUBLE_SUM_WEIGHT 6.0
static void running_work(const tessel_plan *plan, int threads, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    tessel_cpu_running_layout l;
    tessel_cpu_running_layout_of(plan, threads, &l);
    const double c = plan->channels, oh = g->out_height, kh = g->kernel_height;
    const double dense = (double)g->dense_width * c, ext = dense + (g->kernel_width - 1.0) * c;
    const double weight = l.acc == TESSEL_RUNNING_DOUBLE ? DOUBLE_SUM_WEIGHT : 1.0;
    w->available = 1;
    w->term[0] = wakeups(1, threads);
    w->parallel = busy_workers(l.tasks, threads);
    if (!l.vertical) {
        tessel_cpu_rows_layout rows;
        tessel_cpu_rows_layout_of(g, threads, tessel_cpu_kernels(plan->ctx), &rows);
        const double loaded = loaded_rows(g, rows.bands);
        w->term[1] = (3.0 * loaded + oh) * dense * weight;
        w->term[2] = vector_samples(dense, &rows) * oh * tap_rows(g, &rows);
        return;
    }
    const double moves = g->stride_y >= g->kernel_height ? kh : 2.0 * g->stride_y;
    const double fresh = (double)l.bands * (kh - (g->stride_y >= g->kernel_height ? kh : 0.0));
    const double segment_ext = (g->kernel_width - 1.0) * c * (l.segments - 1.0);
    const double row_passes = oh * moves + fresh;
    w->term[1] = (row_passes * (ext + segment_ext) + oh * (3.0 * dense + ext)) * weight;
    w->term[2] = l.horizontal ? 0.0 : oh * dense * g->kernel_width;
}

void tessel_cpu_cost_work(const tessel_plan *plan, tessel_method method,
                          struct tessel_cost_work *out)
{
    const int threads = plan->ctx->threads > 0 ? plan->ctx->threads : 1;
    if (method == TESSEL_METHOD_DIRECT) direct_work(plan, threads, out);
    else if (method == TESSEL_METHOD_SEPARABLE) separable_work(plan, threads, out);
    else if (method == TESSEL_METHOD_FFT) fft_work(plan, threads, out);
    else if (method == TESSEL_METHOD_FFT_BLOCK) fft_block_work(plan, threads, out);
    else if (method == TESSEL_METHOD_RUNNING) running_work(plan, threads, out);
}

/* Seconds per unit of each term for one worker (cost_model.h), as
 * `tessel tune --threads 1` fits them (Release build) on a 2-core Intel
 * Xeon (Sapphire Rapids, AVX-512, 2 MiB of L2 per core, FFTW 3.3.10) that
 * other work shared: the typical values of several runs, which agreed
 * within 10% for direct, separable and fft-block; fft's large transforms
 * varied 2x with the memory traffic of the other work, and its constants
 * are those of the quietest run. The terms divide the work among the
 * context's workers, so these serve every thread count until a profile
 * measures the real scaling. */
static const tessel_cost_constants cpu_defaults = {{
    {5.5e-7, 1.2e-10, 1.19e-11, 0.0},   /* direct: run, sample, sample-tap */
    {9e-7, 9e-11, 2.72e-11, 0.0},       /* separable: run, sample, sample-tap */
    {3e-7, 2.51e-9, 2.71e-10, 4.36e-11}, /* fft: run, point, point-stage, spill */
    {1e-6, 0.0, 0.0, 3.64e-10},         /* fft-block: run, block, point, point-stage */
    {9e-7, 2.4e-11, 4e-11, 0.0},        /* running: run, int32 sample, sample-tap (measured
                                           on the 2-core AMD EPYC, scaled to the others) */
}};

const char *tessel_cpu_cost_defaults(const tessel_context *ctx, struct tessel_cost_constants *k)
{
    (void)ctx;
    *k = cpu_defaults;
    return "default constants";
}
