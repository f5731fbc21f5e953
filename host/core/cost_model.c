/* Estimates and the AUTO choice of the cost model (see cost_model.h). */
#include "cost_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "cost_profile.h"

int tessel_cost_index(tessel_method method)
{
    int i = (int)method - (int)TESSEL_METHOD_DIRECT;
    return i >= 0 && i < TESSEL_COST_METHODS ? i : -1;
}

tessel_method tessel_cost_method(int index)
{
    return (tessel_method)((int)TESSEL_METHOD_DIRECT + index);
}

void tessel_cost_work_of(const tessel_plan *plan, tessel_method method, tessel_cost_work *out)
{
    memset(out, 0, sizeof *out);
    out->parallel = 1.0;
    if (tessel_cost_index(method) < 0) return;
    plan->ctx->ops->cost_work(plan, method, out);
}

const char *tessel_cost_term_name(const tessel_context *ctx, tessel_method method, int term)
{
    static const char *const names[TESSEL_COST_METHODS][TESSEL_COST_TERMS] = {
        {"run", "sample", "sample-tap", NULL},
        {"run", "sample", "sample-tap", NULL},
        {"run", "point", "point-stage", "point-stage-spill"},
        {"run", "block", "point", "point-stage"},
        {"run", "sample", "sample-tap", NULL}};
    const int m = tessel_cost_index(method);
    if (m < 0 || term < 0 || term >= TESSEL_COST_TERMS || !names[m][term]) return NULL;
    const char *own = ctx->ops->cost_term_name ? ctx->ops->cost_term_name(method, term) : NULL;
    return own ? own : names[m][term];
}

/* Extra work per stage of radix 7, and of radix 3 or 5, over radix 2
 * (FFTW 3.3, single precision, measured plans: 448^2 = (2^6 7)^2 costs 1.5x
 * per point-stage what 512^2 does, 384^2 and 320^2 about what 256^2 does,
 * 360^2 = (2^3 3^2 5)^2 1.4x). */
#define RADIX7_EXTRA 1.5
#define RADIX35_EXTRA 0.3

double tessel_cost_fft_stages(long long n)
{
    if (n < 2) return 0.0;
    long long rest = n, sevens = 1, threes_fives = 1;
    while (rest % 2 == 0) rest /= 2;
    for (; rest % 7 == 0; rest /= 7) sevens *= 7;
    for (; rest % 3 == 0; rest /= 3) threes_fives *= 3;
    for (; rest % 5 == 0; rest /= 5) threes_fives *= 5;
    /* Other primes (lengths the backends never pick) count as radix 7. */
    sevens *= rest;
    return log2((double)n) + RADIX7_EXTRA * log2((double)sevens) +
           RADIX35_EXTRA * log2((double)threes_fives);
}

double tessel_cost_spill(double points)
{
    /* A real 2-D transform's data and spectrum (8 bytes a point) within a
     * 2 MiB L2 cache: 2^18 points. */
    const double cache_points = (double)(1 << 18);
    return points > cache_points ? log2(points / cache_points) : 0.0;
}

void tessel_cost_features(const tessel_cost_work *work, double features[TESSEL_COST_TERMS])
{
    const double parallel = work->parallel >= 1.0 ? work->parallel : 1.0;
    features[0] = work->term[0];
    for (int t = 1; t < TESSEL_COST_TERMS; ++t) features[t] = work->term[t] / parallel;
}

double tessel_cost_seconds(const tessel_cost_constants *k, tessel_method method,
                           const tessel_cost_work *work)
{
    const int m = tessel_cost_index(method);
    if (m < 0) return 0.0;
    double f[TESSEL_COST_TERMS], seconds = 0.0;
    tessel_cost_features(work, f);
    for (int t = 0; t < TESSEL_COST_TERMS; ++t) seconds += k->c[m][t] * f[t];
    return seconds;
}

/* "610 ms", "12.5 us", "1.23 s": three significant digits in a unit that
 * keeps the number readable. */
static void format_seconds(double s, char *out, size_t size)
{
    if (s >= 1.0) snprintf(out, size, "%.3g s", s);
    else if (s >= 1e-3) snprintf(out, size, "%.3g ms", s * 1e3);
    else snprintf(out, size, "%.3g us", s * 1e6);
}

