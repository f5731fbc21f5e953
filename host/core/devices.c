/* Device enumeration for `tessel devices` and applications: every backend
 * contributes its devices; the AUTO choice is marked. */
#include <stdio.h>
#include <string.h>

#include "context.h"

/* The CPU backend's single device, described by a context so the name
 * (threads, instruction set) is exactly what a context reports. */
static tessel_status describe_cpu(tessel_device_desc *d)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    tessel_context *ctx = NULL;
    FORWARD_IF_ERROR(tessel_context_create(&o, &ctx));
    memset(d, 0, sizeof *d);
    d->backend = TESSEL_BACKEND_CPU;
    snprintf(d->spec, sizeof d->spec, "cpu");
    snprintf(d->kind, sizeof d->kind, "cpu");
    snprintf(d->name, sizeof d->name, "%s", ctx->device_name);
    snprintf(d->detail, sizeof d->detail, "native CPU backend, %d worker threads by default",
             ctx->threads);
    tessel_context_destroy(ctx);
    return TESSEL_OK;
}

tessel_status tessel_devices_list(tessel_device_desc *out, int capacity, int *count)
{
    RETURN_ERROR_IF(!count, NULL, TESSEL_ERR_NULL_POINTER, "count is NULL");
    RETURN_ERROR_IF(capacity < 0 || (capacity > 0 && !out), NULL, TESSEL_ERR_NULL_POINTER,
                    "device array is NULL but capacity is %d", capacity);
    tessel_device_desc cpu;
    FORWARD_IF_ERROR(describe_cpu(&cpu));
    cpu.is_auto = 1; /* the only backend in this build */
    *count = 1;
    if (capacity >= 1) out[0] = cpu;
    return TESSEL_OK;
}
