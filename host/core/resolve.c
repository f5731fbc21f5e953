/* Which backend and device a context gets (context.h): the device string
 * from the options or $TESSEL_DEVICE, matched against the backend tables
 * of this build (backend.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"

const tessel_backend_ops *tessel_backend_of(tessel_backend id)
{
    for (const tessel_backend_ops *const *t = tessel_backends; *t; ++t)
        if ((*t)->id == id) return *t;
    return NULL;
}

/* The table that claims device most strongly, the first on a tie; NULL
 * when none does. */
static const tessel_backend_ops *claimant(const char *device)
{
    const tessel_backend_ops *best = NULL;
    int strongest = TESSEL_CLAIM_NONE;
    for (const tessel_backend_ops *const *t = tessel_backends; *t; ++t) {
        const int claim = (*t)->device_claim(device);
        if (claim > strongest) {
            strongest = claim;
            best = *t;
        }
    }
    return best;
}

/* AUTO with nothing named: the table that wants it most, its device
 * string in spec. */
static const tessel_backend_ops *auto_choice(char *spec, size_t spec_size)
{
    const tessel_backend_ops *best = NULL;
    int strongest = 0;
    for (const tessel_backend_ops *const *t = tessel_backends; *t; ++t) {
        char wanted[64] = "";
        const int want = (*t)->auto_device(wanted, sizeof wanted);
        if (want > strongest && strlen(wanted) < spec_size) {
            strongest = want;
            best = *t;
            strcpy(spec, wanted);
        }
    }
    return best;
}

static int is_backend_value(tessel_backend b)
{
    return strcmp(tessel_backend_name(b), "invalid") != 0;
}

/* A backend this build was configured without, asked for in the way `why`
 * says: named with the CMake option that builds it (TESSEL_ and the name
 * in capitals). */
static tessel_status not_built(tessel_backend b, const char *why)
{
    char option[32];
    const char *name = tessel_backend_name(b);
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof option; ++i) option[i] = (char)toupper((unsigned char)name[i]);
    option[i] = '\0';
    return tessel_fail(NULL, TESSEL_ERR_NO_DEVICE,
                       "%s, but this build of tessel has no %s backend (configure with "
                       "TESSEL_%s=ON where its SDK is installed)",
                       why, name, option);
}

/* The application's queue decides the device. */
static tessel_status resolve_queue(const tessel_context_options *o,
                                   const tessel_backend_ops **ops)
{
    *ops = NULL;
    for (const tessel_backend_ops *const *t = tessel_backends; *t && !*ops; ++t)
        if ((*t)->adopts_cl_queue) *ops = *t;
    const tessel_backend_ops *asked = tessel_backend_of(o->backend);
    RETURN_ERROR_IF(asked && !asked->adopts_cl_queue, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "an OpenCL queue was given but the backend is %s", asked->name);
    if (!*ops) return not_built(TESSEL_BACKEND_OPENCL, "an OpenCL queue was given");
    return TESSEL_OK;
}

/* A device string decides the backend; a backend asked for must agree. */
static tessel_status resolve_named(const tessel_context_options *o, const char *device,
                                   const tessel_backend_ops **ops)
{
    *ops = claimant(device);
    if (o->backend != TESSEL_BACKEND_AUTO && (!*ops || (*ops)->id != o->backend)) {
        const tessel_backend_ops *asked = tessel_backend_of(o->backend);
        RETURN_ERROR_IF(*ops || asked, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "device \"%s\" contradicts backend %s%s%s%s", device,
                        tessel_backend_name(o->backend), asked ? " (" : "",
                        asked ? asked->device_hint : "", asked ? ")" : "");
        char why[128];
        snprintf(why, sizeof why, "device \"%s\" was named for the %s backend", device,
                 tessel_backend_name(o->backend));
        return not_built(o->backend, why);
    }
    if (!*ops) {
        char names[128] = "";
        for (const tessel_backend_ops *const *t = tessel_backends; *t; ++t)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                     t == tessel_backends ? "" : ", ", (*t)->name);
        return tessel_fail(NULL, TESSEL_ERR_NO_DEVICE,
                           "device \"%s\" names no device of the backends of this build of "
                           "tessel (%s)",
                           device, names);
    }
    return TESSEL_OK;
}

tessel_status tessel_resolve_device(const tessel_context_options *o,
                                    const tessel_backend_ops **ops, char *spec, size_t spec_size)
{
    RETURN_ERROR_IF(!is_backend_value(o->backend), NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "unknown backend %d", (int)o->backend);
    const char *device = o->device;
    if (!device && o->backend == TESSEL_BACKEND_AUTO) device = getenv("TESSEL_DEVICE");
    if (device && strcmp(device, "auto") == 0) device = NULL;
    RETURN_ERROR_IF(device && strlen(device) >= spec_size, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "device string \"%.40s...\" is too long", device);
    spec[0] = '\0';
    if (o->cl_queue) return resolve_queue(o, ops);
    if (device && *device) {
        FORWARD_IF_ERROR(resolve_named(o, device, ops));
        strcpy(spec, device);
        return TESSEL_OK;
    }
    if (o->backend != TESSEL_BACKEND_AUTO) {
        *ops = tessel_backend_of(o->backend);
        if (!*ops) {
            char why[64];
            snprintf(why, sizeof why, "the %s backend was requested",
                     tessel_backend_name(o->backend));
            return not_built(o->backend, why);
        }
        return TESSEL_OK;
    }
    *ops = auto_choice(spec, spec_size);
    RETURN_ERROR_IF(!*ops, NULL, TESSEL_ERR_NO_DEVICE, "no backend has a device for auto");
    return TESSEL_OK;
}
