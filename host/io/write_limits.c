/* The largest image each output format takes, in one place: what the
 * format's own fields can describe, and what tessel's encoder for it can
 * hold. Checked when an output is planned (tessel_image_write_check),
 * before any pixel is computed, and again by tessel_image_write. */
#include <stdio.h>

#include "deflate.h"
#include "formats.h"

/* Sides stored in 16-bit fields (JPEG's frame header, TGA's header): a
 * larger side would be written wrapped, a corrupt file. */
#define SIDE_16_BITS 65535
/* stb_image_write sizes its buffers with int: its images stay well inside,
 * counting a filter or padding byte per pixel beside the samples. */
#define STB_WRITE_MAX_BYTES ((uint64_t)1 << 30)
/* BMP stores the file's size in 32 bits, read as signed by many readers. */
#define BMP_MAX_BYTES ((uint64_t)1 << 31)
#define BMP_HEADER_BYTES (14 + 40 + 256 * 4) /* with the grey palette */

typedef struct image_shape {
    uint64_t width, height, channels;
} image_shape;

static const char *channel_words(uint64_t channels)
{
    static const char *words[] = {"", "grey", "grey+alpha", "RGB", "RGBA"};
    return channels >= 1 && channels <= 4 ? words[channels] : "multi-channel";
}

/* "OUTPUT: a WxH RGB image is too large for FORMAT output: <limit>". */
static tessel_status too_large(const char *path, tessel_file_format format, const image_shape *s,
                               const char *limit)
{
    return tessel_io_fail(TESSEL_ERR_BAD_SIZE, path,
                          "a %llux%llu %s image is too large for %s output: %s; write TIFF "
                          "(.tif) or .npy instead",
                          (unsigned long long)s->width, (unsigned long long)s->height,
                          channel_words(s->channels), tessel_format_title(format), limit);
}

static tessel_status check_sides(const char *path, tessel_file_format format,
                                 const image_shape *s, uint64_t max_side)
{
    if (s->width <= max_side && s->height <= max_side) return TESSEL_OK;
    char limit[96];
    snprintf(limit, sizeof limit, "its sides are at most %llu pixels",
             (unsigned long long)max_side);
    return too_large(path, format, s, limit);
}

/* The image in `needed` bytes, within the max_bytes that `holder` (what
 * sets the limit: "the BMP format", "stb_image_write") takes; said as the
 * most pixels of these channels it takes (per_pixel bytes each, about). */
static tessel_status check_bytes(const char *path, tessel_file_format format,
                                 const image_shape *s, uint64_t needed, uint64_t per_pixel,
                                 uint64_t max_bytes, const char *holder)
{
    if (needed <= max_bytes) return TESSEL_OK;
    char limit[200];
    snprintf(limit, sizeof limit, "%s takes at most about %llu %s pixels", holder,
             (unsigned long long)(max_bytes / per_pixel), channel_words(s->channels));
    return too_large(path, format, s, limit);
}

/* stb_image_write's buffers: the samples and a byte a pixel. */
static tessel_status check_stb(const char *path, tessel_file_format format,
                               const image_shape *s, uint64_t channels)
{
    uint64_t per_pixel = channels + 1;
    return check_bytes(path, format, s, s->width * s->height * per_pixel, per_pixel,
                       STB_WRITE_MAX_BYTES, "its writer, stb_image_write,");
}

static tessel_status check_bmp(const char *path, const image_shape *s)
{
    if (s->channels != 1) /* stb's writer, grey+alpha expanded to RGBA */
        return check_stb(path, TESSEL_FORMAT_BMP, s, s->channels == 2 ? 4 : s->channels);
    uint64_t row = (s->width + 3) / 4 * 4; /* 8-bit grey with a palette */
    return check_bytes(path, TESSEL_FORMAT_BMP, s, row * s->height + BMP_HEADER_BYTES, 1,
                       BMP_MAX_BYTES, "a BMP file (its size is a 32-bit field)");
}

tessel_status tessel_io_check_writable(const char *path, tessel_file_format format,
                                       const tessel_image *shape)
{
    image_shape s = {(uint64_t)shape->width, (uint64_t)shape->height,
                     (uint64_t)shape->channels};
    switch (format) {
    case TESSEL_FORMAT_PNG: {
        /* tessel's writer deflates the filtered rows in one piece: the
         * samples (2 bytes each at 16 bits) and a filter byte a row */
        uint64_t sample = shape->dtype == TESSEL_U16 ? 2 : 1;
        return check_bytes(path, format, &s, (sample * s.channels * s.width + 1) * s.height,
                           sample * s.channels, tessel_deflate_max_bytes(),
                           "tessel's PNG writer, with this build's deflate,");
    }
    case TESSEL_FORMAT_JPEG:
    case TESSEL_FORMAT_TGA:
        FORWARD_IF_ERROR(check_sides(path, format, &s, SIDE_16_BITS));
        if (format == TESSEL_FORMAT_JPEG && !tessel_jpeg_write_by_stb())
            return TESSEL_OK; /* libjpeg-turbo: sizes its buffers in size_t */
        return check_stb(path, format, &s, s.channels);
    case TESSEL_FORMAT_BMP: return check_bmp(path, &s);
    default: return TESSEL_OK; /* TIFF (BigTIFF), .npy and CSV take any size */
    }
}
