/* The OpenCL C sources of kernels_cl/, embedded at build time by cmake/embed_cl.cmake
 * into a generated C file that defines tessel_cl_source_find. */
#ifndef TESSEL_OPENCL_CL_SOURCES_H
#define TESSEL_OPENCL_CL_SOURCES_H

typedef struct tessel_cl_source {
    const char *name;           /* file name in kernels_cl/, e.g. "conv_direct.cl" */
    const char *const *pieces;  /* the text, in order, as NUL-terminated pieces */
    int piece_count;            /* (each under 4 KB, the portable literal size) */
    const char *hash;           /* SHA-256 of the file's bytes, 64 hex digits */
} tessel_cl_source;

/* The embedded file called `name`, or NULL when there is none. */
const tessel_cl_source *tessel_cl_source_find(const char *name);

#endif
