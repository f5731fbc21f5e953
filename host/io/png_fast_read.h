/* The common PNG's pixels inflated by libdeflate (png_fast_read.c;
 * png_fast_read_missing.c in a build without libdeflate). */
#ifndef TESSEL_IO_PNG_FAST_READ_H
#define TESSEL_IO_PNG_FAST_READ_H

#include "io.h"

/* Decodes the pixels of a non-interlaced PNG of 8 or 16-bit samples (not a
 * palette) whose header said width x height and channels (1..4): b is the
 * whole file. 1 with *out set (packed; 16-bit in host order), or 0 when
 * anything is not as expected (nothing allocated) or the build has no
 * libdeflate: then libspng reads it. */
int tessel_png_read_fast(const unsigned char *b, size_t n, int width, int height, int channels,
                         tessel_dtype dtype, tessel_image *out);

#endif
