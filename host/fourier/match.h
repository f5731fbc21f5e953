/* Template matching (tessel_fourier.h), shared by the match_*.c files:
 *
 *   match_samples.c    rows of any dtype as doubles; channel means of the
 *                      image and the zero-mean template, finiteness checks
 *   match_numerator.c  sum(I' T') for every placement: per channel, a valid
 *                      correlation on the context's backend (method fft for
 *                      large templates), summed over the channels
 *   match_windows.c    the window statistics from integral images, and the
 *                      numerators turned into scores
 *   match_template.c   tessel_match_template: checks, then the steps above
 *   match_best.c       tessel_match_best: local maxima, non-maximum suppression
 *
 * Both image and template are centred on their channel means before
 * anything is summed: sum(I' T') and the window variances do not change,
 * and the float correlation and the double integral images then round
 * relative to the image's variation rather than its level. */
#ifndef TESSEL_FOURIER_MATCH_H
#define TESSEL_FOURIER_MATCH_H

#include "tessel/tessel_fourier.h"

/* Template areas above this run the numerator's correlation in the
 * frequency domain (when the backend can); smaller ones let the backend's
 * method choice decide (direct or separable). Measured on the CPU backend
 * (2 AVX-512 threads, a 1024x1024 image), the direct sum is faster up to
 * about 31x31 and the frequency domain from about 41x41 on. */
#define TESSEL_MATCH_FFT_MIN_AREA 1024

/* A window whose sum of squared deviations is at most this fraction of its
 * sum of squares about the image mean scores 0: its variation is below what
 * the single-precision numerator resolves (relative spread < 1e-5). */
#define TESSEL_MATCH_FLAT_VARIANCE 1e-10

/* The template minus its channel means. */
typedef struct tessel_match_centred {
    int width, height, channels;
    float *centred;   /* channels planes of height*width, row-major: the kernels */
    double sum2;      /* sum of the squared deviations over all channels */
    int flat;         /* 1 when every channel is constant (sum2 is then 0) */
} tessel_match_centred;

/* Row y of img as width*channels doubles (interleaved, as stored). */
void tessel_match_row_to_doubles(const tessel_image *img, int y, double *out);

/* Checks that every sample of img is finite (integer dtypes always are) and
 * writes each channel's mean to mean[0..channels). `what` names img in
 * messages ("source", "template"). */
tessel_status tessel_match_channel_means(tessel_context *ctx, const char *what,
                                         const tessel_image *img, double *mean);

/* t from templ (checked finite); free with tessel_match_centred_free. */
tessel_status tessel_match_centred_make(tessel_context *ctx, const tessel_image *templ,
                                        tessel_match_centred *t);
void tessel_match_centred_free(tessel_match_centred *t);

/* num[y*out_w + x] = sum over channels and the window at (x, y) of
 * (src - mean) * t->centred, computed on the context's backend. */
tessel_status tessel_match_numerators(tessel_context *ctx, const tessel_image *src,
                                      const double *mean, const tessel_match_centred *t,
                                      float *num);

/* Turns num (as tessel_match_numerators left it) into the scores in place. */
tessel_status tessel_match_scores(tessel_context *ctx, const tessel_image *src, const double *mean,
                                  const tessel_match_centred *t, float *num);

#endif
