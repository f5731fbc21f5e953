/* .npy output in the image's dtype: shape (H, W) for one channel,
 * (H, W, C) for more, (W,) for a signal; little-endian whatever the host. */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "formats.h"
#include "npy_header.h"

static const char *const descrs[] = {"", "|u1", "<u2", "<f4"}; /* by tessel_dtype */

/* One row of samples as little-endian bytes. */
static void encode_row(const void *row, size_t n, tessel_dtype dtype, unsigned char *out)
{
    for (size_t i = 0; i < n; ++i) {
        if (dtype == TESSEL_U8) {
            out[i] = ((const uint8_t *)row)[i];
        } else if (dtype == TESSEL_U16) {
            tessel_io_put_le16(out + 2 * i, ((const uint16_t *)row)[i]);
        } else {
            uint32_t bits;
            memcpy(&bits, (const float *)row + i, 4);
            tessel_io_put_le32(out + 4 * i, bits);
        }
    }
}

tessel_status tessel_npy_write(tessel_atomic_file *file, const tessel_image *img, int shape_1d)
{
    uint64_t shape[3] = {(uint64_t)img->height, (uint64_t)img->width, (uint64_t)img->channels};
    int ndim = img->channels == 1 ? 2 : 3;
    if (shape_1d) {
        shape[0] = (uint64_t)img->width;
        ndim = 1;
    }
    char header[256];
    size_t header_bytes =
        tessel_npy_format_header(header, sizeof header, descrs[img->dtype], ndim, shape);
    size_t samples = (size_t)img->width * (size_t)img->channels;
    unsigned char *row = malloc(samples * tessel_dtype_size(img->dtype));
    if (!row) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    tessel_atomic_write(file, header, header_bytes);
    for (int y = 0; y < img->height; ++y) {
        encode_row((const unsigned char *)img->data + (size_t)y * tessel_image_row_bytes(img),
                   samples, img->dtype, row);
        tessel_atomic_write(file, row, samples * tessel_dtype_size(img->dtype));
    }
    free(row);
    return TESSEL_OK;
}
