/* PNG decoding in a build without libspng (png_read.c when it has it):
 * stb_image decodes the pixels, after tessel's checks; no ICC profile or
 * resolution is read. */
#include "formats.h"

tessel_status tessel_png_read(const char *path, const unsigned char *b, size_t n, tessel_image *out,
                              tessel_image_metadata *metadata)
{
    return tessel_stb_read(path, TESSEL_FORMAT_PNG, b, n, out);
}
