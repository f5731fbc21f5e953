/* Reading and writing 8-bit binary PGM ("P5") files, the simplest image
 * format there is: a short text header, then width*height bytes. Enough for
 * the examples to work on real pictures without an image library. */
#ifndef TESSEL_EXAMPLES_PGM_H
#define TESSEL_EXAMPLES_PGM_H

#include <stdint.h>

/* Reads `path` into a newly malloc'ed buffer (*pixels, row-major, one byte
 * per pixel). Returns 0 on success; on failure prints why and returns -1. */
int pgm_read(const char *path, uint8_t **pixels, int *width, int *height);

/* Writes width*height bytes as a P5 file. Returns 0, or -1 after printing why. */
int pgm_write(const char *path, const uint8_t *pixels, int width, int height);

#endif
