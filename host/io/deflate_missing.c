/* The PNG writer's deflate in a build without libdeflate (deflate.c when it
 * has it): stb_image_write's zlib stream, which has one level and counts in
 * int, and a table-driven CRC-32. */
#include <limits.h>
#include <pthread.h>

#include "deflate.h"
#include "formats.h"

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
