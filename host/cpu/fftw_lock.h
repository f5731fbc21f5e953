/* FFTW's planner keeps process-wide state and is not thread-safe: every
 * fftwf_plan_*, fftwf_destroy_plan and fftwf_plan_with_nthreads call in
 * tessel runs between these two calls. fftwf_execute needs no lock. */
#ifndef TESSEL_CPU_FFTW_LOCK_H
#define TESSEL_CPU_FFTW_LOCK_H

#include <fftw3.h>

/* Takes the lock; the first call also sets up FFTW's threads. Returns 1
 * when FFTW may plan with several threads, 0 when its thread setup failed
 * (plans then use one thread). */
int tessel_fftw_lock(void);
void tessel_fftw_unlock(void);

/* fftwf_destroy_plan under the lock. Accepts NULL. */
void tessel_fftw_destroy_plan(fftwf_plan plan);

#endif
