/* Readers of option values: strict numbers (the whole text, finite, in
 * range; the C locale is never changed, so "1.5" is always one and a half)
 * and the names of modes, borders, methods, dtypes and output formats. Each
 * returns 0 on success and -1 when the text is not accepted. */
#ifndef TESSEL_CLI_VALUES_H
#define TESSEL_CLI_VALUES_H

#include "tessel/tessel_io.h"

int cli_read_int(const char *text, long min, long max, int *out);
int cli_read_real(const char *text, double *out);
/* "A,B" into a and b; with allow_single, "A" alone sets both. */
int cli_read_int_pair(const char *text, long min, long max, int allow_single, int *a, int *b);

int cli_read_mode(const char *text, tessel_mode *out);
/* scipy.ndimage names, and OpenCV's as aliases: replicate = nearest,
 * reflect101 / reflect_101 = mirror. */
int cli_read_border(const char *text, tessel_border *out);
int cli_read_method(const char *text, tessel_method *out);
/* "keep" sets *keep; otherwise u8, u16 or f32. */
int cli_read_dtype(const char *text, int *keep, tessel_dtype *out);
/* TIFF compression: none, deflate, lzw. */
int cli_read_compression(const char *text, tessel_compression *out);
/* --subsampling: 444, 422 or 420 (also written 4:4:4, ...). */
int cli_read_subsampling(const char *text, tessel_jpeg_subsampling *out);
/* TIFF tiles "N" (square) or "WxH": sides multiples of 16 from 16 to 4096. */
int cli_read_tile(const char *text, int *width, int *height);

/* The accepted words, for messages and help. */
#define CLI_MODES "same, full, valid"
#define CLI_BORDERS                                                                                \
    "constant, nearest, reflect, mirror, wrap; OpenCV names replicate, reflect101, reflect_101"
#define CLI_METHODS "auto, direct, separable, fft, fft-block, running"
#define CLI_DTYPES "keep, u8, u16, f32"
#define CLI_COMPRESSIONS "none, deflate, lzw"
#define CLI_TILES "N or WxH, multiples of 16 from 16 to 4096"
#define CLI_SUBSAMPLINGS "444, 422, 420"
#define CLI_WRITE_FORMATS "png, jpg, jpeg, bmp, tga, tif, tiff, npy, csv"

/* 1 when `ext` (without the dot, any case) is a format tessel can write. */
int cli_is_write_format(const char *ext);
/* The file format such an extension names (TESSEL_FORMAT_AUTO otherwise). */
tessel_file_format cli_write_format(const char *ext);

#endif
