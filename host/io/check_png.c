/* PNG: the chunk structure, walked before any decoder sees the file, so
 * that a truncated or damaged file is explained here, in tessel's words:
 * IHDR first (the size comes from it), every chunk whole inside the file,
 * image data (IDAT) before IEND, and no critical chunk a decoder cannot
 * know. What is left to the decoder is the compressed data itself. */
#include <string.h>

#include "formats.h"

#define PNG_SIGNATURE_BYTES 8
#define CHUNK_OVERHEAD 12 /* length, type, CRC */
#define IHDR_BYTES 13
#define MAX_CHUNK_LENGTH 0x7FFFFFFFu /* the PNG specification's limit */

static int is_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Critical chunks (upper-case first letter) that every decoder knows. */
static int is_known_critical(const char *name)
{
    return strcmp(name, "IHDR") == 0 || strcmp(name, "PLTE") == 0 ||
           strcmp(name, "IDAT") == 0 || strcmp(name, "IEND") == 0;
}

static tessel_status check_ihdr(const char *path, const unsigned char *b, size_t n,
                                tessel_raster_facts *facts)
{
    if (n < PNG_SIGNATURE_BYTES + CHUNK_OVERHEAD + IHDR_BYTES)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated PNG: the header is incomplete");
    if (tessel_io_be32(b + 8) != IHDR_BYTES || memcmp(b + 12, "IHDR", 4) != 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt PNG: it does not start with IHDR");
    facts->width = tessel_io_be32(b + 16);
    facts->height = tessel_io_be32(b + 20);
    return tessel_io_check_pixels(path, facts->width, facts->height);
}

/* One chunk at pos: its type into name, *next past it; a message when it
 * is not whole or not well formed. */
static tessel_status check_chunk(const char *path, const unsigned char *b, size_t n, size_t pos,
                                 char name[5], size_t *next)
{
    if (n - pos < 8)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated PNG: the file ends at byte %zu, before the image's end "
                              "(IEND)",
                              n);
    const unsigned char *type = b + pos + 4;
    for (int i = 0; i < 4; ++i)
        if (!is_letter(type[i]))
            return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                                  "corrupt PNG: the chunk at byte %zu has no valid type", pos);
    memcpy(name, type, 4);
    name[4] = '\0';
    uint32_t length = tessel_io_be32(b + pos);
    if (length > MAX_CHUNK_LENGTH)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "corrupt PNG: chunk %s at byte %zu claims %lu bytes", name, pos,
                              (unsigned long)length);
    if (n - pos < (uint64_t)length + CHUNK_OVERHEAD)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated PNG: the file ends inside chunk %s (%lu bytes at byte "
                              "%zu; the file has %zu)",
                              name, (unsigned long)length, pos, n);
    if (name[0] >= 'A' && name[0] <= 'Z' && !is_known_critical(name))
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path,
                              "unsupported PNG: critical chunk %s is not in the PNG standard",
                              name);
    *next = pos + CHUNK_OVERHEAD + length;
    return TESSEL_OK;
}

tessel_status tessel_check_png(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    FORWARD_IF_ERROR(check_ihdr(path, b, n, facts));
    int has_data = 0;
    size_t pos = PNG_SIGNATURE_BYTES + CHUNK_OVERHEAD + IHDR_BYTES;
    for (;;) {
        char name[5];
        size_t next = 0;
        FORWARD_IF_ERROR(check_chunk(path, b, n, pos, name, &next));
        if (strcmp(name, "IHDR") == 0)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt PNG: a second IHDR chunk");
        if (strcmp(name, "IDAT") == 0) has_data = 1;
        if (strcmp(name, "IEND") == 0) break;
        pos = next;
    }
    if (!has_data)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt PNG: it holds no image data (IDAT)");
    return TESSEL_OK;
}
