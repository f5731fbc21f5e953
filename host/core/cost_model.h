/* The cost model behind method AUTO: estimated seconds of each method for a
 * plan's geometry on the context's backend and device.
 *
 * A backend describes what a method's run amounts to as a few work terms
 * (its table's cost_work slot, backend.h), counted from the layout its
 * executor runs: taps as the inner loops pad them, transform lengths as the
 * backend pads them, blocks as the backend cuts them. A profile of
 * constants per method (seconds per unit of each term) turns the terms into
 * seconds:
 *
 *   seconds = c[0]*term[0] + (c[1]*term[1] + ... + c[N-1]*term[N-1]) / parallel
 *
 * term[0] is the fixed cost of one run (calls, launches); the others are
 * spread over `parallel` workers. Terms per method:
 *
 *   direct     runs, samples (output and input rows loaded), output
 *              samples x taps per sample (as the loops pad them)
 *   separable  runs, samples of both passes, samples x taps of both passes
 *   fft        runs, transformed points (every plane), points x stages
 *              (log2 of the lengths, weighted for radices 3, 5, 7), the same
 *              x how far a transform spills out of the cache
 *   fft-block  runs, pieces (CPU: blocks x planes; OpenCL: transform
 *              groups), block points, block points x stages
 *   running    runs, samples (loaded, summed and stored: a constant number
 *              per sample whatever the window), samples x taps of a factor
 *              that is not constant (0 for a box)
 *
 * "runs" is the fixed cost of a run: on the CPU the pool's workers woken
 * (pool runs x threads), on OpenCL 1.
 *
 * The constants come from a profile measured by tessel_tune (cost_profile.h)
 * or from the backend's defaults (its table's cost_defaults slot). Choosing
 * fft-block's blocks costs the CPU backend up to milliseconds, so AUTO first
 * bounds fft-block's estimate from below and prices it exactly only when
 * that bound leaves it a chance. */
#ifndef TESSEL_CORE_COST_MODEL_H
#define TESSEL_CORE_COST_MODEL_H

#include "plan.h"

#define TESSEL_COST_TERMS 4
/* The methods the model prices, in tessel_method order from DIRECT. */
#define TESSEL_COST_METHODS 5

typedef struct tessel_cost_work {
    int available;                   /* 0: the backend cannot run it for this plan */
    double term[TESSEL_COST_TERMS];  /* see the table above; unused terms are 0 */
    double parallel;                 /* workers the terms 1.. are spread over, >= 1 */
} tessel_cost_work;

/* Seconds per unit of each term, per method (index: method - DIRECT). */
typedef struct tessel_cost_constants {
    double c[TESSEL_COST_METHODS][TESSEL_COST_TERMS];
} tessel_cost_constants;

/* Index of a priced method in tessel_cost_constants, -1 for AUTO or an
 * unknown value; tessel_cost_method is the inverse. */
int tessel_cost_index(tessel_method method);
tessel_method tessel_cost_method(int index);

/* The work terms of `method` for plan (geometry, channels and dtypes set)
 * on its context's backend. */
void tessel_cost_work_of(const tessel_plan *plan, tessel_method method, tessel_cost_work *out);

/* What the constant of `term` of `method` is per on ctx's backend ("run",
 * "sample", ...: the table above, or the backend's own word for it); NULL
 * for a term the method does not use. */
const char *tessel_cost_term_name(const tessel_context *ctx, tessel_method method, int term);

/* Transform work per point along an axis of length n: log2(n), weighted
 * up for its factors 7 and, less, 3 and 5 (slower radices than 2). */
double tessel_cost_fft_stages(long long n);
/* How far a transform of `points` real samples overflows a 2 MiB cache,
 * in doublings (0 when it fits): transforms that big go to memory. */
double tessel_cost_spill(double points);

/* The features a fit multiplies the constants by: term[0], then the other
 * terms divided by parallel. */
void tessel_cost_features(const tessel_cost_work *work, double features[TESSEL_COST_TERMS]);

/* Estimated seconds of a method's run by the constants. */
double tessel_cost_seconds(const tessel_cost_constants *k, tessel_method method,
                           const tessel_cost_work *work);

/* Method AUTO: picks the cheapest method the backend can run for the plan
 * (separable only for a rank-1 2-D kernel, i.e. when `separable` is 1;
 * running only for a box-like kernel, when `box_like` is 1, and then in
 * place of direct and separable when it is the cheaper of them on a
 * 1024x1024 output: a choice by the kernel and options, not the image's
 * size, so that tiles and chunks run what the whole does); estimates
 * within 5% or 10 us of the least are a tie, won by separable, then
 * direct, then running, then fft-block, then fft. Writes the choice and the estimates
 * into reason, the choice first, e.g. "cost model (tuned profile):
 * fft-block 120 ms < direct 610 ms < fft 870 ms" ("~" for a tie). */
tessel_method tessel_cost_choose(tessel_plan *plan, int separable, int box_like, char *reason,
                                 size_t reason_size);

#endif
