/* Public entry points for writing images and signals: argument checks, the
 * format, and the encoder, inside an atomic file. */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "core/versioned.h"
#include "formats.h"

#define DEFAULT_JPEG_QUALITY 95

tessel_status tessel_write_options_copy(const tessel_write_options *options,
                                        tessel_write_options *out)
{
    static const tessel_struct_kind kind = TESSEL_STRUCT_KIND(tessel_write_options);
    memset(out, 0, sizeof *out); /* defined even on failure */
    return tessel_struct_read(NULL, &kind, options, out);
}

/* A copy of options (NULL = defaults) with the defaults filled in. */
static tessel_status resolve_options(const char *path, const tessel_write_options *options,
                                     tessel_write_options *out)
{
    tessel_write_options o;
    FORWARD_IF_ERROR(tessel_write_options_copy(options, &o));
    if ((unsigned)o.format > TESSEL_FORMAT_TIFF)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path, "unknown file format %d",
                              (int)o.format);
    if (o.quality < 0 || o.quality > 100)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "JPEG quality %d is not 1..100 (0 for the default)", o.quality);
    if (o.quality == 0) o.quality = DEFAULT_JPEG_QUALITY;
    if (o.compression_level < 0 || o.compression_level > 9)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "compression level %d is not 1..9 (0 for the default)",
                              o.compression_level);
    if ((unsigned)o.jpeg_subsampling > TESSEL_JPEG_SUBSAMPLING_420)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "unknown JPEG chroma subsampling %d", (int)o.jpeg_subsampling);
    *out = o;
    return TESSEL_OK;
}

/* The format to write: the one asked for, else the extension's. */
static tessel_status output_format(const char *path, const tessel_write_options *o,
                                   tessel_file_format *format)
{
    *format = o->format != TESSEL_FORMAT_AUTO ? o->format : tessel_format_from_path(path);
    if (*format == TESSEL_FORMAT_AUTO)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "cannot tell the format from the name (use .png, .jpg, .bmp, .tga, "
                              ".tif, .npy or .csv, or name a format)");
    return TESSEL_OK;
}

/* 8-bit formats take a u8 copy; PNG keeps u16 as 16-bit; the JPEG writer
 * converts what it needs itself. */
static tessel_status encode_image(tessel_atomic_file *file, tessel_file_format format,
                                  const tessel_image *img, const tessel_write_options *o)
{
    if (format == TESSEL_FORMAT_NPY) return tessel_npy_write(file, img, 0);
    if (format == TESSEL_FORMAT_CSV) return tessel_csv_write(file, img, NULL, 0);
    if (format == TESSEL_FORMAT_PNG && img->dtype != TESSEL_F32)
        return tessel_png_write(file, img, o);
    if (format == TESSEL_FORMAT_JPEG) return tessel_jpeg_write(file, img, o);
    tessel_image bytes;
    FORWARD_IF_ERROR(tessel_io_packed_u8(file->path, img, &bytes));
    tessel_status status = format == TESSEL_FORMAT_BMP ? tessel_bmp_write(file, &bytes)
                           : format == TESSEL_FORMAT_PNG
                               ? tessel_png_write(file, &bytes, o)
                               : tessel_stb_write(file, format, &bytes, o->quality);
    free(bytes.data);
    return status;
}

/* Opens the atomic file, runs the encoder, and commits only on success. */
static tessel_status write_file(const char *path, tessel_file_format format,
                                const tessel_image *img, const tessel_write_options *o, int signal)
{
    tessel_atomic_file file;
    FORWARD_IF_ERROR(tessel_atomic_open(&file, path, o->overwrite));
    tessel_status status;
    if (signal)
        status = format == TESSEL_FORMAT_NPY ? tessel_npy_write(&file, img, 1)
                                             : tessel_csv_write(&file, img, "value", 1);
    else
        status = encode_image(&file, format, img, o);
    if (status != TESSEL_OK) {
        tessel_atomic_abort(&file);
        return status;
    }
    return tessel_atomic_commit(&file);
}

/* Everything tessel_image_write checks before it opens the file: the
 * image's shape, the options, the format and its size limits. */
static tessel_status plan_write(const char *path, const tessel_image *img, int require_data,
                                const tessel_write_options *options, tessel_write_options *o,
                                tessel_file_format *format)
{
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "output path is NULL");
    FORWARD_IF_ERROR(tessel_io_check_image(path, "output", img, require_data));
    FORWARD_IF_ERROR(resolve_options(path, options, o));
    FORWARD_IF_ERROR(output_format(path, o, format));
    switch (*format) {
    case TESSEL_FORMAT_PNG:
    case TESSEL_FORMAT_JPEG:
    case TESSEL_FORMAT_BMP:
    case TESSEL_FORMAT_TGA:
    case TESSEL_FORMAT_NPY:
    case TESSEL_FORMAT_CSV:
    case TESSEL_FORMAT_TIFF: return tessel_io_check_writable(path, *format, img);
    default:
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path,
                              "writing %s is not supported (png, jpeg, bmp, tga, tiff, npy and "
                              "csv are)",
                              tessel_format_title(*format));
    }
}

tessel_status tessel_image_write_check(const char *path, const tessel_image *shape,
                                       const tessel_write_options *options)
{
    tessel_write_options o;
    tessel_file_format format = TESSEL_FORMAT_AUTO;
    return plan_write(path, shape, 0, options, &o, &format);
}

tessel_status tessel_image_write(const char *path, const tessel_image *img,
                                 const tessel_write_options *options)
{
    tessel_write_options o;
    tessel_file_format format = TESSEL_FORMAT_AUTO;
    FORWARD_IF_ERROR(plan_write(path, img, 1, options, &o, &format));
    if (format != TESSEL_FORMAT_TIFF) return write_file(path, format, img, &o, 0);
    o.format = TESSEL_FORMAT_TIFF; /* libtiff seeks: it writes its own atomic file */
    return tessel_tiff_write_image(path, img, &o);
}

tessel_status tessel_signal_write(const char *path, const tessel_image *signal,
                                  const tessel_write_options *options)
{
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "output path is NULL");
    FORWARD_IF_ERROR(tessel_io_check_image(path, "output", signal, 1));
    if (signal->height != 1 || signal->channels != 1)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, path,
                              "a signal is one row of one channel, not %dx%d with %d channels",
                              signal->width, signal->height, signal->channels);
    tessel_write_options o;
    FORWARD_IF_ERROR(resolve_options(path, options, &o));
    tessel_file_format format = TESSEL_FORMAT_AUTO;
    FORWARD_IF_ERROR(output_format(path, &o, &format));
    if (format != TESSEL_FORMAT_NPY && format != TESSEL_FORMAT_CSV)
        return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path,
                              "a signal is written as .npy or CSV, not %s",
                              tessel_format_title(format));
    return write_file(path, format, signal, &o, 1);
}
