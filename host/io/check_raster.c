/* The validators in front of every raster decoder (stb_image, libspng,
 * TurboJPEG): the format's structural check, then the size it claims
 * against the limits and against what the file's length can hold. */
#include <string.h>

#include "formats.h"

static tessel_status check_structure(const char *path, tessel_file_format format,
                                     const unsigned char *b, size_t n, tessel_raster_facts *facts)
{
    switch (format) {
    case TESSEL_FORMAT_PNG: return tessel_check_png(path, b, n, facts);
    case TESSEL_FORMAT_BMP: return tessel_check_bmp(path, b, n, facts);
    case TESSEL_FORMAT_TGA: return tessel_check_tga(path, b, n, facts);
    case TESSEL_FORMAT_PNM: return tessel_check_pnm(path, b, n, facts);
    case TESSEL_FORMAT_JPEG: return tessel_check_jpeg(path, b, n, facts);
    case TESSEL_FORMAT_GIF: return tessel_check_gif(path, b, n, facts);
    case TESSEL_FORMAT_HDR: return tessel_check_hdr(path, b, n, facts);
    default:
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path, "%s is not a raster format",
                              tessel_format_title(format));
    }
}

tessel_status tessel_check_raster(const char *path, tessel_file_format format,
                                  const unsigned char *b, size_t n, tessel_raster_facts *facts)
{
    memset(facts, 0, sizeof *facts);
    FORWARD_IF_ERROR(check_structure(path, format, b, n, facts));
    return tessel_io_check_claim(path, tessel_format_title(format), facts->width, facts->height,
                                 n, 1);
}
