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
    /* iterative maximum likelihood for Poisson noise; the result is never
     * negative (negative input samples count as 0) */
    TESSEL_DECONV_RICHARDSON_LUCY = 2
} tessel_deconv_method;

/* Most Richardson-Lucy iterations, and the widest taper, accepted. */
#define TESSEL_DECONV_MAX_ITERATIONS 10000
#define TESSEL_DECONV_MAX_TAPER 8192

typedef struct tessel_deconv_options {
    uint32_t struct_size;        /* sizeof(tessel_deconv_options); 0 = this version */
    tessel_deconv_method method; /* default WIENER */
    double noise_to_signal;      /* Wiener's nsr; default 0 = 0.01 */
    double regularization;       /* Tikhonov's lambda; default 0 = 0.01 */
    int iterations;              /* Richardson-Lucy; default 0 = 30 */
    /* Richardson-Lucy damping threshold in standard deviations of Poisson
     * noise (counts in input units): where the blurred estimate already
     * agrees with the data within it, the update is damped towards none,
     * which keeps noise from being amplified (White's damped
     * Richardson-Lucy). Default 0 = no damping. */
    double damping;
    /* Width in pixels of the edge taper: the image is extended this far past
     * each side by reflection and blended towards its mean with a raised
     * cosine (the outermost ring is the mean), so the frequency-domain
     * filter sees no step at the borders (against ringing); Richardson-Lucy
     * iterates on the same extended image. Default 0 = twice the PSF's
     * larger side; -1 = no taper, the image is treated as periodic: it is
     * continued by wrap-around (Wiener, Tikhonov: over twice the PSF's
     * larger side; Richardson-Lucy convolves with wrap-around), which
     * restores an image blurred circularly. 1 to TESSEL_DECONV_MAX_TAPER. */
    int taper;
} tessel_deconv_options;

/*
 * dst = the image that, convolved with psf (mode same, kernel element
 * ((kh-1)/2, (kw-1)/2) on the pixel, as tessel_convolve2d), best explains
 * src. dst has src's width, height and channels and any dtype (u8/u16 round
 * and saturate); it may be src itself (src is read first). Each channel is
 * restored on its own. options may be NULL.
 *
 * The PSF must sum to a positive value and be no larger than the image
 * (else TESSEL_ERR_BAD_KERNEL, TESSEL_ERR_KERNEL_TOO_LARGE); for
 * Richardson-Lucy it must have no negative coefficient. It should sum to 1:
 * it is used as given, and a PSF that sums to s scales the result by 1/s.
 * Options out of range, and NaN or infinite samples in src, are
 * TESSEL_ERR_INVALID_ARGUMENT.
 *
 * Wiener and Tikhonov are one pass of the frequency-domain method (FFTW on
 * the CPU backend, clFFT on OpenCL; a build without it answers
 * TESSEL_ERR_UNSUPPORTED) over the tapered image minus each channel's mean;
 * the mean is restored exactly (divided by s), so the regulariser acts on
 * the image's variations, and a flat image stays flat. Richardson-Lucy
 * starts from the (tapered) image and runs its iterations between device
 * buffers; u <- u * correlate(psf, src / convolve(psf, u)) / s.
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
 * with I' the image window and T' the template minus their means (each
 * channel its own mean), sums over the window and every channel. Scores lie
 * in [-1, 1]; a window or template without variation scores 0:
 *   - a window whose samples are all equal, channel by channel (an exact
 *     test), or whose sum I'^2 is at most 1e-10 of its sum of squares about
 *     the image's channel means (variation the single-precision numerator
 *     cannot resolve);
 *   - a template whose samples are all equal, channel by channel: every
 *     score is 0 (OpenCV answers 1 everywhere);
 *   - a ratio past +-1 by rounding is +-1, and one past +-1.125 (rounding
 *     that swamped a window of almost no variation) is 0, as in OpenCV.
 * src and templ have the same channel count and any dtypes, finite samples
 * (NaN or infinity: TESSEL_ERR_INVALID_ARGUMENT); templ must not be larger
 * than src (TESSEL_ERR_KERNEL_TOO_LARGE) nor have a side longer than
 * TESSEL_MAX_KERNEL_SIDE (TESSEL_ERR_BAD_SIZE). scores is f32 (else TESSEL_ERR_INVALID_ARGUMENT),
 * 1 channel, (src width - templ width + 1) x (src height - templ height + 1)
 * (else TESSEL_ERR_BAD_SIZE); it may have any row stride.
 * The numerator runs on the context's backend, one channel at a time, as a
 * correlation of the image (centred on its mean, as floats) with T': in the
 * frequency domain for templates of more than 1024 pixels (when the backend
 * can), else by the backend's own choice. The window sums come from integral
 * images in double precision on the host, of which only templ height + 1
 * rows are held. Scores agree with a double-precision computation to about
 * 1e-6 on ordinary images (the tests hold them to 1e-4); the numerator's
 * rounding grows with the image's largest deviations from its mean.
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
 * A local maximum is a pixel no 8-neighbour of which scores higher (NaN
 * neighbours are not compared; a NaN is never a match), so every pixel of a
 * plateau is one. Equal scores come in row-major order; min_distance 0 and 1
 * keep every local maximum. scores is any f32 1-channel map (else
 * TESSEL_ERR_INVALID_ARGUMENT); min_distance and max_matches must not be
 * negative, min_score not NaN; matches may be NULL when max_matches is 0.
 * Runs on the host.
 */
TESSEL_API tessel_status tessel_match_best(tessel_context *context, const tessel_image *scores,
                                           float min_score, int min_distance, int max_matches,
                                           tessel_match *matches, int *count);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_FOURIER_H */
