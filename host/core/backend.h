/* The interface every backend implements: one static const instance each.
 * The core validates arguments and builds the geometry; a backend only runs
 * plans. A backend answers TESSEL_ERR_UNSUPPORTED (with a message) for cases
 * it does not handle; the core never switches backend silently. */
#ifndef TESSEL_CORE_BACKEND_H
#define TESSEL_CORE_BACKEND_H

#include "tessel/tessel.h"

/* What a plan would allocate where the backend computes, and what it may
 * use there (see plan_memory below). */
typedef struct tessel_plan_memory {
    size_t workspace_bytes; /* what preparing the plan allocates besides the
                               input and output images (temporaries, FFT
                               planes and spectra, taps) */
    size_t largest_bytes;   /* the largest single allocation among those */
    size_t device_bytes;    /* memory tessel may use on the device: the
                               device's, capped by TESSEL_DEVICE_MEMORY_LIMIT */
    size_t alloc_bytes;     /* the largest single allocation allowed */
    size_t limit_bytes;     /* TESSEL_DEVICE_MEMORY_LIMIT, 0 when not set */
} tessel_plan_memory;

typedef struct tessel_backend_ops {
    const char *name;
    /* Sets ctx->backend_state, ctx->threads and ctx->device_name. */
    tessel_status (*context_init)(tessel_context *ctx, const tessel_context_options *options);
    void (*context_release)(tessel_context *ctx);
    /* Allocates plan->backend_state for the plan's geometry and method. */
    tessel_status (*plan_prepare)(tessel_plan *plan);
    /* Runs the plan; src and dst are validated against the plan already. */
    tessel_status (*plan_execute)(tessel_plan *plan, const tessel_image *src,
                                  const tessel_image *dst);
    void (*plan_release)(tessel_plan *plan);
    /* Buffers (core/buffer.h): storage, transfers and runs between buffers,
     * all validated by the core first. */
    tessel_status (*buffer_alloc)(tessel_buffer *buffer);
    void (*buffer_release)(tessel_buffer *buffer);
    tessel_status (*buffer_upload)(tessel_buffer *buffer, const tessel_image *src);
    tessel_status (*buffer_download)(const tessel_buffer *buffer, const tessel_image *dst);
    tessel_status (*plan_execute_buffers)(tessel_plan *plan, const tessel_buffer *src,
                                          const tessel_buffer *dst);
    tessel_status (*combine)(tessel_context *ctx, const tessel_buffer *a, const tessel_buffer *b,
                             tessel_combine_op op, const tessel_buffer *dst);
    tessel_status (*finish)(tessel_context *ctx);
    /* Optional (NULL: memory is the host's, plans never tile for memory).
     * Estimates, without allocating, what plan_prepare would allocate for
     * the plan's geometry and method (core/tiles.c decides from it whether
     * a plan runs whole or in tiles). */
    tessel_status (*plan_memory)(const tessel_plan *plan, tessel_plan_memory *out);
    /* Optional (NULL: core/tiles.c runs the tiles one after another through
     * plan_execute). Runs a tiled plan (plan->tiles) on host images with
     * transfers overlapping compute. */
    tessel_status (*tiles_execute)(tessel_plan *plan, const tessel_image *src,
                                   const tessel_image *dst);
} tessel_backend_ops;

extern const tessel_backend_ops tessel_cpu_backend;

#endif
