/* The shared state of a run, under one lock: the inputs not yet started,
 * the image slots (at most max_in_flight images decoded and not yet
 * written, which bounds memory), the two queues between the stages
 *
 *     I/O threads --decoded--> device workers --filtered--> I/O threads
 *     (read, decode)           (upload, convolve, download)  (encode, write)
 *
 * and the counts reported as progress. The I/O threads prefer writing to
 * reading, so finished images leave before new ones come in. */
#ifndef TESSEL_BATCH_SCHEDULE_H
#define TESSEL_BATCH_SCHEDULE_H

#include <pthread.h>

#include "tessel/tessel_batch.h"
#include "tessel/tessel_io.h"

/* One image on its way through the stages. */
typedef struct batch_item {
    int index;        /* the input */
    tessel_image src; /* decoded, until filtered */
    tessel_image dst; /* filtered, until written */
    tessel_image_metadata metadata; /* the input's, for the output */
    int src_width, src_height;      /* the input's size, kept once src is freed */
    int device;       /* -1 until a device worker takes it */
    double started;   /* when its reading began */
    char message[TESSEL_BATCH_MESSAGE_SIZE];
} batch_item;

/* A ring of item pointers; its capacity is the slot count, so it never fills. */
typedef struct batch_fifo {
    batch_item **ring;
    int capacity, head, count;
} batch_fifo;

typedef struct batch_schedule {
    pthread_mutex_t lock;
    pthread_cond_t io_wake;     /* an image to write, a free slot, or the end */
    pthread_cond_t device_wake; /* an image to filter, or no more to come */
    batch_item *items;          /* the slots */
    batch_item **free_items;
    int item_count, free_count;
    batch_fifo decoded, filtered;
    const int *todo; /* inputs to run, in order */
    int todo_count;
    int next;     /* todo[next] is the next input to read */
    int decoding; /* inputs being read and decoded now */
    tessel_batch_progress progress;
    double started;
} batch_schedule;

/* Seconds on a monotonic clock. */
double tessel_batch_seconds(void);

/* Prepares a run of `todo_count` inputs listed by todo (which outlives the
 * schedule) with `slots` image slots, total inputs `total`. Returns
 * TESSEL_ERR_OUT_OF_MEMORY (message set) on failure. */
tessel_status tessel_batch_schedule_init(batch_schedule *s, const int *todo, int todo_count,
                                         int slots, int total);
void tessel_batch_schedule_destroy(batch_schedule *s);

/* For an I/O thread: waits for work. Returns an image to encode and write
 * (*write = 1), or a free slot whose `index` is the next input to read
 * (*write = 0), or NULL when the run is over. */
batch_item *tessel_batch_schedule_next_io(batch_schedule *s, int *write);
/* An I/O thread finished reading an item: queued for the devices when ok,
 * else the caller reports it as failed. */
void tessel_batch_schedule_decoded(batch_schedule *s, batch_item *item, int ok);

/* For a device worker: waits for an image to filter; NULL when none will come. */
batch_item *tessel_batch_schedule_next_device(batch_schedule *s);
/* A device worker filtered an item: queued for writing. */
void tessel_batch_schedule_filtered(batch_schedule *s, batch_item *item);

/* Counts a finished input (outcome) and copies the progress into *now. */
void tessel_batch_schedule_count(batch_schedule *s, tessel_batch_outcome outcome,
                                 tessel_batch_progress *now);
/* Gives an item's slot back (its images already freed). */
void tessel_batch_schedule_release(batch_schedule *s, batch_item *item);

/* No input not yet started will be: the threads finish what they hold. */
void tessel_batch_schedule_cancel(batch_schedule *s);

#endif
