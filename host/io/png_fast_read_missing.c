/* The common PNG's fast path in a build with libspng but without libdeflate
 * (png_fast_read.c when it has both): never taken, libspng reads every
 * file. */
#include "png_fast_read.h"

int tessel_png_read_fast(const unsigned char *b, size_t n, int width, int height, int channels,
                         tessel_dtype dtype, tessel_image *out)
{
    return 0;
}
