/* The batch engine (tessel_batch.h): a batch is a list of devices, each
 * with one or more workers (a context and, during a run, a thread), and the
 * options that shape a run. */
#ifndef TESSEL_BATCH_ENGINE_H
#define TESSEL_BATCH_ENGINE_H

#include "tessel/tessel_batch.h"

/* Room for why a device takes part (tessel_batch_device_reason). */
#define BATCH_REASON_SIZE 128

typedef struct batch_worker {
    tessel_context *context; /* belongs to the worker's thread during a run */
    int device;              /* index into the batch's devices */
    void *state;             /* the process callback's state for this worker */
} batch_worker;

struct tessel_batch {
    tessel_batch_device *devices; /* with the counts of the last run */
    char (*reasons)[BATCH_REASON_SIZE]; /* why each device takes part */
    int device_count;
    batch_worker *workers;
    int worker_count;
    int io_threads;
    int max_in_flight;
    int force;
    tessel_batch_item_fn on_item;
    void *user;
};

/* Opens the devices of options->devices and their workers into batch
 * (devices/workers arrays allocated). On failure everything opened is
 * closed again and the message is set. */
tessel_status tessel_batch_open_devices(tessel_batch *batch, const tessel_batch_options *options);

/* Destroys the workers' contexts and frees both arrays. */
void tessel_batch_close_devices(tessel_batch *batch);

#endif
