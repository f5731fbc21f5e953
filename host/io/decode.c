/* Decoding a raster file held in memory: the reader this build serves the
 * format with (libjpeg-turbo for JPEG and libspng for PNG where built with
 * them, else stb_image, as for the other formats), each of which runs
 * tessel's validators first (the structure and the size each format
 * claims, check_raster.c). */
#include <string.h>

#include "formats.h"

static tessel_status decode(const char *path, tessel_file_format format, const unsigned char *bytes,
                            size_t size, const tessel_read_options *options, tessel_image *out,
                            tessel_image_metadata *metadata)
{
    switch (format) {
    case TESSEL_FORMAT_JPEG: return tessel_jpeg_read(path, bytes, size, options, out, metadata);
    case TESSEL_FORMAT_PNG: return tessel_png_read(path, bytes, size, out, metadata);
    default: return tessel_stb_read(path, format, bytes, size, out);
    }
}

tessel_status tessel_decode_raster(const char *path, tessel_file_format format,
                                   const unsigned char *bytes, size_t size,
                                   const tessel_read_options *options, tessel_image *out,
                                   tessel_image_metadata *metadata)
{
    static const tessel_read_options defaults = {0};
    tessel_image_metadata unwanted;
    tessel_image_metadata *m = metadata ? metadata : &unwanted;
    memset(m, 0, sizeof *m);
    tessel_status status = decode(path, format, bytes, size, options ? options : &defaults, out, m);
    if (!metadata) tessel_image_metadata_free(m);
    return status;
}
