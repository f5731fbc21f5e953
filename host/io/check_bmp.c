/* BMP: stb_image reads missing pixel rows as zeros, so the pixel array must
 * be checked against the file's length first. Also tells whether a palette
 * image is grey (stb expands every palette to RGB). */
#include "formats.h"

#define FILE_HEADER_BYTES 14
#define OS2_INFO_BYTES 12

typedef struct bmp_header {
    uint32_t data_offset, info_size, compression, colours_used;
    int64_t width, height;
    uint32_t bits_per_pixel;
} bmp_header;

static void parse_header(const unsigned char *b, bmp_header *h)
{
    h->data_offset = tessel_io_le32(b + 10);
    h->info_size = tessel_io_le32(b + 14);
    h->colours_used = 0;
    if (h->info_size == OS2_INFO_BYTES) {
        h->width = tessel_io_le16(b + 18);
        h->height = tessel_io_le16(b + 20);
        h->bits_per_pixel = tessel_io_le16(b + 24);
        h->compression = 0;
        return;
    }
    h->width = (int32_t)tessel_io_le32(b + 18);
    h->height = (int32_t)tessel_io_le32(b + 22);
    h->bits_per_pixel = tessel_io_le16(b + 28);
    h->compression = tessel_io_le32(b + 30);
    h->colours_used = tessel_io_le32(b + 46);
}

/* 1 when every palette entry has equal blue, green and red. */
static int palette_is_grey(const unsigned char *b, size_t n, const bmp_header *h)
{
    size_t entry = h->info_size == OS2_INFO_BYTES ? 3 : 4;
    uint64_t count = h->colours_used ? h->colours_used : (uint64_t)1 << h->bits_per_pixel;
    uint64_t start = FILE_HEADER_BYTES + (uint64_t)h->info_size;
    if (count > 256 || start + count * entry > n) return 0;
    for (uint64_t i = 0; i < count; ++i) {
        const unsigned char *e = b + start + i * entry;
        if (e[0] != e[1] || e[1] != e[2]) return 0;
    }
    return 1;
}

tessel_status tessel_check_bmp(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts)
{
    if (n < FILE_HEADER_BYTES + 4)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated BMP header");
    uint32_t info_size = tessel_io_le32(b + 14);
    if (info_size != OS2_INFO_BYTES && info_size < 40)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "unsupported BMP header of %u bytes",
                              (unsigned)info_size);
    if (n < FILE_HEADER_BYTES + (uint64_t)info_size)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated BMP header");
    bmp_header h;
    parse_header(b, &h);
    if (h.bits_per_pixel == 0 || h.bits_per_pixel > 32)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "BMP has %u bits per pixel",
                              (unsigned)h.bits_per_pixel);
    int64_t rows = h.height < 0 ? -h.height : h.height;
    facts->width = h.width > 0 ? (uint64_t)h.width : 0;
    facts->height = (uint64_t)rows;
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, facts->width, facts->height));
    if (h.compression != 0 && h.compression != 3) return TESSEL_OK; /* stb names these */
    uint64_t row_bytes = ((uint64_t)h.width * h.bits_per_pixel + 31) / 32 * 4;
    uint64_t last_row = ((uint64_t)h.width * h.bits_per_pixel + 7) / 8;
    uint64_t needed = (uint64_t)h.data_offset + row_bytes * (uint64_t)(rows - 1) + last_row;
    if (needed > n)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated BMP: %lldx%lld pixels at %u bits need %llu bytes, "
                              "the file holds %zu",
                              (long long)h.width, (long long)rows, (unsigned)h.bits_per_pixel,
                              (unsigned long long)needed, n);
    facts->grey_palette = h.bits_per_pixel <= 8 && palette_is_grey(b, n, &h);
    return TESSEL_OK;
}
