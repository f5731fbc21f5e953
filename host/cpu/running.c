/* Method running on the CPU (running.h). */
#include "running.h"

#include <stdlib.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/geometry.h"
#include "core/kernel.h"
#include "core/running_rule.h"
#include "cpu_internal.h"
#include "rows_layout.h"

/* A segment covers at least this many dense output samples, and eight
 * windows, so that summing its halo afresh costs little. */
#define SEGMENT_SAMPLES 16384
#define SEGMENT_WINDOWS 8

/* One worker's rows: the sums over a segment's extended columns, their
 * prefix sums (or a window's partial sums), and float rows. */
typedef struct running_scratch {
    void *sums, *prefix;
    float *ext;   /* the sums as floats, for the row taps (no horizontal sums) */
    float *dense; /* a dense output row of the segment */
} running_scratch;

struct tessel_cpu_running {
    tessel_cpu_running_layout layout;
    tessel_running_sums sums;
    tessel_running_rows rows; /* for the input dtype and accumulator */
    int workers;
    running_scratch *scratch;
};

/* Column segments (vertical sums only) and bands of output rows. */
static void cut_tasks(const tessel_geometry *g, int channels, int threads,
                      tessel_cpu_running_layout *l)
{
    const long long want = (long long)SEGMENT_SAMPLES / channels,
                    windows = (long long)SEGMENT_WINDOWS * g->kernel_width;
    const long long dense = want > windows ? want : windows;
    long long width = (dense + g->stride_x - 1) / g->stride_x;
    l->segment_width = width >= g->out_width ? g->out_width : (int)width;
    l->segments = 1 + (g->out_width - 1) / l->segment_width;
    int bands = threads <= 1 ? 1 : threads * 4;
    /* Each band sums its first window afresh: not more bands than keep that
     * a quarter of the rows it moves through, while every worker has one. */
    if (g->kernel_height > 1 && g->stride_y < g->kernel_height) {
        const int few = g->out_height / (4 * g->kernel_height);
        const int least = threads < g->out_height ? threads : g->out_height;
        if (bands > few) bands = few > least ? few : least;
    }
    if (l->segments > 1 && bands * l->segments > threads * 4) {
        bands = threads * 4 / l->segments;
        if (bands < 1) bands = 1;
    }
    if (bands > g->out_height) bands = g->out_height;
    if (bands < 1) bands = 1;
    l->band_rows = 1 + (g->out_height - 1) / bands;
    l->bands = 1 + (g->out_height - 1) / l->band_rows;
    l->tasks = l->bands * l->segments;
}

void tessel_cpu_running_layout_of(const tessel_plan *plan, int threads,
                                  tessel_cpu_running_layout *out)
{
    const tessel_geometry *g = &plan->geo;
    memset(out, 0, sizeof *out);
    tessel_running_rule rule;
    tessel_running_rule_of(plan, &rule);
    out->vertical = rule.vertical;
    out->horizontal = rule.horizontal;
    out->acc = rule.integer ? TESSEL_RUNNING_INT32 : TESSEL_RUNNING_DOUBLE;
    out->factor = rule.factor;
    if (out->vertical) {
        cut_tasks(g, plan->channels, threads, out);
    } else {
        tessel_cpu_rows_layout rows;
        tessel_cpu_rows_layout_of(g, threads, tessel_cpu_kernels(plan->ctx), &rows);
        out->segment_width = g->out_width;
        out->segments = 1;
        out->band_rows = rows.band_rows;
        out->bands = rows.bands;
        out->tasks = rows.bands;
    }
}

/* ------------------------------------------------------------ input rows */

/* acc (extended columns j0..j1, channels interleaved) += or -= virtual
 * input row y. */
