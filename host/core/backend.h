/* The interface every backend implements: one static const instance each.
 * The core validates arguments and builds the geometry; a backend only runs
 * plans. A backend answers TESSEL_ERR_UNSUPPORTED (with a message) for cases
 * it does not handle; the core never switches backend silently. */
#ifndef TESSEL_CORE_BACKEND_H
#define TESSEL_CORE_BACKEND_H

#include "tessel/tessel.h"

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
} tessel_backend_ops;

extern const tessel_backend_ops tessel_cpu_backend;

#endif
