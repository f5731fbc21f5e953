/* Buffers: images resident where the context computes (see tessel.h). */
#ifndef TESSEL_CORE_BUFFER_H
#define TESSEL_CORE_BUFFER_H

#include "tessel/tessel.h"

struct tessel_buffer {
    tessel_context *ctx;
    int width, height, channels;
    tessel_dtype dtype;
    size_t pitch;  /* bytes from one row to the next */
    void *host;    /* CPU backend: the samples */
    void *device;  /* OpenCL backend: the cl_mem */
    int wrapped;   /* device memory belongs to the application */
};

/* A host view of a CPU-backend buffer. */
static inline tessel_image tessel_buffer_view(const tessel_buffer *b)
{
    tessel_image v = {b->host, b->width, b->height, b->channels, b->dtype, b->pitch};
    return v;
}

/* Packed row size in bytes. */
static inline size_t tessel_buffer_row_bytes(const tessel_buffer *b)
{
    return (size_t)b->width * (size_t)b->channels * tessel_dtype_size(b->dtype);
}

#endif
