/* The temporary files of the command's writes (tessel.h, "temporary
 * files"): removed when a signal ends the command, and those a killed run
 * left in the output's folder removed when a command starts writing there. */
#ifndef TESSEL_CLI_TEMPORARIES_H
#define TESSEL_CLI_TEMPORARIES_H

#include "options.h"

/* SIGINT, SIGTERM and SIGHUP (unless ignored, as under nohup) remove the
 * temporary files of the writes in progress, then end the command as the
 * signal would have (a shell sees status 128 + the signal's number). */
void cli_temporaries_on_signals(void);

/* Removes the stale temporary files in the folder of -o (-o itself when
 * `folder`), each said with -v. */
void cli_temporaries_sweep(const cli_options *o, int folder);

#endif
