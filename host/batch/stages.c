/* The stages of a run: I/O threads read and decode inputs and encode and
 * write outputs; device workers filter (see schedule.h for the flow). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "run.h"

/* The message of a failure: the stage's own, else the library's last
 * message on this thread (cleared before the stage ran), else the status. */
static void keep_message(batch_item *item, const char *own, tessel_status status)
{
    const char *m = own && *own            ? own
                    : *tessel_last_error() ? tessel_last_error()
                                           : tessel_status_string(status);
    snprintf(item->message, sizeof item->message, "%s", m);
}

/* Forgets this thread's last library message, so that a stage's failure
 * is never explained by an earlier one. */
static void clear_thread_error(void)
{
    tessel_fail(NULL, TESSEL_OK, "%s", "");
}

static void fail_item(batch_run *run, batch_item *item, tessel_status status)
{
    tessel_image_free(&item->src);
    tessel_image_metadata_free(&item->metadata);
    free(item->dst.data);
    item->dst.data = NULL;
    tessel_batch_report(run, item->index, TESSEL_BATCH_FAILED, status, item->message, item);
    tessel_batch_schedule_release(&run->schedule, item);
}

static void read_input(batch_run *run, batch_item *item)
{
    item->started = tessel_batch_seconds();
    clear_thread_error();
    tessel_status s = tessel_image_read_ex(run->inputs[item->index], &run->filter.read, &item->src,
                                           &item->metadata);
    if (s != TESSEL_OK) keep_message(item, NULL, s);
    item->src_width = item->src.width;
    item->src_height = item->src.height;
    tessel_batch_schedule_decoded(&run->schedule, item, s == TESSEL_OK);
    if (s != TESSEL_OK) fail_item(run, item, s);
}

/* The input's metadata for its output: a stride (the output's size a
 * whole fraction of the input's) spaces the pixels that much wider. */
static tessel_image_metadata output_metadata(const batch_item *item)
{
    tessel_image_metadata m = item->metadata;
    long sx = lround((double)item->src_width / item->dst.width);
    long sy = lround((double)item->src_height / item->dst.height);
    if (sx > 1) m.resolution_x /= (double)sx;
    if (sy > 1) m.resolution_y /= (double)sy;
    return m;
}

static void write_output(batch_run *run, batch_item *item)
{
    clear_thread_error();
    tessel_write_options write = run->write;
    tessel_image_metadata metadata = output_metadata(item);
    write.metadata = &metadata;
    tessel_status s = tessel_image_write(run->outputs[item->index], &item->dst, &write);
    tessel_image_metadata_free(&item->metadata);
    free(item->dst.data);
    item->dst.data = NULL;
    if (s != TESSEL_OK) {
        keep_message(item, NULL, s);
        fail_item(run, item, s);
        return;
    }
    tessel_batch_prints_put(run->prints, run->outputs[item->index], run->fingerprint);
    tessel_batch_report(run, item->index, TESSEL_BATCH_WRITTEN, TESSEL_OK, "", item);
    tessel_batch_schedule_release(&run->schedule, item);
}

void *tessel_batch_io_thread(void *arg)
{
    batch_run *run = arg;
    int write = 0;
    batch_item *item;
    while ((item = tessel_batch_schedule_next_io(&run->schedule, &write)) != NULL) {
        if (write)
            write_output(run, item);
        else
            read_input(run, item);
    }
    return NULL;
}

/* A process callback's image must be one the writer can take. */
static int usable_output(const tessel_image *img)
{
    size_t sample = tessel_dtype_size(img->dtype);
    return img->data && img->width > 0 && img->height > 0 && img->channels >= 1 &&
           img->channels <= 4 && sample > 0 &&
           (img->stride == 0 || img->stride >= (size_t)img->width * (size_t)img->channels * sample);
}

/* Runs the filter on the item in the worker's context; the result lands
 * in item->dst. */
static tessel_status filter_item(batch_run *run, batch_worker *worker, batch_item *item)
{
    const tessel_batch_filter *f = &run->filter;
    tessel_batch_work work;
    memset(&work, 0, sizeof work);
    work.index = item->index;
    work.input = run->inputs[item->index];
    work.device = worker->device;
    work.context = worker->context;
    work.state = &worker->state;
    work.src = &item->src;
    clear_thread_error();
    tessel_status s =
        f->process ? f->process(f->user, &work) : tessel_batch_filter_process(f, &work);
    item->dst = work.dst;
    if (s == TESSEL_OK && !usable_output(&item->dst)) {
        s = TESSEL_ERR_INVALID_ARGUMENT;
        snprintf(work.message, sizeof work.message,
                 "the process callback returned no usable image (%dx%d, %d channels)",
                 item->dst.width, item->dst.height, item->dst.channels);
    }
    if (s != TESSEL_OK) keep_message(item, work.message, s);
    return s;
}

static void count_device(batch_run *run, int device, int ok, double seconds)
{
    pthread_mutex_lock(&run->stats_lock);
    tessel_batch_device *d = &run->batch->devices[device];
    if (ok)
        ++d->images;
    else
        ++d->failed;
    d->busy_seconds += seconds;
    pthread_mutex_unlock(&run->stats_lock);
}

void *tessel_batch_device_thread(void *arg)
{
    batch_run *run = ((batch_worker_arg *)arg)->run;
    batch_worker *worker = &run->batch->workers[((batch_worker_arg *)arg)->worker];
    batch_item *item;
    while ((item = tessel_batch_schedule_next_device(&run->schedule)) != NULL) {
        item->device = worker->device;
        double started = tessel_batch_seconds();
        tessel_status s = filter_item(run, worker, item);
        tessel_image_free(&item->src);
        count_device(run, worker->device, s == TESSEL_OK, tessel_batch_seconds() - started);
        if (s == TESSEL_OK)
            tessel_batch_schedule_filtered(&run->schedule, item);
        else
            fail_item(run, item, s);
    }
    return NULL;
}
