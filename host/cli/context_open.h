/* The library context of a run, or the batch engine's devices. */
#ifndef TESSEL_CLI_CONTEXT_OPEN_H
#define TESSEL_CLI_CONTEXT_OPEN_H

#include "options.h"
#include "tessel/tessel.h"
#include "tessel/tessel_batch.h"

/* Creates the context for --device (else $TESSEL_DEVICE, else auto) and
 * --threads. Returns CLI_EXIT_OK, CLI_EXIT_USAGE for a device string the
 * library rejects, or CLI_EXIT_FAILED when the device is not usable here;
 * the message is printed. */
int cli_open_context(const cli_options *o, tessel_context **ctx);

/* Creates the batch engine with `options` (callback, force) on the devices
 * of --devices, else --device, else $TESSEL_DEVICE, else "auto" (every
 * OpenCL GPU, else the CPU backend); the CPU backend with --threads
 * threads, --jobs I/O threads. Returns as cli_open_context. */
int cli_open_batch(const cli_options *o, tessel_batch_options *options, tessel_batch **batch);

#endif
