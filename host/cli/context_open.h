/* The library context of a run. */
#ifndef TESSEL_CLI_CONTEXT_OPEN_H
#define TESSEL_CLI_CONTEXT_OPEN_H

#include "options.h"
#include "tessel/tessel.h"

/* Creates the context for --device (else $TESSEL_DEVICE, else auto) and
 * --threads. Returns CLI_EXIT_OK, CLI_EXIT_USAGE for a device string the
 * library rejects, or CLI_EXIT_FAILED when the device is not usable here;
 * the message is printed. */
int cli_open_context(const cli_options *o, tessel_context **ctx);

#endif
