/* Device enumeration for `tessel devices` and applications: every backend
 * of the build lists its devices (backend.h); the AUTO choice is marked. */
#include "context.h"

/* Most devices listed, all backends together. */
#define DEVICES_MAX 64

tessel_status tessel_devices_list(tessel_device_desc *out, int capacity, int *count)
{
    RETURN_ERROR_IF(!count, NULL, TESSEL_ERR_NULL_POINTER, "count is NULL");
    RETURN_ERROR_IF(capacity < 0 || (capacity > 0 && !out), NULL, TESSEL_ERR_NULL_POINTER,
                    "device array is NULL but capacity is %d", capacity);
    tessel_context_options defaults = {0};
    const tessel_backend_ops *auto_ops = NULL;
    char auto_spec[64] = "";
    /* An unusable $TESSEL_DEVICE marks nothing; listing still works. */
    if (tessel_resolve_device(&defaults, &auto_ops, auto_spec, sizeof auto_spec) != TESSEL_OK)
        auto_ops = NULL;
    tessel_device_desc all[DEVICES_MAX];
    int n = 0;
    for (const tessel_backend_ops *const *t = tessel_backends; *t; ++t) {
        int listed = 0;
        FORWARD_IF_ERROR((*t)->list_devices(all + n, DEVICES_MAX - n,
                                            *t == auto_ops ? auto_spec : NULL, &listed));
        n += listed;
    }
    *count = n;
    for (int i = 0; i < n && i < capacity; ++i) out[i] = all[i];
    return TESSEL_OK;
}
