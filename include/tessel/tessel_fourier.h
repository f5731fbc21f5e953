/*
 * tessel: operations built on the frequency domain, on every backend behind
 * the same calls as convolution: deconvolution and template matching.
 *
 * Errors follow tessel.h: a tessel_status, the message in
 * tessel_context_last_error(context); outputs are written only on success.
 */
#ifndef TESSEL_TESSEL_FOURIER_H
#define TESSEL_TESSEL_FOURIER_H

#include "tessel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------- deconvolution */

typedef enum tessel_deconv_method {
    /* conj(H) / (|H|^2 + nsr): the least-squares estimate for noise of that
     * power relative to the signal */
    TESSEL_DECONV_WIENER = 0,
    /* conj(H) / (|H|^2 + lambda |L|^2), L the 5-point Laplacian: an inverse
     * that penalises roughness rather than all frequencies alike */
    TESSEL_DECONV_TIKHONOV = 1,
    /* iterative maximum likelihood for Poisson noise; keeps non-negative
     * data non-negative */
    TESSEL_DECONV_RICHARDSON_LUCY = 2
} tessel_deconv_method;

typedef struct tessel_deconv_options {
    uint32_t struct_size;        /* sizeof(tessel_deconv_options); 0 = this version */
    tessel_deconv_method method; /* default WIENER */
    double noise_to_signal;      /* Wiener's nsr; default 0 = 0.01 */
    double regularization;       /* Tikhonov's lambda; default 0 = 0.01 */
    int iterations;              /* Richardson-Lucy; default 0 = 30 */
    /* Richardson-Lucy damping threshold in standard deviations of Poisson
     * noise (counts in input units): where the blurred estimate already
     * agrees with the data within it, the update is damped towards none,
     * which keeps noise from being amplified. Default 0 = no damping. */
    double damping;
    /* Width in pixels of the edge taper: the image is extended this far past
     * each side by reflection and blended towards its mean, so the
     * frequency-domain filter sees no step at the borders (against ringing).
     * Default 0 = twice the PSF's larger side; -1 = no taper (the image is
     * treated as periodic). */
    int taper;
} tessel_deconv_options;

/*
 * dst = the image that, convolved with psf, best explains src. dst has src's
 * width, height and channels and any dtype (u8/u16 round and saturate); each
 * channel is restored on its own. The PSF should sum to 1 (it is used as
 * given: a PSF that sums to s scales the result by 1/s). options may be NULL.
 */
TESSEL_API tessel_status tessel_deconvolve(tessel_context *context, const tessel_image *src,
                                           const tessel_kernel *psf,
                                           const tessel_deconv_options *options,
                                           tessel_image *dst);

TESSEL_API const char *tessel_deconv_method_name(tessel_deconv_method method);

/* -------------------------------------------------------- template matching */

/*
 * Zero-mean normalised cross-correlation (OpenCV's TM_CCOEFF_NORMED): for
 * each placement (x, y) of the template fully inside the image,
 *
 *   score = sum (I' T') / sqrt(sum I'^2 * sum T'^2)
 *
 * with I' the image window and T' the template minus their means, sums over
 * the window and every channel. Scores lie in [-1, 1]; a window or template
 * without variation scores 0. src and templ have the same channel count and
 * any dtypes; templ must not be larger than src. scores is f32, 1 channel,
 * (src width - templ width + 1) x (src height - templ height + 1). The
 * numerator runs on the context's backend (frequency domain for large
 * templates), the window sums from integral images in double precision.
 */
TESSEL_API tessel_status tessel_match_template(tessel_context *context, const tessel_image *src,
                                               const tessel_image *templ, tessel_image *scores);

typedef struct tessel_match {
    int x, y;    /* top-left corner of the template in the image */
    float score;
} tessel_match;

/*
 * The best matches in a score map, best first: local maxima of at least
 * min_score, each at least min_distance pixels (Chebyshev) from every better
 * one kept. Writes up to max_matches entries and their number to *count.
 */
TESSEL_API tessel_status tessel_match_best(tessel_context *context, const tessel_image *scores,
                                           float min_score, int min_distance, int max_matches,
                                           tessel_match *matches, int *count);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_FOURIER_H */
