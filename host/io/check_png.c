/* PNG: the size comes from the IHDR chunk, which must come first. stb_image
 * checks the rest (a short or missing IDAT is an error there). */
#include <string.h>

#include "formats.h"

#define PNG_SIGNATURE_BYTES 8
#define IHDR_END (PNG_SIGNATURE_BYTES + 8 + 13)

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

tessel_status tessel_check_png(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    if (n < IHDR_END) return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated PNG header");
    if (be32(b + 8) != 13 || memcmp(b + 12, "IHDR", 4) != 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt PNG: it does not start with IHDR");
    facts->width = be32(b + 16);
    facts->height = be32(b + 20);
    return tessel_io_check_pixels(path, facts->width, facts->height);
}
