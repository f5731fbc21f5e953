/* FFTW wisdom in tessel's cache folder (core/cache_dir.h), so that plans
 * FFTW measured once (method fft-block's blocks: about 0.4 s per block
 * shape) cost a fraction of a millisecond in later processes. The file
 * exists only once the user ran `tessel tune` (the CPU backend's tune_end
 * hook makes it): without it nothing is read or written. One file per instruction set of the correlation kernels
 * (wisdom from another CPU is valid but may be slow). */
#ifndef TESSEL_CPU_FFTW_WISDOM_H
#define TESSEL_CPU_FFTW_WISDOM_H

#include "tessel/tessel.h"

/* Imports the file into FFTW, once per process (later calls return at
 * once). A file FFTW cannot read is ignored with a warning on ctx. */
void tessel_fftw_wisdom_load(tessel_context *ctx);

/* Merges FFTW's wisdom into the file: under a lock on "FILE.lock" the
 * file is read again, FFTW's wisdom (with it) written to a temporary and
 * renamed over it. With create = 0 nothing happens when there is no file.
 * Failures are logged as warnings on ctx, never errors: wisdom only saves
 * planning time. */
void tessel_fftw_wisdom_save(tessel_context *ctx, int create);

#endif
