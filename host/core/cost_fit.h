/* Fitting a method's cost constants to measured times (tessel_tune). */
#ifndef TESSEL_CORE_COST_FIT_H
#define TESSEL_CORE_COST_FIT_H

#include "cost_model.h"

typedef struct tessel_cost_sample {
    double features[TESSEL_COST_TERMS]; /* tessel_cost_features of the case */
    double seconds;                     /* measured, > 0 */
} tessel_cost_sample;

/* Non-negative constants c minimising the sum over the samples of the
 * squared relative error (c . features - seconds) / seconds. A term whose
 * feature is 0 in every sample keeps the value c holds on entry (nothing
 * measured it). Returns 0, leaving c as it was, when no fit exists (fewer
 * samples than measured terms, or none with a positive estimate). */
int tessel_cost_fit(const tessel_cost_sample *samples, int count, double c[TESSEL_COST_TERMS]);

/* |c . features - seconds| / seconds of one sample. */
double tessel_cost_fit_error(const tessel_cost_sample *sample, const double c[TESSEL_COST_TERMS]);

#endif
