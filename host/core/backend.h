/* The backend table: the only door between core (and everything built on
 * plans: fourier, batch, cli) and a backend. Core never includes a
 * backend's header, never asks which backend it holds and has no #ifdef of
 * one: whatever it needs from a backend is a slot here. Each backend defines
 * one static const table, filled with designated initialisers; the build
 * lists the tables it compiled (tessel_backends, made by host/CMakeLists.txt),
 * so a build without a backend differs only in which tables exist.
 *
 * The core validates arguments and builds the geometry; a backend runs
 * plans, and owns both halves of each method: the executor and the layout
 * its estimates of time and memory are computed from. A backend answers
 * TESSEL_ERR_UNSUPPORTED (with a message) for cases it does not handle; the
 * core never switches backend silently. Optional slots say so; the others
 * every backend fills. */
#ifndef TESSEL_CORE_BACKEND_H
#define TESSEL_CORE_BACKEND_H

#include <stddef.h>

#include "tessel/tessel.h"

struct tessel_cost_work;      /* core/cost_model.h */
struct tessel_cost_constants; /* core/cost_model.h */

/* What a plan would allocate where the backend computes, and what it may
 * use there (see plan_memory below). */
typedef struct tessel_plan_memory {
    size_t workspace_bytes; /* what preparing the plan allocates besides the
                               input and output images (temporaries, FFT
                               planes and spectra, taps) */
    size_t largest_bytes;   /* the largest single allocation among those */
    size_t device_bytes;    /* memory tessel may use on the device: the
                               device's, capped by TESSEL_DEVICE_MEMORY_LIMIT */
    size_t alloc_bytes;     /* the largest single allocation allowed */
    size_t limit_bytes;     /* TESSEL_DEVICE_MEMORY_LIMIT, 0 when not set */
} tessel_plan_memory;

/* How strongly a backend claims a device string (device_claim). */
enum {
    TESSEL_CLAIM_NONE = 0, /* not one of its devices */
    TESSEL_CLAIM_ANY = 1,  /* may be one (a device name it would look for) */
    TESSEL_CLAIM_OWN = 2   /* its own word ("cpu", "opencl:N"): certainly its */
};

