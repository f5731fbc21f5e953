/* Deconvolution options: defaults, ranges, and what the PSF must be. */
#include <math.h>
#include <string.h>

#include "core/context.h"
#include "core/kernel.h"
#include "core/plan.h"
#include "core/versioned.h"
#include "deconv.h"

#define DEFAULT_NSR 0.01
#define DEFAULT_LAMBDA 0.01
#define DEFAULT_ITERATIONS 30

const char *tessel_deconv_method_name(tessel_deconv_method method)
{
    switch (method) {
    case TESSEL_DECONV_WIENER: return "wiener";
    case TESSEL_DECONV_TIKHONOV: return "tikhonov";
    case TESSEL_DECONV_RICHARDSON_LUCY: return "richardson-lucy";
    }
    return "invalid";
}

/* A strength that is 0 for its default: finite and not negative. Named
 * rather than printed (%g would follow the caller's locale). */
static tessel_status check_strength(tessel_context *ctx, const char *name, double v)
{
    RETURN_ERROR_IF(!isfinite(v) || v < 0.0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "deconvolution option %s must be a finite number >= 0 (0 = default)", name);
    return TESSEL_OK;
}

static tessel_status resolve(tessel_context *ctx, const tessel_deconv_options *o, int psf_side,
                             tessel_deconv_settings *s)
{
    RETURN_ERROR_IF((unsigned)o->method > TESSEL_DECONV_RICHARDSON_LUCY, ctx,
                    TESSEL_ERR_INVALID_ARGUMENT,
                    "unknown deconvolution method %d (expected wiener, tikhonov or "
                    "richardson-lucy)",
                    (int)o->method);
    FORWARD_IF_ERROR(check_strength(ctx, "noise_to_signal", o->noise_to_signal));
    FORWARD_IF_ERROR(check_strength(ctx, "regularization", o->regularization));
    FORWARD_IF_ERROR(check_strength(ctx, "damping", o->damping));
    RETURN_ERROR_IF(o->iterations < 0 || o->iterations > TESSEL_DECONV_MAX_ITERATIONS, ctx,
                    TESSEL_ERR_INVALID_ARGUMENT,
                    "%d Richardson-Lucy iterations: expected 1 to %d (0 = default %d)",
                    o->iterations, TESSEL_DECONV_MAX_ITERATIONS, DEFAULT_ITERATIONS);
    RETURN_ERROR_IF(o->taper < -1 || o->taper > TESSEL_DECONV_MAX_TAPER, ctx,
                    TESSEL_ERR_INVALID_ARGUMENT,
                    "taper %d: expected -1 (none, periodic), 0 (default) or a width of 1 to %d "
                    "pixels",
                    o->taper, TESSEL_DECONV_MAX_TAPER);
    s->method = o->method;
    s->nsr = o->noise_to_signal > 0.0 ? o->noise_to_signal : DEFAULT_NSR;
    s->lambda = o->regularization > 0.0 ? o->regularization : DEFAULT_LAMBDA;
    s->iterations = o->iterations > 0 ? o->iterations : DEFAULT_ITERATIONS;
    s->damping = o->damping;
    s->periodic = o->taper == -1;
    s->margin = o->taper > 0 ? o->taper : 2 * psf_side;
    /* Richardson-Lucy on a periodic image convolves with wrap-around itself. */
    if (s->periodic && s->method == TESSEL_DECONV_RICHARDSON_LUCY) s->margin = 0;
    return TESSEL_OK;
}

/* The PSF: a positive sum, no larger than the image, no negative taps for
 * Richardson-Lucy (its multiplicative update needs them >= 0). */
static tessel_status check_psf(tessel_context *ctx, const tessel_image *src,
                               const tessel_kernel *psf, tessel_deconv_settings *s)
{
    RETURN_ERROR_IF(psf->width > src->width || psf->height > src->height, ctx,
                    TESSEL_ERR_KERNEL_TOO_LARGE,
                    "PSF %dx%d is larger than the %dx%d image it would deconvolve", psf->width,
                    psf->height, src->width, src->height);
    double sum = 0.0;
    int negative = 0;
    for (size_t i = 0; i < (size_t)psf->width * psf->height; ++i) {
        sum += psf->coeffs[i];
        negative += psf->coeffs[i] < 0.0f;
    }
    RETURN_ERROR_IF(!(sum > 0.0), ctx, TESSEL_ERR_BAD_KERNEL,
                    "the %dx%d PSF sums to 0 or less; a PSF sums to a positive value (ideally 1)",
                    psf->width, psf->height);
    RETURN_ERROR_IF(negative && s->method == TESSEL_DECONV_RICHARDSON_LUCY, ctx,
                    TESSEL_ERR_BAD_KERNEL,
                    "the %dx%d PSF has %d negative coefficient(s); Richardson-Lucy needs a PSF "
                    "without negative values",
                    psf->width, psf->height, negative);
    s->psf_sum = sum;
    return TESSEL_OK;
}

tessel_status tessel_deconv_settings_make(tessel_context *ctx, const tessel_image *src,
                                          const tessel_kernel *psf,
                                          const tessel_deconv_options *options,
                                          const tessel_image *dst, tessel_deconv_settings *s)
{
    RETURN_ERROR_IF(!psf, ctx, TESSEL_ERR_NULL_POINTER, "PSF is NULL");
    FORWARD_IF_ERROR(tessel_image_check(ctx, "source", src, 1));
    FORWARD_IF_ERROR(tessel_image_check(ctx, "destination", dst, 1));
    RETURN_ERROR_IF(dst->width != src->width || dst->height != src->height ||
                        dst->channels != src->channels,
                    ctx, TESSEL_ERR_BAD_SIZE,
                    "destination is %dx%dx%d but the source is %dx%dx%d (deconvolution keeps "
                    "the size and channels)",
                    dst->width, dst->height, dst->channels, src->width, src->height,
                    src->channels);
    memset(s, 0, sizeof *s);
    static const tessel_struct_kind kind = TESSEL_STRUCT_KIND(tessel_deconv_options);
    tessel_deconv_options o;
    FORWARD_IF_ERROR(tessel_struct_read(ctx, &kind, options, &o));
    const int side = psf->width > psf->height ? psf->width : psf->height;
    FORWARD_IF_ERROR(resolve(ctx, &o, side, s));
    return check_psf(ctx, src, psf, s);
}
