/* The readers and writers of each file format, and how a format is told
 * from a file's first bytes. */
#ifndef TESSEL_IO_FORMATS_H
#define TESSEL_IO_FORMATS_H

#include "core/atomic_file.h"
#include "io.h"

/* Bytes of a file's start that tessel_format_sniff looks at. */
#define TESSEL_SNIFF_BYTES 512

/* The format whose signature starts head (n bytes), or AUTO when none does. */
tessel_file_format tessel_format_sniff(const unsigned char *head, size_t n);
/* 1 when head has no NUL byte nor other control characters than tab, CR
 * and LF: text, so possibly CSV. */
int tessel_format_is_text(const unsigned char *head, size_t n);
/* Upper-case name for messages: "PNG", "JPEG", ... */
const char *tessel_format_title(tessel_file_format format);

/* ----------------------------------------------------------------- readers */

/* Decodes a raster file held in memory (PNG, JPEG, BMP, TGA, GIF, PNM,
 * HDR): the checks below, then the library that serves the format in this
 * build (decode.c). The entry point for readers of memory buffers (the
 * fuzz harnesses among them). options: resolved, or NULL for the defaults;
 * metadata: NULL, or cleared here and filled on success (free it with
 * tessel_image_metadata_free); path names the data in messages. */
tessel_status tessel_decode_raster(const char *path, tessel_file_format format,
                                   const unsigned char *bytes, size_t size,
                                   const tessel_read_options *options, tessel_image *out,
                                   tessel_image_metadata *metadata);

/* PNG, JPEG, BMP, TGA, GIF, PNM and HDR through stb_image, after the checks
 * below; bytes is the whole file. */
tessel_status tessel_stb_read(const char *path, tessel_file_format format,
                              const unsigned char *bytes, size_t size, tessel_image *out);

/* The shape stb_image would decode, data NULL, from the header, after the
 * checks below (which read the whole file). */
tessel_status tessel_stb_read_shape(const tessel_io_file *file, tessel_file_format format,
                                    tessel_image *shape);

/* What a header says, read before stb_image sees the file. */
typedef struct tessel_raster_facts {
    uint64_t width, height;
    int grey_palette; /* BMP, GIF: every entry of the palette used is grey */
} tessel_raster_facts;

/* JPEG and PNG, after the checks below: through libjpeg-turbo (jpeg_read.c)
 * and libspng (png_read.c), or stb_image in builds without them
 * (jpeg_missing.c, png_read_missing.c). */
tessel_status tessel_jpeg_read(const char *path, const unsigned char *b, size_t n,
                               const tessel_read_options *options, tessel_image *out,
                               tessel_image_metadata *metadata);
tessel_status tessel_png_read(const char *path, const unsigned char *b, size_t n,
                              tessel_image *out, tessel_image_metadata *metadata);

/* The structural check of format (one of those below), then the size it
 * claims against the limits and against what n bytes can hold
 * (check_raster.c). */
tessel_status tessel_check_raster(const char *path, tessel_file_format format,
                                  const unsigned char *b, size_t n, tessel_raster_facts *facts);

/* Structural checks stb_image does not make: each reads the size from the
 * header and fails on a truncated or lying file with a message, before
 * anything is decoded. */
tessel_status tessel_check_png(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);
tessel_status tessel_check_bmp(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);
tessel_status tessel_check_tga(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);
tessel_status tessel_check_pnm(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);
tessel_status tessel_check_jpeg(const char *path, const unsigned char *b, size_t n,
                                tessel_raster_facts *facts);
tessel_status tessel_check_gif(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);
tessel_status tessel_check_hdr(const char *path, const unsigned char *b, size_t n,
                               tessel_raster_facts *facts);

tessel_status tessel_npy_read_image(const tessel_io_file *file, tessel_image *out);
/* What tessel_npy_read_image would give, data NULL, from the header. */
tessel_status tessel_npy_read_shape(const tessel_io_file *file, tessel_image *shape);
/* column: NULL, or a 0-based index of a 2-D array's column. */
tessel_status tessel_npy_read_signal(const tessel_io_file *file, const char *column,
                                     tessel_image *out);

