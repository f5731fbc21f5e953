/* The devices of a batch: the device list ("auto", "cpu,opencl:0", ...)
 * expanded into device strings, each with why it takes part, and the
 * workers opened on each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "engine.h"

#define MAX_DEVICES 64
#define DEFAULT_OPENCL_QUEUES 2

typedef struct device_list {
    char spec[MAX_DEVICES][32];
    char why[MAX_DEVICES][BATCH_REASON_SIZE];
    int count;
    int from_auto[MAX_DEVICES]; /* came from "auto": left out if it cannot be opened */
} device_list;

/* Appends spec, and why it takes part, unless it is there already. */
static tessel_status add_spec(device_list *list, const char *spec, int from_auto, const char *why)
{
    for (int i = 0; i < list->count; ++i)
        if (strcmp(list->spec[i], spec) == 0) return TESSEL_OK;
    RETURN_ERROR_IF(list->count == MAX_DEVICES, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "more than %d devices listed", MAX_DEVICES);
    RETURN_ERROR_IF(strlen(spec) >= sizeof list->spec[0], NULL, TESSEL_ERR_INVALID_ARGUMENT,
                    "device string \"%.40s\" is too long", spec);
    strcpy(list->spec[list->count], spec);
    snprintf(list->why[list->count], sizeof list->why[0], "%s", why);
    list->from_auto[list->count++] = from_auto;
    return TESSEL_OK;
}

/* "auto" (or its older name "all"), as a single context's auto: every
 * OpenCL GPU, else the CPU backend; $TESSEL_DEVICE steers it. OpenCL
 * devices of another kind (PoCL's CPU device) join only when named: on the
 * same cores the CPU backend is faster. */
static tessel_status add_auto(device_list *list)
{
    const char *env = getenv("TESSEL_DEVICE");
    if (env && *env && strcmp(env, "auto") != 0)
        return add_spec(list, env, 0, "named by $TESSEL_DEVICE");
    tessel_device_desc found[MAX_DEVICES];
    int count = 0, gpus = 0, opencl = 0;
    FORWARD_IF_ERROR(tessel_devices_list(found, MAX_DEVICES, &count));
    for (int i = 0; i < count && i < MAX_DEVICES; ++i) {
        if (found[i].backend != TESSEL_BACKEND_OPENCL) continue;
        ++opencl;
        if (strcmp(found[i].kind, "gpu") != 0) continue;
        FORWARD_IF_ERROR(add_spec(list, found[i].spec, 1, "an OpenCL GPU (auto takes every one)"));
        ++gpus;
    }
    if (gpus) return TESSEL_OK;
    return add_spec(list, "cpu", 0,
                    opencl ? "auto: no OpenCL GPU; the CPU backend is faster than an OpenCL CPU "
                             "device, which joins only when named"
                           : "auto: no OpenCL device");
}

/* The words of a comma-separated list, spaces around them dropped. */
static tessel_status parse_list(const char *text, device_list *list)
{
    list->count = 0;
    const char *p = text && *text ? text : "auto";
    for (;;) {
        while (*p == ' ') ++p;
        size_t n = strcspn(p, ",");
        size_t end = n;
        while (end > 0 && p[end - 1] == ' ') --end;
        RETURN_ERROR_IF(end == 0, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "device list \"%.80s\" has an empty entry", text);
        char word[64];
        RETURN_ERROR_IF(end >= sizeof word, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "device string \"%.*s...\" is too long", 40, p);
        memcpy(word, p, end);
        word[end] = '\0';
        int automatic = strcmp(word, "auto") == 0 || strcmp(word, "all") == 0;
        FORWARD_IF_ERROR(automatic ? add_auto(list) : add_spec(list, word, 0, "named"));
        if (p[n] == '\0') return TESSEL_OK;
        p += n + 1;
    }
}

