/* Image views (plan.h): their row stride, and the checks every entry point
 * makes before it reads or writes one. */
#include "plan.h"

#include "context.h"
#include "sizes.h"

size_t tessel_image_row_bytes(const tessel_image *img)
{
    if (img->stride) return img->stride;
    return (size_t)img->width * (size_t)img->channels * tessel_dtype_size(img->dtype);
}

tessel_status tessel_image_check(tessel_context *ctx, const char *what, const tessel_image *img,
                                 int require_data)
{
    RETURN_ERROR_IF(!img, ctx, TESSEL_ERR_NULL_POINTER, "%s image is NULL", what);
    RETURN_ERROR_IF(require_data && !img->data, ctx, TESSEL_ERR_NULL_POINTER,
                    "%s image data is NULL", what);
    RETURN_ERROR_IF(img->width <= 0 || img->height <= 0, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image size %dx%d is not positive", what, img->width, img->height);
    RETURN_ERROR_IF(img->channels < 1 || img->channels > 4, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image has %d channels (1 to 4 are supported)", what, img->channels);
    size_t sample = tessel_dtype_size(img->dtype);
    RETURN_ERROR_IF(sample == 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "%s image has unknown dtype %d", what, (int)img->dtype);
    size_t packed = (size_t)img->width * (size_t)img->channels * sample;
    RETURN_ERROR_IF(img->stride != 0 && img->stride < packed, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image row stride %zu bytes is less than a row of %zu bytes", what,
                    img->stride, packed);
    RETURN_ERROR_IF(img->stride % sample != 0, ctx, TESSEL_ERR_BAD_SIZE,
                    "%s image row stride %zu bytes is not a multiple of the %zu-byte sample",
                    what, img->stride, sample);
    size_t bytes;
    RETURN_ERROR_IF(!tessel_size_product(tessel_image_row_bytes(img), (size_t)img->height, 1,
                                         &bytes),
                    ctx, TESSEL_ERR_BAD_SIZE, "%s image of %dx%d overflows the address space",
                    what, img->width, img->height);
    return TESSEL_OK;
}
