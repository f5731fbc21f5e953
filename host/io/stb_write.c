/* TGA, colour BMP (bmp_write.c) and, in builds without libjpeg-turbo, JPEG
 * through stb_image_write, and its deflate for the PNG writer in builds
 * without libdeflate (deflate_missing.c). stb_image_write's implementation
 * is compiled here and only here, with static linkage. */
#include <limits.h>

#include "formats.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO /* output goes through tessel's atomic files */
#include "stb_quiet_begin.h"
#include <stb/stb_image_write.h>
#include "stb_quiet_end.h"

static void write_callback(void *context, void *data, int size)
{
    if (size > 0) tessel_atomic_write(context, data, (size_t)size);
}

unsigned char *tessel_zlib_compress(unsigned char *data, int size, int *out_size)
{
    return stbi_zlib_compress(data, size, out_size, 8);
}

tessel_status tessel_stb_write(tessel_atomic_file *file, tessel_file_format format,
                               const tessel_image *img, int quality)
{
    /* the size is within stb's int buffers: tessel_io_check_writable */
    int w = img->width, h = img->height, c = img->channels;
    int ok = 0;
    switch (format) {
    case TESSEL_FORMAT_JPEG:
        ok = stbi_write_jpg_to_func(write_callback, file, w, h, c, img->data, quality);
        break;
    case TESSEL_FORMAT_BMP:
        ok = stbi_write_bmp_to_func(write_callback, file, w, h, c, img->data);
        break;
    case TESSEL_FORMAT_TGA:
        ok = stbi_write_tga_to_func(write_callback, file, w, h, c, img->data);
        break;
    default:
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, file->path, "stb cannot write %s",
                              tessel_format_title(format));
    }
    if (!ok)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path,
                              "the %s encoder failed (out of memory)", tessel_format_title(format));
    return TESSEL_OK;
}
