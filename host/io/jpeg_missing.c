/* JPEG in a build without libjpeg-turbo (jpeg_read.c and jpeg_write.c when
 * it has it): stb_image decodes, within a few levels of libjpeg-turbo's
 * pixels, and stb_image_write encodes 8-bit colour at the quality asked
 * (its own subsampling, no metadata). The metadata and the EXIF
 * orientation are read as with libjpeg-turbo. */
#include <stdlib.h>

#include "formats.h"
#include "metadata.h"

tessel_status tessel_jpeg_read(const char *path, const unsigned char *b, size_t n,
                               const tessel_read_options *options, tessel_image *out,
                               tessel_image_metadata *metadata)
{
    FORWARD_IF_ERROR(tessel_stb_read(path, TESSEL_FORMAT_JPEG, b, n, out));
    tessel_status status = tessel_jpeg_read_metadata(path, b, n, metadata);
    if (status == TESSEL_OK && !options->keep_orientation)
        status = tessel_orient_upright(path, out, metadata->orientation);
    if (status != TESSEL_OK) {
        tessel_image_free(out);
        tessel_image_metadata_free(metadata);
    }
    return status;
}

int tessel_jpeg_write_by_stb(void)
{
    return 1;
}

tessel_status tessel_jpeg_write(tessel_atomic_file *file, const tessel_image *img,
                                const tessel_write_options *o)
{
    tessel_image bytes;
    FORWARD_IF_ERROR(tessel_io_packed_u8(file->path, img, &bytes));
    tessel_status status = tessel_stb_write(file, TESSEL_FORMAT_JPEG, &bytes, o->quality);
    free(bytes.data);
    return status;
}
