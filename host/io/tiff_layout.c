/* What a TIFF directory describes, checked against what tessel reads: each
 * refusal names what the file holds and what would be accepted. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tiff_io.h"

/* Largest decoded tile tessel allocates: a header asking for more is more
 * likely to lie than to describe a real file. */
#define MAX_TILE_BYTES ((uint64_t)1 << 30)

static tessel_status refuse(tessel_tiff_handle *h, const char *what)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, h->path, "TIFF %s", what);
}

static const char *photometric_name(unsigned photometric)
{
    switch (photometric) {
    case PHOTOMETRIC_MINISWHITE: return "min-is-white grey";
    case PHOTOMETRIC_PALETTE: return "palette (colour-mapped)";
    case PHOTOMETRIC_MASK: return "transparency mask";
    case PHOTOMETRIC_SEPARATED: return "CMYK (separated)";
    case PHOTOMETRIC_YCBCR: return "YCbCr without JPEG compression";
    case PHOTOMETRIC_CIELAB:
    case PHOTOMETRIC_ICCLAB:
    case PHOTOMETRIC_ITULAB: return "L*a*b*";
    case PHOTOMETRIC_LOGL:
    case PHOTOMETRIC_LOGLUV: return "LogL/LogLuv";
    default: return "unknown";
    }
}

/* Grey (any 1..4 samples: grey, grey+alpha, ...), RGB(A), and YCbCr JPEG,
 * which libtiff's JPEG codec turns into RGB when asked. */
static tessel_status check_colour(tessel_tiff_handle *h, unsigned samples, int *is_jpeg_ycbcr)
{
    TIFF *tif = h->tif;
    uint16_t photometric = PHOTOMETRIC_MINISBLACK, compression = COMPRESSION_NONE;
    char what[160];
    if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric))
        return refuse(h, "has no PhotometricInterpretation tag: the colours are unknown");
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    *is_jpeg_ycbcr = photometric == PHOTOMETRIC_YCBCR && compression == COMPRESSION_JPEG;
    if (samples < 1 || samples > 4) {
        snprintf(what, sizeof what, "has %u samples per pixel (1 to 4 are supported)", samples);
        return refuse(h, what);
    }
    if (photometric == PHOTOMETRIC_MINISBLACK) return TESSEL_OK;
    if ((photometric == PHOTOMETRIC_RGB || *is_jpeg_ycbcr) && samples >= 3) return TESSEL_OK;
    if (photometric == PHOTOMETRIC_RGB || *is_jpeg_ycbcr)
        snprintf(what, sizeof what, "is colour with %u samples per pixel (3 or 4 are needed)",
                 samples);
    else
        snprintf(what, sizeof what,
                 "is %s (photometric %u); tessel reads grey, RGB and JPEG YCbCr images",
                 photometric_name(photometric), (unsigned)photometric);
    return refuse(h, what);
}

/* 8/16-bit unsigned and 32/64-bit float samples; *file_bytes is their width. */
static tessel_status check_samples(tessel_tiff_handle *h, tessel_dtype *dtype, int *file_bytes)
{
    uint16_t bits = 1, format = SAMPLEFORMAT_UINT;
    TIFFGetFieldDefaulted(h->tif, TIFFTAG_BITSPERSAMPLE, &bits);
    TIFFGetFieldDefaulted(h->tif, TIFFTAG_SAMPLEFORMAT, &format);
    char what[160];
    if (format == SAMPLEFORMAT_UINT || format == SAMPLEFORMAT_VOID) {
        *dtype = bits == 8 ? TESSEL_U8 : TESSEL_U16;
        *file_bytes = bits / 8;
        if (bits == 8 || bits == 16) return TESSEL_OK;
        snprintf(what, sizeof what,
                 "has %u-bit unsigned samples (8 and 16-bit are supported)", (unsigned)bits);
    } else if (format == SAMPLEFORMAT_IEEEFP) {
        *dtype = TESSEL_F32;
        *file_bytes = bits / 8;
        if (bits == 32 || bits == 64) return TESSEL_OK;
        snprintf(what, sizeof what,
                 "has %u-bit floating-point samples (32 and 64-bit are supported)",
                 (unsigned)bits);
    } else if (format == SAMPLEFORMAT_INT) {
        snprintf(what, sizeof what,
                 "has signed %u-bit integer samples (unsigned 8/16-bit and float are supported)",
                 (unsigned)bits);
    } else {
        snprintf(what, sizeof what, "has samples of format %u (complex or unknown)",
                 (unsigned)format);
    }
    return refuse(h, what);
}

