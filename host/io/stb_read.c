/* Images through stb_image: PNG (8/16-bit), JPEG, BMP, TGA, GIF (first
 * frame), PNM (8/16-bit) and HDR. stb_image's implementation is compiled
 * here and only here, with static linkage, so nothing of it is visible
 * outside libtessel. Only the formats tessel reads are compiled in. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "metadata.h"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_NO_STDIO /* files are read by tessel, stb decodes memory */
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_GIF
#define STBI_ONLY_PNM
#define STBI_ONLY_HDR
#include "stb_quiet_begin.h"
#include <stb/stb_image.h>
#include "stb_quiet_end.h"

/* stb_image's reason for the last failure on this thread, or NULL. Since
 * 2.24 stb keeps it per thread; an older stb has one for the whole
 * process, which other threads overwrite, so its text is not used. The
 * structure was checked before decoding (check_*.c), so what stb reports
 * is about the compressed data, in its own terse words. */
static const char *stb_reason(void)
{
#ifdef STBI_THREAD_LOCAL
    return stbi_failure_reason();
#else
    return NULL;
#endif
}

static tessel_status fail_stb(const char *path, tessel_file_format format)
{
    const char *reason = stb_reason();
    if (reason && strcmp(reason, "outofmem") == 0)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory decoding the %s",
                              tessel_format_title(format));
    if (reason && strcmp(reason, "outofdata") == 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "corrupt %s: its compressed data ends early",
                              tessel_format_title(format));
    if (reason && reason[0])
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "corrupt or unsupported %s: its data does not decode (%s)",
                              tessel_format_title(format), reason);
    return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                          "corrupt or unsupported %s: its data does not decode",
                          tessel_format_title(format));
}

/* stb reads the size again from the header: where it reads another size
 * than tessel's check did (a header each reads its own way), the file is
 * refused rather than trusted one way. 1 when they agree; else 0 after a
 * message. */
static int same_size(const char *path, tessel_file_format format,
                     const tessel_raster_facts *facts, int w, int h)
{
    if ((uint64_t)w == facts->width && (uint64_t)h == facts->height) return 1;
    tessel_io_fail(TESSEL_ERR_FORMAT, path,
                   "corrupt %s: its header says %llux%llu pixels one way and %dx%d another",
                   tessel_format_title(format), (unsigned long long)facts->width,
                   (unsigned long long)facts->height, w, h);
    return 0;
}

/* stb gives every GIF four channels; a frame without transparent pixels
 * has none to carry, so it becomes RGB. */
static void drop_opaque_alpha(tessel_image *img)
{
    unsigned char *p = img->data;
    size_t pixels = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < pixels; ++i)
        if (p[4 * i + 3] != 255) return;
    for (size_t i = 0; i < pixels; ++i) memmove(p + 3 * i, p + 4 * i, 3);
    img->channels = 3;
}

/* A BMP or GIF whose palette is all grey is a grey image; stb gives it
 * as RGB. */
static void keep_first_channel(tessel_image *img)
{
    unsigned char *p = img->data;
    size_t pixels = (size_t)img->width * (size_t)img->height;
    for (size_t i = 0; i < pixels; ++i) p[i] = p[3 * i];
    img->channels = 1;
}

tessel_status tessel_stb_read(const char *path, tessel_file_format format,
                              const unsigned char *bytes, size_t size, tessel_image *out)
{
    if (size > INT_MAX)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "%s files over 2 GiB are not supported",
                              tessel_format_title(format));
    tessel_raster_facts facts;
    FORWARD_IF_ERROR(tessel_check_raster(path, format, bytes, size, &facts));
    int w, h, c, len = (int)size;
    void *data;
    tessel_dtype dtype = TESSEL_U8;
    if (format == TESSEL_FORMAT_HDR) {
        data = stbi_loadf_from_memory(bytes, len, &w, &h, &c, 0);
        dtype = TESSEL_F32;
    } else if (stbi_is_16_bit_from_memory(bytes, len)) {
        data = stbi_load_16_from_memory(bytes, len, &w, &h, &c, 0);
        dtype = TESSEL_U16;
    } else {
        data = stbi_load_from_memory(bytes, len, &w, &h, &c, 0);
    }
    if (!data) return fail_stb(path, format);
    if (!same_size(path, format, &facts, w, h)) {
        stbi_image_free(data);
        return TESSEL_ERR_FORMAT;
    }
    *out = tessel_image_view(data, w, h, c, dtype);
    if (format == TESSEL_FORMAT_GIF && out->channels == 4) drop_opaque_alpha(out);
    if (facts.grey_palette && out->channels == 3) keep_first_channel(out);
    return TESSEL_OK;
}

/* A JPEG's shape as a default read gives it: turned upright by its EXIF
 * orientation (5..8 swap the sides), CMYK converted to RGB. */
static tessel_status jpeg_as_read(const char *path, const unsigned char *bytes, size_t size,
                                  tessel_image *shape)
{
    tessel_image_metadata metadata;
    FORWARD_IF_ERROR(tessel_jpeg_read_metadata(path, bytes, size, &metadata));
    if (metadata.orientation >= 5) {
        int w = shape->width;
        shape->width = shape->height;
        shape->height = w;
    }
    tessel_image_metadata_free(&metadata);
    if (shape->channels == 4) shape->channels = 3;
    return TESSEL_OK;
}

/* The shape a default read gives, from the header, once tessel's checks
 * passed: stb's own header parsing has the flaws they guard against (a
 * JPEG Huffman table that writes past stb's), so it never sees a file
 * they refuse. The checks need the whole file; the pixels stay encoded. */
tessel_status tessel_stb_read_shape(const tessel_io_file *file, tessel_file_format format,
                                    tessel_image *shape)
{
    if (file->size > INT_MAX)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                              "%s files over 2 GiB are not supported", tessel_format_title(format));
    unsigned char *bytes;
    FORWARD_IF_ERROR(tessel_io_file_read_all(file, &bytes));
    size_t size = (size_t)file->size;
    tessel_raster_facts facts;
    tessel_status status = tessel_check_raster(file->path, format, bytes, size, &facts);
    int w, h, c, len = (int)size;
    if (status == TESSEL_OK && !stbi_info_from_memory(bytes, len, &w, &h, &c))
        status = fail_stb(file->path, format);
    if (status == TESSEL_OK && !same_size(file->path, format, &facts, w, h))
        status = TESSEL_ERR_FORMAT;
    if (status == TESSEL_OK) {
        tessel_dtype dtype = format == TESSEL_FORMAT_HDR               ? TESSEL_F32
                             : stbi_is_16_bit_from_memory(bytes, len) ? TESSEL_U16
                                                                      : TESSEL_U8;
        *shape = tessel_image_view(NULL, w, h, c, dtype);
        if (format == TESSEL_FORMAT_JPEG) status = jpeg_as_read(file->path, bytes, size, shape);
    }
    free(bytes);
    return status;
}
