/* The CPU backend's one device, as the backend table presents devices
 * (core/backend.h): the word "cpu", AUTO's last resort, one list entry. */
#include <stdio.h>
#include <string.h>

#include "core/context.h"
#include "cpu_internal.h"

int tessel_cpu_device_claim(const char *device)
{
    return strcmp(device, "cpu") == 0 ? TESSEL_CLAIM_OWN : TESSEL_CLAIM_NONE;
}

int tessel_cpu_auto_device(char *spec, size_t spec_size)
{
    if (spec_size) spec[0] = '\0';
    return 1; /* always there; any other backend AUTO wants more comes first */
}

/* Described by a context, so the name (threads, instruction set) is exactly
 * what a context reports. */
tessel_status tessel_cpu_list_devices(tessel_device_desc *out, int capacity, const char *auto_spec,
                                      int *count)
{
    *count = 0;
    if (capacity < 1) return TESSEL_OK;
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    tessel_context *ctx = NULL;
    FORWARD_IF_ERROR(tessel_context_create(&o, &ctx));
    tessel_device_desc *d = out;
    memset(d, 0, sizeof *d);
    d->backend = TESSEL_BACKEND_CPU;
    snprintf(d->spec, sizeof d->spec, "cpu");
    snprintf(d->kind, sizeof d->kind, "cpu");
    snprintf(d->name, sizeof d->name, "%s", ctx->device_name);
    snprintf(d->detail, sizeof d->detail, "native CPU backend, %d worker threads by default",
             ctx->threads);
    d->is_auto = auto_spec != NULL;
    tessel_context_destroy(ctx);
    *count = 1;
    return TESSEL_OK;
}
