/* 16-bit PNG, which stb_image_write cannot write: big-endian samples,
 * filtered scanlines compressed with stb's deflate, and the chunks
 * (signature, IHDR, IDAT, IEND) with their CRC-32. */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "formats.h"

#define PNG_FILTERS 5

typedef struct png_crc {
    uint32_t table[256];
} png_crc;

static void crc_init(png_crc *crc)
{
    for (uint32_t n = 0; n < 256; ++n) {
        uint32_t c = n;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc->table[n] = c;
    }
}

static uint32_t crc_update(const png_crc *crc, uint32_t c, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; ++i) c = crc->table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c;
}

static void write_chunk(tessel_atomic_file *file, const png_crc *crc, const char *type,
                        const unsigned char *data, size_t n)
{
    unsigned char word[4];
    tessel_io_put_be32(word, (uint32_t)n);
    tessel_atomic_write(file, word, 4);
    tessel_atomic_write(file, type, 4);
    if (n) tessel_atomic_write(file, data, n);
    uint32_t c = crc_update(crc, 0xFFFFFFFFu, (const unsigned char *)type, 4);
    c = crc_update(crc, c, data, n) ^ 0xFFFFFFFFu;
    tessel_io_put_be32(word, c);
    tessel_atomic_write(file, word, 4);
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    if (pa <= pb && pa <= pc) return a;
    return pb <= pc ? b : c;
}

/* Filters row (n bytes, prev the row above or NULL) with PNG filter type
 * into out; returns the sum of |byte as signed|, the usual guess at how
 * well the result compresses. */
static unsigned long filter_row(int type, const unsigned char *row, const unsigned char *prev,
                                size_t n, size_t bpp, unsigned char *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < n; ++i) {
        int a = i >= bpp ? row[i - bpp] : 0, b = prev ? prev[i] : 0;
        int c = (i >= bpp && prev) ? prev[i - bpp] : 0;
        int predicted = type == 1   ? a
                        : type == 2 ? b
                        : type == 3 ? (a + b) / 2
                        : type == 4 ? paeth(a, b, c)
                                    : 0;
        out[i] = (unsigned char)(row[i] - predicted);
        cost += (unsigned long)abs((signed char)out[i]);
    }
    return cost;
}

static void row_to_big_endian(const tessel_image *img, int y, unsigned char *out)
{
    const uint16_t *s = (const uint16_t *)((const unsigned char *)img->data +
                                           (size_t)y * tessel_image_row_bytes(img));
    size_t n = (size_t)img->width * (size_t)img->channels;
    for (size_t i = 0; i < n; ++i) {
        out[2 * i] = (unsigned char)(s[i] >> 8);
        out[2 * i + 1] = (unsigned char)s[i];
    }
}

/* Every scanline as its filter byte and the filtered bytes. */
static unsigned char *filtered_scanlines(const tessel_image *img, size_t *size)
{
    size_t bpp = (size_t)img->channels * 2, n = (size_t)img->width * bpp;
    *size = (n + 1) * (size_t)img->height;
    unsigned char *all = malloc(*size), *rows = malloc(2 * n), *trial = malloc(n);
    if (!all || !rows || !trial) {
        free(all);
        all = NULL;
    }
    for (int y = 0; all && y < img->height; ++y) {
        unsigned char *row = rows + (size_t)(y & 1) * n,
                      *prev = y ? rows + (size_t)(~y & 1) * n : NULL;
        unsigned char *line = all + (size_t)y * (n + 1);
        row_to_big_endian(img, y, row);
        unsigned long best = filter_row(0, row, prev, n, bpp, line + 1);
        line[0] = 0;
        for (int type = 1; type < PNG_FILTERS; ++type) {
            unsigned long cost = filter_row(type, row, prev, n, bpp, trial);
            if (cost < best) {
                best = cost;
                line[0] = (unsigned char)type;
                memcpy(line + 1, trial, n);
            }
        }
    }
    free(rows);
    free(trial);
    return all;
}

static const unsigned char colour_types[5] = {0, 0, 4, 2, 6}; /* by channel count */

tessel_status tessel_png16_write(tessel_atomic_file *file, const tessel_image *img)
{
    /* the scanlines fit stb's deflate, which counts in int: tessel_io_check_writable */
    size_t size;
    unsigned char *scanlines = filtered_scanlines(img, &size);
    int zsize = 0;
    unsigned char *z = scanlines ? tessel_zlib_compress(scanlines, (int)size, &zsize) : NULL;
    free(scanlines);
    if (!z) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    png_crc crc;
    crc_init(&crc);
    unsigned char header[13];
    tessel_io_put_be32(header, (uint32_t)img->width);
    tessel_io_put_be32(header + 4, (uint32_t)img->height);
    header[8] = 16;
    header[9] = colour_types[img->channels];
    header[10] = header[11] = header[12] = 0; /* deflate, adaptive filters, no interlace */
    tessel_atomic_write(file, "\x89PNG\r\n\x1a\n", 8);
    write_chunk(file, &crc, "IHDR", header, sizeof header);
    write_chunk(file, &crc, "IDAT", z, (size_t)zsize);
    write_chunk(file, &crc, "IEND", NULL, 0);
    free(z);
    return TESSEL_OK;
}
