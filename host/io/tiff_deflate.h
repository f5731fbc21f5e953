/* Deflate-compressed TIFF strips and tiles made on worker threads
 * (tiff_deflate.c): each chunk gets libtiff's predictor and libdeflate's
 * zlib stream, and the writer hands the results to libtiff raw, in order. */
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

#ifdef TESSEL_HAVE_LIBDEFLATE

/* For chunks of at most max_bytes of images of that type and channel count
 * (the predictor's unit), on up to `threads` threads; NULL when out of
 * memory. */
tessel_tiff_deflate *tessel_tiff_deflate_create(tessel_dtype dtype, int channels, int level,
                                                size_t max_bytes, int chunks, int threads);
void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d);
/* How many chunks one call of tessel_tiff_deflate_write takes at most. */
int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d);
/* Compresses count chunks in parallel, then writes chunk i as raw strip or
 * tile first + i of tif. 0 on success, else the index of the chunk whose
 * write failed, plus one. */
int tessel_tiff_deflate_write(tessel_tiff_deflate *d, TIFF *tif, int tiled, uint32_t first,
                              const tessel_tiff_chunk *chunks, int count);

#else /* without libdeflate no encoder is made (the writer's is NULL): libtiff encodes */

static inline void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d)
{
    (void)d;
}

static inline int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d)
{
    (void)d;
    return 1;
}

static inline int tessel_tiff_deflate_write(tessel_tiff_deflate *d, TIFF *tif, int tiled,
                                            uint32_t first, const tessel_tiff_chunk *chunks,
                                            int count)
{
    (void)d, (void)tif, (void)tiled, (void)first, (void)chunks;
    return count ? 1 : 0;
}

#endif
#endif
