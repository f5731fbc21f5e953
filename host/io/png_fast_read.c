/* The common PNG, read without zlib: a non-interlaced image of 8 or 16-bit
 * grey, grey+alpha, RGB or RGBA samples whose IDAT chunks inflate with
 * libdeflate (two to three times zlib's speed) and unfilter in place.
 * libspng has read and checked the header before; anything unusual here (a
 * damaged chunk or CRC, a stream shorter or longer than the image) leaves
 * the file to libspng, which says what is wrong or reads what it can. */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "png_fast_read.h"

#define PNG_SIGNATURE_BYTES 8

/* Walks the chunks up to the end of the consecutive IDAT chunks, checking
 * the CRC of each critical one (IHDR, PLTE, IDAT: their type starts with a
 * capital): the IDATs' payload's total size (0 when a chunk is damaged or
 * there is none), the first payload's offset in *first and their count in
 * *count; with copy_to set, the payloads joined there. */
static size_t walk_idats(const unsigned char *b, size_t n, unsigned char *copy_to, size_t *first,
                         int *count)
{
    size_t pos = PNG_SIGNATURE_BYTES, total = 0;
    *count = 0;
    while (n - pos >= 12) {
        size_t length = tessel_io_be32(b + pos);
        if (length > n - pos - 12) return 0;
        int idat = memcmp(b + pos + 4, "IDAT", 4) == 0;
        if (*count && !idat) break;
        int critical = b[pos + 4] >= 'A' && b[pos + 4] <= 'Z';
        if (critical && !copy_to &&
            libdeflate_crc32(0, b + pos + 4, length + 4) != tessel_io_be32(b + pos + 8 + length))
            return 0;
        if (idat) {
            if (!(*count)++) *first = pos + 8;
            if (copy_to) memcpy(copy_to + total, b + pos + 8, length);
            total += length;
        }
        pos += length + 12;
    }
    return *count ? total : 0;
}

/* The IDAT chunks' payload: in place when there is one chunk, else joined
 * into *joined (to free). 0 when the chunks are not as they should be. */
static int idat_data(const unsigned char *b, size_t n, const unsigned char **data, size_t *size,
                     unsigned char **joined)
{
    size_t first = 0;
    int count;
    *joined = NULL;
    *size = walk_idats(b, n, NULL, &first, &count);
    if (*size == 0) return 0;
    if (count == 1) {
        *data = b + first;
        return 1;
    }
    *joined = malloc(*size);
    if (!*joined) return 0;
    walk_idats(b, n, *joined, &first, &count);
    *data = *joined;
    return 1;
}

static uint8_t paeth(uint8_t a, uint8_t b, uint8_t c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Unfilters one row from in (its type byte first) to out; up: the row
 * above, unfiltered (zeros for the first). out may start before in: each
 * byte is read before anything is written over it. */
static int unfilter_row(const uint8_t *in, uint8_t *out, const uint8_t *up, size_t n, size_t bpp)
{
    int type = in[0];
    ++in;
    switch (type) {
    case 0: memmove(out, in, n); return 1;
    case 1:
        for (size_t i = 0; i < n; ++i) out[i] = (uint8_t)(in[i] + (i >= bpp ? out[i - bpp] : 0));
        return 1;
    case 2:
        for (size_t i = 0; i < n; ++i) out[i] = (uint8_t)(in[i] + up[i]);
        return 1;
    case 3:
        for (size_t i = 0; i < n; ++i)
            out[i] = (uint8_t)(in[i] + (((i >= bpp ? out[i - bpp] : 0) + up[i]) >> 1));
        return 1;
    case 4:
        for (size_t i = 0; i < n; ++i)
            out[i] =
                (uint8_t)(in[i] + (i >= bpp ? paeth(out[i - bpp], up[i], up[i - bpp]) : up[i]));
        return 1;
    default: return 0;
    }
}

/* 16-bit samples from PNG's big-endian order to the host's. */
static void to_host_order(uint8_t *p, size_t bytes)
{
    const uint16_t one = 1;
    if (!*(const uint8_t *)&one) return;
    for (size_t i = 0; i + 1 < bytes; i += 2) {
        uint8_t t = p[i];
        p[i] = p[i + 1];
        p[i + 1] = t;
    }
}

int tessel_png_read_fast(const unsigned char *b, size_t n, int width, int height, int channels,
                         tessel_dtype dtype, tessel_image *out)
{
    size_t bpp = (size_t)channels * tessel_dtype_size(dtype), row = (size_t)width * bpp;
    size_t raw = (row + 1) * (size_t)height;
    const unsigned char *z;
    size_t z_size;
    unsigned char *joined;
    if (!idat_data(b, n, &z, &z_size, &joined)) return 0;
    uint8_t *pixels = malloc(raw);
    struct libdeflate_decompressor *d = pixels ? libdeflate_alloc_decompressor() : NULL;
    int ok = d && libdeflate_zlib_decompress(d, z, z_size, pixels, raw, NULL) == LIBDEFLATE_SUCCESS;
    libdeflate_free_decompressor(d);
    free(joined);
    /* Row y moves from y * (row + 1) to y * row as it is unfiltered. */
    static const uint8_t zeros[64];
    uint8_t *zero_row = ok && row > sizeof zeros ? calloc(1, row) : NULL;
    const uint8_t *up = row > sizeof zeros ? zero_row : zeros;
    for (int y = 0; ok && y < height && up; ++y) {
        uint8_t *dst = pixels + (size_t)y * row;
        ok = unfilter_row(pixels + (size_t)y * (row + 1), dst, up, row, bpp);
        up = dst;
    }
    ok = ok && up;
    free(zero_row);
    if (!ok) {
        free(pixels);
        return 0;
    }
    if (dtype == TESSEL_U16) to_host_order(pixels, row * (size_t)height);
    *out = tessel_image_view(pixels, width, height, channels, dtype);
    return 1;
}
