/* TIFF in a build without libtiff: every entry point says so. */
#include "formats.h"

#define NO_TIFF "this build has no TIFF support (tessel was built without libtiff)"

/* path: the file concerned, or NULL for calls on a (never opened) handle. */
static tessel_status no_tiff(const char *path)
{
    if (!path) return tessel_fail(NULL, TESSEL_ERR_UNSUPPORTED, NO_TIFF);
    return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path, NO_TIFF);
}

tessel_status tessel_tiff_read_image(const tessel_io_file *file, tessel_image *out,
                                     tessel_image_metadata *metadata)
{
    (void)out, (void)metadata;
    return no_tiff(file->path);
}

tessel_status tessel_tiff_read_shape(const tessel_io_file *file, tessel_image *shape)
{
    (void)shape;
    return no_tiff(file->path);
}

tessel_status tessel_tiff_write_image(const char *path, const tessel_image *img,
                                      const tessel_write_options *options)
{
    (void)img, (void)options;
    return no_tiff(path);
}

tessel_status tessel_tiff_reader_open(const char *path, tessel_tiff_reader **out_reader)
{
    if (out_reader) *out_reader = NULL;
    return no_tiff(path);
}

tessel_status tessel_tiff_reader_shape(const tessel_tiff_reader *reader, tessel_image *shape)
{
    (void)reader, (void)shape;
    return no_tiff(NULL);
}

tessel_status tessel_tiff_reader_read_rows(tessel_tiff_reader *reader, int y0, tessel_image *dst)
{
    (void)reader, (void)y0, (void)dst;
    return no_tiff(NULL);
}

tessel_status tessel_tiff_reader_metadata(const tessel_tiff_reader *reader,
                                          tessel_image_metadata *metadata)
{
    (void)reader, (void)metadata;
    return no_tiff(NULL);
}

void tessel_tiff_reader_close(tessel_tiff_reader *reader)
{
    (void)reader; /* never anything but NULL: no reader can be opened */
}

tessel_status tessel_tiff_writer_open(const char *path, const tessel_image *shape,
                                      const tessel_write_options *options,
                                      tessel_tiff_writer **out_writer)
{
    (void)shape, (void)options;
    if (out_writer) *out_writer = NULL;
    return no_tiff(path);
}

tessel_status tessel_tiff_writer_write_rows(tessel_tiff_writer *writer, int y0,
                                            const tessel_image *src)
{
    (void)writer, (void)y0, (void)src;
    return no_tiff(NULL);
}

tessel_status tessel_tiff_writer_finish(tessel_tiff_writer *writer)
{
    (void)writer;
    return no_tiff(NULL);
}

void tessel_tiff_writer_abort(tessel_tiff_writer *writer)
{
    (void)writer; /* never anything but NULL: no writer can be opened */
}
