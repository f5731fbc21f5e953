/* tessel_deconvolve: checks, the method's run into a float image, then the
 * library's own conversion into dst (a 1x1 identity plan on the context's
 * backend: the rounding and saturation of every other tessel output). */
#include <stdlib.h>

#include "core/context.h"
#include "deconv.h"

static tessel_status convert_into(tessel_context *ctx, float *restored, tessel_image *dst)
{
    static const float one = 1.0f;
    tessel_kernel *identity = NULL;
    FORWARD_IF_ERROR(tessel_kernel_create(1, 1, &one, &identity));
    tessel_image from = tessel_image_view(restored, dst->width, dst->height, dst->channels,
                                          TESSEL_F32);
    tessel_status status = tessel_convolve2d(ctx, &from, identity, NULL, dst);
    tessel_kernel_destroy(identity);
    return status;
}

tessel_status tessel_deconvolve(tessel_context *context, const tessel_image *src,
                                const tessel_kernel *psf, const tessel_deconv_options *options,
                                tessel_image *dst)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    tessel_deconv_settings s;
    FORWARD_IF_ERROR(tessel_deconv_settings_make(context, src, psf, options, dst, &s));
    const size_t n = (size_t)src->width * src->height * src->channels;
    float *restored = malloc(n * sizeof(float));
    RETURN_ERROR_IF(!restored, context, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a %dx%dx%d float image", src->width, src->height,
                    src->channels);
    tessel_status status = s.method == TESSEL_DECONV_RICHARDSON_LUCY
                               ? tessel_deconv_richardson_lucy(context, src, psf, &s, restored)
                               : tessel_deconv_spectral(context, src, psf, &s, restored);
    tessel_log(context, TESSEL_LOG_DEBUG, "deconvolve %dx%dx%d %s, PSF %dx%d, %s, margin %d%s",
               src->width, src->height, src->channels, tessel_dtype_name(src->dtype),
               tessel_kernel_width(psf), tessel_kernel_height(psf),
               tessel_deconv_method_name(s.method), s.margin, s.periodic ? " (periodic)" : "");
    if (status == TESSEL_OK) status = convert_into(context, restored, dst);
    free(restored);
    return status;
}
