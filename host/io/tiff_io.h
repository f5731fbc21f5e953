/* What the TIFF reader and writer share: a libtiff handle over a file
 * descriptor with libtiff's messages caught instead of printed, the layout
 * of the image a file holds, and the copying of samples between libtiff's
 * buffers and tessel images. */
#ifndef TESSEL_IO_TIFF_IO_H
#define TESSEL_IO_TIFF_IO_H

#include <tiffio.h>

#include "io.h"

/* Longest libtiff message kept (the first one since the last clear). */
#define TESSEL_TIFF_MESSAGE_SIZE 256

/* libtiff reading and writing through our own descriptor (pread/pwrite at
 * our own offset), so that reads honour tessel_io_file's checks and writes
 * go to an atomic file's temporary. */
typedef struct tessel_tiff_handle {
    const char *path; /* for messages */
    int fd;           /* not owned */
    uint64_t offset;  /* the file position libtiff sees */
    int io_error;     /* errno of the first failed read or write, 0 if none */
    TIFF *tif;
    char message[TESSEL_TIFF_MESSAGE_SIZE]; /* libtiff's first error (libtiff >= 4.5) */
} tessel_tiff_handle;

/* Opens a handle on fd with libtiff's mode ("rm", "w", "w8"); a file that
 * libtiff refuses fails with TESSEL_ERR_FORMAT and libtiff's reason. */
tessel_status tessel_tiff_handle_open(tessel_tiff_handle *h, const char *path, int fd,
                                      const char *mode);
/* Closes the libtiff handle (not the descriptor). Accepts a closed handle. */
void tessel_tiff_handle_close(tessel_tiff_handle *h);
/* Forgets the messages caught so far, before a libtiff call whose failure
 * is to be explained. */
void tessel_tiff_clear_message(tessel_tiff_handle *h);
/* Fails with `"path": WHAT: libtiff's message` (or the I/O error): status
 * TESSEL_ERR_IO after a failed read or write, else the one given. */
tessel_status tessel_tiff_fail(tessel_tiff_handle *h, tessel_status status, const char *what);

/* ------------------------------------------------------------------ layout */

/* The first image of a file, as tessel reads it. */
typedef struct tessel_tiff_layout {
    int width, height;
    int channels;       /* samples per pixel, 1..4 */
    tessel_dtype dtype; /* what samples become */
    int file_bytes;     /* bytes of one sample in libtiff's buffers: 1, 2, 4 or 8 */
    int planes;         /* 1 (interleaved) or channels (one plane per sample) */
    int tiled;
    int tile_width, tile_height; /* tiled files only */
    int rows_per_strip;          /* striped files only */
    int random_access;           /* scanlines may be read in any order (no compression) */
} tessel_tiff_layout;

/* Reads and checks the layout of the current directory; a layout tessel
 * cannot read fails with TESSEL_ERR_FORMAT naming what the file holds. */
tessel_status tessel_tiff_read_layout(tessel_tiff_handle *h, tessel_tiff_layout *out);

/* Sets the ICC profile and resolution tags of m (NULL: none) on the
 * directory being written; 0 when libtiff refuses them (tiff_metadata.c). */
int tessel_tiff_set_metadata(TIFF *tif, const tessel_image_metadata *m);

/* ----------------------------------------------------------------- samples */

/* Copies n pixels of `step` file samples each (file_bytes wide: the same
 * width as dtype's, or 8 for doubles into f32) into dst's pixels of
 * `channels` samples, starting at sample `first`. */
void tessel_tiff_place_samples(void *dst, int channels, int first, tessel_dtype dtype,
                               const void *src, int step, int file_bytes, size_t n);

#endif
