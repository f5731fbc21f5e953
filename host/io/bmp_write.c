/* BMP output. stb_image_write writes every grey image as 24-bit RGB; a grey
 * image is written here as 8-bit with a grey palette instead, which the
 * reader turns back into one channel. A grey+alpha image, which BMP cannot
 * hold as such, becomes RGBA so the alpha survives. */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

#define BMP_HEADERS_BYTES (14 + 40)
#define BMP_PALETTE_BYTES (256 * 4)

static tessel_status write_grey(tessel_atomic_file *file, const tessel_image *img)
{
    uint64_t row_bytes = ((uint64_t)img->width + 3) / 4 * 4;
    uint64_t offset = BMP_HEADERS_BYTES + BMP_PALETTE_BYTES;
    uint64_t total = offset + row_bytes * (uint64_t)img->height;
    /* total is within 2^31: tessel_io_check_writable */
    unsigned char h[BMP_HEADERS_BYTES] = {'B', 'M'};
    tessel_io_put_le32(h + 2, (uint32_t)total);
    tessel_io_put_le32(h + 10, (uint32_t)offset);
    tessel_io_put_le32(h + 14, 40);
    tessel_io_put_le32(h + 18, (uint32_t)img->width);
    tessel_io_put_le32(h + 22, (uint32_t)img->height); /* positive: rows bottom-up */
    tessel_io_put_le16(h + 26, 1);                     /* planes */
    tessel_io_put_le16(h + 28, 8);                     /* bits per pixel */
    tessel_io_put_le32(h + 34, (uint32_t)(row_bytes * (uint64_t)img->height));
    tessel_io_put_le32(h + 46, 256); /* colours used */
    tessel_atomic_write(file, h, sizeof h);
    for (unsigned i = 0; i < 256; ++i) {
        unsigned char entry[4] = {(unsigned char)i, (unsigned char)i, (unsigned char)i, 0};
        tessel_atomic_write(file, entry, 4);
    }
    static const unsigned char padding[3] = {0, 0, 0};
    const unsigned char *pixels = img->data;
    for (int y = img->height - 1; y >= 0; --y) {
        tessel_atomic_write(file, pixels + (size_t)y * (size_t)img->width, (size_t)img->width);
        tessel_atomic_write(file, padding, (size_t)(row_bytes - (uint64_t)img->width));
    }
    return TESSEL_OK;
}

static tessel_status write_grey_alpha(tessel_atomic_file *file, const tessel_image *img)
{
    size_t pixels = (size_t)img->width * (size_t)img->height;
    unsigned char *rgba = malloc(pixels * 4);
    if (!rgba) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    const unsigned char *src = img->data;
    for (size_t i = 0; i < pixels; ++i) {
        memset(rgba + 4 * i, src[2 * i], 3);
        rgba[4 * i + 3] = src[2 * i + 1];
    }
    tessel_image view = tessel_image_view(rgba, img->width, img->height, 4, TESSEL_U8);
    tessel_status status = tessel_stb_write(file, TESSEL_FORMAT_BMP, &view, 0);
    free(rgba);
    return status;
}

tessel_status tessel_bmp_write(tessel_atomic_file *file, const tessel_image *img)
{
    if (img->channels == 1) return write_grey(file, img);
    if (img->channels == 2) return write_grey_alpha(file, img);
    return tessel_stb_write(file, TESSEL_FORMAT_BMP, img, 0);
}
