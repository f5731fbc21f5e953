/* The size limits every reader checks before it allocates. */
#include <limits.h>
#include <stdlib.h>

#include "io.h"

tessel_status tessel_io_check_pixels(const char *path, uint64_t width, uint64_t height)
{
    if (width == 0 || height == 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "image size %llux%llu holds no pixels",
                              (unsigned long long)width, (unsigned long long)height);
    if (width > INT_MAX || height > INT_MAX || width * height > TESSEL_IO_MAX_PIXELS)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "image size %llux%llu is over the limit of " TESSEL_IO_MAX_PIXELS_TEXT
                              " pixels (corrupt file?)",
                              (unsigned long long)width, (unsigned long long)height);
    return TESSEL_OK;
}

tessel_status tessel_io_check_claim(const char *path, const char *format, uint64_t width,
                                    uint64_t height, uint64_t file_size, int whole)
{
    if (whole) FORWARD_IF_ERROR(tessel_io_check_pixels(path, width, height));
    if (width == 0 || height == 0 || width > INT_MAX || height > INT_MAX)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "%s image size %llux%llu: each side must be 1 to 2147483647 pixels",
                              format, (unsigned long long)width, (unsigned long long)height);
    /* width * height < 2^62: no overflow; the division keeps file_size's side safe too */
    if ((width * height - 1) / TESSEL_IO_MAX_PIXELS_PER_BYTE >= file_size)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "header claims %llux%llu pixels, more than a %llu-byte %s can hold "
                              "(corrupt file?)",
                              (unsigned long long)width, (unsigned long long)height,
                              (unsigned long long)file_size, format);
    return TESSEL_OK;
}

tessel_status tessel_io_image_alloc(const char *path, int width, int height, int channels,
                                    tessel_dtype dtype, tessel_image *out)
{
    uint64_t bytes = (uint64_t)width * (uint64_t)height * (uint64_t)channels *
                     (uint64_t)tessel_dtype_size(dtype);
    void *data = bytes <= SIZE_MAX ? malloc((size_t)bytes) : NULL;
    if (!data)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path,
                              "out of memory for a %dx%d image of %d channels", width, height,
                              channels);
    *out = tessel_image_view(data, width, height, channels, dtype);
    return TESSEL_OK;
}
