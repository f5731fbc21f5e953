/* OpenCL device discovery, selection by device string, and capabilities. */
#include "cl_device.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

static pthread_mutex_t runtime_lock = PTHREAD_MUTEX_INITIALIZER;

static int enumerate_locked(tessel_cl_device_entry *out, int capacity)
{
    cl_platform_id platforms[8];
    cl_uint nplat = 0;
    if (clGetPlatformIDs(8, platforms, &nplat) != CL_SUCCESS) return 0;
    int n = 0;
    for (cl_uint p = 0; p < nplat && p < 8; ++p) {
        cl_device_id devices[TESSEL_CL_MAX_DEVICES];
        cl_uint ndev = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, TESSEL_CL_MAX_DEVICES, devices,
                           &ndev) != CL_SUCCESS)
            continue;
        for (cl_uint d = 0; d < ndev && d < TESSEL_CL_MAX_DEVICES && n < capacity; ++d, ++n) {
            tessel_cl_device_entry *e = &out[n];
            memset(e, 0, sizeof *e);
            e->platform = platforms[p];
            e->device = devices[d];
            clGetDeviceInfo(e->device, CL_DEVICE_NAME, sizeof e->name - 1, e->name, NULL);
            clGetPlatformInfo(e->platform, CL_PLATFORM_NAME, sizeof e->platform_name - 1,
                              e->platform_name, NULL);
            clGetDeviceInfo(e->device, CL_DEVICE_TYPE, sizeof e->type, &e->type, NULL);
        }
    }
    return n;
}

int tessel_cl_enumerate(tessel_cl_device_entry *out, int capacity)
{
    pthread_mutex_lock(&runtime_lock);
    const int n = enumerate_locked(out, capacity);
    pthread_mutex_unlock(&runtime_lock);
    return n;
}

/* Case-insensitive substring test in plain ASCII (locale-independent). */
static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; ++hay) {
        size_t k = 0;
        while (k < n && hay[k]) {
            char a = hay[k], b = needle[k];
            if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
            if (b >= 'A' && b <= 'Z') b = (char)(b - 'A' + 'a');
            if (a != b) break;
            ++k;
        }
        if (k == n) return 1;
    }
    return 0;
}

static int find_gpu(const tessel_cl_device_entry *list, int n)
{
    for (int i = 0; i < n; ++i)
        if (list[i].type & CL_DEVICE_TYPE_GPU) return i;
    return -1;
}

/* Index of the device `spec` names, or -1. */
static int match_spec(const char *spec, const tessel_cl_device_entry *list, int n)
{
    if (!spec || strcmp(spec, "opencl") == 0) {
        int gpu = find_gpu(list, n);
        return gpu >= 0 ? gpu : (n > 0 ? 0 : -1);
    }
    if (strcmp(spec, "gpu") == 0) return find_gpu(list, n);
    if (strncmp(spec, "opencl:", 7) == 0) {
        char *end = NULL;
        long k = strtol(spec + 7, &end, 10);
        if (end == spec + 7 || *end != '\0' || k < 0 || k >= n) return -1;
        return (int)k;
    }
    for (int i = 0; i < n; ++i)
        if (contains_nocase(list[i].name, spec) || contains_nocase(list[i].platform_name, spec))
            return i;
    return -1;
}

static tessel_status select_locked(const char *spec, tessel_cl_device_entry *chosen, char *err,
                                   size_t err_size)
{
    tessel_cl_device_entry list[TESSEL_CL_MAX_DEVICES];
    int n = enumerate_locked(list, TESSEL_CL_MAX_DEVICES);
    if (n == 0) {
        snprintf(err, err_size,
                 "no OpenCL device: no OpenCL platform is installed (device \"%s\" requested)",
                 spec ? spec : "opencl");
        return TESSEL_ERR_NO_DEVICE;
    }
    int k = match_spec(spec, list, n);
    if (k < 0) {
        size_t used = (size_t)snprintf(err, err_size, "no OpenCL device matches \"%s\"; devices:",
                                       spec ? spec : "opencl");
        for (int i = 0; i < n && used < err_size; ++i)
            used += (size_t)snprintf(err + used, err_size - used, " opencl:%d = %s (%s)%s", i,
                                     list[i].name, list[i].platform_name, i + 1 < n ? "," : "");
        return TESSEL_ERR_NO_DEVICE;
    }
    *chosen = list[k];
    return TESSEL_OK;
}

tessel_status tessel_cl_select(const char *spec, tessel_cl_device_entry *chosen, char *err,
                               size_t err_size)
{
    pthread_mutex_lock(&runtime_lock);
    const tessel_status s = select_locked(spec, chosen, err, err_size);
    pthread_mutex_unlock(&runtime_lock);
    return s;
}

/* The context and queue on the chosen device (the lock held). */
static tessel_status create_locked(const tessel_cl_device_entry *chosen, cl_context *context,
                                   cl_command_queue *queue)
{
    cl_int e;
    cl_context_properties props[] = {CL_CONTEXT_PLATFORM, (cl_context_properties)chosen->platform,
                                     0};
    *context = clCreateContext(props, 1, &chosen->device, NULL, NULL, &e);
    RETURN_IF_CL_ERROR(NULL, e, "clCreateContext");
    *queue = clCreateCommandQueue(*context, chosen->device, 0, &e);
    RETURN_IF_CL_ERROR(NULL, e, "clCreateCommandQueue");
    return TESSEL_OK;
}

