/*
 * tessel — the batch engine: many image files through one filter.
 *
 * A run reads, filters and writes a list of files with every stage busy at
 * once: a few I/O threads read and decode inputs and encode and write
 * outputs, while one worker thread per device queue filters (upload,
 * convolution and download on an OpenCL device; the CPU backend's own
 * threads). A free queue takes the next decoded image, so faster devices
 * take more of the work. Plans are made once per input shape on each queue
 * and reused. The images in flight (decoded and not yet written) are
 * bounded, which bounds memory.
 *
 * Resume: an input whose output exists, is newer than the input and was
 * made by the same filter is skipped (unless force is set; see
 * tessel_batch_run), so a run that was interrupted continues where it
 * stopped, and touching an input or changing the filter makes it run
 * again. An output
 * that is its input file itself fails unless force is set (resume could
 * not tell the filtered file from the input, and would filter it again).
 *
 * A failing file (unreadable, corrupt, a shape the filter cannot take, an
 * unwritable output) is reported through the on_item callback with its
 * status and message, and the run carries on with the others. Outputs are
 * written atomically (tessel_io.h): a failure never leaves a partial file.
 *
 * Thread safety
 *   - A tessel_batch belongs to one thread at a time; tessel_batch_run runs
 *     the engine's threads inside the call and joins them before returning.
 *   - on_item is called from the engine's threads (and from the caller's
 *     thread for skipped inputs), one call at a time, never concurrently.
 *   - A process callback runs on the device workers, several at once, each
 *     with its own context and state: it must only share what is safe to
 *     share (the kernels, the caller's read-only data).
 */
#ifndef TESSEL_TESSEL_BATCH_H
#define TESSEL_TESSEL_BATCH_H

#include "tessel.h"
#include "tessel_io.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tessel_batch tessel_batch;

/* ------------------------------------------------------------- reporting */

typedef enum tessel_batch_outcome {
    TESSEL_BATCH_WRITTEN = 0, /* filtered and written */
    TESSEL_BATCH_SKIPPED = 1, /* its output is newer than it and made by the same filter
                                 (resume): left as it was */
    TESSEL_BATCH_FAILED = 2   /* status and message say why; no output was written */
} tessel_batch_outcome;

/* What became of one input. The strings live until the callback returns. */
typedef struct tessel_batch_item {
    int index;         /* position in the run's input list */
    const char *input; /* the paths as given to tessel_batch_run */
    const char *output;
    tessel_batch_outcome outcome;
    tessel_status status; /* TESSEL_OK unless FAILED */
    const char *message;  /* "" unless FAILED; a read or write failure names the file */
    int device;           /* the device that filtered it (tessel_batch_device_get), -1 if none */
    double seconds;       /* from the start of its reading to the end of its writing */
} tessel_batch_item;

/* The counts of a run so far (or at its end). */
typedef struct tessel_batch_progress {
    int total; /* inputs of the run */
    int done;  /* written + skipped + failed */
    int written;
    int skipped;
    int failed;
    double elapsed;           /* seconds since the run began */
    double images_per_second; /* inputs read and filtered (skipped ones not counted) per second */
    double eta;               /* seconds left at that rate; -1 while unknown */
} tessel_batch_progress;

typedef void (*tessel_batch_item_fn)(void *user, const tessel_batch_item *item,
                                     const tessel_batch_progress *progress);

/* ---------------------------------------------------------------- engine */

typedef struct tessel_batch_options {
    uint32_t struct_size; /* sizeof(tessel_batch_options); 0 = this version */
    /* Devices that take part, a comma-separated list of device strings
     * ("cpu", "opencl:N", "opencl", "gpu", a name) and "auto": as a single
     * context's auto, every OpenCL GPU, else the CPU backend ($TESSEL_DEVICE,
     * when set, instead). Default NULL = "auto" ("all" is another name for
     * it). An OpenCL device of another kind (PoCL's CPU device) joins only
     * when named, and the CPU backend beside GPUs only when listed
     * ("auto,cpu"). tessel_batch_device_reason says why each takes part. */
    const char *devices;
    int queues_per_device; /* workers per OpenCL device, each with its own context and
                              queue; default 0 = 2 (one transfers while the other computes).
                              The CPU backend always has one (its threads share the cores) */
    int io_threads;        /* threads that decode and encode; default 0 = the cores, at least 2 */
    int cpu_threads;       /* threads of the CPU backend's context; default 0 = all cores */
    int max_in_flight;     /* images decoded and not yet written; default 0 = twice the
                              device workers plus the I/O threads */
    int force;             /* default 0: skip inputs whose output is newer and was made by
                              the same filter (resume: see tessel_batch_run); 1: all */
    tessel_batch_item_fn on_item; /* default NULL; called once per input as it finishes */
    void *user;                   /* passed to on_item */
    tessel_log_fn log;            /* the contexts' log (tessel_context_options.log) */
    void *log_user;
} tessel_batch_options;

/* Opens a context per device queue. A device named in the list that cannot
 * be opened is an error (TESSEL_ERR_NO_DEVICE; TESSEL_ERR_INVALID_ARGUMENT
 * for a malformed list or option), with a message naming it; with "auto" an
 * OpenCL GPU that cannot be opened is left out (the CPU backend serves when
 * none opens). options may be NULL (all defaults). */
