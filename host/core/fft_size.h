/* Transform lengths for the frequency-domain method of every backend. */
#ifndef TESSEL_CORE_FFT_SIZE_H
#define TESSEL_CORE_FFT_SIZE_H

/* The least length >= n whose only prime factors are 2, 3, 5 and 7 (FFTW's
 * fast cases), or -1 when n < 1 or no such length fits in an int. */
int tessel_fft_smooth_size(int n);

#endif
