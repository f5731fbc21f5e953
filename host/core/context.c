/* Context creation: backend choice from options and $TESSEL_DEVICE, logging. */
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

#ifdef TESSEL_HAVE_OPENCL
#include "../opencl/cl_device.h"
extern const tessel_backend_ops tessel_opencl_backend;
#endif

tessel_status tessel_resolve_device(const tessel_context_options *o, tessel_backend *backend,
                                    char *spec, size_t spec_size)
{
    RETURN_ERROR_IF((unsigned)o->backend > TESSEL_BACKEND_OPENCL, NULL,
                    TESSEL_ERR_INVALID_ARGUMENT, "unknown backend %d", (int)o->backend);
    const char *device = o->device;
    if (!device && o->backend == TESSEL_BACKEND_AUTO) device = getenv("TESSEL_DEVICE");
    if (device && strcmp(device, "auto") == 0) device = NULL;
    RETURN_ERROR_IF(device && strlen(device) >= spec_size, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "device string \"%.40s...\" is too long", device);
    spec[0] = '\0';
    if (o->cl_queue) { /* the application's queue decides the device */
        RETURN_ERROR_IF(o->backend == TESSEL_BACKEND_CPU, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "an OpenCL queue was given but the backend is cpu");
        *backend = TESSEL_BACKEND_OPENCL;
    } else if (device && strcmp(device, "cpu") == 0) {
        RETURN_ERROR_IF(o->backend == TESSEL_BACKEND_OPENCL, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "device \"cpu\" contradicts backend opencl (use \"opencl:N\" or a "
                        "device name for an OpenCL CPU device)");
        *backend = TESSEL_BACKEND_CPU;
    } else if (device && *device) {
        RETURN_ERROR_IF(o->backend == TESSEL_BACKEND_CPU, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "device \"%s\" is not a CPU-backend device (use \"cpu\" or \"auto\")",
                        device);
        *backend = TESSEL_BACKEND_OPENCL;
        strcpy(spec, device);
    } else if (o->backend != TESSEL_BACKEND_AUTO) {
        *backend = o->backend;
    } else {
#ifdef TESSEL_HAVE_OPENCL
        *backend = tessel_cl_has_gpu() ? TESSEL_BACKEND_OPENCL : TESSEL_BACKEND_CPU;
        if (*backend == TESSEL_BACKEND_OPENCL) strcpy(spec, "gpu");
#else
        *backend = TESSEL_BACKEND_CPU;
#endif
    }
#ifndef TESSEL_HAVE_OPENCL
    RETURN_ERROR_IF(*backend == TESSEL_BACKEND_OPENCL, NULL, TESSEL_ERR_NO_DEVICE,
                    "OpenCL backend requested (device \"%s\") but this build of tessel has no "
                    "OpenCL backend (configure with TESSEL_OPENCL=ON and an OpenCL SDK)",
                    device ? device : "opencl");
#endif
    return TESSEL_OK;
}

static const tessel_backend_ops *backend_ops(tessel_backend backend)
{
#ifdef TESSEL_HAVE_OPENCL
    if (backend == TESSEL_BACKEND_OPENCL) return &tessel_opencl_backend;
#endif
    (void)backend;
    return &tessel_cpu_backend;
}

tessel_status tessel_context_create(const tessel_context_options *options,
                                    tessel_context **out_context)
{
    RETURN_ERROR_IF(!out_context, NULL, TESSEL_ERR_NULL_POINTER, "out_context is NULL");
    *out_context = NULL;
    tessel_context_options o = {0};
    if (options) o = *options;
    RETURN_ERROR_IF(o.threads < 0, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "thread count %d is negative (0 means all cores)", o.threads);
    RETURN_ERROR_IF(o.threads > TESSEL_MAX_THREADS, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "thread count %d exceeds the limit of %d", o.threads, TESSEL_MAX_THREADS);
    tessel_backend backend;
    char spec[64];
    FORWARD_IF_ERROR(tessel_resolve_device(&o, &backend, spec, sizeof spec));

    tessel_context *ctx = calloc(1, sizeof *ctx);
    RETURN_ERROR_IF(!ctx, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a context");
    ctx->backend = backend;
    ctx->ops = backend_ops(backend);
    memcpy(ctx->device_spec, spec, sizeof ctx->device_spec);
    setup_logging(ctx, &o);
    tessel_status s = ctx->ops->context_init(ctx, &o);
    if (s != TESSEL_OK) {
        ctx->ops->context_release(ctx); /* whatever init had set up */
        free(ctx);
        return s;
    }
    tessel_log(ctx, TESSEL_LOG_INFO, "context on %s backend, device %s",
               tessel_backend_name(backend), ctx->device_name);
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
