/* OpenCL device discovery and selection by device string. */
#ifndef TESSEL_OPENCL_CL_DEVICE_H
#define TESSEL_OPENCL_CL_DEVICE_H

#include "cl_common.h"

#define TESSEL_CL_MAX_DEVICES 32

typedef struct tessel_cl_device_entry {
    cl_platform_id platform;
    cl_device_id device;
    char name[128];
    char platform_name[96];
    cl_device_type type;
} tessel_cl_device_entry;

/* Every device of every platform, in platform then device order (the N of
 * "opencl:N"). Returns the count; 0 when no platform is installed.
 *
 * Enumerating platforms and devices and creating contexts are serialised
 * in the process (one lock): some OpenCL runtimes (PoCL) crash when two
 * threads do it at once. */
int tessel_cl_enumerate(tessel_cl_device_entry *out, int capacity);

/* Picks a device for a device string: NULL, "opencl" (a GPU if any, else the
 * first device), "gpu", "opencl:N", or a case-insensitive substring of the
 * device or platform name. On failure writes a message listing what exists. */
tessel_status tessel_cl_select(const char *spec, tessel_cl_device_entry *chosen, char *err,
                               size_t err_size);

/* tessel_cl_select, then an OpenCL context and an in-order queue on the
 * chosen device, under the lock above. */
tessel_status tessel_cl_open(const char *spec, tessel_cl_device_entry *chosen,
                             cl_context *context, cl_command_queue *queue);

void tessel_cl_query_caps(cl_device_id device, tessel_cl_device_caps *caps);

/* The backend table's device slots (core/backend.h): "opencl", "gpu" and
 * "opencl:N" are OpenCL's own words, any other string may name a device;
 * AUTO wants a GPU most; the list numbers devices as "opencl:N". */
int tessel_cl_device_claim(const char *device);
int tessel_cl_auto_device(char *spec, size_t spec_size);
tessel_status tessel_cl_list_devices(tessel_device_desc *out, int capacity, const char *auto_spec,
                                     int *count);

#endif