static void apply_row(const tessel_cpu_job *job, const tessel_cpu_running *r, char *acc,
                      long long y, int j0, int j1, int sign)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int c = plan->channels;
    const size_t as = tessel_running_acc_size(r->layout.acc) * (size_t)c;
    const int yy = tessel_border_index(plan->border, y, plan->geo.in_height);
    const double cval = sign > 0 ? plan->cval : -(double)plan->cval;
    if (yy < 0) {
        r->sums.add_value[r->layout.acc](acc, cval, (size_t)(j1 - j0) * c);
        return;
    }
    const size_t px = tessel_dtype_size(plan->in_dtype) * (size_t)c;
    const char *row = (const char *)job->src->data + (size_t)yy * tessel_image_row_bytes(job->src);
    const tessel_running_add_fn add = sign > 0 ? r->rows.add : r->rows.sub;
    const int lo = j0 > cp->interior_lo ? j0 : cp->interior_lo;
    const int hi = j1 < cp->interior_hi ? j1 : cp->interior_hi;
    if (lo < hi)
        add(acc + (size_t)(lo - j0) * as, row + (size_t)cp->column_map[lo] * px,
            (size_t)(hi - lo) * c);
    for (int j = j0; j < j1; ++j) {
        if (lo < hi && j == lo) j = hi;
        if (j >= j1) break;
        const int x = cp->column_map[j];
        char *a = acc + (size_t)(j - j0) * as;
        if (x < 0) r->sums.add_value[r->layout.acc](a, cval, (size_t)c);
        else add(a, row + (size_t)x * px, (size_t)c);
    }
}

/* acc += row plus - row minus, in one pass where both lie in the image. */
static void move_window(const tessel_cpu_job *job, const tessel_cpu_running *r, char *acc,
                        long long plus, long long minus, int j0, int j1)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int yp = tessel_border_index(plan->border, plus, plan->geo.in_height);
    const int ym = tessel_border_index(plan->border, minus, plan->geo.in_height);
    const int lo = j0 > cp->interior_lo ? j0 : cp->interior_lo;
    const int hi = j1 < cp->interior_hi ? j1 : cp->interior_hi;
    if (yp < 0 || ym < 0 || lo >= hi) {
        apply_row(job, r, acc, plus, j0, j1, 1);
        apply_row(job, r, acc, minus, j0, j1, -1);
        return;
    }
    const int c = plan->channels;
    const size_t as = tessel_running_acc_size(r->layout.acc) * (size_t)c;
    const size_t px = tessel_dtype_size(plan->in_dtype) * (size_t)c;
    const size_t pitch = tessel_image_row_bytes(job->src);
    const char *rp = (const char *)job->src->data + (size_t)yp * pitch;
    const char *rm = (const char *)job->src->data + (size_t)ym * pitch;
    const size_t x0 = (size_t)cp->column_map[lo] * px;
    r->rows.add_sub(acc + (size_t)(lo - j0) * as, rp + x0, rm + x0, (size_t)(hi - lo) * c);
    for (int j = j0; j < j1; ++j) {
        if (j == lo) j = hi;
        if (j >= j1) break;
        const int x = cp->column_map[j];
        if (x < 0) continue; /* cval - cval */
        char *a = acc + (size_t)(j - j0) * as;
        r->rows.add(a, rp + (size_t)x * px, (size_t)c);
        r->rows.sub(a, rm + (size_t)x * px, (size_t)c);
    }
}

/* ------------------------------------------------------------ the band loop */

/* Output columns oc0..oc1 of output row `row` from the segment's dense row
 * (its first sample is output column oc0's): column stride, then conversion. */
static void store_segment(const tessel_cpu_job *job, float *dense, int row, int oc0, int oc1)
{
    const tessel_plan *p = job->plan;
    const int c = p->channels, sx = p->geo.stride_x;
    if (sx != 1)
        for (int x = 0; x < oc1 - oc0; ++x)
            for (int ch = 0; ch < c; ++ch)
                dense[(size_t)x * c + ch] = dense[(size_t)x * sx * c + ch];
    char *out = (char *)job->dst->data + (size_t)row * tessel_image_row_bytes(job->dst) +
                (size_t)oc0 * c * tessel_dtype_size(p->out_dtype);
    job->cp->convert.store[p->out_dtype](dense, out, (size_t)(oc1 - oc0) * c, &job->cp->store);
}

/* The sums along the row of `dense` dense columns whose window starts at
 * sample `at` of the vertical sums, into s->dense as floats. */
