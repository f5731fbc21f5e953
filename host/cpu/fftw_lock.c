/* The process-wide FFTW planner lock (see fftw_lock.h). */
#include "fftw_lock.h"

#include <fftw3.h>
#include <pthread.h>

static pthread_mutex_t planner_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t threads_once = PTHREAD_ONCE_INIT;
static int threads_ready;

/* fftwf_init_threads is itself a planner call: run once, under the lock. */
static void init_threads(void)
{
    threads_ready = fftwf_init_threads() != 0;
}

int tessel_fftw_lock(void)
{
    pthread_mutex_lock(&planner_lock);
    pthread_once(&threads_once, init_threads);
    return threads_ready;
}

void tessel_fftw_unlock(void)
{
    pthread_mutex_unlock(&planner_lock);
}

void tessel_fftw_destroy_plan(fftwf_plan plan)
{
    if (!plan) return;
    tessel_fftw_lock();
    fftwf_destroy_plan(plan);
    tessel_fftw_unlock();
}