static tessel_status check_codec(tessel_tiff_handle *h)
{
    uint16_t compression = COMPRESSION_NONE;
    TIFFGetFieldDefaulted(h->tif, TIFFTAG_COMPRESSION, &compression);
    if (TIFFIsCODECConfigured(compression)) return TESSEL_OK;
    const TIFFCodec *codec = TIFFFindCODEC(compression);
    char what[160];
    snprintf(what, sizeof what,
             "is compressed with %s (scheme %u), which this libtiff cannot decode",
             codec ? codec->name : "an unknown scheme", (unsigned)compression);
    return refuse(h, what);
}

static tessel_status check_chunks(tessel_tiff_handle *h, tessel_tiff_layout *l)
{
    TIFF *tif = h->tif;
    l->tiled = TIFFIsTiled(tif);
    if (!l->tiled) {
        uint32_t rows = 0;
        TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &rows);
        l->rows_per_strip = rows == 0 || rows > (uint32_t)l->height ? l->height : (int)rows;
        return TESSEL_OK;
    }
    uint32_t tw = 0, th = 0;
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
    TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
    uint64_t samples = (uint64_t)(l->planes == 1 ? l->channels : 1);
    char what[160];
    if (tw == 0 || th == 0 || tw > INT_MAX || th > INT_MAX ||
        (uint64_t)tw * th * samples * (uint64_t)l->file_bytes > MAX_TILE_BYTES) {
        snprintf(what, sizeof what, "has tiles of %ux%u pixels (corrupt file?)", (unsigned)tw,
                 (unsigned)th);
        return refuse(h, what);
    }
    l->tile_width = (int)tw;
    l->tile_height = (int)th;
    return TESSEL_OK;
}

tessel_status tessel_tiff_read_layout(tessel_tiff_handle *h, tessel_tiff_layout *out)
{
    TIFF *tif = h->tif;
    tessel_tiff_layout l;
    memset(&l, 0, sizeof l);
    uint32_t width = 0, height = 0;
    uint16_t samples = 1, planar = PLANARCONFIG_CONTIG, compression = COMPRESSION_NONE;
    TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    if (width == 0 || height == 0 || width > INT_MAX || height > INT_MAX) {
        char what[96];
        snprintf(what, sizeof what, "image size %ux%u: each side must be 1 to 2147483647 pixels",
                 (unsigned)width, (unsigned)height);
        return refuse(h, what);
    }
    l.width = (int)width;
    l.height = (int)height;
    int jpeg_ycbcr = 0;
    FORWARD_IF_ERROR(check_colour(h, samples, &jpeg_ycbcr));
    FORWARD_IF_ERROR(check_samples(h, &l.dtype, &l.file_bytes));
    FORWARD_IF_ERROR(check_codec(h));
    l.channels = samples;
    l.planes = planar == PLANARCONFIG_SEPARATE ? l.channels : 1;
    if (jpeg_ycbcr) {
        if (l.planes != 1 || l.channels != 3 || l.file_bytes != 1)
            return refuse(h, "is YCbCr JPEG other than 3 interleaved 8-bit samples");
        /* libjpeg converts to RGB, undoing any chroma subsampling */
        if (!TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB))
            return tessel_tiff_fail(h, TESSEL_ERR_FORMAT, "cannot decode YCbCr JPEG as RGB");
    }
    FORWARD_IF_ERROR(check_chunks(h, &l));
    l.random_access = compression == COMPRESSION_NONE;
    *out = l;
    return TESSEL_OK;
}
