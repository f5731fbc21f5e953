/* tessel_match_template (tessel_fourier.h): the checks, then the numerators
 * on the backend and the scores from the window sums on the host, into a
 * buffer of our own; scores is written only when all of it succeeded. */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/plan.h"
#include "match.h"

static tessel_status check_arguments(tessel_context *ctx, const tessel_image *src,
                                     const tessel_image *templ, const tessel_image *scores)
{
    FORWARD_IF_ERROR(tessel_image_check(ctx, "source", src, 1));
    FORWARD_IF_ERROR(tessel_image_check(ctx, "template", templ, 1));
    RETURN_ERROR_IF(templ->channels != src->channels, ctx, TESSEL_ERR_BAD_SIZE,
                    "the template has %d channels and the source %d; they must have the same",
                    templ->channels, src->channels);
    RETURN_ERROR_IF(templ->width > src->width || templ->height > src->height, ctx,
                    TESSEL_ERR_KERNEL_TOO_LARGE, "template %dx%d is larger than the %dx%d source",
                    templ->width, templ->height, src->width, src->height);
    RETURN_ERROR_IF(templ->width > TESSEL_MAX_KERNEL_SIDE || templ->height > TESSEL_MAX_KERNEL_SIDE,
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "template %dx%d has a side longer than %d, the longest kernel side",
                    templ->width, templ->height, TESSEL_MAX_KERNEL_SIDE);
    FORWARD_IF_ERROR(tessel_image_check(ctx, "scores", scores, 1));
    RETURN_ERROR_IF(scores->dtype != TESSEL_F32, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "scores must be f32, not %s", tessel_dtype_name(scores->dtype));
    const int ow = src->width - templ->width + 1, oh = src->height - templ->height + 1;
    RETURN_ERROR_IF(scores->width != ow || scores->height != oh || scores->channels != 1, ctx,
                    TESSEL_ERR_BAD_SIZE,
                    "scores are %dx%dx%d, but a %dx%d template has %dx%d placements in a %dx%d "
                    "source (1 channel)",
                    scores->width, scores->height, scores->channels, templ->width, templ->height,
                    ow, oh, src->width, src->height);
    return TESSEL_OK;
}

static void copy_out(const float *all, tessel_image *scores)
{
    const size_t row = (size_t)scores->width * sizeof *all;
    for (int y = 0; y < scores->height; ++y)
        memcpy((unsigned char *)scores->data + (size_t)y * tessel_image_row_bytes(scores),
               all + (size_t)y * scores->width, row);
}

/* The scores into `all` (scores' size, packed). */
static tessel_status compute(tessel_context *ctx, const tessel_image *src,
                             const tessel_match_centred *t, float *all, size_t count)
{
    double mean[4];
    FORWARD_IF_ERROR(tessel_match_channel_means(ctx, "source", src, mean));
    if (t->flat) {
        /* No variation to correlate with: every placement scores 0. */
        memset(all, 0, count * sizeof *all);
        return TESSEL_OK;
    }
    FORWARD_IF_ERROR(tessel_match_numerators(ctx, src, mean, t, all));
    return tessel_match_scores(ctx, src, mean, t, all);
}

tessel_status tessel_match_template(tessel_context *context, const tessel_image *src,
                                    const tessel_image *templ, tessel_image *scores)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    FORWARD_IF_ERROR(check_arguments(context, src, templ, scores));
    tessel_match_centred t;
    FORWARD_IF_ERROR(tessel_match_centred_make(context, templ, &t));
    const size_t count = (size_t)scores->width * (size_t)scores->height;
    float *all = malloc(count * sizeof *all);
    tessel_status s = all ? compute(context, src, &t, all, count)
                          : tessel_fail(context, TESSEL_ERR_OUT_OF_MEMORY,
                                        "out of memory for %dx%d scores", scores->width,
                                        scores->height);
    if (s == TESSEL_OK) copy_out(all, scores);
    free(all);
    tessel_match_centred_free(&t);
    return s;
}