typedef struct priced {
    tessel_method method;
    double seconds;
} priced;

/* Estimates within 5% or 10 microseconds (about what waking a pool of
 * workers costs) of the least count as equal: the model cannot tell them
 * apart, and the method first in preference_rank wins. */
#define TIE_MARGIN 0.05
#define TIE_SECONDS 1e-5

static double tie_band(double least)
{
    const double relative = least * TIE_MARGIN;
    return least + (relative > TIE_SECONDS ? relative : TIE_SECONDS);
}

/* Exact methods before the frequency domain (more accurate, same result
 * on every run), and a rank-1 kernel's two passes first. */
static int preference_rank(tessel_method m)
{
    return m == TESSEL_METHOD_SEPARABLE   ? 0
           : m == TESSEL_METHOD_DIRECT    ? 1
           : m == TESSEL_METHOD_RUNNING   ? 2
           : m == TESSEL_METHOD_FFT_BLOCK ? 3
                                          : 4;
}

/* Terms fft-block's can only exceed, without choosing its blocks (which
 * costs the CPU backend milliseconds for a large image): every output
 * sample is a point of some block, transformed along each axis the kernel
 * spans at a length of at least the kernel's, by at most every worker. */
static void fft_block_floor(const tessel_plan *plan, tessel_cost_work *w)
{
    const tessel_geometry *g = &plan->geo;
    const double outputs = (double)g->out_width * g->out_height * plan->channels;
    memset(w, 0, sizeof *w);
    w->available = 1;
    w->term[2] = outputs;
    w->term[3] = outputs * (log2((double)g->kernel_width) + log2((double)g->kernel_height));
    w->parallel = plan->ctx->threads > 1 ? plan->ctx->threads : 1;
}

/* Inserts p into out[0..n) by estimate; a tie keeps the earlier method. */
static int insert_sorted(priced *out, int n, priced p)
{
    int at = n;
    for (; at > 0 && out[at - 1].seconds > p.seconds; --at) out[at] = out[at - 1];
    out[at] = p;
    return n + 1;
}

/* 1 when fft-block cannot be chosen whatever its exact estimate (at least
 * `floor`), given the others in out[0..n): it is outside the tie band of
 * the least, or an exact method (preferred to it) is inside that band. */
static int fft_block_hopeless(const priced *out, int n, double floor)
{
    double exact = INFINITY;
    for (int i = 0; i < n; ++i)
        if (out[i].method != TESSEL_METHOD_FFT && out[i].seconds < exact) exact = out[i].seconds;
    const double least = out[0].seconds < floor ? out[0].seconds : floor;
    return floor > tie_band(out[0].seconds) || exact <= tie_band(least);
}

/* The plan as if its output were REFERENCE_SIDE samples along each axis
 * it has more than one of, or REFERENCE_SIDE^2 along a single row (a 1-D
 * signal): only for estimates. */
#define REFERENCE_SIDE 1024

static tessel_plan reference_plan(const tessel_plan *plan)
{
    tessel_plan ref = *plan;
    tessel_geometry *g = &ref.geo;
    if (g->out_width > 1) {
        g->out_width = g->out_height > 1 ? REFERENCE_SIDE : REFERENCE_SIDE * REFERENCE_SIDE;
        g->dense_width = (g->out_width - 1) * g->stride_x + 1;
        g->in_width = g->dense_width;
    }
    if (g->out_height > 1) {
        g->out_height = REFERENCE_SIDE;
        g->dense_height = (REFERENCE_SIDE - 1) * g->stride_y + 1;
        g->in_height = g->dense_height;
    }
    return ref;
}

static double estimate(const tessel_plan *plan, tessel_method m, const tessel_cost_constants *k)
{
    tessel_cost_work work;
    tessel_cost_work_of(plan, m, &work);
    return work.available ? tessel_cost_seconds(k, m, &work) : INFINITY;
}

/* Whether running sums replace the other exact methods for a box-like
 * kernel: decided on a reference size, by the kernel, dtypes and options
 * alone, so that an image's tiles (or a Dask array's chunks) run what the
 * whole image runs and give its bits. */
