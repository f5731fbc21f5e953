/* Internal error reporting: one message per failure, kept per thread and per
 * context; macros in the style of zstd's RETURN_ERROR_IF / FORWARD_IF_ERROR. */
#ifndef TESSEL_CORE_ERROR_H
#define TESSEL_CORE_ERROR_H

#include <stddef.h>

#include "tessel/tessel.h"

#if defined(__GNUC__)
#define TESSEL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TESSEL_PRINTF(f, a)
#endif

/* Records the formatted message (thread-local and, if ctx is not NULL, in the
 * context) and returns status, so that `return tessel_fail(...)` reads well. */
tessel_status tessel_fail(tessel_context *ctx, tessel_status status, const char *fmt, ...)
    TESSEL_PRINTF(3, 4);

/* Clears the context's message at the start of a public call. */
void tessel_clear_error(tessel_context *ctx);

/* The text of errno value err, thread-safely, in buf (returned, or a
 * static text of the C library's). */
const char *tessel_strerror(int err, char *buf, size_t size);

#define RETURN_ERROR_IF(cond, ctx, status, ...)                  \
    do {                                                         \
        if (cond) return tessel_fail((ctx), (status), __VA_ARGS__); \
    } while (0)

#define FORWARD_IF_ERROR(expr)                     \
    do {                                           \
        tessel_status forward_status_ = (expr);    \
        if (forward_status_ != TESSEL_OK) return forward_status_; \
    } while (0)

#endif