typedef struct tessel_backend_ops {
    tessel_backend id; /* what contexts on it report (tessel_context_backend) */
    const char *name;  /* tessel_backend_name(id): messages, cost profiles */

    /* ---- devices (core/resolve.c, core/devices.c) */
    /* How strongly a device string (not "auto", not empty) names one of this
     * backend's devices: TESSEL_CLAIM_*. The strongest claim wins; on a tie
     * the table listed first. */
    int (*device_claim)(const char *device);
    /* For AUTO with no device named: how much AUTO wants this backend on
     * this machine (0: not at all, higher wins), with the device string to
     * select in spec ("" for its default). */
    int (*auto_device)(char *spec, size_t spec_size);
    /* Describes up to capacity of its devices in out, *count of them.
     * auto_spec is the device string AUTO resolved to on this backend (""
     * for its default; the entry it selects gets is_auto), or NULL when AUTO
     * picks another backend. */
    tessel_status (*list_devices)(tessel_device_desc *out, int capacity, const char *auto_spec,
                                  int *count);
    /* What to name instead when a device string contradicts this backend,
     * e.g. "use \"cpu\" or \"auto\"". */
    const char *device_hint;
    /* 1 when it runs on an application's OpenCL queue
     * (tessel_context_options.cl_queue). */
    int adopts_cl_queue;

    /* ---- contexts */
    /* Sets ctx->backend_state, ctx->threads and ctx->device_name (and
     * ctx->cl_queue when it has one), from ctx->device_spec and options. */
    tessel_status (*context_init)(tessel_context *ctx, const tessel_context_options *options);
    void (*context_release)(tessel_context *ctx);

    /* ---- plans */
    /* Allocates plan->backend_state for the plan's geometry and method. */
    tessel_status (*plan_prepare)(tessel_plan *plan);
    /* Runs the plan; src and dst are validated against the plan already. */
    tessel_status (*plan_execute)(tessel_plan *plan, const tessel_image *src,
                                  const tessel_image *dst);
    void (*plan_release)(tessel_plan *plan);
    /* Optional (NULL: memory is the host's, plans never tile for memory).
     * Estimates, without allocating, what plan_prepare would allocate for
     * the plan's geometry and method (core/tiles.c decides from it whether
     * a plan runs whole or in tiles). */
    tessel_status (*plan_memory)(const tessel_plan *plan, tessel_plan_memory *out);
    /* Optional (NULL: core/tiles.c runs the tiles one after another through
     * plan_execute). Runs a tiled plan (plan->tiling) on host images with
     * transfers overlapping compute. */
    tessel_status (*tiles_execute)(tessel_plan *plan, const tessel_image *src,
                                   const tessel_image *dst);
    /* Optional (NULL: both ""): what a prepared plan runs, for
     * tessel_plan_info and verbose output: the kernel family ("tiled",
     * "vector", or "" where the choice does not apply) and one line naming
     * the kernel, its work-group and tile. */
    void (*plan_kernels)(const tessel_plan *plan, char *family, size_t family_size,
                         char *detail, size_t detail_size);

    /* ---- buffers (core/buffer.h): storage, transfers and runs between
     * buffers, all validated by the core first */
    tessel_status (*buffer_alloc)(tessel_buffer *buffer);
    void (*buffer_release)(tessel_buffer *buffer);
    tessel_status (*buffer_upload)(tessel_buffer *buffer, const tessel_image *src);
    tessel_status (*buffer_download)(const tessel_buffer *buffer, const tessel_image *dst);
    tessel_status (*plan_execute_buffers)(tessel_plan *plan, const tessel_buffer *src,
                                          const tessel_buffer *dst);
    /* Optional (NULL: only a buffer with itself): 1 when two buffers share
     * storage (two wraps of one cl_mem, overlapping sub-buffers), so that a
     * run from one into the other would read what it writes. */
    int (*buffers_alias)(const tessel_buffer *a, const tessel_buffer *b);
    tessel_status (*combine)(tessel_context *ctx, const tessel_buffer *a, const tessel_buffer *b,
                             tessel_combine_op op, const tessel_buffer *dst);
    /* White's damped Richardson-Lucy ratio (fourier/deconv_damp.c) of packed
     * f32 buffers of one shape: ratio = damped(data / blurred) with
     * half_t2 = threshold^2 / 2 and the given power. */
    tessel_status (*damped_ratio)(tessel_context *ctx, const tessel_buffer *data,
                                  const tessel_buffer *blurred, float half_t2, int power,
                                  tessel_buffer *ratio);
    tessel_status (*finish)(tessel_context *ctx);

    /* ---- method auto's cost model (core/cost_model.h) */
    /* The work terms of `method` for the plan (geometry, channels and dtypes
     * set), counted from the layout the method's executor runs; available
     * stays 0 when the backend cannot run it for this plan. */
    void (*cost_work)(const tessel_plan *plan, tessel_method method,
                      struct tessel_cost_work *out);
    /* The constants for ctx's device when no tuned profile applies, and
     * their description ("default constants"). */
    const char *(*cost_defaults)(const tessel_context *ctx, struct tessel_cost_constants *k);
    /* What the constant of `term` of `method` is per ("sample", "point"),
     * for tessel_tune's summary; NULL for a term the method does not use. */
    const char *(*cost_term_name)(tessel_method method, int term);

    /* ---- tessel_tune (core/tune.c) */
    /* Optional: before the measurements (what earlier tunes saved), and
     * after a profile was stored (what this one learnt). */
    void (*tune_begin)(tessel_context *ctx);
    void (*tune_end)(tessel_context *ctx);
} tessel_backend_ops;

/* The tables; a build defines those it compiled. */
extern const tessel_backend_ops tessel_cpu_backend;    /* host/cpu/ */
extern const tessel_backend_ops tessel_opencl_backend; /* host/opencl/, with TESSEL_OPENCL */

/* The tables of this build, NULL-terminated, in the order `tessel devices`
 * lists their devices (generated by host/CMakeLists.txt). */
extern const tessel_backend_ops *const tessel_backends[];

#endif
