/* Radiance HDR: stb_image loops forever on a zero-length run and reads past
 * the end of the file as zeros, so the header is read and the scanlines are
 * walked here, exactly as stb will decode them, before it sees the file. */
#include <string.h>

#include "formats.h"

#define HDR_NUMBER_MAX 1000000000u

typedef struct hdr_cursor {
    const unsigned char *b;
    size_t n, pos;
} hdr_cursor;

/* The next header line without its '\n' (the last one may lack it). */
static size_t next_line(hdr_cursor *c, const unsigned char **line)
{
    *line = c->b + c->pos;
    size_t start = c->pos;
    while (c->pos < c->n && c->b[c->pos] != '\n') ++c->pos;
    size_t length = c->pos - start;
    if (c->pos < c->n) ++c->pos;
    return length;
}

static int read_number(const unsigned char *s, size_t len, size_t *i, uint64_t *out)
{
    size_t start = *i;
    uint64_t v = 0;
    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && v <= HDR_NUMBER_MAX)
        v = v * 10 + (uint64_t)(s[(*i)++] - '0');
    *out = v;
    return *i > start && v <= HDR_NUMBER_MAX;
}

/* "-Y height +X width", the only orientation stb reads. */
static int parse_resolution(const unsigned char *s, size_t len, uint64_t *w, uint64_t *h)
{
    size_t i = 3;
    if (len < 3 || memcmp(s, "-Y ", 3) != 0 || !read_number(s, len, &i, h)) return 0;
    while (i < len && s[i] == ' ') ++i;
    if (len - i < 3 || memcmp(s + i, "+X ", 3) != 0) return 0;
    i += 3;
    return read_number(s, len, &i, w);
}

static tessel_status read_header(const char *path, hdr_cursor *c, uint64_t *w, uint64_t *h)
{
    const unsigned char *line;
    size_t len = next_line(c, &line); /* the signature, checked by the sniffer */
    int rgbe = 0;
    while ((len = next_line(c, &line)) > 0)
        if (len == 22 && memcmp(line, "FORMAT=32-bit_rle_rgbe", 22) == 0) rgbe = 1;
    if (!rgbe)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "HDR is not in the 32-bit_rle_rgbe format");
    len = next_line(c, &line);
    if (!parse_resolution(line, len, w, h))
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "HDR resolution line is not \"-Y height +X width\"");
    return tessel_io_check_pixels(path, *w, *h);
}

static tessel_status truncated(const char *path)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated HDR: the pixel data ends early");
}

/* One component of a run-length scanline: runs (count > 128: one byte
 * repeated count-128 times) and dumps (count bytes). */
static tessel_status walk_component(const char *path, hdr_cursor *c, uint64_t width)
{
    uint64_t done = 0;
    while (done < width) {
        if (c->pos >= c->n) return truncated(path);
        unsigned count = c->b[c->pos++];
        uint64_t length = count > 128 ? count - 128u : count;
        if (length == 0 || length > width - done)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt HDR run-length data");
        c->pos += count > 128 ? 1 : length;
        done += length;
    }
    return c->pos <= c->n ? TESSEL_OK : truncated(path);
}

tessel_status tessel_check_hdr(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    hdr_cursor c = {b, n, 0};
    uint64_t width = 0, height = 0;
    FORWARD_IF_ERROR(read_header(path, &c, &width, &height));
    facts->width = width;
    facts->height = height;
    uint64_t flat_bytes = width * height * 4;
    if (width < 8 || width >= 32768) /* stb reads these flat */
        return n - c.pos >= flat_bytes ? TESSEL_OK : truncated(path);
    for (uint64_t row = 0; row < height; ++row) {
        if (n - c.pos < 4) return truncated(path);
        const unsigned char *s = b + c.pos;
        if (s[0] != 2 || s[1] != 2 || (s[2] & 0x80)) /* stb then reads the whole image flat */
            return n - c.pos >= flat_bytes ? TESSEL_OK : truncated(path);
        if (tessel_io_be16(s + 2) != width)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt HDR scanline header");
        c.pos += 4;
        for (int component = 0; component < 4; ++component)
            FORWARD_IF_ERROR(walk_component(path, &c, width));
    }
    return TESSEL_OK;
}
