/* One tessel_batch_run: its arguments, the schedule, and the threads'
 * bodies (stages.c). */
#ifndef TESSEL_BATCH_RUN_H
#define TESSEL_BATCH_RUN_H

#include "engine.h"
#include "schedule.h"

/* Outputs' fingerprints (fingerprint_store.c, below). */
typedef struct batch_prints batch_prints;

typedef struct batch_run {
    tessel_batch *batch;
    const char *const *inputs;
    const char *const *outputs;
    tessel_batch_filter filter; /* the caller's, as far as its version goes */
    tessel_write_options write; /* the filter's, with overwrite */
    uint64_t fingerprint;       /* of what makes the outputs (fingerprint.c) */
    batch_prints *prints;       /* where outputs' fingerprints are kept; may be NULL */
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
void *tessel_batch_io_thread(void *run);
void *tessel_batch_device_thread(void *worker_arg);

/* Counts and reports one input (item may be NULL for a skipped input: no
 * slot, no device). */
void tessel_batch_report(batch_run *run, int index, tessel_batch_outcome outcome,
                         tessel_status status, const char *message, const batch_item *item);

/* What resume makes of an input's output (resume.c). */
typedef enum batch_freshness {
    BATCH_OUTPUT_STALE = 0,   /* missing, older than the input, or made by another filter:
                                 to be written */
    BATCH_OUTPUT_FRESH = 1,   /* newer than the input and made by this run's filter: skipped */
    BATCH_OUTPUT_IS_INPUT = 2 /* the input file itself: would be filtered again at each run */
} batch_freshness;

batch_freshness tessel_batch_output_freshness(const batch_run *run, const char *input,
                                              const char *output);

/* The fingerprint of what makes the outputs of a run with filter f written
 * with w: the built-in filter's kernel and options, the output dtype, the
 * caller's fingerprint bytes and the write options (fingerprint.c). */
uint64_t tessel_batch_fingerprint(const tessel_batch_filter *f, const tessel_write_options *w);

/* Outputs' fingerprints (fingerprint_store.c): an extended attribute of
 * the output, else a manifest in its folder. Thread-safe; p may be NULL
 * (out of memory), then only extended attributes are used. */
batch_prints *tessel_batch_prints_open(void);
/* 1 with *print when output has a recorded fingerprint. */
int tessel_batch_prints_get(batch_prints *p, const char *output, uint64_t *print);
void tessel_batch_prints_put(batch_prints *p, const char *output, uint64_t print);
/* Saves the manifests changed, and frees. Accepts NULL. */
void tessel_batch_prints_close(batch_prints *p);

/* The built-in filter (filter.c): one kernel, a plan per input shape kept in
 * the worker's state. */
tessel_status tessel_batch_filter_process(const tessel_batch_filter *filter,
                                          tessel_batch_work *work);
void tessel_batch_filter_release(void *state);

#endif
