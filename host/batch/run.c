/* tessel_batch_run: checks, resume, the threads of a run, the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/versioned.h"
#include "run.h"

static tessel_status check_filter(const tessel_batch_filter *f)
{
    RETURN_ERROR_IF(!f->kernel && !f->process, NULL, TESSEL_ERR_NULL_POINTER,
                    "the filter has neither a kernel nor a process callback");
    RETURN_ERROR_IF(f->kernel && f->process, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "the filter has both a kernel and a process callback");
    RETURN_ERROR_IF(f->out_dtype != 0 && tessel_dtype_size(f->out_dtype) == 0, NULL,
                    TESSEL_ERR_INVALID_ARGUMENT, "output dtype %d is not u8, u16 or f32",
                    (int)f->out_dtype);
    if (!f->kernel) return TESSEL_OK;
    /* The options on an image as large as the kernel: what every image needs. */
    int w = tessel_kernel_width(f->kernel), h = tessel_kernel_height(f->kernel), ow, oh;
    return tessel_conv_output_size(w, h, f->kernel, &f->conv, &ow, &oh);
}

static tessel_status check_paths(int count, const char *const *inputs, const char *const *outputs)
{
    RETURN_ERROR_IF(count < 0, NULL, TESSEL_ERR_INVALID_ARGUMENT, "count %d is negative", count);
    if (count == 0) return TESSEL_OK;
    RETURN_ERROR_IF(!inputs || !outputs, NULL, TESSEL_ERR_NULL_POINTER, "%s is NULL",
                    inputs ? "outputs" : "inputs");
    for (int i = 0; i < count; ++i)
        RETURN_ERROR_IF(!inputs[i] || !outputs[i], NULL, TESSEL_ERR_NULL_POINTER, "%s %d is NULL",
                        inputs[i] ? "output" : "input", i);
    return TESSEL_OK;
}

void tessel_batch_report(batch_run *run, int index, tessel_batch_outcome outcome,
                         tessel_status status, const char *message, const batch_item *item)
{
    pthread_mutex_lock(&run->report_lock);
    tessel_batch_progress now;
    tessel_batch_schedule_count(&run->schedule, outcome, &now);
    tessel_batch *b = run->batch;
    if (b->on_item) {
        tessel_batch_item it;
        memset(&it, 0, sizeof it);
        it.index = index;
        it.input = run->inputs[index];
        it.output = run->outputs[index];
        it.outcome = outcome;
        it.status = status;
        it.message = message ? message : "";
        it.device = item ? item->device : -1;
        it.seconds = item ? tessel_batch_seconds() - item->started : 0;
        b->on_item(b->user, &it, &now);
    }
    pthread_mutex_unlock(&run->report_lock);
}

/* The inputs to run into todo, the others marked in `skip`: up to date
 * (BATCH_OUTPUT_FRESH: newer, and made by the same filter), or refused
 * (BATCH_OUTPUT_IS_INPUT). Their count. */
static int plan_todo(const batch_run *run, int count, int *todo, unsigned char *skip)
{
    int n = 0;
    for (int i = 0; i < count; ++i) {
        skip[i] = run->batch->force
                      ? BATCH_OUTPUT_STALE
                      : tessel_batch_output_freshness(run, run->inputs[i], run->outputs[i]);
        if (skip[i] == BATCH_OUTPUT_STALE) todo[n++] = i;
    }
    return n;
}

/* Reports the inputs plan_todo left out. */
static void report_left_out(batch_run *run, int count, const unsigned char *skip)
{
    for (int i = 0; i < count; ++i) {
        if (skip[i] == BATCH_OUTPUT_FRESH)
            tessel_batch_report(run, i, TESSEL_BATCH_SKIPPED, TESSEL_OK, "", NULL);
        if (skip[i] != BATCH_OUTPUT_IS_INPUT) continue;
        char message[TESSEL_BATCH_MESSAGE_SIZE];
        snprintf(message, sizeof message,
                 "\"%.200s\": the output is the input file itself (only force replaces it)",
                 run->outputs[i]);
        tessel_batch_report(run, i, TESSEL_BATCH_FAILED, TESSEL_ERR_IO, message, NULL);
    }
}

/* Starts `count` threads into ids; how many started. */
static int start_threads(pthread_t *ids, int count, void *(*body)(void *), void *args,
                         size_t arg_size)
{
    int started = 0;
    for (int i = 0; i < count; ++i)
        if (pthread_create(&ids[started], NULL, body, (char *)args + (size_t)i * arg_size) == 0)
            ++started;
    return started;
}

static void join_threads(pthread_t *ids, int count)
{
    for (int i = 0; i < count; ++i) pthread_join(ids[i], NULL);
}

/* The device workers and I/O threads, from start to end of the run. A
 * thread that cannot start leaves the work to the others; with no worker
 * or no I/O thread the run stops (the inputs not started are not reported). */
