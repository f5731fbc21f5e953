/* PNM (binary PGM P5 and PPM P6): the header is read here, so that huge or
 * malformed numbers never reach stb_image and a short pixel array (which
 * stb reads as zeros) is reported. */
#include "formats.h"

#define PNM_NUMBER_MAX 1000000000u

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Skips whitespace and '#' comments up to the end of their line. */
static void skip_blank(const unsigned char *b, size_t n, size_t *pos)
{
    while (*pos < n) {
        if (is_space(b[*pos])) {
            ++*pos;
        } else if (b[*pos] == '#') {
            while (*pos < n && b[*pos] != '\n' && b[*pos] != '\r') ++*pos;
        } else {
            return;
        }
    }
}

/* A decimal number of at most PNM_NUMBER_MAX; 0 when there is none. */
static int read_number(const unsigned char *b, size_t n, size_t *pos, uint64_t *out)
{
    skip_blank(b, n, pos);
    size_t start = *pos;
    uint64_t v = 0;
    while (*pos < n && b[*pos] >= '0' && b[*pos] <= '9' && v <= PNM_NUMBER_MAX)
        v = v * 10 + (uint64_t)(b[(*pos)++] - '0');
    *out = v;
    return *pos > start && v <= PNM_NUMBER_MAX;
}

tessel_status tessel_check_pnm(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    char kind = n >= 2 ? (char)b[1] : '?';
    if (kind != '5' && kind != '6')
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "PNM type P%c is not supported (binary P5 and P6 are)", kind);
    size_t pos = 2;
    uint64_t width, height, maxval;
    if (!read_number(b, n, &pos, &width) || !read_number(b, n, &pos, &height) ||
        !read_number(b, n, &pos, &maxval))
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "malformed PNM header");
    if (maxval == 0 || maxval > 65535)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "PNM maximum value %llu is not 1..65535",
                              (unsigned long long)maxval);
    if (pos >= n || !is_space(b[pos]))
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "malformed PNM header");
    ++pos; /* the single whitespace character before the pixels */
    facts->width = width;
    facts->height = height;
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, width, height));
    uint64_t sample_bytes = maxval > 255 ? 2 : 1, channels = kind == '6' ? 3 : 1;
    uint64_t needed = pos + width * height * channels * sample_bytes;
    if (needed > n)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated PNM: %llux%llu pixels need %llu bytes, the file holds %zu",
                              (unsigned long long)width, (unsigned long long)height,
                              (unsigned long long)needed, n);
    return TESSEL_OK;
}
