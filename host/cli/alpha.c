/* Splitting alpha from colour and back (see alpha.h). */
#include "alpha.h"

#include <stdlib.h>
#include <string.h>

int alpha_present(int channels)
{
    return channels == 2 || channels == 4;
}

static size_t row_bytes(const tessel_image *img)
{
    return img->stride ? img->stride
                       : (size_t)img->width * (size_t)img->channels * tessel_dtype_size(img->dtype);
}

void alpha_split(const tessel_image *src, tessel_image *colour, tessel_image *alpha)
{
    size_t sample = tessel_dtype_size(src->dtype);
    size_t colour_bytes = (size_t)(src->channels - 1) * sample;
    for (int y = 0; y < src->height; ++y) {
        const unsigned char *in = (const unsigned char *)src->data + (size_t)y * row_bytes(src);
        unsigned char *c = (unsigned char *)colour->data + (size_t)y * row_bytes(colour);
        unsigned char *a = (unsigned char *)alpha->data + (size_t)y * row_bytes(alpha);
        for (int x = 0; x < src->width; ++x) {
            memcpy(c, in, colour_bytes);
            memcpy(a, in + colour_bytes, sample);
            in += colour_bytes + sample;
            c += colour_bytes;
            a += sample;
        }
    }
}

void alpha_merge(const tessel_image *colour, const tessel_image *alpha, tessel_image *dst)
{
    size_t sample = tessel_dtype_size(dst->dtype);
    size_t colour_bytes = (size_t)colour->channels * sample;
    for (int y = 0; y < dst->height; ++y) {
        const unsigned char *c =
            (const unsigned char *)colour->data + (size_t)y * row_bytes(colour);
        const unsigned char *a = (const unsigned char *)alpha->data + (size_t)y * row_bytes(alpha);
        unsigned char *out = (unsigned char *)dst->data + (size_t)y * row_bytes(dst);
        for (int x = 0; x < dst->width; ++x) {
            memcpy(out, c, colour_bytes);
            memcpy(out + colour_bytes, a, sample);
            out += colour_bytes + sample;
            c += colour_bytes;
            a += sample;
        }
    }
}

tessel_status alpha_passthrough(int kw, int kh, const tessel_conv_options *conv,
                                tessel_kernel **kernel, tessel_conv_options *alpha_conv)
{
    *alpha_conv = *conv;
    alpha_conv->scale = 0;
    alpha_conv->offset = 0;
    alpha_conv->absolute = 0;
    alpha_conv->cval = 0;
    alpha_conv->method = TESSEL_METHOD_AUTO;
    int ax = conv->anchor_set ? conv->anchor_x : (kw - 1) / 2;
    int ay = conv->anchor_set ? conv->anchor_y : (kh - 1) / 2;
    float *taps = calloc((size_t)kw * (size_t)kh, sizeof *taps);
    if (!taps) return TESSEL_ERR_OUT_OF_MEMORY;
    if (ax >= 0 && ax < kw && ay >= 0 && ay < kh) taps[(size_t)ay * (size_t)kw + (size_t)ax] = 1.0f;
    tessel_status s = tessel_kernel_create(kw, kh, taps, kernel);
    free(taps);
    return s;
}
