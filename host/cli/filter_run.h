/* The state of one `tessel filter` run: the kernels, the inputs handed to
 * the batch engine with their outputs, and the work on one image that the
 * engine's device workers call. */
#ifndef TESSEL_CLI_FILTER_RUN_H
#define TESSEL_CLI_FILTER_RUN_H

#include "failures.h"
#include "options.h"
#include "tessel/tessel.h"
#include "tessel/tessel_batch.h"

/* What filtering one image did, for --verbose (printed once it is written). */
typedef struct filter_note {
    int reused; /* the worker had the plans of its shape */
    char *text; /* sizes, then one line per kernel: backend, device, method */
} filter_note;

typedef struct filter_run {
    const cli_options *o;
    tessel_kernel *kernels[CLI_MAX_KERNELS];
    int kernel_count;
    int folder; /* -o is a folder */
    int strict; /* one input: an existing output is an error without --force */
    /* The inputs given to the engine (those whose output could be named and
     * was not taken) and their outputs; the others failed before. */
    const char **inputs;
    char **outputs;
    int count;
    cli_failures failures; /* every failed input, the refused ones first */
    filter_note *notes;    /* --verbose: by engine index */
    unsigned char *fingerprint; /* what filtering does, for resume (filter_fingerprint) */
    size_t fingerprint_size;
} filter_run;

/* The bytes that say what filtering does (options, kernels) into
 * run->fingerprint, after the kernels are loaded (filter_fingerprint.c).
 * Returns 0, or CLI_EXIT_FAILED after a message when out of memory. */
int filter_fingerprint(filter_run *run);

/* Names every input's output (filter_outputs.c), refusing (reported in
 * run->failures) an output that cannot be named, that an earlier input
 * has, or (strict) that exists. Returns 0, or CLI_EXIT_FAILED when out of
 * memory. */
int filter_plan_outputs(filter_run *run);
void filter_free_outputs(filter_run *run);

/* The engine's process callback and its release (filter_image.c): the
 * pipeline of the image's shape, kept per worker for the next ones. */
tessel_status filter_process(void *run, tessel_batch_work *work);
void filter_release(void *run, void *state);

/* Prints the --verbose lines of a written input (filter_image.c). */
void filter_describe(void *run, const tessel_batch_item *item);

#endif
