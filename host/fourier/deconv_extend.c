/* The image as floats, extended past its sides so that a frequency-domain
 * filter sees no step there: reflected and tapered towards the mean, or
 * continued periodically (deconv.h). */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/context.h"
#include "core/geometry.h"
#include "core/plan.h"
#include "core/sizes.h"
#include "deconv.h"

static const double PI = 3.14159265358979323846;

/* Row y of src as floats, channels interleaved. */
static void load_row(const tessel_image *src, int y, float *out)
{
    const char *row = (const char *)src->data + (size_t)y * tessel_image_row_bytes(src);
    const size_t n = (size_t)src->width * src->channels;
    for (size_t i = 0; i < n; ++i) {
        switch (src->dtype) {
        case TESSEL_U8: out[i] = ((const uint8_t *)row)[i]; break;
        case TESSEL_U16: out[i] = ((const uint16_t *)row)[i]; break;
        default: out[i] = ((const float *)row)[i]; break;
        }
    }
}

/* Raised-cosine weight of a sample `outside` pixels past the image's edge
 * (0 inside): 1 at the edge, falling smoothly to 0 at `margin`. */
static double taper_weight(int outside, int margin)
{
    if (outside <= 0 || margin <= 0) return 1.0;
    return 0.5 * (1.0 + cos(PI * (double)outside / (double)margin));
}

static int distance_outside(int p, int n)
{
    return p < 0 ? -p : p >= n ? p - n + 1 : 0;
}

/* The image itself into the middle of e, and the channel means. A NaN or
 * infinite sample would spread over the whole result: refused, named. */
static tessel_status copy_image(tessel_context *ctx, const tessel_image *src,
                                tessel_deconv_extended *e)
{
    const int c = src->channels, m = e->margin;
    double sum[4] = {0};
    for (int y = 0; y < src->height; ++y) {
        float *row = e->data + ((size_t)(y + m) * e->width + m) * c;
        load_row(src, y, row);
        for (size_t i = 0; i < (size_t)src->width * c; ++i) {
            RETURN_ERROR_IF(!isfinite(row[i]), ctx, TESSEL_ERR_INVALID_ARGUMENT,
                            "source sample at x %zu, y %d, channel %zu is %s; deconvolution "
                            "needs finite samples",
                            i / (size_t)c, y, i % (size_t)c, isnan(row[i]) ? "NaN" : "infinite");
            sum[i % c] += row[i];
        }
    }
    const double count = (double)src->width * src->height;
    for (int ch = 0; ch < c; ++ch) e->mean[ch] = sum[ch] / count;
    return TESSEL_OK;
}

/* Every sample outside the image, from the image by the border rule. */
static void fill_margin(const tessel_image *src, tessel_deconv_extended *e, int periodic)
{
    const int c = e->channels, m = e->margin, w = src->width, h = src->height;
    const tessel_border rule = periodic ? TESSEL_BORDER_WRAP : TESSEL_BORDER_REFLECT;
    for (int y = 0; y < e->height; ++y) {
        const int sy = y - m, iy = tessel_border_index(rule, sy, h);
        const double wy = periodic ? 1.0 : taper_weight(distance_outside(sy, h), m);
        float *row = e->data + (size_t)y * e->width * c;
        const float *from = e->data + ((size_t)(iy + m) * e->width + m) * c;
        for (int x = 0; x < e->width; ++x) {
            const int sx = x - m;
            if (sy >= 0 && sy < h && sx >= 0 && sx < w) {
                x = m + w - 1; /* the image itself is in place */
                continue;
            }
            const int ix = tessel_border_index(rule, sx, w);
            const double weight = periodic ? 1.0 : wy * taper_weight(distance_outside(sx, w), m);
            const float *sample = from + (size_t)ix * c;
            for (int ch = 0; ch < c; ++ch) {
                const double mean = e->mean[ch];
                row[(size_t)x * c + ch] = (float)(mean + weight * (sample[ch] - mean));
            }
        }
    }
}

tessel_status tessel_deconv_extend(tessel_context *ctx, const tessel_image *src,
                                   const tessel_deconv_settings *s, tessel_deconv_extended *out)
{
    tessel_deconv_extended e = {0};
    const long long ew = (long long)src->width + 2LL * s->margin;
    const long long eh = (long long)src->height + 2LL * s->margin;
    size_t bytes;
    RETURN_ERROR_IF(ew > INT_MAX || eh > INT_MAX ||
                        !tessel_size_product((size_t)ew, (size_t)eh,
                                             sizeof(float) * (size_t)src->channels, &bytes),
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "the %dx%d image with a %d-pixel taper on each side overflows the address "
                    "space",
                    src->width, src->height, s->margin);
    e.width = (int)ew;
    e.height = (int)eh;
    e.channels = src->channels;
    e.margin = s->margin;
    e.data = malloc((size_t)ew * (size_t)eh * (size_t)src->channels * sizeof(float));
    RETURN_ERROR_IF(!e.data, ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for the %lldx%lldx%d extended image", ew, eh, src->channels);
    tessel_status status = copy_image(ctx, src, &e);
    if (status != TESSEL_OK) {
        free(e.data);
        return status;
    }
    fill_margin(src, &e, s->periodic);
    *out = e;
    return TESSEL_OK;
}

void tessel_deconv_extended_free(tessel_deconv_extended *e)
{
    free(e->data);
    e->data = NULL;
}

void tessel_deconv_crop(const tessel_deconv_extended *e, const float *ext, const double add[4],
                        float *out)
{
    const int c = e->channels, m = e->margin;
    const int w = e->width - 2 * m, h = e->height - 2 * m;
    for (int y = 0; y < h; ++y) {
        const float *from = ext + ((size_t)(y + m) * e->width + m) * c;
        float *to = out + (size_t)y * w * c;
        for (size_t i = 0; i < (size_t)w * c; ++i)
            to[i] = (float)(from[i] + add[i % c]);
    }
}