static tessel_status open_context(const tessel_batch_options *o, const char *spec,
                                  tessel_context **ctx)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.device = spec;
    co.threads = o->cpu_threads;
    co.log = o->log;
    co.log_user = o->log_user;
    tessel_status s = tessel_context_create(&co, ctx);
    if (s == TESSEL_OK) return TESSEL_OK;
    /* Name the device, unless the context's message does already. */
    char why[TESSEL_BATCH_MESSAGE_SIZE], quoted[40];
    snprintf(why, sizeof why, "%s", tessel_last_error());
    snprintf(quoted, sizeof quoted, "\"%s\"", spec);
    return strstr(why, quoted) ? tessel_fail(NULL, s, "%s", why)
                               : tessel_fail(NULL, s, "device %s: %s", quoted, why);
}

/* Opens device `spec` with its workers at the end of the batch's arrays
 * (which have room). */
static tessel_status open_device(tessel_batch *b, const tessel_batch_options *o, const char *spec,
                                 const char *why)
{
    tessel_context *first = NULL;
    FORWARD_IF_ERROR(open_context(o, spec, &first));
    tessel_batch_device *d = &b->devices[b->device_count];
    memset(d, 0, sizeof *d);
    d->backend = tessel_context_backend(first);
    snprintf(d->spec, sizeof d->spec, "%s", spec);
    snprintf(d->name, sizeof d->name, "%s", tessel_context_device_name(first));
    snprintf(b->reasons[b->device_count], sizeof b->reasons[0], "%s", why);
    int queues = d->backend == TESSEL_BACKEND_CPU ? 1
                 : o->queues_per_device > 0       ? o->queues_per_device
                                                  : DEFAULT_OPENCL_QUEUES;
    /* A device opened once but not again keeps the workers it has. */
    for (int q = 0; q < queues; ++q) {
        tessel_context *ctx = first;
        if (q > 0 && open_context(o, spec, &ctx) != TESSEL_OK) break;
        batch_worker *w = &b->workers[b->worker_count++];
        w->context = ctx;
        w->device = b->device_count;
        w->state = NULL;
        ++d->queues;
    }
    ++b->device_count;
    return TESSEL_OK;
}

tessel_status tessel_batch_open_devices(tessel_batch *b, const tessel_batch_options *o)
{
    device_list list;
    FORWARD_IF_ERROR(parse_list(o->devices, &list));
    int queues = o->queues_per_device > 0 ? o->queues_per_device : DEFAULT_OPENCL_QUEUES;
    b->devices = calloc((size_t)list.count, sizeof *b->devices);
    b->reasons = calloc((size_t)list.count, sizeof *b->reasons);
    b->workers = calloc((size_t)list.count * (size_t)queues, sizeof *b->workers);
    if (!b->devices || !b->reasons || !b->workers) {
        tessel_batch_close_devices(b);
        return tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for %d devices",
                           list.count);
    }
    tessel_status s = TESSEL_OK, skipped = TESSEL_OK;
    for (int i = 0; i < list.count && s == TESSEL_OK; ++i) {
        s = open_device(b, o, list.spec[i], list.why[i]);
        if (s != TESSEL_OK && list.from_auto[i]) skipped = s, s = TESSEL_OK;
    }
    /* "auto" whose every GPU failed falls back on the CPU backend. */
    if (s == TESSEL_OK && b->device_count == 0 && skipped != TESSEL_OK)
        s = open_device(b, o, "cpu", "auto: no OpenCL GPU could be opened");
    if (s != TESSEL_OK) tessel_batch_close_devices(b);
    return s;
}

void tessel_batch_close_devices(tessel_batch *b)
{
    for (int i = 0; i < b->worker_count; ++i) tessel_context_destroy(b->workers[i].context);
    free(b->workers);
    free(b->devices);
    free(b->reasons);
    b->workers = NULL;
    b->devices = NULL;
    b->reasons = NULL;
    b->worker_count = b->device_count = 0;
}
