/* Deflate-compressed TIFF strips and tiles made on worker threads
 * (tiff_deflate.c): each chunk gets libtiff's predictor and libdeflate's
 * zlib stream, a group at a time while the writer fills the next, and the
 * results go to libtiff raw, in order. */
#ifndef TESSEL_IO_TIFF_DEFLATE_H
#define TESSEL_IO_TIFF_DEFLATE_H

#include "tiff_io.h"

typedef struct tessel_tiff_deflate tessel_tiff_deflate;

/* One strip or tile: `rows` rows of row_bytes at data (changed in place by
 * the predictor). */
typedef struct tessel_tiff_chunk {
    unsigned char *data;
    int rows;
    size_t row_bytes;
} tessel_tiff_chunk;

/* 1 when this build deflates strips and tiles here (it has libdeflate:
 * tiff_deflate.c); 0 when libtiff encodes them (tiff_deflate_missing.c,
 * whose other functions are then only ever given NULL). */
int tessel_tiff_deflate_available(void);

/* For chunks of at most max_bytes of images of that type and channel count
 * (the predictor's unit), on up to `threads` threads; NULL when out of
 * memory. */
tessel_tiff_deflate *tessel_tiff_deflate_create(tessel_dtype dtype, int channels, int level,
                                                size_t max_bytes, int chunks, int threads);
/* Accepts NULL. */
void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d);
/* How many chunks one group holds at most. */
int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d);
/* Writes the group handed over before (waiting for its compression), then
 * hands over count chunks, strip or tile first + i of tif, to be compressed
 * while the caller goes on: their buffers stay untouched until the next
 * submit or finish returns. 0 on success, else the index of the strip or
 * tile whose write failed, plus one. */
uint32_t tessel_tiff_deflate_submit(tessel_tiff_deflate *d, TIFF *tif, int tiled, uint32_t first,
                                    const tessel_tiff_chunk *chunks, int count);
/* Writes the last group handed over; returns as submit. */
uint32_t tessel_tiff_deflate_finish(tessel_tiff_deflate *d, TIFF *tif);

#endif
