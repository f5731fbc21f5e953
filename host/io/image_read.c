/* Public entry points for reading: images and arrays, signals, and freeing
 * what they return. The format comes from the file's contents; the
 * extension only decides for TGA (which has no signature) and for text. */
#include <stdlib.h>
#include <string.h>

#include "core/versioned.h"
#include "formats.h"

static tessel_status unrecognised(const char *path, tessel_file_format extension)
{
    if (extension == TESSEL_FORMAT_CSV)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "not a text file (it holds binary data)");
    if (extension != TESSEL_FORMAT_AUTO)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "not a %s file: its contents do not start like one",
                              tessel_format_title(extension));
    return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                          "unrecognised file format (not PNG, JPEG, BMP, GIF, PNM, HDR, TIFF, "
                          ".npy, TGA by its extension, or text)");
}

static tessel_status detect(const tessel_io_file *file, tessel_file_format *format)
{
    unsigned char head[TESSEL_SNIFF_BYTES];
    size_t n = file->size < sizeof head ? (size_t)file->size : sizeof head;
    FORWARD_IF_ERROR(tessel_io_file_read(file, 0, head, n));
    tessel_file_format extension = tessel_format_from_path(file->path);
    *format = tessel_format_sniff(head, n);
    if (*format != TESSEL_FORMAT_AUTO) return TESSEL_OK;
    if (extension == TESSEL_FORMAT_TGA) { /* TGA has no signature */
        *format = TESSEL_FORMAT_TGA;
        return TESSEL_OK;
    }
    int text_name = extension == TESSEL_FORMAT_AUTO || extension == TESSEL_FORMAT_CSV;
    if (text_name && tessel_format_is_text(head, n)) {
        *format = TESSEL_FORMAT_CSV;
        return TESSEL_OK;
    }
    return unrecognised(file->path, extension);
}

static tessel_status read_image(const tessel_io_file *file, tessel_file_format format,
                                const tessel_read_options *options, tessel_image *out,
                                tessel_image_metadata *metadata)
{
    if (format == TESSEL_FORMAT_NPY) return tessel_npy_read_image(file, out);
    if (format == TESSEL_FORMAT_TIFF) return tessel_tiff_read_image(file, out, metadata);
    unsigned char *bytes;
    FORWARD_IF_ERROR(tessel_io_file_read_all(file, &bytes));
    size_t size = (size_t)file->size;
    tessel_status status =
        format == TESSEL_FORMAT_CSV
            ? tessel_csv_read_image(file->path, (const char *)bytes, size, out)
            : tessel_decode_raster(file->path, format, bytes, size, options, out, metadata);
    free(bytes);
    return status;
}

static tessel_status read_signal(const tessel_io_file *file, tessel_file_format format,
                                 const char *column, tessel_image *out)
{
    if (format == TESSEL_FORMAT_NPY) return tessel_npy_read_signal(file, column, out);
    if (format != TESSEL_FORMAT_CSV)
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, file->path,
                              "is a %s image; signals are read from .npy or CSV/text files",
                              tessel_format_title(format));
    unsigned char *bytes;
    FORWARD_IF_ERROR(tessel_io_file_read_all(file, &bytes));
    tessel_status status =
        tessel_csv_read_signal(file->path, (const char *)bytes, (size_t)file->size, column, out);
    free(bytes);
    return status;
}

tessel_status tessel_image_read_ex(const char *path, const tessel_read_options *options,
                                   tessel_image *out, tessel_image_metadata *metadata)
{
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "input path is NULL");
    RETURN_ERROR_IF(!out, NULL, TESSEL_ERR_NULL_POINTER, "output image is NULL");
    static const tessel_struct_kind kind = TESSEL_STRUCT_KIND(tessel_read_options);
    tessel_read_options o;
    FORWARD_IF_ERROR(tessel_struct_read(NULL, &kind, options, &o));
    tessel_image_metadata kept = {0};
    tessel_io_file file;
    FORWARD_IF_ERROR(tessel_io_file_open(&file, path));
    tessel_file_format format;
    tessel_status status = detect(&file, &format);
    if (status == TESSEL_OK) status = read_image(&file, format, &o, out, &kept);
    tessel_io_file_close(&file);
    if (metadata && status == TESSEL_OK)
        *metadata = kept;
    else
        tessel_image_metadata_free(&kept);
    return status;
}

tessel_status tessel_image_read(const char *path, tessel_image *out)
{
    return tessel_image_read_ex(path, NULL, out, NULL);
}

/* The shape read_image would give, from the header; CSV is read whole. */
static tessel_status read_shape(const tessel_io_file *file, tessel_file_format format,
                                tessel_image *shape)
{
    if (format == TESSEL_FORMAT_NPY) return tessel_npy_read_shape(file, shape);
    if (format == TESSEL_FORMAT_TIFF) return tessel_tiff_read_shape(file, shape);
    if (format != TESSEL_FORMAT_CSV) return tessel_stb_read_shape(file, format, shape);
    tessel_image img;
    FORWARD_IF_ERROR(read_image(file, format, NULL, &img, NULL));
    free(img.data);
    *shape = tessel_image_view(NULL, img.width, img.height, img.channels, img.dtype);
    return TESSEL_OK;
}

tessel_status tessel_image_info(const char *path, tessel_image *shape)
{
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "input path is NULL");
    RETURN_ERROR_IF(!shape, NULL, TESSEL_ERR_NULL_POINTER, "output shape is NULL");
    tessel_io_file file;
    FORWARD_IF_ERROR(tessel_io_file_open(&file, path));
    tessel_file_format format;
    tessel_status status = detect(&file, &format);
    if (status == TESSEL_OK) status = read_shape(&file, format, shape);
    tessel_io_file_close(&file);
    return status;
}

tessel_status tessel_signal_read(const char *path, const char *column, tessel_image *out)
{
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "input path is NULL");
    RETURN_ERROR_IF(!out, NULL, TESSEL_ERR_NULL_POINTER, "output signal is NULL");
    tessel_io_file file;
    FORWARD_IF_ERROR(tessel_io_file_open(&file, path));
    tessel_file_format format;
    tessel_status status = detect(&file, &format);
    if (status == TESSEL_OK) status = read_signal(&file, format, column, out);
    tessel_io_file_close(&file);
    return status;
}

void tessel_image_free(tessel_image *image)
{
    if (!image) return;
    free(image->data);
    memset(image, 0, sizeof *image);
}