static tessel_status run_threads(batch_run *run, int todo_count)
{
    tessel_batch *b = run->batch;
    int io = b->io_threads < todo_count ? b->io_threads : todo_count;
    pthread_t *ids = calloc((size_t)(b->worker_count + io), sizeof *ids);
    batch_worker_arg *args = calloc((size_t)b->worker_count, sizeof *args);
    if (!ids || !args) {
        free(ids);
        free(args);
        return tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for %d threads",
                           b->worker_count + io);
    }
    for (int i = 0; i < b->worker_count; ++i) args[i] = (batch_worker_arg){run, i};
    int workers =
        start_threads(ids, b->worker_count, tessel_batch_device_thread, args, sizeof *args);
    /* Every I/O thread gets the run itself (an argument stride of 0). */
    int readers =
        workers > 0 ? start_threads(ids + workers, io, tessel_batch_io_thread, run, 0) : 0;
    if (readers == 0) tessel_batch_schedule_cancel(&run->schedule);
    join_threads(ids, workers + readers);
    free(ids);
    free(args);
    RETURN_ERROR_IF(readers == 0, NULL, TESSEL_ERR_OUT_OF_MEMORY,
                    "cannot start the batch's threads");
    return TESSEL_OK;
}

/* Frees what the process callback kept per worker. */
static void release_states(batch_run *run)
{
    tessel_batch *b = run->batch;
    const tessel_batch_filter *f = &run->filter;
    for (int i = 0; i < b->worker_count; ++i) {
        void *state = b->workers[i].state;
        b->workers[i].state = NULL;
        if (!state) continue;
        if (!f->process)
            tessel_batch_filter_release(state);
        else if (f->release)
            f->release(f->user, state);
    }
}

static void reset_counts(tessel_batch *b)
{
    for (int i = 0; i < b->device_count; ++i) {
        b->devices[i].images = b->devices[i].failed = 0;
        b->devices[i].busy_seconds = 0;
    }
}

static tessel_status run_all(batch_run *run, int count, int *todo, unsigned char *skip)
{
    int todo_count = plan_todo(run, count, todo, skip);
    /* No more slots than images to fill them. */
    int slots = run->batch->max_in_flight < todo_count ? run->batch->max_in_flight : todo_count;
    FORWARD_IF_ERROR(
        tessel_batch_schedule_init(&run->schedule, todo, todo_count, slots > 0 ? slots : 1, count));
    pthread_mutex_init(&run->report_lock, NULL);
    pthread_mutex_init(&run->stats_lock, NULL);
    report_left_out(run, count, skip);
    tessel_status s = todo_count > 0 ? run_threads(run, todo_count) : TESSEL_OK;
    release_states(run);
    pthread_mutex_destroy(&run->report_lock);
    pthread_mutex_destroy(&run->stats_lock);
    return s;
}

tessel_status tessel_batch_run(tessel_batch *batch, int count, const char *const *inputs,
                               const char *const *outputs, const tessel_batch_filter *filter,
                               tessel_batch_progress *summary)
{
    RETURN_ERROR_IF(!batch, NULL, TESSEL_ERR_NULL_POINTER, "batch is NULL");
    RETURN_ERROR_IF(!filter, NULL, TESSEL_ERR_NULL_POINTER, "filter is NULL");
    batch_run run;
    memset(&run, 0, sizeof run);
    /* version 2 added the fingerprint and the read options */
    static const tessel_struct_kind kind = {
        "tessel_batch_filter",
        {sizeof(tessel_batch_filter), TESSEL_STRUCT_SIZE_UNTIL(tessel_batch_filter, write)}};
    FORWARD_IF_ERROR(tessel_struct_read(NULL, &kind, filter, &run.filter));
    FORWARD_IF_ERROR(check_filter(&run.filter));
    FORWARD_IF_ERROR(check_paths(count, inputs, outputs));
    reset_counts(batch);
    run.batch = batch;
    run.inputs = inputs;
    run.outputs = outputs;
    run.write = run.filter.write; /* its own struct_size is checked by each write */
    run.fingerprint = tessel_batch_fingerprint(&run.filter, &run.write);
    run.prints = tessel_batch_prints_open();
    run.write.overwrite = 1; /* resume decided which outputs to replace */
    int *todo = malloc((size_t)(count > 0 ? count : 1) * sizeof *todo);
    unsigned char *skip = malloc((size_t)(count > 0 ? count : 1));
    tessel_status s = todo && skip ? run_all(&run, count, todo, skip)
                                   : tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY,
                                                 "out of memory for %d inputs", count);
    if (s == TESSEL_OK && summary) {
        *summary = run.schedule.progress;
        summary->elapsed = tessel_batch_seconds() - run.schedule.started;
        summary->eta = 0;
    }
    tessel_batch_schedule_destroy(&run.schedule);
    tessel_batch_prints_close(run.prints);
    free(todo);
    free(skip);
    return s;
}