TESSEL_API tessel_status tessel_batch_create(const tessel_batch_options *options,
                                             tessel_batch **out_batch);
/* Accepts NULL. */
TESSEL_API void tessel_batch_destroy(tessel_batch *batch);

/* One device of the batch, with its share of the last run. */
typedef struct tessel_batch_device {
    tessel_backend backend; /* CPU or OPENCL */
    char spec[32];          /* the device string it was opened with: "cpu", "opencl:0" */
    char name[160];         /* tessel_context_device_name */
    int queues;             /* its workers */
    int images;             /* inputs it filtered in the last run */
    int failed;             /* inputs that failed while it filtered them */
    double busy_seconds;    /* time its workers spent filtering, summed over them */
} tessel_batch_device;

/* Why device `index` takes part ("named", "an OpenCL GPU (auto takes every
 * one)", "auto: no OpenCL GPU; ..."); "" for a bad index. Lives as long as
 * the batch. */
TESSEL_API const char *tessel_batch_device_reason(const tessel_batch *batch, int index);

/* How many devices take part (at least 1 for a created batch; 0 for NULL). */
TESSEL_API int tessel_batch_device_count(const tessel_batch *batch);
TESSEL_API tessel_status tessel_batch_device_get(const tessel_batch *batch, int index,
                                                 tessel_batch_device *out);

/* ------------------------------------------------------------------ work */

#define TESSEL_BATCH_MESSAGE_SIZE 512

/* One decoded image handed to a process callback. */
typedef struct tessel_batch_work {
    int index;               /* position of the input in the run */
    const char *input;       /* its path */
    int device;              /* the device of this worker */
    tessel_context *context; /* this worker's context (use it only inside the call) */
    void **state;            /* this worker's slot for the callback's own state (plans per
                                shape, scratch), NULL at first, kept across the images of
                                a run and given to release at its end */
    const tessel_image *src; /* the decoded input, packed */
    tessel_image dst;        /* set by the callback: the image to write, its data from
                                malloc(); the engine frees it with free() */
    char message[TESSEL_BATCH_MESSAGE_SIZE]; /* why it failed; left "", the message of
                                the library call that failed on this thread is used */
} tessel_batch_work;

/* Filters work->src into work->dst. Returns TESSEL_OK, or a status with
 * work->dst left empty (the engine frees data it finds anyway). */
typedef tessel_status (*tessel_batch_process_fn)(void *user, tessel_batch_work *work);
/* Frees a worker's state at the end of a run (only states that are not NULL). */
typedef void (*tessel_batch_release_fn)(void *user, void *state);

/*
 * What a run does to each image: either the built-in filter, one kernel
 * with conv options into out_dtype (a plan per input shape on each worker;
 * each output equals tessel_convolve2d on that worker's device), or the
 * caller's process callback (e.g. several kernels and their magnitude).
 * All-zero fields are defaults.
 */
typedef struct tessel_batch_filter {
    uint32_t struct_size;            /* sizeof(tessel_batch_filter); 0 = this version */
    const tessel_kernel *kernel;     /* the built-in filter; NULL when process is set */
    tessel_conv_options conv;        /* all-zero = defaults (tessel.h) */
    tessel_dtype out_dtype;          /* default 0 = the input's dtype */
    tessel_batch_process_fn process; /* instead of kernel: the caller's work on one image */
    tessel_batch_release_fn release; /* frees the states process made; may be NULL */
    void *user;                      /* passed to process and release */
    tessel_write_options write;      /* format and quality of the outputs (overwrite is ignored:
                                        the engine replaces outputs it decided to write;
                                        metadata is ignored: each output gets its input's ICC
                                        profile and resolution, the resolution divided by the
                                        stride the output's size shows) */
    const void *fingerprint;         /* default NULL; with a process callback, bytes that say
                                        what it does (its kernels and settings), so that resume
                                        redoes outputs made with other ones */
    size_t fingerprint_size;         /* bytes at fingerprint */
    tessel_read_options read;        /* how inputs are read (EXIF orientation) */
} tessel_batch_filter;

/*
 * Reads inputs[i], filters it and writes outputs[i], for i in 0..count-1,
 * in no particular order. Resume (without force): an output newer than its
 * input is skipped only when it was made by the same filter: the built-in
 * filter's kernel and conv options, out_dtype, the fingerprint bytes and
 * the write options. Each output written records that fingerprint, as an
 * extended attribute (user.tessel.fingerprint) where the file system has
 * them, else in a manifest (.tessel_fingerprints) in the output's folder,
 * saved atomically when the run ends; an output without one is redone.
 * Returns TESSEL_OK when every input was handled (written, skipped or
 * failed: summary and on_item tell which); an error only for bad arguments
 * (nothing is done) or when the engine cannot start its threads. summary
 * may be NULL. Device counts are reset at the start.
 */
TESSEL_API tessel_status tessel_batch_run(tessel_batch *batch, int count, const char *const *inputs,
                                          const char *const *outputs,
                                          const tessel_batch_filter *filter,
                                          tessel_batch_progress *summary);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_BATCH_H */
