/* The command line's side of the batch engine (tessel_batch.h): a failing
 * file reported as it happens while the others go on, --verbose lines, the
 * progress bar, the summary, and the exit status (0 when all succeeded, 1
 * when any failed). */
#ifndef TESSEL_CLI_BATCH_H
#define TESSEL_CLI_BATCH_H

#include "failures.h"
#include "options.h"
#include "tessel/tessel_batch.h"

typedef struct cli_batch_job {
    const cli_options *o; /* quiet, verbose, force, the devices, input_count */
    int count;            /* the inputs handed to the engine, and their outputs */
    const char *const *inputs;
    const char *const *outputs;
    cli_failures *failures; /* holds the inputs that failed before (out of o->input_count);
                               the engine's failures join them */
    int force;              /* rewrite outputs newer than their input */
    const tessel_batch_filter *filter;
    void (*describe)(void *user, const tessel_batch_item *item); /* --verbose: a written input */
    void *user;
} cli_batch_job;

/* A batch: the job and the engine it runs on. */
typedef struct cli_batch {
    const cli_batch_job *job;
    tessel_batch *engine;
    int refused; /* failures before the engine ran */
} cli_batch;

/* Opens the engine on the run's devices (cli_open_batch) for `job`, whose
 * lists may be filled in later, before cli_batch_run. Returns an exit
 * status (the message printed). */
int cli_batch_open(cli_batch *b, const cli_batch_job *job);

/* Runs the job. The progress bar shows for several inputs unless quiet or
 * verbose (whose lines would fight it); the summary of several inputs
 * (counts, images per second, each device's share, the failed files)
 * shows unless quiet; with -q only a line counting failures remains.
 * Returns the exit status. */
int cli_batch_run(cli_batch *b);

/* Accepts a batch that did not open. */
void cli_batch_close(cli_batch *b);

#endif
