/* Decoding a raster file held in memory: tessel's validators first (the
 * structure and the size each format claims, check_raster.c), then the
 * library this build serves the format with: libjpeg-turbo for JPEG and
 * libspng for PNG where built with them, stb_image for the rest and as
 * the fallback (which validates before it decodes). */
#include <string.h>

#include "formats.h"
#include "metadata.h"

/* stb_image's JPEGs get what libjpeg-turbo's get: metadata, orientation. */
static tessel_status finish_stb_jpeg(const char *path, const unsigned char *bytes, size_t size,
                                     const tessel_read_options *options, tessel_image *out,
                                     tessel_image_metadata *metadata)
{
    tessel_status status = tessel_jpeg_read_metadata(path, bytes, size, metadata);
    if (status == TESSEL_OK && !options->keep_orientation)
        status = tessel_orient_upright(path, out, metadata->orientation);
    if (status != TESSEL_OK) {
        tessel_image_free(out);
        tessel_image_metadata_free(metadata);
    }
    return status;
}

static tessel_status decode(const char *path, tessel_file_format format, const unsigned char *bytes,
                            size_t size, const tessel_read_options *options, tessel_image *out,
                            tessel_image_metadata *metadata)
{
    tessel_raster_facts facts;
    (void)facts;
#ifdef TESSEL_HAVE_TURBOJPEG
    if (format == TESSEL_FORMAT_JPEG) {
        FORWARD_IF_ERROR(tessel_check_raster(path, format, bytes, size, &facts));
        return tessel_jpeg_read(path, bytes, size, options, out, metadata);
    }
#endif
#ifdef TESSEL_HAVE_SPNG
    if (format == TESSEL_FORMAT_PNG) {
        FORWARD_IF_ERROR(tessel_check_raster(path, format, bytes, size, &facts));
        return tessel_png_read(path, bytes, size, out, metadata);
    }
#endif
    FORWARD_IF_ERROR(tessel_stb_read(path, format, bytes, size, out));
    if (format != TESSEL_FORMAT_JPEG) return TESSEL_OK;
    return finish_stb_jpeg(path, bytes, size, options, out, metadata);
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
