/* FFTW's planning effort, chosen by $TESSEL_FFTW_PLANNER for every FFTW
 * plan of the CPU backend: "estimate" (plans at once), "measure" or
 * "patient" (plans by timing candidates: seconds for a large size the first
 * time in a process, for transforms that may run about twice as fast). */
#ifndef TESSEL_CPU_FFTW_PLANNER_H
#define TESSEL_CPU_FFTW_PLANNER_H

#include "tessel/tessel.h"

/* FFTW_ESTIMATE, FFTW_MEASURE or FFTW_PATIENT as the variable asks, or
 * `unset` when it is unset or empty. An unknown value is logged as a
 * warning on ctx and also gives `unset`. */
unsigned tessel_fftw_planner_flags(tessel_context *ctx, unsigned unset);

#endif
