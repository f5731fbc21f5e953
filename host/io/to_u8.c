/* What an 8-bit file receives: a packed u8 copy of any image. u16 saturates
 * at 255 (it is not rescaled); f32 rounds to nearest, halves up, and
 * saturates to 0..255, NaN giving 0: the convolution's own rule for u8
 * outputs, so writing a float result equals asking for a u8 result. */
#include <stdlib.h>

#include "core/plan.h"
#include "formats.h"

static uint8_t float_to_u8(float v)
{
    if (!(v > 0.0f)) return 0; /* negative, zero and NaN */
    if (v >= 255.0f) return 255;
    return (uint8_t)(v + 0.5f);
}

static void convert_row(const void *row, size_t n, tessel_dtype dtype, uint8_t *out)
{
    for (size_t i = 0; i < n; ++i) {
        if (dtype == TESSEL_U8) {
            out[i] = ((const uint8_t *)row)[i];
        } else if (dtype == TESSEL_U16) {
            uint16_t v = ((const uint16_t *)row)[i];
            out[i] = v > 255 ? 255 : (uint8_t)v;
        } else {
            out[i] = float_to_u8(((const float *)row)[i]);
        }
    }
}

tessel_status tessel_io_packed_u8(const char *path, const tessel_image *img, tessel_image *out)
{
    size_t samples = (size_t)img->width * (size_t)img->channels;
    uint8_t *data = malloc(samples * (size_t)img->height);
    if (!data) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    for (int y = 0; y < img->height; ++y)
        convert_row((const unsigned char *)img->data + (size_t)y * tessel_image_row_bytes(img),
                    samples, img->dtype, data + (size_t)y * samples);
    *out = tessel_image_view(data, img->width, img->height, img->channels, TESSEL_U8);
    return TESSEL_OK;
}