static void sum_along_row(const tessel_cpu_job *job, const tessel_cpu_running *r,
                          running_scratch *s, size_t at, int dense)
{
    const tessel_plan *p = job->plan;
    const int c = p->channels, kw = p->geo.kernel_width;
    const tessel_running_acc acc = r->layout.acc;
    const char *sums = (const char *)s->sums + at * tessel_running_acc_size(acc);
    if (r->layout.horizontal) {
        r->sums.window[acc](sums, (size_t)dense * c, kw, c, r->layout.factor, s->prefix, 0,
                            s->dense, NULL);
        return;
    }
    r->sums.to_float[acc](sums, (size_t)(dense + kw - 1) * c, r->layout.factor, s->ext);
    const float *ext = s->ext;
    job->cp->kernels.row(&ext, 1, p->row_taps, kw, c, s->dense, (size_t)dense * c);
}

/* Output columns q0..q1 of output row `row` (column stride 1, sums along
 * the row) straight from the vertical sums at sample `at`: the window sums
 * converted as they are made, into the output. */
static void store_direct(const tessel_cpu_job *job, const tessel_cpu_running *r,
                         running_scratch *s, size_t at, int row, int q0, int q1)
{
    const tessel_plan *p = job->plan;
    const int c = p->channels;
    char *out = (char *)job->dst->data + (size_t)row * tessel_image_row_bytes(job->dst) +
                (size_t)q0 * c * tessel_dtype_size(p->out_dtype);
    const tessel_running_acc acc = r->layout.acc;
    const char *sums = (const char *)s->sums + at * tessel_running_acc_size(acc);
    r->sums.window[acc](sums, (size_t)(q1 - q0) * c, p->geo.kernel_width, c, r->layout.factor,
                        s->prefix, (int)p->out_dtype, out, &job->cp->store);
}

/* The vertical sums of extended columns j0..j1 (of the segment that starts
 * at column d0) for the output row whose window starts at input row y:
 * afresh, or moved down from the window at input row `before`. */
static void vertical_sums(const tessel_cpu_job *job, const tessel_cpu_running *r,
                          running_scratch *s, int d0, int j0, int j1, long long y,
                          long long before, int fresh)
{
    const tessel_geometry *g = &job->plan->geo;
    const size_t as = tessel_running_acc_size(r->layout.acc) * (size_t)job->plan->channels;
    char *sums = (char *)s->sums + (size_t)(j0 - d0) * as;
    if (fresh) {
        memset(sums, 0, (size_t)(j1 - j0) * as);
        for (int t = 0; t < g->kernel_height; ++t) apply_row(job, r, sums, y + t, j0, j1, 1);
        return;
    }
    for (int t = 0; t < g->stride_y; ++t)
        move_window(job, r, sums, before + g->kernel_height + t, before + t, j0, j1);
}

/* Output columns per piece of a row: the vertical sums, the sums along the
 * row and the store of a piece run while its rows are in the L1 cache
 * (each piece's prefix sums start afresh over its window's halo). */
static int piece_width(const tessel_plan *plan, const tessel_cpu_running_layout *l)
{
    const int c = plan->channels, kw = plan->geo.kernel_width;
    const int samples = l->acc == TESSEL_RUNNING_INT32 ? 2048 : 1024;
    const int dense = samples / c > 4 * kw ? samples / c : 4 * kw;
    return 1 + (dense - 1) / plan->geo.stride_x;
}

static void run_task(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    const tessel_plan *p = job->plan;
    const tessel_geometry *g = &p->geo;
    const tessel_cpu_running *r = job->cp->running;
    const tessel_cpu_running_layout *l = &r->layout;
    running_scratch *s = &r->scratch[worker];
    const int band = task / l->segments, segment = task % l->segments;
    const int r0 = band * l->band_rows;
    const int r1 = r0 + l->band_rows < g->out_height ? r0 + l->band_rows : g->out_height;
    const int oc0 = segment * l->segment_width;
    const int oc1 = oc0 + l->segment_width < g->out_width ? oc0 + l->segment_width : g->out_width;
    const int d0 = oc0 * g->stride_x, sx = g->stride_x, kw = g->kernel_width;
    const int piece = piece_width(p, l);
    long long before = 0;
    for (int row = r0; row < r1; ++row) {
        const long long y = (long long)row * g->stride_y + g->origin_y;
        const int fresh = row == r0 || g->stride_y >= g->kernel_height;
        int done = d0; /* extended columns whose sums are this row's */
        for (int q0 = oc0; q0 < oc1; q0 += piece) {
            const int q1 = q0 + piece < oc1 ? q0 + piece : oc1;
            const int dense = (q1 - 1 - q0) * sx + 1, need = q0 * sx + dense + kw - 1;
            vertical_sums(job, r, s, d0, done, need, y, before, fresh);
            done = need;
            const size_t at = (size_t)(q0 * sx - d0) * p->channels;
            if (l->horizontal && sx == 1) {
                store_direct(job, r, s, at, row, q0, q1);
                continue;
            }
            sum_along_row(job, r, s, at, dense);
            store_segment(job, s->dense, row, q0, q1);
        }
        before = y;
    }
}

