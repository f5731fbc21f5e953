/* Context creation on the backend resolve.c chooses, and logging. */
#include "context.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Logging to stderr happens only when the user asked for it via $TESSEL_LOG. */
static void stderr_log(void *user, tessel_log_level level, const char *message)
{
    static const char *names[] = {"error", "warn", "info", "debug"};
    (void)user;
    fprintf(stderr, "tessel[%s]: %s\n", names[level], message);
}

static int env_log_level(tessel_log_level *level)
{
    const char *v = getenv("TESSEL_LOG");
    if (!v || !*v) return 0;
    static const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; ++i) {
        if (strcmp(v, names[i]) == 0) {
            *level = (tessel_log_level)i;
            return 1;
        }
    }
    *level = TESSEL_LOG_DEBUG; /* any other non-empty value: everything */
    return 1;
}

void tessel_log(tessel_context *ctx, tessel_log_level level, const char *fmt, ...)
{
    if (!ctx || !ctx->log || level > ctx->log_level) return;
    char message[TESSEL_MESSAGE_SIZE];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    ctx->log(ctx->log_user, level, message);
}

static void setup_logging(tessel_context *ctx, const tessel_context_options *o)
{
    tessel_log_level env_level = TESSEL_LOG_ERROR;
    int from_env = env_log_level(&env_level);
    if (o->log) {
        ctx->log = o->log;
        ctx->log_user = o->log_user;
        ctx->log_level = from_env ? env_level : TESSEL_LOG_DEBUG;
    } else if (from_env) {
        ctx->log = stderr_log;
        ctx->log_level = env_level;
    }
}

tessel_status tessel_context_create(const tessel_context_options *options,
                                    tessel_context **out_context)
{
    RETURN_ERROR_IF(!out_context, NULL, TESSEL_ERR_NULL_POINTER, "out_context is NULL");
    *out_context = NULL;
    /* No more than the caller's struct holds (older, smaller callers). */
    tessel_context_options o = {0};
    if (options)
        memcpy(&o, options, options->struct_size && options->struct_size < sizeof o
                                ? options->struct_size
                                : sizeof o);
    RETURN_ERROR_IF(o.threads < 0, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "thread count %d is negative (0 means all cores)", o.threads);
    RETURN_ERROR_IF(o.threads > TESSEL_MAX_THREADS, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "thread count %d exceeds the limit of %d", o.threads, TESSEL_MAX_THREADS);
    const tessel_backend_ops *ops = NULL;
    char spec[64];
    FORWARD_IF_ERROR(tessel_resolve_device(&o, &ops, spec, sizeof spec));

    tessel_context *ctx = calloc(1, sizeof *ctx);
    RETURN_ERROR_IF(!ctx, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a context");
    ctx->backend = ops->id;
    ctx->ops = ops;
    memcpy(ctx->device_spec, spec, sizeof ctx->device_spec);
    setup_logging(ctx, &o);
    tessel_status s = ctx->ops->context_init(ctx, &o);
    if (s != TESSEL_OK) {
        ctx->ops->context_release(ctx); /* whatever init had set up */
        free(ctx);
        return s;
    }
    tessel_log(ctx, TESSEL_LOG_INFO, "context on %s backend, device %s", ops->name,
               ctx->device_name);
    *out_context = ctx;
    return TESSEL_OK;
}

void tessel_context_destroy(tessel_context *context)
{
    if (!context) return;
    context->ops->context_release(context);
    free(context);
}

const char *tessel_context_last_error(const tessel_context *context)
{
    return context ? context->last_error : "context is NULL";
}

tessel_backend tessel_context_backend(const tessel_context *context)
{
    return context ? context->backend : TESSEL_BACKEND_AUTO;
}

const char *tessel_context_device_name(const tessel_context *context)
{
    return context ? context->device_name : "";
}
