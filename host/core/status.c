/* Status names and the last-error message (thread-local and per context). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "error.h"

static _Thread_local char thread_last_error[TESSEL_MESSAGE_SIZE];

const char *tessel_status_string(tessel_status status)
{
    switch (status) {
    case TESSEL_OK: return "TESSEL_OK: success";
    case TESSEL_ERR_INVALID_ARGUMENT: return "TESSEL_ERR_INVALID_ARGUMENT: invalid argument";
    case TESSEL_ERR_NULL_POINTER: return "TESSEL_ERR_NULL_POINTER: required pointer is NULL";
    case TESSEL_ERR_BAD_SIZE: return "TESSEL_ERR_BAD_SIZE: bad size";
    case TESSEL_ERR_KERNEL_TOO_LARGE:
        return "TESSEL_ERR_KERNEL_TOO_LARGE: kernel larger than image in valid mode";
    case TESSEL_ERR_BAD_KERNEL: return "TESSEL_ERR_BAD_KERNEL: bad kernel";
    case TESSEL_ERR_OUT_OF_MEMORY: return "TESSEL_ERR_OUT_OF_MEMORY: out of memory";
    case TESSEL_ERR_UNSUPPORTED: return "TESSEL_ERR_UNSUPPORTED: not supported";
    case TESSEL_ERR_NO_DEVICE: return "TESSEL_ERR_NO_DEVICE: no such device";
    case TESSEL_ERR_BACKEND: return "TESSEL_ERR_BACKEND: device runtime failure";
    case TESSEL_ERR_IO: return "TESSEL_ERR_IO: input/output error";
    case TESSEL_ERR_FORMAT: return "TESSEL_ERR_FORMAT: bad file format";
    case TESSEL_ERR_PLAN_MISMATCH: return "TESSEL_ERR_PLAN_MISMATCH: image does not match plan";
    }
    return "unknown tessel status";
}

const char *tessel_last_error(void)
{
    return thread_last_error;
}

tessel_status tessel_fail(tessel_context *ctx, tessel_status status, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    vsnprintf(thread_last_error, sizeof thread_last_error, fmt, args);
    va_end(args);
    if (ctx) {
        memcpy(ctx->last_error, thread_last_error, sizeof ctx->last_error);
        tessel_log(ctx, TESSEL_LOG_ERROR, "%s", thread_last_error);
    }
    return status;
}

void tessel_clear_error(tessel_context *ctx)
{
    if (ctx) ctx->last_error[0] = '\0';
}

/* strerror() may share one buffer between threads; strerror_r exists in two
 * incompatible forms, chosen by the feature macros. */
const char *tessel_strerror(int err, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(err, buf, size);
#else
    if (strerror_r(err, buf, size) != 0) snprintf(buf, size, "error %d", err);
    return buf;
#endif
}
