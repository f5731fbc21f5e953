/* A filter of a plan's kernel spectrum: the internal hook that turns one
 * run of method fft into a regularised inverse (deconvolution) instead of a
 * convolution. The backends call tessel_spectral_filter_apply once per plan,
 * right after they computed the kernel's spectrum K = conj(DFT(taps)) / N
 * (N = Ph * Pw, the transform's size), and multiply by the result as usual.
 *
 * With H = DFT(taps), so |H| = |K| N:
 *   Wiener:   G = K / (|H|^2 + nsr)
 *   Tikhonov: G = K / (|H|^2 + lambda |L|^2), L the 5-point Laplacian's
 *             response at that frequency: 2 cos(2 pi u / Ph) + 2 cos(2 pi v / Pw) - 4.
 * A plan made with taps = the PSF, correlate on, mode same, then returns
 * IDFT(DFT(x) conj(H) / (|H|^2 + ...)): the estimate of the image that,
 * convolved with the PSF, gives x (circularly on the transform's size). */
#ifndef TESSEL_CORE_SPECTRAL_FILTER_H
#define TESSEL_CORE_SPECTRAL_FILTER_H

#include <stddef.h>

typedef enum tessel_spectral_filter_kind {
    TESSEL_SPECTRAL_NONE = 0, /* the plain kernel spectrum (every ordinary plan) */
    TESSEL_SPECTRAL_WIENER = 1,
    TESSEL_SPECTRAL_TIKHONOV = 2
} tessel_spectral_filter_kind;

typedef struct tessel_spectral_filter {
    tessel_spectral_filter_kind kind;
    double parameter; /* Wiener's nsr or Tikhonov's lambda: finite, > 0 */
} tessel_spectral_filter;

/* Replaces the half spectrum K in place by the filter's G. K holds size_y
 * rows of size_x / 2 + 1 complex values (re, im interleaved), the layout of
 * FFTW's and clFFT's real-to-complex transforms of size_y x size_x. Works in
 * double precision. Does nothing for TESSEL_SPECTRAL_NONE. */
void tessel_spectral_filter_apply(const tessel_spectral_filter *filter, float *spectrum,
                                  size_t size_y, size_t size_x);

#endif
