/* zlib streams and CRC-32 for the PNG writer through libdeflate: whole-buffer
 * deflate, several times faster than zlib at the same size. A build without
 * libdeflate compiles deflate_missing.c instead. */
#include <libdeflate.h>
#include <stdlib.h>

#include "deflate.h"

unsigned char *tessel_deflate_zlib(const unsigned char *in, size_t n, int level, size_t *out_size)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c) return NULL;
    size_t bound = libdeflate_zlib_compress_bound(c, n);
    unsigned char *out = malloc(bound);
    size_t got = out ? libdeflate_zlib_compress(c, in, n, out, bound) : 0;
    libdeflate_free_compressor(c);
    if (got == 0) {
        free(out);
        return NULL;
    }
    *out_size = got;
    return out;
}

uint32_t tessel_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    return libdeflate_crc32(crc, p, n);
}

uint64_t tessel_deflate_max_bytes(void)
{
    return (uint64_t)1 << 40;
}
