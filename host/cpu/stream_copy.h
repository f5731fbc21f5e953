/* Copying finished output past the caches. An image larger than the last
 * level cache is written to memory anyway; ordinary stores first read each
 * line they write (a third of the traffic of a filter), non-temporal ones
 * do not. Worth it only for outputs too large to stay cached. */
#ifndef TESSEL_CPU_STREAM_COPY_H
#define TESSEL_CPU_STREAM_COPY_H

#include <stddef.h>

/* Outputs of at least this many bytes are streamed. */
#define TESSEL_STREAM_MIN_BYTES ((size_t)32 << 20)

/* memcpy(dst, src, bytes) with non-temporal stores where the CPU has them;
 * the stores are ordered before the function returns. */
void tessel_stream_copy(void *dst, const void *src, size_t bytes);

#endif
