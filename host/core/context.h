/* The context: chosen backend, its state, logging and the last error. */
#ifndef TESSEL_CORE_CONTEXT_H
#define TESSEL_CORE_CONTEXT_H

#include "backend.h"
#include "error.h"

#define TESSEL_MESSAGE_SIZE 512

struct tessel_context {
    tessel_backend backend;
    const tessel_backend_ops *ops;
    void *backend_state;     /* owned by ops */
    int threads;             /* CPU workers (1 = caller only) */
    char device_name[160];
    char device_spec[64];    /* resolved device string for the backend ("" = its default) */
    void *cl_queue;          /* the backend's OpenCL queue, for interop; NULL when it
                                has none */
    tessel_log_fn log;
    void *log_user;
    tessel_log_level log_level; /* messages above this level are dropped */
    char last_error[TESSEL_MESSAGE_SIZE];
};

/* The table of backend id in this build, NULL when it was built without. */
const tessel_backend_ops *tessel_backend_of(tessel_backend id);

/* Resolves the backend and device string from the options and
 * $TESSEL_DEVICE (for AUTO) (resolve.c): an application's OpenCL queue
 * picks the backend that adopts one; a device string the backend that
 * claims it most strongly (backend.h), which must be the one asked for, if
 * any; AUTO with nothing named the backend whose device AUTO wants most.
 * spec receives the device string the backend should select ("" for its
 * default). */
tessel_status tessel_resolve_device(const tessel_context_options *options,
                                    const tessel_backend_ops **ops, char *spec, size_t spec_size);

/* Sends a message to the context's log callback (or stderr when $TESSEL_LOG
 * asked for it). Cheap when logging is off. */
void tessel_log(tessel_context *ctx, tessel_log_level level, const char *fmt, ...)
    TESSEL_PRINTF(3, 4);

#endif