/* Method running without vertical sums: one input row summed along the row
 * into a ring slot of the separable loop. */
static void row_pass(const tessel_cpu_job *job, tessel_cpu_scratch *cs, long long y, float *slot)
{
    const tessel_cpu_plan *cp = job->cp;
    const tessel_cpu_running *r = cp->running;
    running_scratch *s = &r->scratch[cs - cp->scratch];
    const int c = job->plan->channels;
    memset(s->sums, 0, (size_t)cp->ext_width * c * tessel_running_acc_size(r->layout.acc));
    apply_row(job, r, s->sums, y, 0, cp->ext_width, 1);
    r->sums.window[r->layout.acc](s->sums, cp->row_floats, job->plan->geo.kernel_width, c,
                                  r->layout.factor, s->prefix, 0, slot, NULL);
}

/* ------------------------------------------------------------ plan */

static int scratch_alloc(running_scratch *s, const tessel_plan *plan,
                         const tessel_cpu_running_layout *l)
{
    const tessel_geometry *g = &plan->geo;
    const size_t c = (size_t)plan->channels, as = tessel_running_acc_size(l->acc);
    const size_t kw = (size_t)g->kernel_width;
    const size_t dense = l->vertical ? (size_t)(l->segment_width - 1) * g->stride_x + 1
                                     : (size_t)g->dense_width;
    const int segment_piece = piece_width(plan, l) < l->segment_width ? piece_width(plan, l)
                                                                     : l->segment_width;
    const size_t piece = l->vertical ? (size_t)(segment_piece - 1) * g->stride_x + 1 : dense;
    s->sums = malloc((dense + kw - 1) * c * as);
    s->prefix = malloc((piece + kw) * c * as);
    s->dense = l->vertical ? malloc(piece * c * sizeof(float)) : NULL;
    s->ext = l->vertical && !l->horizontal ? malloc((piece + kw - 1) * c * sizeof(float)) : NULL;
    return s->sums && s->prefix && (!l->vertical || s->dense) &&
           (!s->ext == !(l->vertical && !l->horizontal));
}

void tessel_cpu_running_release(tessel_cpu_running *r)
{
    if (!r) return;
    for (int w = 0; r->scratch && w < r->workers; ++w) {
        free(r->scratch[w].sums);
        free(r->scratch[w].prefix);
        free(r->scratch[w].ext);
        free(r->scratch[w].dense);
    }
    free(r->scratch);
    free(r);
}

tessel_status tessel_cpu_running_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int threads)
{
    tessel_context *ctx = plan->ctx;
    tessel_cpu_running *r = calloc(1, sizeof *r);
    RETURN_ERROR_IF(!r, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    cp->running = r;
    tessel_cpu_running_layout_of(plan, threads, &r->layout);
    tessel_running_sums_select(cp->kernels.isa, &r->sums);
    r->rows = r->sums.rows[plan->in_dtype][r->layout.acc];
    r->scratch = calloc((size_t)threads, sizeof *r->scratch);
    RETURN_ERROR_IF(!r->scratch, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    r->workers = threads;
    for (int w = 0; w < threads; ++w)
        RETURN_ERROR_IF(!scratch_alloc(&r->scratch[w], plan, &r->layout), ctx,
                        TESSEL_ERR_OUT_OF_MEMORY, "out of memory for running sums' rows");
    if (!r->layout.vertical) cp->row_pass = row_pass;
    return TESSEL_OK;
}

int tessel_cpu_running_own_loop(const tessel_cpu_plan *cp)
{
    return cp->running && cp->running->layout.vertical;
}

tessel_status tessel_cpu_running_execute(tessel_pool *pool, const tessel_cpu_job *job)
{
    tessel_pool_run(pool, job->cp->running->layout.tasks, run_task, (void *)job);
    return TESSEL_OK;
}
