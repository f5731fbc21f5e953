/* The TIFF band reader: opening, checking, the public calls. Strips and
 * tiles are read by tiff_strips.c and tiff_tiles.c. */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/sizes.h"
#include "formats.h"
#include "tiff_reader.h"

/* ---------------------------------------------------------- opening */

tessel_status tessel_tiff_allocate(const tessel_tiff_reader *r, unsigned char **buf, uint64_t n,
                                   const char *what)
{
    *buf = n <= SIZE_MAX ? malloc((size_t)n) : NULL;
    if (*buf) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, r->path, "out of memory for %s of %llu bytes",
                          what, (unsigned long long)n);
}

static tessel_status allocate_buffers(tessel_tiff_reader *r)
{
    const tessel_tiff_layout *l = &r->layout;
    r->pixel_bytes = (size_t)l->channels * tessel_dtype_size(l->dtype);
    size_t bytes;
    if (!tessel_size_product((size_t)l->width, r->pixel_bytes, 2, &bytes))
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, r->path,
                              "TIFF rows of %d pixels do not fit in memory", l->width);
    r->row_bytes = (size_t)l->width * r->pixel_bytes;
    return l->tiled ? tessel_tiff_tiles_prepare(r) : tessel_tiff_strips_prepare(r);
}

/* The message tessel_image_read gives for a file that does not start like
 * a TIFF, rather than libtiff's. */
static tessel_status check_signature(const tessel_tiff_reader *r)
{
    unsigned char head[4] = {0};
    size_t n = r->file.size < sizeof head ? (size_t)r->file.size : sizeof head;
    FORWARD_IF_ERROR(tessel_io_file_read(&r->file, 0, head, n));
    if (tessel_format_sniff(head, n) == TESSEL_FORMAT_TIFF) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_FORMAT, r->path,
                          "not a TIFF file: its contents do not start like one");
}

static tessel_status start(tessel_tiff_reader *r)
{
    FORWARD_IF_ERROR(check_signature(r));
    FORWARD_IF_ERROR(tessel_tiff_handle_open(&r->handle, r->path, r->file.fd, "rm"));
    FORWARD_IF_ERROR(tessel_tiff_read_layout(&r->handle, &r->layout));
    FORWARD_IF_ERROR(tessel_io_check_claim(r->path, "TIFF", (uint64_t)r->layout.width,
                                           (uint64_t)r->layout.height, r->file.size, 0));
    return allocate_buffers(r);
}

/* A reader with its own copy of path; file may be NULL (opened here). */
static tessel_status reader_new(const char *path, const tessel_io_file *file,
                                tessel_tiff_reader **out)
{
    *out = NULL;
    tessel_tiff_reader *r = calloc(1, sizeof *r);
    size_t length = strlen(path) + 1;
    char *copy = malloc(length);
    if (!r || !copy) {
        free(r);
        free(copy);
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    }
    r->path = memcpy(copy, path, length);
    r->file.fd = -1;
    tessel_status status = TESSEL_OK;
    if (file) {
        r->file = *file;
        r->file.path = r->path;
    } else {
        status = tessel_io_file_open(&r->file, r->path);
        r->owns_file = status == TESSEL_OK;
    }
    if (status == TESSEL_OK) status = start(r);
    if (status != TESSEL_OK) {
        tessel_tiff_reader_close(r);
        return status;
    }
    *out = r;
    return TESSEL_OK;
}

tessel_status tessel_tiff_reader_open_file(const tessel_io_file *file, tessel_tiff_reader **out)
{
    return reader_new(file->path, file, out);
}

tessel_status tessel_tiff_reader_open(const char *path, tessel_tiff_reader **out_reader)
{
    RETURN_ERROR_IF(!out_reader, NULL, TESSEL_ERR_NULL_POINTER, "output reader is NULL");
    *out_reader = NULL;
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "input path is NULL");
    return reader_new(path, NULL, out_reader);
}

tessel_status tessel_tiff_reader_shape(const tessel_tiff_reader *reader, tessel_image *shape)
{
    RETURN_ERROR_IF(!reader, NULL, TESSEL_ERR_NULL_POINTER, "TIFF reader is NULL");
    RETURN_ERROR_IF(!shape, NULL, TESSEL_ERR_NULL_POINTER, "output shape is NULL");
    const tessel_tiff_layout *l = &reader->layout;
    *shape = tessel_image_view(NULL, l->width, l->height, l->channels, l->dtype);
    return TESSEL_OK;
}

/* ------------------------------------------------------- public calls */

static tessel_status check_band(const tessel_tiff_reader *r, int y0, const tessel_image *dst)
{
    FORWARD_IF_ERROR(tessel_io_check_image(r->path, "destination", dst, 1));
    const tessel_tiff_layout *l = &r->layout;
    if (dst->width != l->width || dst->channels != l->channels || dst->dtype != l->dtype)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, r->path,
                              "destination rows are %d wide with %d channels of %s; the TIFF's "
                              "are %d wide with %d channels of %s",
                              dst->width, dst->channels, tessel_dtype_name(dst->dtype), l->width,
                              l->channels, tessel_dtype_name(l->dtype));
    if (y0 < 0 || (int64_t)y0 + dst->height > l->height)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, r->path,
                              "rows %d to %lld are not all inside the image's %d rows", y0,
                              (long long)y0 + dst->height - 1, l->height);
    return TESSEL_OK;
}

tessel_status tessel_tiff_reader_read_rows(tessel_tiff_reader *reader, int y0, tessel_image *dst)
{
    RETURN_ERROR_IF(!reader, NULL, TESSEL_ERR_NULL_POINTER, "TIFF reader is NULL");
    FORWARD_IF_ERROR(check_band(reader, y0, dst));
    return reader->layout.tiled ? tessel_tiff_tiles_read(reader, y0, dst)
                                : tessel_tiff_strips_read(reader, y0, dst);
}

void tessel_tiff_reader_close(tessel_tiff_reader *reader)
{
    if (!reader) return;
    tessel_tiff_handle_close(&reader->handle);
    if (reader->owns_file) tessel_io_file_close(&reader->file);
    free(reader->scanline);
    free(reader->recent);
    free(reader->tile);
    free(reader->band);
    free(reader->path);
    free(reader);
}
