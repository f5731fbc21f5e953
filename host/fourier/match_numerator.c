/* The numerators sum(I' T') of template matching (match.h): each channel of
 * the image, centred on its mean and as floats, correlated in mode valid
 * with the same channel of the zero-mean template on the context's backend,
 * the channels' results added. tessel applies one kernel to every channel
 * of an image, hence one single-channel plan per channel. */
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "match.h"

/* Methods to try in turn: for a large template the frequency domain whole,
 * then in blocks (bounded memory), then whatever the backend picks; for a
 * small one only the last. A method the backend cannot run
 * (TESSEL_ERR_UNSUPPORTED) passes to the next. */
static const tessel_method METHODS[] = {TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK,
                                        TESSEL_METHOD_AUTO};
#define METHOD_COUNT 3

static tessel_status make_plan(tessel_context *ctx, int width, int height,
                               const tessel_kernel *kernel, tessel_plan **plan)
{
    tessel_image shape = tessel_image_view(NULL, width, height, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = TESSEL_MODE_VALID;
    o.correlate = 1;
    const int area = tessel_kernel_width(kernel) * tessel_kernel_height(kernel);
    tessel_status s = TESSEL_ERR_UNSUPPORTED;
    for (int i = area > TESSEL_MATCH_FFT_MIN_AREA ? 0 : METHOD_COUNT - 1;
         i < METHOD_COUNT && s == TESSEL_ERR_UNSUPPORTED; ++i) {
        o.method = METHODS[i];
        s = tessel_plan_create(ctx, &shape, TESSEL_F32, kernel, &o, plan);
        if (s == TESSEL_ERR_UNSUPPORTED && i + 1 < METHOD_COUNT)
            tessel_log(ctx, TESSEL_LOG_INFO, "template matching: method %s unavailable (%s)",
                       tessel_method_name(o.method), tessel_context_last_error(ctx));
    }
    return s;
}

/* 1 when the channel's plane of the template is all zeros (the channel is
 * constant and adds nothing). */
static int channel_is_zero(const tessel_match_centred *t, int channel)
{
    const size_t area = (size_t)t->width * (size_t)t->height;
    const float *v = t->centred + (size_t)channel * area;
    for (size_t i = 0; i < area; ++i)
        if (v[i] != 0.0f) return 0;
    return 1;
}

/* plane = channel k of src minus mean, packed floats; row is scratch for
 * one image row. */
static void extract_channel(const tessel_image *src, int k, double mean, double *row, float *plane)
{
    const int c = src->channels;
    for (int y = 0; y < src->height; ++y) {
        tessel_match_row_to_doubles(src, y, row);
        float *out = plane + (size_t)y * (size_t)src->width;
        for (int x = 0; x < src->width; ++x) out[x] = (float)(row[(size_t)x * c + k] - mean);
    }
}

/* out = plane (src's size) correlated with channel k of the template. */
static tessel_status correlate_channel(tessel_context *ctx, const tessel_image *src,
                                       const tessel_match_centred *t, int k, float *plane,
                                       float *out)
{
    const size_t area = (size_t)t->width * (size_t)t->height;
    tessel_kernel *kernel = NULL;
    tessel_status s = tessel_kernel_create(t->width, t->height, t->centred + (size_t)k * area,
                                           &kernel);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "the template as a kernel: %s", tessel_last_error());
    tessel_plan *plan = NULL;
    s = make_plan(ctx, src->width, src->height, kernel, &plan);
    if (s == TESSEL_OK) {
        tessel_image in = tessel_image_view(plane, src->width, src->height, 1, TESSEL_F32);
        tessel_image num = tessel_image_view(out, src->width - t->width + 1,
                                             src->height - t->height + 1, 1, TESSEL_F32);
        s = tessel_plan_execute(plan, &in, &num);
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    return s;
}

/* Every non-constant channel's correlation, added into num. */
static tessel_status sum_channels(tessel_context *ctx, const tessel_image *src, const double *mean,
                                  const tessel_match_centred *t, double *row, float *plane,
                                  float *part, float *num)
{
    const size_t out_n =
        (size_t)(src->width - t->width + 1) * (size_t)(src->height - t->height + 1);
    int have = 0;
    for (int k = 0; k < t->channels; ++k) {
        if (channel_is_zero(t, k)) continue;
        extract_channel(src, k, mean[k], row, plane);
        FORWARD_IF_ERROR(correlate_channel(ctx, src, t, k, plane, have ? part : num));
        if (have)
            for (size_t i = 0; i < out_n; ++i) num[i] += part[i];
        have = 1;
    }
    if (!have) memset(num, 0, out_n * sizeof *num);
    return TESSEL_OK;
}

tessel_status tessel_match_numerators(tessel_context *ctx, const tessel_image *src,
                                      const double *mean, const tessel_match_centred *t, float *num)
{
    const size_t plane_n = (size_t)src->width * (size_t)src->height;
    const size_t out_n =
        (size_t)(src->width - t->width + 1) * (size_t)(src->height - t->height + 1);
    double *row = malloc((size_t)src->width * (size_t)src->channels * sizeof *row);
    float *plane = malloc(plane_n * sizeof *plane);
    float *part = t->channels > 1 ? malloc(out_n * sizeof *part) : NULL;
    tessel_status s = TESSEL_ERR_OUT_OF_MEMORY;
    if (row && plane && (part || t->channels == 1))
        s = sum_channels(ctx, src, mean, t, row, plane, part, num);
    else
        tessel_fail(ctx, s, "out of memory for the %dx%d image as floats", src->width,
                    src->height);
    free(part);
    free(plane);
    free(row);
    return s;
}
