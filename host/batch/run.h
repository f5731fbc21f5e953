/* One tessel_batch_run: its arguments, the schedule, and the threads'
 * bodies (stages.c). */
#ifndef TESSEL_BATCH_RUN_H
#define TESSEL_BATCH_RUN_H

#include "engine.h"
#include "schedule.h"

typedef struct batch_run {
    tessel_batch *batch;
    const char *const *inputs;
    const char *const *outputs;
    tessel_batch_filter filter; /* the caller's, as far as its version goes */
    tessel_write_options write; /* the filter's, with overwrite */
    batch_schedule schedule;
    pthread_mutex_t report_lock; /* on_item one call at a time, in the order counted */
    pthread_mutex_t stats_lock;  /* the devices' counts */
} batch_run;

/* What a device worker thread is given. */
typedef struct batch_worker_arg {
    batch_run *run;
    int worker;
} batch_worker_arg;

/* Thread bodies: arg is the batch_run, or a batch_worker_arg. */
void *batch_io_thread(void *run);
void *batch_device_thread(void *worker_arg);

/* Counts and reports one input (item may be NULL for a skipped input: no
 * slot, no device). */
void batch_report(batch_run *run, int index, tessel_batch_outcome outcome, tessel_status status,
                  const char *message, const batch_item *item);

/* What resume makes of an input's output (resume.c). */
typedef enum batch_freshness {
    BATCH_OUTPUT_STALE = 0,   /* missing, or not newer than the input: to be written */
    BATCH_OUTPUT_FRESH = 1,   /* newer than the input: skipped */
    BATCH_OUTPUT_IS_INPUT = 2 /* the input file itself: would be filtered again at each run */
} batch_freshness;

batch_freshness batch_output_freshness(const char *input, const char *output);

/* The built-in filter (filter.c): one kernel, a plan per input shape kept in
 * the worker's state. */
tessel_status batch_filter_process(const tessel_batch_filter *filter, tessel_batch_work *work);
void batch_filter_release(void *state);

#endif
