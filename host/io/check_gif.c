/* GIF: stb_image fills the pixels a truncated frame lacks with the
 * background, so the blocks up to the end of the first frame (the one read)
 * must all be in the file. Also tells whether that frame's colour table is
 * all grey (stb gives every GIF as RGBA). */
#include "formats.h"

#define GIF_HEADER_BYTES 13
#define GIF_EXTENSION 0x21
#define GIF_IMAGE 0x2C
#define GIF_TRAILER 0x3B
#define GIF_DESCRIPTOR_BYTES 9 /* position, size, packed byte */

static tessel_status truncated(const char *path)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated GIF: the first frame is incomplete");
}

/* Colour table size from a packed field (bit 7: present, bits 0-2: size). */
static size_t colour_table_bytes(unsigned packed)
{
    return (packed & 0x80) ? 3u * ((size_t)2 << (packed & 7)) : 0;
}

/* 1 when the colour table of `bytes` at start is in the file and all grey. */
static int table_is_grey(const unsigned char *b, size_t n, size_t start, size_t bytes)
{
    if (bytes == 0 || start > n || n - start < bytes) return 0;
    for (size_t i = start; i < start + bytes; i += 3)
        if (b[i] != b[i + 1] || b[i + 1] != b[i + 2]) return 0;
    return 1;
}

/* Skips sub-blocks (a length byte, that many bytes) up to the empty one. */
static int skip_sub_blocks(const unsigned char *b, size_t n, size_t *pos)
{
    while (*pos < n) {
        size_t length = b[(*pos)++];
        if (length == 0) return 1;
        *pos += length;
    }
    return 0;
}

tessel_status tessel_check_gif(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    if (n < GIF_HEADER_BYTES) return truncated(path);
    facts->width = tessel_io_le16(b + 6); /* the logical screen, which stb returns */
    facts->height = tessel_io_le16(b + 8);
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, facts->width, facts->height));
    size_t global_bytes = colour_table_bytes(b[10]), pos = GIF_HEADER_BYTES + global_bytes;
    facts->grey_palette = table_is_grey(b, n, GIF_HEADER_BYTES, global_bytes);
    while (pos < n) {
        unsigned block = b[pos++];
        if (block == GIF_EXTENSION) {
            ++pos; /* label */
            if (!skip_sub_blocks(b, n, &pos)) return truncated(path);
        } else if (block == GIF_IMAGE) {
            if (pos + GIF_DESCRIPTOR_BYTES + 1 > n) return truncated(path);
            size_t local_bytes = colour_table_bytes(b[pos + GIF_DESCRIPTOR_BYTES - 1]);
            if (local_bytes)
                facts->grey_palette = table_is_grey(b, n, pos + GIF_DESCRIPTOR_BYTES, local_bytes);
            /* descriptor, local colour table, LZW minimum code size */
            pos += GIF_DESCRIPTOR_BYTES + local_bytes + 1;
            return skip_sub_blocks(b, n, &pos) ? TESSEL_OK : truncated(path);
        } else if (block == GIF_TRAILER) {
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "GIF holds no image");
        } else {
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt GIF: unknown block 0x%02x",
                                  block);
        }
    }
    return truncated(path);
}
