/* zlib streams and CRC-32 for the PNG writer: libdeflate where the build
 * has it (whole-buffer deflate, several times faster than zlib at the same
 * size), else stb_image_write's deflate, which ignores the level. */
#include <limits.h>
#include <stdlib.h>

#include "deflate.h"
#include "formats.h"

#ifdef TESSEL_HAVE_LIBDEFLATE
#include <libdeflate.h>

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

#else

#include <pthread.h>

uint64_t tessel_deflate_max_bytes(void)
{
    return INT_MAX / 2; /* stb counts in int */
}

unsigned char *tessel_deflate_zlib(const unsigned char *in, size_t n, int level, size_t *out_size)
{
    (void)level;
    if (n > tessel_deflate_max_bytes()) return NULL;
    int size = 0;
    unsigned char *out = tessel_zlib_compress((unsigned char *)in, (int)n, &size);
    *out_size = (size_t)size;
    return out;
}

static uint32_t crc_table[256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void make_crc_table(void)
{
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t tessel_crc32(uint32_t crc, const unsigned char *p, size_t n)
{
    pthread_once(&crc_once, make_crc_table);
    const uint32_t *table = crc_table;
    crc = ~crc;
    for (size_t i = 0; i < n; ++i) crc = table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

#endif