static int running_replaces_exact(const tessel_plan *plan, int separable,
                                  const tessel_cost_constants *k)
{
    const tessel_plan ref = reference_plan(plan);
    double exact = estimate(&ref, TESSEL_METHOD_DIRECT, k);
    if (separable) exact = fmin(exact, estimate(&ref, TESSEL_METHOD_SEPARABLE, k));
    return estimate(&ref, TESSEL_METHOD_RUNNING, k) < exact;
}

/* The available candidates with their estimates, cheapest first, into
 * out. fft-block comes last and is priced exactly only when its floor
 * leaves it a chance; otherwise *floor gets that floor (else 0). For a
 * box-like kernel either running sums or direct and separable are
 * candidates (running_replaces_exact). */
static int price_candidates(tessel_plan *plan, int separable, int box_like,
                            const tessel_cost_constants *k, priced *out, double *floor)
{
    const int running = box_like && running_replaces_exact(plan, separable, k);
    static const tessel_method candidates[] = {TESSEL_METHOD_DIRECT, TESSEL_METHOD_SEPARABLE,
                                               TESSEL_METHOD_RUNNING, TESSEL_METHOD_FFT,
                                               TESSEL_METHOD_FFT_BLOCK};
    int n = 0, fft = 0;
    *floor = 0.0;
    for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; ++i) {
        const tessel_method m = candidates[i];
        if (m == TESSEL_METHOD_SEPARABLE && (!separable || running)) continue;
        if (m == TESSEL_METHOD_DIRECT && running) continue;
        if (m == TESSEL_METHOD_RUNNING && !running) continue;
        tessel_cost_work work;
        if (m == TESSEL_METHOD_FFT_BLOCK) {
            /* Both frequency-domain methods need the backend's FFT library. */
            if (!fft) continue;
            fft_block_floor(plan, &work);
            const double least = tessel_cost_seconds(k, m, &work);
            if (fft_block_hopeless(out, n, least)) {
                *floor = least;
                continue;
            }
        }
        tessel_cost_work_of(plan, m, &work);
        fft |= m == TESSEL_METHOD_FFT && work.available;
        if (work.available)
            n = insert_sorted(out, n, (priced){m, tessel_cost_seconds(k, m, &work)});
    }
    return n;
}

/* The chosen entry moved to the front of the sorted list. */
static void take_preferred(priced *list, int n)
{
    const double band = tie_band(list[0].seconds);
    int chosen = 0;
    for (int i = 1; i < n && list[i].seconds <= band; ++i)
        if (preference_rank(list[i].method) < preference_rank(list[chosen].method)) chosen = i;
    const priced c = list[chosen];
    for (int i = chosen; i > 0; --i) list[i] = list[i - 1];
    list[0] = c;
}

tessel_method tessel_cost_choose(tessel_plan *plan, int separable, int box_like, char *reason,
                                 size_t reason_size)
{
    tessel_cost_constants k;
    const char *origin = tessel_cost_profile_get(plan->ctx, &k);
    priced list[TESSEL_COST_METHODS];
    double floor;
    const int n = price_candidates(plan, separable, box_like, &k, list, &floor);
    if (n == 0) { /* direct is always available; kept for safety */
        snprintf(reason, reason_size, "cost model (%s): no method priced", origin);
        return TESSEL_METHOD_DIRECT;
    }
    const double band = tie_band(list[0].seconds);
    take_preferred(list, n);
    /* The choice first; then the others, cheapest first: "~" marks a tie;
     * last a method only bounded from below. */
    char seconds[32];
    size_t used = (size_t)snprintf(reason, reason_size, "cost model (%s):", origin);
    for (int i = 0; i < n && used < reason_size; ++i) {
        format_seconds(list[i].seconds, seconds, sizeof seconds);
        const char *joint = i == 0 ? "" : list[i].seconds <= band ? " ~" : " <";
        used += (size_t)snprintf(reason + used, reason_size - used, "%s %s %s", joint,
                                 tessel_method_name(list[i].method), seconds);
    }
    if (floor > 0.0 && used < reason_size) {
        format_seconds(floor, seconds, sizeof seconds);
        snprintf(reason + used, reason_size - used, "; fft-block >= %s", seconds);
    }
    return list[0].method;
}
