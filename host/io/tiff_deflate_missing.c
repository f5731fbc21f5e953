/* TIFF deflate in a build with libtiff but without libdeflate
 * (tiff_deflate.c when it has both): libtiff compresses each strip or tile
 * itself, so the writer never makes an encoder, and these are only ever
 * given NULL. */
#include "tiff_deflate.h"

int tessel_tiff_deflate_available(void)
{
    return 0;
}

tessel_tiff_deflate *tessel_tiff_deflate_create(tessel_dtype dtype, int channels, int level,
                                                size_t max_bytes, int chunks, int threads)
{
    return NULL;
}

void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d)
{
}

int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d)
{
    return 1;
}

/* Never reached: no encoder exists. Says the first chunk failed. */
uint32_t tessel_tiff_deflate_submit(tessel_tiff_deflate *d, TIFF *tif, int tiled, uint32_t first,
                                    const tessel_tiff_chunk *chunks, int count)
{
    return first + 1;
}

uint32_t tessel_tiff_deflate_finish(tessel_tiff_deflate *d, TIFF *tif)
{
    return 0;
}
