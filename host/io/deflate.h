/* Deflate for the PNG writer (deflate.c). */
#ifndef TESSEL_IO_DEFLATE_H
#define TESSEL_IO_DEFLATE_H

#include <stddef.h>
#include <stdint.h>

/* A zlib stream of the n bytes at in, compressed at level (1..9), in a
 * fresh allocation (free()) of *out_size bytes; NULL when out of memory
 * (or, without libdeflate, past stb's 1 GiB). */
unsigned char *tessel_deflate_zlib(const unsigned char *in, size_t n, int level, size_t *out_size);

/* The most bytes tessel_deflate_zlib takes in this build. */
uint64_t tessel_deflate_max_bytes(void);

/* CRC-32 as zlib and PNG compute it; start with crc 0. */
uint32_t tessel_crc32(uint32_t crc, const unsigned char *p, size_t n);

#endif
