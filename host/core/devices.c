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

#ifdef TESSEL_HAVE_OPENCL
#include "../opencl/cl_device.h"
#endif

/* Appends OpenCL devices after the CPU one; marks the one AUTO picks. */
static void add_opencl_devices(tessel_device_desc *all, int *n, int max, const char *auto_spec,
                               int auto_is_opencl)
{
#ifdef TESSEL_HAVE_OPENCL
    cl_device_entry list[TESSEL_CL_MAX_DEVICES], chosen;
    int count = tessel_cl_enumerate(list, TESSEL_CL_MAX_DEVICES);
    char err[TESSEL_MESSAGE_SIZE];
    int have_auto = auto_is_opencl &&
                    tessel_cl_select(auto_spec[0] ? auto_spec : NULL, &chosen, err, sizeof err) ==
                        TESSEL_OK;
    for (int i = 0; i < count && *n < max; ++i) {
        tessel_cl_describe(&list[i], i, &all[*n]);
        all[*n].is_auto = have_auto && list[i].device == chosen.device;
        ++*n;
    }
#else
    (void)all, (void)n, (void)max, (void)auto_spec, (void)auto_is_opencl;
#endif
}

tessel_status tessel_devices_list(tessel_device_desc *out, int capacity, int *count)
{
    RETURN_ERROR_IF(!count, NULL, TESSEL_ERR_NULL_POINTER, "count is NULL");
    RETURN_ERROR_IF(capacity < 0 || (capacity > 0 && !out), NULL, TESSEL_ERR_NULL_POINTER,
                    "device array is NULL but capacity is %d", capacity);
    tessel_device_desc all[1 + 32];
    FORWARD_IF_ERROR(describe_cpu(&all[0]));
    int n = 1;
    tessel_context_options defaults = {0};
    tessel_backend auto_backend = TESSEL_BACKEND_CPU;
    char auto_spec[64] = "";
    /* An unusable $TESSEL_DEVICE marks nothing; listing still works. */
    if (tessel_resolve_device(&defaults, &auto_backend, auto_spec, sizeof auto_spec) != TESSEL_OK)
        auto_backend = TESSEL_BACKEND_AUTO;
    all[0].is_auto = auto_backend == TESSEL_BACKEND_CPU;
    add_opencl_devices(all, &n, (int)(sizeof all / sizeof all[0]), auto_spec,
                       auto_backend == TESSEL_BACKEND_OPENCL);
    *count = n;
    for (int i = 0; i < n && i < capacity; ++i) out[i] = all[i];
    return TESSEL_OK;
}