tessel_status tessel_cl_open(const char *spec, tessel_cl_device_entry *chosen,
                             cl_context *context, cl_command_queue *queue)
{
    char err[TESSEL_MESSAGE_SIZE];
    pthread_mutex_lock(&runtime_lock);
    tessel_status s = select_locked(spec, chosen, err, sizeof err);
    if (s == TESSEL_OK) s = create_locked(chosen, context, queue);
    else tessel_fail(NULL, s, "%s", err);
    pthread_mutex_unlock(&runtime_lock);
    return s;
}

void tessel_cl_query_caps(cl_device_id device, tessel_cl_device_caps *caps)
{
    memset(caps, 0, sizeof *caps);
    clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof caps->name - 1, caps->name, NULL);
    clGetDeviceInfo(device, CL_DEVICE_VENDOR, sizeof caps->vendor - 1, caps->vendor, NULL);
    clGetDeviceInfo(device, CL_DRIVER_VERSION, sizeof caps->driver - 1, caps->driver, NULL);
    clGetDeviceInfo(device, CL_DEVICE_VERSION, sizeof caps->version - 1, caps->version, NULL);
    clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof caps->type, &caps->type, NULL);
    clGetDeviceInfo(device, CL_DEVICE_LOCAL_MEM_SIZE, sizeof caps->local_mem, &caps->local_mem,
                    NULL);
    clGetDeviceInfo(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE, sizeof caps->max_alloc,
                    &caps->max_alloc, NULL);
    clGetDeviceInfo(device, CL_DEVICE_GLOBAL_MEM_SIZE, sizeof caps->global_mem,
                    &caps->global_mem, NULL);
    clGetDeviceInfo(device, CL_DEVICE_MAX_WORK_GROUP_SIZE, sizeof caps->max_work_group,
                    &caps->max_work_group, NULL);
    clGetDeviceInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof caps->compute_units,
                    &caps->compute_units, NULL);
    clGetDeviceInfo(device, CL_DEVICE_MAX_CONSTANT_BUFFER_SIZE, sizeof caps->max_constant,
                    &caps->max_constant, NULL);
    cl_device_fp_config fp64 = 0;
    clGetDeviceInfo(device, CL_DEVICE_DOUBLE_FP_CONFIG, sizeof fp64, &fp64, NULL);
    caps->has_fp64 = fp64 != 0;
    cl_bool unified = CL_FALSE;
    clGetDeviceInfo(device, CL_DEVICE_HOST_UNIFIED_MEMORY, sizeof unified, &unified, NULL);
    caps->unified_memory = unified == CL_TRUE;
}

/* The public description of device entry index. */
static void describe(const tessel_cl_device_entry *entry, int index, tessel_device_desc *out)
{
    tessel_cl_device_caps caps;
    tessel_cl_query_caps(entry->device, &caps);
    memset(out, 0, sizeof *out);
    out->backend = TESSEL_BACKEND_OPENCL;
    snprintf(out->spec, sizeof out->spec, "opencl:%d", index);
    snprintf(out->name, sizeof out->name, "%s", entry->name);
    const char *kind = entry->type & CL_DEVICE_TYPE_GPU           ? "gpu"
                       : entry->type & CL_DEVICE_TYPE_CPU         ? "cpu"
                       : entry->type & CL_DEVICE_TYPE_ACCELERATOR ? "accelerator"
                                                                  : "other";
    snprintf(out->kind, sizeof out->kind, "%s", kind);
    snprintf(out->detail, sizeof out->detail,
             "%.60s, %.40s, driver %.30s, %u compute units, %llu MiB, %llu KiB local%s",
             entry->platform_name, caps.version, caps.driver, caps.compute_units,
             (unsigned long long)(caps.global_mem >> 20), (unsigned long long)(caps.local_mem >> 10),
             caps.has_fp64 ? ", fp64" : "");
}

/* ------------------------------------------------ the backend table's view */

int tessel_cl_device_claim(const char *device)
{
    if (strcmp(device, "opencl") == 0 || strcmp(device, "gpu") == 0 ||
        strncmp(device, "opencl:", 7) == 0)
        return TESSEL_CLAIM_OWN;
    return TESSEL_CLAIM_ANY; /* a device or platform name, looked for when selecting */
}

int tessel_cl_auto_device(char *spec, size_t spec_size)
{
    tessel_cl_device_entry list[TESSEL_CL_MAX_DEVICES];
    const int n = tessel_cl_enumerate(list, TESSEL_CL_MAX_DEVICES);
    if (find_gpu(list, n) < 0 || spec_size < sizeof "gpu") return 0;
    strcpy(spec, "gpu");
    return 2; /* a GPU: AUTO prefers it to the CPU backend */
}

tessel_status tessel_cl_list_devices(tessel_device_desc *out, int capacity, const char *auto_spec,
                                     int *count)
{
    tessel_cl_device_entry list[TESSEL_CL_MAX_DEVICES], chosen;
    const int n = tessel_cl_enumerate(list, TESSEL_CL_MAX_DEVICES);
    char err[TESSEL_MESSAGE_SIZE];
    const int have_auto = auto_spec && tessel_cl_select(auto_spec[0] ? auto_spec : NULL, &chosen,
                                                        err, sizeof err) == TESSEL_OK;
    *count = 0;
    for (int i = 0; i < n && *count < capacity; ++i) {
        describe(&list[i], i, &out[*count]);
        out[*count].is_auto = have_auto && list[i].device == chosen.device;
        ++*count;
    }
    return TESSEL_OK;
}
