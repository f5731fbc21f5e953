/* The shared state of a run (see schedule.h). */
#include "schedule.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/error.h"

double tessel_batch_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void fifo_push(batch_fifo *f, batch_item *item)
{
    f->ring[(f->head + f->count) % f->capacity] = item;
    ++f->count;
}

static batch_item *fifo_pop(batch_fifo *f)
{
    if (f->count == 0) return NULL;
    batch_item *item = f->ring[f->head];
    f->head = (f->head + 1) % f->capacity;
    --f->count;
    return item;
}

tessel_status tessel_batch_schedule_init(batch_schedule *s, const int *todo, int todo_count,
                                         int slots, int total)
{
    memset(s, 0, sizeof *s);
    s->items = calloc((size_t)slots, sizeof *s->items);
    s->free_items = calloc((size_t)slots, sizeof *s->free_items);
    s->decoded.ring = calloc((size_t)slots, sizeof *s->decoded.ring);
    s->filtered.ring = calloc((size_t)slots, sizeof *s->filtered.ring);
    if (!s->items || !s->free_items || !s->decoded.ring || !s->filtered.ring) {
        tessel_batch_schedule_destroy(s);
        return tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for %d images in flight",
                           slots);
    }
    for (int i = 0; i < slots; ++i) s->free_items[i] = &s->items[slots - 1 - i];
    s->item_count = s->free_count = slots;
    s->decoded.capacity = s->filtered.capacity = slots;
    s->todo = todo;
    s->todo_count = todo_count;
    s->progress.total = total;
    s->progress.eta = -1;
    s->started = tessel_batch_seconds();
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->io_wake, NULL);
    pthread_cond_init(&s->device_wake, NULL);
    return TESSEL_OK;
}

void tessel_batch_schedule_destroy(batch_schedule *s)
{
    if (s->items) {
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->io_wake);
        pthread_cond_destroy(&s->device_wake);
    }
    free(s->items);
    free(s->free_items);
    free(s->decoded.ring);
    free(s->filtered.ring);
    memset(s, 0, sizeof *s);
}

/* Nothing is left to read and no slot is in use. */
static int all_done(const batch_schedule *s)
{
    return s->next == s->todo_count && s->free_count == s->item_count;
}

batch_item *tessel_batch_schedule_next_io(batch_schedule *s, int *write)
{
    pthread_mutex_lock(&s->lock);
    batch_item *item = NULL;
    for (;;) {
        if ((item = fifo_pop(&s->filtered)) != NULL) {
            *write = 1;
            break;
        }
        if (s->next < s->todo_count && s->free_count > 0) {
            item = s->free_items[--s->free_count];
            memset(item, 0, sizeof *item);
            item->index = s->todo[s->next++];
            item->device = -1;
            ++s->decoding;
            *write = 0;
            break;
        }
        if (all_done(s)) break;
        pthread_cond_wait(&s->io_wake, &s->lock);
    }
    pthread_mutex_unlock(&s->lock);
    return item;
}

void tessel_batch_schedule_decoded(batch_schedule *s, batch_item *item, int ok)
{
    pthread_mutex_lock(&s->lock);
    --s->decoding;
    if (ok) fifo_push(&s->decoded, item);
    /* One worker for the image; all of them when none will follow. */
    if (s->next == s->todo_count && s->decoding == 0)
        pthread_cond_broadcast(&s->device_wake);
    else if (ok)
        pthread_cond_signal(&s->device_wake);
    pthread_mutex_unlock(&s->lock);
}

batch_item *tessel_batch_schedule_next_device(batch_schedule *s)
{
    pthread_mutex_lock(&s->lock);
    batch_item *item;
    while (!(item = fifo_pop(&s->decoded)) && !(s->next == s->todo_count && s->decoding == 0))
        pthread_cond_wait(&s->device_wake, &s->lock);
    pthread_mutex_unlock(&s->lock);
    return item;
}

void tessel_batch_schedule_filtered(batch_schedule *s, batch_item *item)
{
    pthread_mutex_lock(&s->lock);
    fifo_push(&s->filtered, item);
    pthread_cond_signal(&s->io_wake);
    pthread_mutex_unlock(&s->lock);
}

void tessel_batch_schedule_count(batch_schedule *s, tessel_batch_outcome outcome,
                                 tessel_batch_progress *now)
{
    pthread_mutex_lock(&s->lock);
    tessel_batch_progress *p = &s->progress;
    if (outcome == TESSEL_BATCH_WRITTEN) ++p->written;
    if (outcome == TESSEL_BATCH_SKIPPED) ++p->skipped;
    if (outcome == TESSEL_BATCH_FAILED) ++p->failed;
    ++p->done;
    p->elapsed = tessel_batch_seconds() - s->started;
    int worked = p->written + p->failed;
    p->images_per_second = worked > 0 && p->elapsed > 0 ? worked / p->elapsed : 0;
    p->eta = p->done == p->total        ? 0
             : p->images_per_second > 0 ? (p->total - p->done) / p->images_per_second
                                        : -1;
    *now = *p;
    pthread_mutex_unlock(&s->lock);
}

void tessel_batch_schedule_release(batch_schedule *s, batch_item *item)
{
    pthread_mutex_lock(&s->lock);
    s->free_items[s->free_count++] = item;
    /* A slot for one reader; everyone when the run is over. */
    if (all_done(s))
        pthread_cond_broadcast(&s->io_wake);
    else
        pthread_cond_signal(&s->io_wake);
    pthread_mutex_unlock(&s->lock);
}

void tessel_batch_schedule_cancel(batch_schedule *s)
{
    pthread_mutex_lock(&s->lock);
    s->todo_count = s->next;
    pthread_cond_broadcast(&s->io_wake);
    pthread_cond_broadcast(&s->device_wake);
    pthread_mutex_unlock(&s->lock);
}
