/* Samples as doubles, channel means, and the zero-mean template (match.h). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/plan.h"
#include "match.h"

void tessel_match_row_to_doubles(const tessel_image *img, int y, double *out)
{
    const unsigned char *row = (const unsigned char *)img->data +
                               (size_t)y * tessel_image_row_bytes(img);
    size_t n = (size_t)img->width * (size_t)img->channels;
    if (img->dtype == TESSEL_U8) {
        const uint8_t *v = row;
        for (size_t i = 0; i < n; ++i) out[i] = v[i];
    } else if (img->dtype == TESSEL_U16) {
        const uint16_t *v = (const uint16_t *)(const void *)row;
        for (size_t i = 0; i < n; ++i) out[i] = v[i];
    } else {
        const float *v = (const float *)(const void *)row;
        for (size_t i = 0; i < n; ++i) out[i] = v[i];
    }
}

/* The first sample of `row` (n doubles) that is NaN or infinite, or -1. */
static long first_non_finite(const double *row, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(row[i])) return (long)i;
    return -1;
}

tessel_status tessel_match_channel_means(tessel_context *ctx, const char *what,
                                         const tessel_image *img, double *mean)
{
    const int c = img->channels;
    double *row = malloc((size_t)img->width * (size_t)c * sizeof *row);
    RETURN_ERROR_IF(!row, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a %s row", what);
    double sum[4] = {0, 0, 0, 0};
    for (int y = 0; y < img->height; ++y) {
        tessel_match_row_to_doubles(img, y, row);
        long bad = img->dtype == TESSEL_F32 ? first_non_finite(row, (size_t)img->width * c) : -1;
        if (bad >= 0) {
            const double v = row[bad];
            free(row);
            return tessel_fail(ctx, TESSEL_ERR_INVALID_ARGUMENT,
                               "%s sample at x=%ld, y=%d (channel %ld) is %g; template matching "
                               "needs finite samples",
                               what, bad / c, y, bad % c, v);
        }
        for (int x = 0; x < img->width; ++x)
            for (int k = 0; k < c; ++k) sum[k] += row[(size_t)x * c + k];
    }
    free(row);
    const double n = (double)img->width * (double)img->height;
    for (int k = 0; k < c; ++k) mean[k] = sum[k] / n;
    return TESSEL_OK;
}

void tessel_match_centred_free(tessel_match_centred *t)
{
    free(t->centred);
    memset(t, 0, sizeof *t);
}

/* Fills t->centred and t->sum2 from the template's samples (all of them as
 * doubles in `all`, interleaved) and its channel means. */
static void centre(tessel_match_centred *t, const double *all, const double *mean)
{
    const int c = t->channels;
    const size_t area = (size_t)t->width * (size_t)t->height;
    double sum2 = 0.0;
    int flat = 1;
    for (size_t i = 0; i < area; ++i) {
        for (int k = 0; k < c; ++k) {
            double v = all[i * c + k];
            double d = v - mean[k];
            t->centred[(size_t)k * area + i] = (float)d;
            sum2 += d * d;
            /* Exact: a channel is constant when every sample equals its first. */
            if (v != all[k]) flat = 0;
        }
    }
    t->sum2 = flat ? 0.0 : sum2;
    t->flat = flat;
}

tessel_status tessel_match_centred_make(tessel_context *ctx, const tessel_image *templ,
                                        tessel_match_centred *t)
{
    memset(t, 0, sizeof *t);
    double mean[4];
    FORWARD_IF_ERROR(tessel_match_channel_means(ctx, "template", templ, mean));
    const size_t row_n = (size_t)templ->width * (size_t)templ->channels;
    const size_t n = row_n * (size_t)templ->height;
    double *all = malloc(n * sizeof *all);
    t->centred = malloc(n * sizeof *t->centred);
    if (!all || !t->centred) {
        free(all);
        tessel_match_centred_free(t);
        return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a %dx%d template",
                           templ->width, templ->height);
    }
    for (int y = 0; y < templ->height; ++y)
        tessel_match_row_to_doubles(templ, y, all + (size_t)y * row_n);
    t->width = templ->width;
    t->height = templ->height;
    t->channels = templ->channels;
    centre(t, all, mean);
    free(all);
    return TESSEL_OK;
}
