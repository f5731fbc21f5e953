/* The batch object: options, devices and their counts (tessel_batch.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "core/versioned.h"
#include "engine.h"

#define MAX_IO_THREADS 256

static int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)(n < MAX_IO_THREADS ? n : MAX_IO_THREADS) : 1;
}

static tessel_status check_options(const tessel_batch_options *o)
{
    RETURN_ERROR_IF(o->queues_per_device < 0 || o->queues_per_device > 16, NULL,
                    TESSEL_ERR_INVALID_ARGUMENT, "queues per device %d is not in 0..16",
                    o->queues_per_device);
    RETURN_ERROR_IF(o->io_threads < 0 || o->io_threads > MAX_IO_THREADS, NULL,
                    TESSEL_ERR_INVALID_ARGUMENT, "I/O thread count %d is not in 0..%d",
                    o->io_threads, MAX_IO_THREADS);
    RETURN_ERROR_IF(o->cpu_threads < 0 || o->cpu_threads > TESSEL_MAX_THREADS, NULL,
                    TESSEL_ERR_INVALID_ARGUMENT, "CPU thread count %d is not in 0..%d",
                    o->cpu_threads, TESSEL_MAX_THREADS);
    RETURN_ERROR_IF(o->max_in_flight < 0, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "max_in_flight %d is negative (0 means the default)", o->max_in_flight);
    return TESSEL_OK;
}

tessel_status tessel_batch_create(const tessel_batch_options *options, tessel_batch **out_batch)
{
    RETURN_ERROR_IF(!out_batch, NULL, TESSEL_ERR_NULL_POINTER, "out_batch is NULL");
    *out_batch = NULL;
    static const tessel_struct_kind kind = TESSEL_STRUCT_KIND(tessel_batch_options);
    tessel_batch_options o;
    FORWARD_IF_ERROR(tessel_struct_read(NULL, &kind, options, &o));
    FORWARD_IF_ERROR(check_options(&o));
    tessel_batch *b = calloc(1, sizeof *b);
    RETURN_ERROR_IF(!b, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a batch");
    tessel_status s = tessel_batch_open_devices(b, &o);
    if (s != TESSEL_OK) {
        free(b);
        return s;
    }
    int cores = online_cores();
    b->io_threads = o.io_threads > 0 ? o.io_threads : cores > 2 ? cores : 2;
    b->max_in_flight = o.max_in_flight > 0 ? o.max_in_flight : 2 * b->worker_count + b->io_threads;
    b->force = o.force != 0;
    b->on_item = o.on_item;
    b->user = o.user;
    *out_batch = b;
    return TESSEL_OK;
}

void tessel_batch_destroy(tessel_batch *batch)
{
    if (!batch) return;
    tessel_batch_close_devices(batch);
    free(batch);
}

int tessel_batch_device_count(const tessel_batch *batch)
{
    return batch ? batch->device_count : 0;
}

tessel_status tessel_batch_device_get(const tessel_batch *batch, int index,
                                      tessel_batch_device *out)
{
    RETURN_ERROR_IF(!batch || !out, NULL, TESSEL_ERR_NULL_POINTER, "%s is NULL",
                    batch ? "out" : "batch");
    RETURN_ERROR_IF(index < 0 || index >= batch->device_count, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "device %d is not in 0..%d", index, batch->device_count - 1);
    *out = batch->devices[index];
    return TESSEL_OK;
}

const char *tessel_batch_device_reason(const tessel_batch *batch, int index)
{
    if (!batch || index < 0 || index >= batch->device_count) return "";
    return batch->reasons[index];
}
