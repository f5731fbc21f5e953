/* Which library serves each format in this build (tessel_format_codec).
 * The versions are those the build was compiled against. */
#include "formats.h"

#define STB_READ "stb_image"
#define STB_WRITE "stb_image_write"
#ifdef TESSEL_HAVE_LIBDEFLATE
#define PNG_WRITER "tessel + libdeflate " TESSEL_LIBDEFLATE_VERSION
#else
#define PNG_WRITER "tessel + stb_image_write's deflate"
#endif

static const char *jpeg_codec(void)
{
#ifdef TESSEL_HAVE_TURBOJPEG
    return "libjpeg-turbo " TESSEL_TURBOJPEG_VERSION " (TurboJPEG)";
#else
    return NULL;
#endif
}

static const char *png_reader(void)
{
#ifdef TESSEL_HAVE_SPNG
    return "libspng " TESSEL_SPNG_VERSION;
#else
    return STB_READ;
#endif
}

static const char *tiff_codec(int write)
{
#if defined(TESSEL_HAVE_TIFF) && defined(TESSEL_HAVE_LIBDEFLATE)
    if (write)
        return "libtiff " TESSEL_TIFF_VERSION
               " (deflate on threads: libdeflate " TESSEL_LIBDEFLATE_VERSION ")";
    return "libtiff " TESSEL_TIFF_VERSION;
#elif defined(TESSEL_HAVE_TIFF)
    (void)write;
    return "libtiff " TESSEL_TIFF_VERSION;
#else
    (void)write;
    return NULL;
#endif
}

const char *tessel_format_codec(tessel_file_format format, int write)
{
    const char *jpeg = jpeg_codec();
    switch (format) {
    case TESSEL_FORMAT_PNG: return write ? PNG_WRITER : png_reader();
    case TESSEL_FORMAT_JPEG: return jpeg ? jpeg : write ? STB_WRITE : STB_READ;
    case TESSEL_FORMAT_BMP:
    case TESSEL_FORMAT_TGA: return write ? STB_WRITE : STB_READ;
    case TESSEL_FORMAT_GIF:
    case TESSEL_FORMAT_PNM:
    case TESSEL_FORMAT_HDR: return write ? NULL : STB_READ;
    case TESSEL_FORMAT_NPY:
    case TESSEL_FORMAT_CSV: return "tessel";
    case TESSEL_FORMAT_TIFF: return tiff_codec(write);
    default: return NULL;
    }
}
