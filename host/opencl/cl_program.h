/* The program cache: OpenCL programs built from the embedded kernels_cl/
 * sources, kept in memory per tessel_cl_state and on disk between runs, so that a
 * second run of the same job compiles nothing. */
#ifndef TESSEL_OPENCL_CL_PROGRAM_H
#define TESSEL_OPENCL_CL_PROGRAM_H

#include "cl_common.h"

typedef struct tessel_cl_program_cache tessel_cl_program_cache;

/* What the cache did since it was created (the tests read it). */
typedef struct tessel_cl_cache_stats {
    int compiled;      /* programs built from source */
    int disk_loads;    /* programs built from a binary read from disk */
    int memory_hits;   /* requests served by a program already in memory */
    int disk_rejected; /* disk files ignored: damaged, truncated or another key */
} tessel_cl_cache_stats;

/* Sets cl->programs to an empty cache for cl's context and device. The disk
 * folder is $TESSEL_CACHE_DIR if set (an empty value turns the disk cache
 * off), else $XDG_CACHE_HOME/tessel, else $HOME/.cache/tessel. */
tessel_status tessel_cl_programs_create(tessel_context *ctx, tessel_cl_state *cl);

/* Releases every program; call before the cl_context goes. Accepts NULL. */
void tessel_cl_programs_destroy(tessel_cl_program_cache *cache);

/* The kernel `kernel_name` of the program built from "common.cl" followed by
 * `source_name` (both in kernels_cl/) with build options `options` (NULL
 * means none). Looks in memory, then on disk, then compiles and stores the
 * binary on disk. The caller releases the returned kernel. A build failure
 * is TESSEL_ERR_BACKEND with the start of the build log in the message. */
tessel_status tessel_cl_kernel_get(tessel_context *ctx, tessel_cl_state *cl,
                                   const char *source_name, const char *options,
                                   const char *kernel_name, cl_kernel *out);

/* The counters of cl->programs (all zero when there is no cache). */
void tessel_cl_cache_stats_get(const tessel_cl_state *cl, tessel_cl_cache_stats *out);

#endif
