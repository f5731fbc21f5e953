/* .npy arrays as images (u8, u16 and f32 kept; f64 narrowed to f32) and as
 * signals (a 1-D array, or one column of a 2-D array, as f32). The data is
 * read in blocks straight into the result, converting from little-endian. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "npy_header.h"

#define NPY_BLOCK_BYTES ((size_t)1 << 20)

/* Element i of little-endian src as a double. */
static double element(const unsigned char *src, size_t i, tessel_npy_type type)
{
    const unsigned char *p = src + i * ((size_t)1 << type); /* sizes 1, 2, 4, 8 */
    switch (type) {
    case TESSEL_NPY_U1: return p[0];
    case TESSEL_NPY_U2: return tessel_io_le16(p);
    case TESSEL_NPY_F4: {
        uint32_t bits = tessel_io_le32(p);
        float f;
        memcpy(&f, &bits, 4);
        return f;
    }
    case TESSEL_NPY_F8: {
        uint64_t bits = tessel_io_le32(p) | (uint64_t)tessel_io_le32(p + 4) << 32;
        double d;
        memcpy(&d, &bits, 8);
        return d;
    }
    }
    return 0;
}

/* Stores n elements of src into dst (of dtype; integers only from their
 * own type, every type into f32) at dst_index onward. */
static void convert(const unsigned char *src, size_t n, tessel_npy_type type, void *dst,
                    tessel_dtype dtype, size_t dst_index)
{
    for (size_t i = 0; i < n; ++i) {
        double v = element(src, i, type);
        if (dtype == TESSEL_U8)
            ((uint8_t *)dst)[dst_index + i] = (uint8_t)v;
        else if (dtype == TESSEL_U16)
            ((uint16_t *)dst)[dst_index + i] = (uint16_t)v;
        else
            ((float *)dst)[dst_index + i] = (float)v;
    }
}

static tessel_status read_all(const tessel_io_file *file, const tessel_npy_header *h, void *dst,
                              tessel_dtype dtype)
{
    unsigned char *block = malloc(NPY_BLOCK_BYTES);
    if (!block) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    size_t per_block = NPY_BLOCK_BYTES / h->item_size;
    tessel_status status = TESSEL_OK;
    for (uint64_t done = 0; done < h->count && status == TESSEL_OK;) {
        size_t n = h->count - done < per_block ? (size_t)(h->count - done) : per_block;
        status = tessel_io_file_read(file, h->data_offset + done * h->item_size, block,
                                     n * h->item_size);
        if (status == TESSEL_OK) convert(block, n, h->type, dst, dtype, (size_t)done);
        done += n;
    }
    free(block);
    return status;
}

static const tessel_dtype image_dtypes[] = {TESSEL_U8, TESSEL_U16, TESSEL_F32, TESSEL_F32};

/* The image the header describes (data NULL), checked. */
static tessel_status image_shape(const tessel_io_file *file, const tessel_npy_header *h,
                                 tessel_image *shape)
{
    uint64_t height = h->ndim == 1 ? 1 : h->shape[0];
    uint64_t width = h->ndim == 1 ? h->shape[0] : h->shape[1];
    int channels = h->ndim == 3 ? (int)h->shape[2] : 1;
    FORWARD_IF_ERROR(tessel_io_check_pixels(file->path, width, height));
    *shape = tessel_image_view(NULL, (int)width, (int)height, channels, image_dtypes[h->type]);
    return TESSEL_OK;
}

tessel_status tessel_npy_read_shape(const tessel_io_file *file, tessel_image *shape)
{
    tessel_npy_header h;
    FORWARD_IF_ERROR(tessel_npy_read_header(file, &h));
    return image_shape(file, &h, shape);
}

tessel_status tessel_npy_read_image(const tessel_io_file *file, tessel_image *out)
{
    tessel_npy_header h;
    FORWARD_IF_ERROR(tessel_npy_read_header(file, &h));
    tessel_image shape, img;
    FORWARD_IF_ERROR(image_shape(file, &h, &shape));
    FORWARD_IF_ERROR(tessel_io_image_alloc(file->path, shape.width, shape.height, shape.channels,
                                           shape.dtype, &img));
    tessel_status status = read_all(file, &h, img.data, shape.dtype);
    if (status != TESSEL_OK) {
        free(img.data);
        return status;
    }
    *out = img;
    return TESSEL_OK;
}

/* ------------------------------------------------------------------ signal */

static tessel_status choose_column(const tessel_io_file *file, const tessel_npy_header *h,
                                   const char *column, uint64_t *index)
{
    *index = 0;
    if (h->ndim == 3)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                              "a 3-D array is not a signal (use a 1-D array or a column of a "
                              "2-D one)");
    if (!column) return TESSEL_OK;
    uint64_t v = 0;
    size_t i = 0;
    for (; column[i] >= '0' && column[i] <= '9' && v < ((uint64_t)1 << 40); ++i)
        v = v * 10 + (uint64_t)(column[i] - '0');
    if (i == 0 || column[i] != '\0')
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, file->path,
                              "column \"%s\": a .npy array has no column names; give a 0-based "
                              "index",
                              column);
    uint64_t columns = h->ndim == 1 ? 1 : h->shape[1];
    if (v >= columns)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, file->path,
                              "column index %llu is out of range: the array has %llu column%s",
                              (unsigned long long)v, (unsigned long long)columns,
                              columns == 1 ? "" : "s");
    *index = v;
    return TESSEL_OK;
}

/* Column `index` of a 2-D array, read a block of whole rows at a time. */
static tessel_status read_column(const tessel_io_file *file, const tessel_npy_header *h,
                                 uint64_t index, float *dst)
{
    uint64_t rows = h->shape[0];
    size_t row_bytes = (size_t)h->shape[1] * h->item_size;
    size_t rows_per_block = row_bytes >= NPY_BLOCK_BYTES ? 1 : NPY_BLOCK_BYTES / row_bytes;
    if (rows_per_block > rows) rows_per_block = (size_t)rows;
    unsigned char *block = malloc(rows_per_block * row_bytes);
    if (!block) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    tessel_status status = TESSEL_OK;
    for (uint64_t row = 0; row < rows && status == TESSEL_OK;) {
        size_t n = rows - row < rows_per_block ? (size_t)(rows - row) : rows_per_block;
        status = tessel_io_file_read(file, h->data_offset + row * row_bytes, block, n * row_bytes);
        for (size_t r = 0; r < n && status == TESSEL_OK; ++r)
            convert(block + r * row_bytes + (size_t)index * h->item_size, 1, h->type, dst,
                    TESSEL_F32, (size_t)(row + r));
        row += n;
    }
    free(block);
    return status;
}

tessel_status tessel_npy_read_signal(const tessel_io_file *file, const char *column,
                                     tessel_image *out)
{
    tessel_npy_header h;
    FORWARD_IF_ERROR(tessel_npy_read_header(file, &h));
    uint64_t index;
    FORWARD_IF_ERROR(choose_column(file, &h, column, &index));
    FORWARD_IF_ERROR(tessel_io_check_pixels(file->path, h.shape[0], 1));
    tessel_image img;
    FORWARD_IF_ERROR(tessel_io_image_alloc(file->path, (int)h.shape[0], 1, 1, TESSEL_F32, &img));
    tessel_status status = h.ndim == 1 ? read_all(file, &h, img.data, TESSEL_F32)
                                       : read_column(file, &h, index, img.data);
    if (status != TESSEL_OK) {
        free(img.data);
        return status;
    }
    *out = img;
    return TESSEL_OK;
}
