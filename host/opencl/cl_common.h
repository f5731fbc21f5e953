/* OpenCL backend: shared includes, the per-context state and error helpers. */
#ifndef TESSEL_OPENCL_CL_COMMON_H
#define TESSEL_OPENCL_CL_COMMON_H

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include "core/context.h"

/* What the backend knows about its device (queried, never assumed). */
typedef struct tessel_cl_device_caps {
    char name[128];
    char vendor[64];
    char driver[64];
    char version[160];      /* CL_DEVICE_VERSION */
    cl_device_type type;
    cl_ulong local_mem;     /* bytes of __local per work-group */
    cl_ulong max_alloc;     /* largest single buffer */
    cl_ulong global_mem;
    cl_ulong max_constant;  /* bytes of __constant arguments */
    size_t max_work_group;
    cl_uint compute_units;
    int has_fp64;
    int unified_memory;     /* host and device share memory (CPU devices) */
} tessel_cl_device_caps;

typedef struct tessel_cl_state {
    cl_platform_id platform;
    cl_device_id device;
    cl_context context;
    cl_command_queue queue;
    tessel_cl_device_caps caps;
    struct tessel_cl_program_cache *programs;
    int tiled;              /* kernel family: 1 tiled (GPU-shaped), 0 vector (CPU-shaped) */
    int out_of_order;       /* the queue runs commands out of order (cl_queue.c) */
    int clfft_user;         /* 1 once an FFT plan made this context a clFFT user */
    size_t memory_limit;    /* TESSEL_DEVICE_MEMORY_LIMIT in bytes, 0 = none */
} tessel_cl_state;

/* "CL_OUT_OF_RESOURCES" etc. for messages. */
const char *tessel_cl_error_name(cl_int code);

/* Fails with TESSEL_ERR_BACKEND naming the call and the OpenCL error. */
#define RETURN_IF_CL_ERROR(ctx, err, what)                                            \
    RETURN_ERROR_IF((err) != CL_SUCCESS, (ctx), TESSEL_ERR_BACKEND, "%s failed: %s (%d)", \
                    (what), tessel_cl_error_name(err), (int)(err))

#endif
