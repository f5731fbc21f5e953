/* Deconvolution (tessel_fourier.h), shared by the files of host/fourier:
 *
 *   deconv_options.c  defaults, validation of the options and the PSF
 *   deconv_extend.c   the image as floats, extended past its sides (tapered
 *                     reflection, or periodic), and the crop back
 *   deconv_spectral.c Wiener and Tikhonov: one filtered run of method fft
 *   deconv_rl.c       Richardson-Lucy between buffers (on the device)
 *   deconv_damp.c     its damped ratio, on either backend
 *   deconvolve.c      the entry point and the conversion into dst
 *
 * Every step runs through the public API (plans, buffers) and the
 * spectral-filter hook of core/plan.h, so both backends serve it. */
#ifndef TESSEL_FOURIER_DECONV_H
#define TESSEL_FOURIER_DECONV_H

#include "tessel/tessel_fourier.h"

/* The options resolved (defaults filled in) and checked against the image
 * and the PSF. */
typedef struct tessel_deconv_settings {
    tessel_deconv_method method;
    double nsr;      /* Wiener */
    double lambda;   /* Tikhonov */
    int iterations;  /* Richardson-Lucy */
    double damping;  /* Richardson-Lucy; 0 = none */
    int margin;      /* pixels the image is extended by on each side */
    int periodic;    /* taper -1: continued by wrap-around, not tapered */
    double psf_sum;  /* > 0 */
} tessel_deconv_settings;

/* Fills s from options (NULL = defaults); checks every field, the PSF (a
 * positive sum, not larger than the image; no negative taps for
 * Richardson-Lucy) and that dst matches src. */
tessel_status tessel_deconv_settings_make(tessel_context *ctx, const tessel_image *src,
                                          const tessel_kernel *psf,
                                          const tessel_deconv_options *options,
                                          const tessel_image *dst, tessel_deconv_settings *s);

/* The image as packed floats, margin pixels wider on every side. */
typedef struct tessel_deconv_extended {
    float *data;
    int width, height, channels; /* of the extended image */
    int margin;
    double mean[4];              /* per channel, of the image itself */
} tessel_deconv_extended;

/* Extends src by s->margin on each side: reflected and blended towards the
 * channel's mean with a raised-cosine weight (1 at the image's edge, 0 on
 * the outermost ring), or with s->periodic continued by wrap-around. */
tessel_status tessel_deconv_extend(tessel_context *ctx, const tessel_image *src,
                                   const tessel_deconv_settings *s, tessel_deconv_extended *out);
void tessel_deconv_extended_free(tessel_deconv_extended *e);

/* The image's part of an extended-size array `ext` (packed, e's width and
 * channels) into out (packed width x height x channels), plus add[channel]. */
void tessel_deconv_crop(const tessel_deconv_extended *e, const float *ext, const double add[4],
                        float *out);

/* Wiener or Tikhonov: out (packed W x H x C floats) = the restored src. */
tessel_status tessel_deconv_spectral(tessel_context *ctx, const tessel_image *src,
                                     const tessel_kernel *psf, const tessel_deconv_settings *s,
                                     float *out);

/* Richardson-Lucy: out as for tessel_deconv_spectral. */
tessel_status tessel_deconv_richardson_lucy(tessel_context *ctx, const tessel_image *src,
                                            const tessel_kernel *psf,
                                            const tessel_deconv_settings *s, float *out);

/* ratio = data / blurred pulled towards 1 where the two agree within
 * `damping` standard deviations of Poisson noise (White's damped
 * Richardson-Lucy); 0 where blurred is 0. Packed f32 buffers of one shape. */
tessel_status tessel_deconv_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                         const tessel_buffer *blurred, double damping,
                                         tessel_buffer *ratio);

/* How strongly the damping acts: White's exponent (10 in his paper and in
 * common implementations; larger = a sharper switch at the threshold). */
#define TESSEL_DECONV_DAMPING_POWER 10

#endif
