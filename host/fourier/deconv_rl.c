/* Richardson-Lucy deconvolution between buffers, so that on the OpenCL
 * backend the iterations stay on the device:
 *
 *   u0 = the extended image (negative samples count as 0), at least a
 *        small positive floor so that every pixel can still change;
 *   u <- u * correlate(psf, d / convolve(psf, u)) / sum(psf)
 *
 * Both convolutions keep their result's absolute value: exact sums of
 * non-negative terms already are, and rounding of the frequency-domain
 * method (used for large PSFs) cannot turn the ratio or the estimate
 * negative. The image is tapered as for the other methods; beyond it the
 * convolutions reflect, or wrap for a periodic image (taper -1). */
#include <stdlib.h>

#include "core/context.h"
#include "core/kernel.h"
#include "deconv.h"

/* From this many taps up, a dense PSF runs by FFT (when the backend has it). */
#define FFT_FROM_TAPS (32 * 32)

typedef struct rl_state {
    tessel_buffer *data, *estimate, *blurred, *ratio;
    tessel_plan *blur;   /* convolve with the PSF */
    tessel_plan *spread; /* correlate with the PSF, divided by its sum */
} rl_state;

static void release(rl_state *r)
{
    tessel_plan_destroy(r->blur);
    tessel_plan_destroy(r->spread);
    tessel_buffer_destroy(r->data);
    tessel_buffer_destroy(r->estimate);
    tessel_buffer_destroy(r->blurred);
    tessel_buffer_destroy(r->ratio);
}

static tessel_status make_plan(tessel_context *ctx, const tessel_deconv_extended *e,
                               const tessel_kernel *psf, const tessel_deconv_settings *s,
                               int correlate, tessel_plan **plan)
{
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = TESSEL_MODE_SAME;
    o.border = s->periodic ? TESSEL_BORDER_WRAP : TESSEL_BORDER_REFLECT;
    o.correlate = correlate;
    o.scale = correlate ? 1.0 / s->psf_sum : 1.0;
    o.absolute = 1;
    const int large = (long long)psf->width * psf->height >= FFT_FROM_TAPS && !psf->separable;
    o.method = large ? TESSEL_METHOD_FFT : TESSEL_METHOD_AUTO;
    tessel_image shape = tessel_image_view(NULL, e->width, e->height, e->channels, TESSEL_F32);
    tessel_status status = tessel_plan_create(ctx, &shape, TESSEL_F32, psf, &o, plan);
    if (status == TESSEL_ERR_UNSUPPORTED && large) { /* no FFT here: the direct sum will do */
        o.method = TESSEL_METHOD_AUTO;
        status = tessel_plan_create(ctx, &shape, TESSEL_F32, psf, &o, plan);
    }
    return status;
}

/* d = max(image, 0) into e->data; u0 = max(d, floor) into `start`. */
static void starting_point(tessel_deconv_extended *e, float *start)
{
    const size_t n = (size_t)e->width * e->height * e->channels;
    double total = 0.0;
    for (size_t i = 0; i < n; ++i) {
        if (!(e->data[i] > 0.0f)) e->data[i] = 0.0f;
        total += e->data[i];
    }
    const double mean = total / (double)n;
    const float floor = (float)(mean > 0.0 ? 1e-3 * mean : 1e-6);
    for (size_t i = 0; i < n; ++i) start[i] = e->data[i] > floor ? e->data[i] : floor;
}

static tessel_status setup(tessel_context *ctx, tessel_deconv_extended *e, const tessel_kernel *psf,
                           const tessel_deconv_settings *s, float *host, rl_state *r)
{
    tessel_buffer **buffers[4] = {&r->data, &r->estimate, &r->blurred, &r->ratio};
    for (int i = 0; i < 4; ++i)
        FORWARD_IF_ERROR(
            tessel_buffer_create(ctx, e->width, e->height, e->channels, TESSEL_F32, buffers[i]));
    FORWARD_IF_ERROR(make_plan(ctx, e, psf, s, 0, &r->blur));
    FORWARD_IF_ERROR(make_plan(ctx, e, psf, s, 1, &r->spread));
    starting_point(e, host);
    tessel_image d = tessel_image_view(e->data, e->width, e->height, e->channels, TESSEL_F32);
    tessel_image u = tessel_image_view(host, e->width, e->height, e->channels, TESSEL_F32);
    FORWARD_IF_ERROR(tessel_buffer_upload(r->data, &d));
    return tessel_buffer_upload(r->estimate, &u);
}

static tessel_status iterate(tessel_context *ctx, const tessel_deconv_settings *s, rl_state *r)
{
    for (int k = 0; k < s->iterations; ++k) {
        FORWARD_IF_ERROR(tessel_plan_execute_buffers(r->blur, r->estimate, r->blurred));
        if (s->damping > 0.0)
            FORWARD_IF_ERROR(
                tessel_deconv_damped_ratio(ctx, r->data, r->blurred, s->damping, r->ratio));
        else
            FORWARD_IF_ERROR(
                tessel_buffer_combine(ctx, r->data, r->blurred, TESSEL_COMBINE_DIVIDE, r->ratio));
        /* The correction, into the blurred image's buffer (no longer needed). */
        FORWARD_IF_ERROR(tessel_plan_execute_buffers(r->spread, r->ratio, r->blurred));
        FORWARD_IF_ERROR(tessel_buffer_combine(ctx, r->estimate, r->blurred,
                                               TESSEL_COMBINE_MULTIPLY, r->estimate));
    }
    return TESSEL_OK;
}

tessel_status tessel_deconv_richardson_lucy(tessel_context *ctx, const tessel_image *src,
                                            const tessel_kernel *psf,
                                            const tessel_deconv_settings *s, float *out)
{
    tessel_deconv_extended e;
    FORWARD_IF_ERROR(tessel_deconv_extend(ctx, src, s, &e));
    float *host = malloc((size_t)e.width * e.height * e.channels * sizeof(float));
    rl_state r = {0};
    tessel_status status = host ? setup(ctx, &e, psf, s, host, &r)
                                : tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                                              "out of memory for the %dx%dx%d estimate", e.width,
                                              e.height, e.channels);
    if (status == TESSEL_OK) status = iterate(ctx, s, &r);
    if (status == TESSEL_OK) {
        tessel_image u = tessel_image_view(host, e.width, e.height, e.channels, TESSEL_F32);
        status = tessel_buffer_download(r.estimate, &u);
    }
    if (status == TESSEL_OK) {
        const double none[4] = {0};
        tessel_deconv_crop(&e, host, none, out);
    }
    release(&r);
    free(host);
    tessel_deconv_extended_free(&e);
    return status;
}
