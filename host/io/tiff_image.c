/* Whole TIFF images through the band reader and writer: one band that is
 * the whole image. */
#include <stdlib.h>

#include "formats.h"
#include "tiff_reader.h"

/* The reader checked what the file can hold; read whole, the image must
 * also be within the whole-image limit. */
static tessel_status check_size(const tessel_io_file *file, const tessel_tiff_layout *l)
{
    if ((uint64_t)l->width * (uint64_t)l->height > TESSEL_IO_MAX_PIXELS)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                              "TIFF of %dx%d is over the limit of " TESSEL_IO_MAX_PIXELS_TEXT
                              " pixels read whole; read it by bands (tessel_tiff_reader)",
                              l->width, l->height);
    return tessel_io_check_claim(file->path, "TIFF", (uint64_t)l->width, (uint64_t)l->height,
                                 file->size, 1);
}

tessel_status tessel_tiff_read_shape(const tessel_io_file *file, tessel_image *shape)
{
    tessel_tiff_reader *reader;
    FORWARD_IF_ERROR(tessel_tiff_reader_open_file(file, &reader));
    tessel_status status = check_size(file, &reader->layout);
    if (status == TESSEL_OK) status = tessel_tiff_reader_shape(reader, shape);
    tessel_tiff_reader_close(reader);
    return status;
}

tessel_status tessel_tiff_read_image(const tessel_io_file *file, tessel_image *out,
                                     tessel_image_metadata *metadata)
{
    tessel_tiff_reader *reader;
    FORWARD_IF_ERROR(tessel_tiff_reader_open_file(file, &reader));
    const tessel_tiff_layout *l = &reader->layout;
    tessel_image img = {0};
    tessel_status status = check_size(file, l);
    if (status == TESSEL_OK)
        status = tessel_io_image_alloc(file->path, l->width, l->height, l->channels, l->dtype,
                                       &img);
    if (status == TESSEL_OK) status = tessel_tiff_reader_read_rows(reader, 0, &img);
    if (status == TESSEL_OK) status = tessel_tiff_reader_metadata(reader, metadata);
    tessel_tiff_reader_close(reader);
    if (status != TESSEL_OK) {
        free(img.data);
        return status;
    }
    *out = img;
    return TESSEL_OK;
}

tessel_status tessel_tiff_write_image(const char *path, const tessel_image *img,
                                      const tessel_write_options *options)
{
    tessel_tiff_writer *writer;
    FORWARD_IF_ERROR(tessel_tiff_writer_open(path, img, options, &writer));
    tessel_status status = tessel_tiff_writer_write_rows(writer, 0, img);
    if (status != TESSEL_OK) {
        tessel_tiff_writer_abort(writer);
        return status;
    }
    return tessel_tiff_writer_finish(writer);
}
