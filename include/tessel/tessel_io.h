/*
 * tessel — reading and writing images, arrays and signals.
 *
 * Readers validate every size against the file's length and against
 * overflow before allocating; corrupt, truncated or lying files give
 * TESSEL_ERR_FORMAT with a message naming the file and the problem.
 * Writers write to a temporary file beside the target and rename it into
 * place only when everything was written, so a failure never leaves a
 * partial file. Messages are available from tessel_last_error().
 *
 * Thread safety: every function may be called from several threads at once
 * on different files.
 */
#ifndef TESSEL_TESSEL_IO_H
#define TESSEL_TESSEL_IO_H

#include "tessel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tessel_file_format {
    TESSEL_FORMAT_AUTO = 0, /* from the file's contents (read) or extension (write) */
    TESSEL_FORMAT_PNG = 1,  /* read 8/16-bit; write u8 (8-bit) and u16 (16-bit) */
    TESSEL_FORMAT_JPEG = 2, /* read; write 8-bit colour (quality option): grey is written
                               as three equal channels, alpha is dropped */
    TESSEL_FORMAT_BMP = 3,  /* read; write 8-bit (grey with a grey palette; grey+alpha
                               as RGBA) */
    TESSEL_FORMAT_TGA = 4,  /* read; write 8-bit */
    TESSEL_FORMAT_GIF = 5,  /* read (first frame) */
    TESSEL_FORMAT_PNM = 6,  /* read (PGM/PPM, 8/16-bit) */
    TESSEL_FORMAT_HDR = 7,  /* read (Radiance, as f32) */
    TESSEL_FORMAT_NPY = 8,  /* read u8/u16/f32/f64 (f64 -> f32); write u8/u16/f32 */
    TESSEL_FORMAT_CSV = 9   /* read matrices and columns; write matrices and signals */
} tessel_file_format;

/* "png", "jpeg", ... ("auto" for AUTO, "invalid" otherwise). */
TESSEL_API const char *tessel_format_name(tessel_file_format format);
/* The format a path's extension names (case-insensitive: .png .jpg .jpeg
 * .bmp .tga .gif .pgm .ppm .pnm .hdr .npy .csv .txt), or AUTO if none. */
TESSEL_API tessel_file_format tessel_format_from_path(const char *path);

/*
 * Reads an image or 2-D/3-D array. On success *out owns freshly allocated,
 * packed data (free it with tessel_image_free): 8-bit files give u8, 16-bit
 * PNG/PNM give u16, HDR gives f32, .npy keeps u8/u16/f32 (f64 becomes f32;
 * shapes (H,W) or (H,W,C) with C 1..4; a 1-D array is one row), CSV/text
 * gives an f32 matrix (one row per line; commas, semicolons, tabs or spaces;
 * a non-numeric first line is taken as a header and skipped). Grey stays
 * grey (1 channel), grey+alpha 2, RGB 3, RGBA 4 (a palette image whose
 * palette is all grey reads as grey). Sizes are capped at 2^31 pixels. On
 * failure *out is left untouched.
 */
TESSEL_API tessel_status tessel_image_read(const char *path, tessel_image *out);

/* Frees data allocated by tessel_image_read or tessel_signal_read and
 * clears the view. Accepts NULL and an already freed (zeroed) view. */
TESSEL_API void tessel_image_free(tessel_image *image);

typedef struct tessel_write_options {
    uint32_t struct_size;      /* sizeof(tessel_write_options); 0 = this version */
    tessel_file_format format; /* default AUTO: from the path's extension */
    int quality;               /* JPEG quality 1..100; default 0 = 95 */
    int overwrite;             /* default 0: an existing file is an error */
} tessel_write_options;

/*
 * Writes img to path (options may be NULL). 8-bit formats take u8; a u16 or
 * f32 image written to one is rounded to nearest and saturated to 0..255
 * (u16 is NOT rescaled: values above 255 saturate). PNG keeps u16 as 16-bit.
 * .npy keeps the image's dtype; CSV writes one line per row (channels
 * interleaved), floats with enough digits to read back exactly. The file
 * appears only when completely written.
 */
TESSEL_API tessel_status tessel_image_write(const char *path, const tessel_image *img,
                                            const tessel_write_options *options);

/*
 * Reads a 1-D signal as f32 into *out (height 1, width = length, 1 channel;
 * free with tessel_image_free). From .npy: a 1-D array, or one column of a
 * 2-D array. From CSV/text: one column; a non-numeric first line is a header.
 * column: NULL = the first column; a header name; or a 0-based index ("2").
 */
TESSEL_API tessel_status tessel_signal_read(const char *path, const char *column,
                                            tessel_image *out);

/* Writes a signal (height 1, 1 channel) as .npy or CSV (one value per line,
 * header line "value"); format from options or the extension. */
TESSEL_API tessel_status tessel_signal_write(const char *path, const tessel_image *signal,
                                             const tessel_write_options *options);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_IO_H */
