/* A one-line progress bar on stderr for batches: count, images per second
 * and time left, as the batch engine measures them.
 *
 * It is drawn only when stderr is a terminal and the batch has more than one
 * input (progress_start decides); otherwise every call does nothing. Any
 * message printed while it is shown must call progress_clear first (the
 * report.h functions do). */
#ifndef TESSEL_CLI_PROGRESS_H
#define TESSEL_CLI_PROGRESS_H

/* Begins a batch of `total` inputs; shows the bar when `enabled` and it
 * makes sense (terminal, total > 1). */
void progress_start(int total, int enabled);
/* `done` inputs are finished (written, skipped or failed), at `rate`
 * images per second with `eta` seconds left (< 0: unknown): redraws the bar. */
void progress_update(int done, double rate, double eta);
/* Erases the bar from the line (it is drawn again by the next update). */
void progress_clear(void);
/* Ends the batch: erases the bar for good. */
void progress_finish(void);

/* Seconds on a monotonic clock, for rates and timings. */
double cli_seconds(void);

#endif
