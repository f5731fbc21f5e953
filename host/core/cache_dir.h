/* tessel's cache folder, shared by everything that keeps files between
 * processes: compiled OpenCL programs, clFFT's kernels, cost profiles and
 * FFTW wisdom. TESSEL_CACHE_DIR names it (empty: no disk cache at all),
 * else $XDG_CACHE_HOME/tessel, else ~/.cache/tessel. */
#ifndef TESSEL_CORE_CACHE_DIR_H
#define TESSEL_CORE_CACHE_DIR_H

#include <stddef.h>

#include "tessel/tessel.h"

/* The folder the environment names, written to out: 1, or 0 when the disk
 * cache is off or no folder can be named (said in ctx's debug log). */
int tessel_cache_dir(tessel_context *ctx, char *out, size_t size);

/* mkdir -p: 1 when dir exists afterwards, 0 (errno set) when it cannot be
 * made. */
int tessel_make_dirs(const char *dir);

#endif