tessel_status tessel_csv_read_image(const char *path, const char *text, size_t size,
                                    tessel_image *out);
tessel_status tessel_csv_read_signal(const char *path, const char *text, size_t size,
                                     const char *column, tessel_image *out);
/* The first image of a TIFF, whole, and its metadata (tiff_image.c;
 * tiff_missing.c without libtiff). */
tessel_status tessel_tiff_read_image(const tessel_io_file *file, tessel_image *out,
                                     tessel_image_metadata *metadata);
/* Its shape, data NULL, with the checks of a whole read. */
tessel_status tessel_tiff_read_shape(const tessel_io_file *file, tessel_image *shape);

/* ----------------------------------------------------------------- writers */

/* A copy of options (NULL = all defaults, zeros); a caller built against an
 * older, shorter struct has only its fields read (image_write.c). */
tessel_status tessel_write_options_copy(const tessel_write_options *options,
                                        tessel_write_options *out);

/* The format's limits for an image of shape's size, channels and dtype,
 * in terms of the image (write_limits.c): checked before anything is
 * encoded, so the encoders need not check again. */
tessel_status tessel_io_check_writable(const char *path, tessel_file_format format,
                                       const tessel_image *shape);

/* A packed u8 copy of img for an 8-bit format (free its data with free()):
 * u16 saturates at 255, f32 rounds to nearest and saturates, NaN gives 0. */
tessel_status tessel_io_packed_u8(const char *path, const tessel_image *img, tessel_image *out);

/* JPEG (quality 1..100; in builds without libjpeg-turbo), colour BMP and
 * TGA through stb_image_write; img is packed u8. */
tessel_status tessel_stb_write(tessel_atomic_file *file, tessel_file_format format,
                               const tessel_image *img, int quality);
/* stb_image_write's deflate: a malloc'ed zlib stream, NULL when out of memory
 * (the PNG writer's deflate without libdeflate, deflate_missing.c). */
unsigned char *tessel_zlib_compress(unsigned char *data, int size, int *out_size);

/* PNG of a u8 or u16 image (any stride), compressed at o->compression_level,
 * with o->metadata's profile and resolution (png_write.c). */
tessel_status tessel_png_write(tessel_atomic_file *file, const tessel_image *img,
                               const tessel_write_options *o);
/* JPEG of an image of any type and stride, at o->quality: through
 * libjpeg-turbo with o->jpeg_subsampling and o->metadata (jpeg_write.c), or
 * stb_image_write in builds without it (jpeg_missing.c). */
tessel_status tessel_jpeg_write(tessel_atomic_file *file, const tessel_image *img,
                                const tessel_write_options *o);
/* 1 when that writer is stb_image_write (jpeg_missing.c), whose int-sized
 * buffers limit the image (write_limits.c); 0 for libjpeg-turbo's. */
int tessel_jpeg_write_by_stb(void);
/* BMP of a packed u8 image: 8-bit grey with a grey palette for 1 channel,
 * 24-bit for 3, 32-bit with alpha for 2 (grey expanded) and 4. */
tessel_status tessel_bmp_write(tessel_atomic_file *file, const tessel_image *img);

/* shape_1d: write shape (width,) instead of (height, width[, channels]). */
tessel_status tessel_npy_write(tessel_atomic_file *file, const tessel_image *img, int shape_1d);
/* A TIFF of img's dtype, options already resolved (tiff_image.c). */
tessel_status tessel_tiff_write_image(const char *path, const tessel_image *img,
                                      const tessel_write_options *options);
/* One line per row, channels interleaved; header_line (may be NULL) first. */
tessel_status tessel_csv_write(tessel_atomic_file *file, const tessel_image *img,
                               const char *header_line, int one_per_line);

#endif
