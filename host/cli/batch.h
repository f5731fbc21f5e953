/* The batch loop shared by the file commands: each input in turn, a failing
 * one reported and the rest carried on, the progress bar, a summary, and the
 * exit status (0 when all succeeded, 1 when any failed). */
#ifndef TESSEL_CLI_BATCH_H
#define TESSEL_CLI_BATCH_H

/* Processes input `index`; returns 0 on success, non-zero after printing
 * why it failed. */
typedef int (*batch_step)(void *state, int index);

/* Runs step over inputs 0..count-1. The progress bar shows unless quiet or
 * verbose (whose lines would fight it); the summary of a successful batch
 * of several files shows unless quiet, that of failures always (a single file's own message is
 * enough). */
int batch_run(int count, int quiet, int verbose, batch_step step, void *state);

#endif
