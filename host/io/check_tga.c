/* TGA: stb_image reads past the end of the pixel data as zeros, so the
 * pixel data (raw, or the run-length packets) must be checked against the
 * file's length first. TGA has no signature; this is also what tells a TGA
 * from a file that only carries the extension. */
#include "formats.h"

#define TGA_HEADER_BYTES 18

/* Walks the run-length packets until they cover `pixels`: each is a byte of
 * count-1 (top bit set: one pixel repeated, else count raw pixels). */
static tessel_status check_packets(const char *path, size_t n, const unsigned char *b, uint64_t pos,
                                   uint64_t pixels, uint64_t pixel_bytes)
{
    uint64_t covered = 0;
    while (covered < pixels) {
        if (pos >= n) break;
        unsigned head = b[pos++];
        uint64_t count = (head & 0x7F) + 1u;
        pos += (head & 0x80) ? pixel_bytes : count * pixel_bytes;
        covered += count;
    }
    if (covered < pixels || pos > n)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated TGA: the run-length data ends after %llu of %llu pixels",
                              (unsigned long long)(covered < pixels ? covered : pixels),
                              (unsigned long long)pixels);
    return TESSEL_OK;
}

tessel_status tessel_check_tga(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    if (n < TGA_HEADER_BYTES)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated TGA header");
    unsigned id_bytes = b[0], map_type = b[1], type = b[2];
    unsigned map_length = tessel_io_le16(b + 5), map_bits = b[7];
    unsigned width = tessel_io_le16(b + 12), height = tessel_io_le16(b + 14), bits = b[16];
    unsigned base_type = type & ~8u;
    if (map_type > 1 || base_type < 1 || base_type > 3 || (type & ~11u) != 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "not a TGA image this reader knows (type %u, colour map %u)", type,
                              map_type);
    if (bits != 8 && bits != 15 && bits != 16 && bits != 24 && bits != 32)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "TGA has %u bits per pixel", bits);
    facts->width = width;
    facts->height = height;
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, width, height));
    uint64_t pixel_bytes = (bits + 7u) / 8u;
    uint64_t start = TGA_HEADER_BYTES + (uint64_t)id_bytes +
                     (map_type ? (uint64_t)map_length * ((map_bits + 7u) / 8u) : 0);
    uint64_t pixels = (uint64_t)width * height;
    if (type & 8u) return check_packets(path, n, b, start, pixels, pixel_bytes);
    uint64_t needed = start + pixels * pixel_bytes;
    if (needed > n)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated TGA: %ux%u pixels at %u bits need %llu bytes, the file "
                              "holds %zu",
                              width, height, bits, (unsigned long long)needed, n);
    return TESSEL_OK;
}
