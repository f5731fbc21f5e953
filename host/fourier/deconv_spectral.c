/* Wiener and Tikhonov deconvolution: one run of method fft on the extended
 * image minus its mean, with the PSF's spectrum replaced by the filter of
 * it (core/spectral_filter.h). Correlating with the PSF in mode same lines
 * the filter up with the image for any PSF size; beyond the extended image
 * the transform sees zeros, which the taper (towards the mean, 0 here)
 * meets without a step. The mean comes back divided by the PSF's sum: the
 * exact inverse at frequency 0, so the regularisation acts on the image's
 * variations only and a flat image is restored exactly. */
#include <stdio.h>
#include <stdlib.h>

#include "core/context.h"
#include "core/plan.h"
#include "deconv.h"

static void subtract_means(tessel_deconv_extended *e)
{
    const int c = e->channels;
    const size_t n = (size_t)e->width * e->height * c;
    for (size_t i = 0; i < n; ++i) e->data[i] = (float)(e->data[i] - e->mean[i % c]);
}

static tessel_status make_plan(tessel_context *ctx, const tessel_deconv_extended *e,
                               const tessel_kernel *psf, const tessel_deconv_settings *s,
                               tessel_plan **plan)
{
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = TESSEL_MODE_SAME;
    o.border = TESSEL_BORDER_CONSTANT; /* cval 0: the extended image already fades to it */
    o.correlate = 1;
    o.method = TESSEL_METHOD_FFT;
    tessel_spectral_filter filter = {TESSEL_SPECTRAL_WIENER, s->nsr};
    if (s->method == TESSEL_DECONV_TIKHONOV)
        filter = (tessel_spectral_filter){TESSEL_SPECTRAL_TIKHONOV, s->lambda};
    tessel_image shape = tessel_image_view(NULL, e->width, e->height, e->channels, TESSEL_F32);
    return tessel_plan_create_filtered(ctx, &shape, TESSEL_F32, psf, &o, &filter, plan);
}

/* A backend without the frequency domain says why; this says what needed it. */
static tessel_status explain_unsupported(tessel_context *ctx, const tessel_deconv_settings *s,
                                         tessel_status status)
{
    if (status != TESSEL_ERR_UNSUPPORTED) return status;
    char why[TESSEL_MESSAGE_SIZE];
    snprintf(why, sizeof why, "%s", tessel_context_last_error(ctx));
    return tessel_fail(ctx, status, "%s deconvolution runs in the frequency domain: %s",
                       tessel_deconv_method_name(s->method), why);
}

tessel_status tessel_deconv_spectral(tessel_context *ctx, const tessel_image *src,
                                     const tessel_kernel *psf, const tessel_deconv_settings *s,
                                     float *out)
{
    tessel_deconv_extended e;
    FORWARD_IF_ERROR(tessel_deconv_extend(ctx, src, s, &e));
    subtract_means(&e);
    const size_t n = (size_t)e.width * e.height * e.channels;
    float *restored = malloc(n * sizeof(float));
    tessel_plan *plan = NULL;
    tessel_status status = restored ? make_plan(ctx, &e, psf, s, &plan)
                                    : tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                                                  "out of memory for the %dx%dx%d restored image",
                                                  e.width, e.height, e.channels);
    if (status == TESSEL_OK) {
        const int w = e.width, h = e.height, c = e.channels;
        tessel_image in = tessel_image_view(e.data, w, h, c, TESSEL_F32);
        tessel_image result = tessel_image_view(restored, w, h, c, TESSEL_F32);
        status = tessel_plan_execute(plan, &in, &result);
    }
    if (status == TESSEL_OK) {
        double means[4];
        for (int ch = 0; ch < e.channels; ++ch) means[ch] = e.mean[ch] / s->psf_sum;
        tessel_deconv_crop(&e, restored, means, out);
    }
    tessel_plan_destroy(plan);
    free(restored);
    status = explain_unsupported(ctx, s, status);
    tessel_deconv_extended_free(&e);
    return status;
}
