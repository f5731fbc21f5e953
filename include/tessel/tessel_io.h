/*
 * tessel — reading and writing images, arrays and signals.
 *
 * Readers validate every size against the file's length and against
 * overflow before allocating; corrupt, truncated or lying files give
 * TESSEL_ERR_FORMAT with a message naming the file and the problem.
 * Writers write to a temporary file beside the target and rename it into
 * place only when everything was written, so a failure never leaves a
 * partial file. Messages are available from tessel_last_error().
 *
 * Thread safety: every function may be called from several threads at once
 * on different files.
 */
#ifndef TESSEL_TESSEL_IO_H
#define TESSEL_TESSEL_IO_H

#include "tessel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tessel_file_format {
    TESSEL_FORMAT_AUTO = 0, /* from the file's contents (read) or extension (write) */
    TESSEL_FORMAT_PNG = 1,  /* read 8/16-bit; write u8 (8-bit) and u16 (16-bit) */
    TESSEL_FORMAT_JPEG = 2, /* read (grey, colour, CMYK as RGB); write 8-bit (quality and
                               subsampling options): grey as a grey JPEG (as three equal
                               channels in builds without libjpeg-turbo), alpha dropped */
    TESSEL_FORMAT_BMP = 3,  /* read; write 8-bit (grey with a grey palette; grey+alpha
                               as RGBA) */
    TESSEL_FORMAT_TGA = 4,  /* read; write 8-bit */
    TESSEL_FORMAT_GIF = 5,  /* read (first frame) */
    TESSEL_FORMAT_PNM = 6,  /* read (PGM/PPM, 8/16-bit) */
    TESSEL_FORMAT_HDR = 7,  /* read (Radiance, as f32) */
    TESSEL_FORMAT_NPY = 8,  /* read u8/u16/f32/f64 (f64 -> f32); write u8/u16/f32 */
    TESSEL_FORMAT_CSV = 9,  /* read matrices and columns; write matrices and signals */
    TESSEL_FORMAT_TIFF = 10 /* read and write u8/u16/f32 through libtiff (see below) */
} tessel_file_format;

/* "png", "jpeg", ... ("auto" for AUTO, "invalid" otherwise). */
TESSEL_API const char *tessel_format_name(tessel_file_format format);
/* The format a path's extension names (case-insensitive: .png .jpg .jpeg
 * .bmp .tga .gif .pgm .ppm .pnm .hdr .npy .csv .txt .tif .tiff), or AUTO if none. */
TESSEL_API tessel_file_format tessel_format_from_path(const char *path);

/*
 * Reads an image or 2-D/3-D array. On success *out owns freshly allocated,
 * packed data (free it with tessel_image_free): 8-bit files give u8, 16-bit
 * PNG/PNM give u16, HDR gives f32, .npy keeps u8/u16/f32 (f64 becomes f32;
 * shapes (H,W) or (H,W,C) with C 1..4; a 1-D array is one row), TIFF keeps
 * u8/u16/f32 (f64 becomes f32; see the TIFF section below), CSV/text
 * gives an f32 matrix (one row per line; commas, semicolons, tabs or spaces;
 * a first line without a single number in it is a header and skipped;
 * any other cell that is not a number is an error naming its line and
 * column, as is a row with another column count). Grey stays
 * grey (1 channel), grey+alpha 2, RGB 3, RGBA 4 (a palette image whose
 * palette is all grey reads as grey). PNG and JPEG pixels are those
 * OpenCV's cv2.imread gives (in RGB order): palettes expanded (with alpha
 * when they have transparency), a tRNS colour key as alpha, CMYK JPEGs as
 * RGB, and a JPEG's EXIF orientation applied (tessel_image_read_ex can keep
 * the stored pixels). Sizes are capped at 2^31 pixels. On failure *out is
 * left untouched.
 */
TESSEL_API tessel_status tessel_image_read(const char *path, tessel_image *out);

/* Frees data allocated by tessel_image_read or tessel_signal_read and
 * clears the view. Accepts NULL and an already freed (zeroed) view. */
TESSEL_API void tessel_image_free(tessel_image *image);

/* The unit of a resolution: TIFF's ResolutionUnit, JFIF's density units;
 * PNG's pHYs (pixels per metre) reads as pixels per centimetre. */
typedef enum tessel_resolution_unit {
    TESSEL_RESOLUTION_NONE = 0,      /* the file states no resolution */
    TESSEL_RESOLUTION_ASPECT = 1,    /* only the pixels' aspect ratio, x : y */
    TESSEL_RESOLUTION_INCH = 2,      /* pixels per inch */
    TESSEL_RESOLUTION_CENTIMETRE = 3 /* pixels per centimetre */
} tessel_resolution_unit;

/* What a file says about its pixels, besides the pixels: read from PNG
 * (iCCP, pHYs), JPEG (APP2 ICC_PROFILE, JFIF density, EXIF orientation) and
 * TIFF (ICC profile, resolution tags), and written to those formats when a
 * writer is given it, so a filter carries them from input to output. */
typedef struct tessel_image_metadata {
    unsigned char *icc_profile; /* the ICC profile's bytes (malloc), or NULL */
    size_t icc_size;
    tessel_resolution_unit resolution_unit; /* NONE: the two values are 0 */
    double resolution_x, resolution_y;      /* pixels per unit (ASPECT: the ratio's terms) */
    int orientation; /* the EXIF orientation the file stores, 1..8; 0 when none. Unless
                        tessel_read_options.keep_orientation, the pixels read are already
                        turned upright (orientation 1) */
} tessel_image_metadata;

/* Frees the profile and clears *metadata. Accepts NULL. */
TESSEL_API void tessel_image_metadata_free(tessel_image_metadata *metadata);

typedef struct tessel_read_options {
    uint32_t struct_size; /* sizeof(tessel_read_options); 0 = this version */
    int keep_orientation; /* default 0: a JPEG's EXIF orientation is applied, so the image
                             reads upright, as OpenCV and libvips read it; 1: the pixels
                             as stored */
} tessel_read_options;

/*
 * tessel_image_read with options (NULL = defaults) and the file's metadata
 * (NULL when not wanted; else filled, free it with tessel_image_metadata_free;
 * left empty on failure and for formats without any).
 */
TESSEL_API tessel_status tessel_image_read_ex(const char *path, const tessel_read_options *options,
                                              tessel_image *out, tessel_image_metadata *metadata);

/* Which library serves a format in this build: "libjpeg-turbo 2.1.5 (TurboJPEG)",
 * "libspng 0.7.3", "stb_image", "tessel + libdeflate 1.14", ...; for reading
 * (write 0) or writing (write 1); NULL when the format cannot be read or
 * written. Static text. */
TESSEL_API const char *tessel_format_codec(tessel_file_format format, int write);

/* Lossless compression of the formats that offer a choice (TIFF). */
typedef enum tessel_compression {
    TESSEL_COMPRESSION_DEFAULT = 0, /* the format's default: DEFLATE for TIFF */
    TESSEL_COMPRESSION_NONE = 1,
    TESSEL_COMPRESSION_DEFLATE = 2, /* zlib, after a horizontal predictor */
    TESSEL_COMPRESSION_LZW = 3      /* LZW, after a horizontal predictor */
} tessel_compression;

/* How much a JPEG's colour (chroma) is subsampled against its brightness. */
typedef enum tessel_jpeg_subsampling {
    TESSEL_JPEG_SUBSAMPLING_DEFAULT = 0, /* 4:2:0, as libjpeg and OpenCV write by default */
    TESSEL_JPEG_SUBSAMPLING_444 = 1,     /* full colour resolution */
    TESSEL_JPEG_SUBSAMPLING_422 = 2,     /* half horizontally */
    TESSEL_JPEG_SUBSAMPLING_420 = 3      /* half in both directions */
} tessel_jpeg_subsampling;

typedef struct tessel_write_options {
    uint32_t struct_size;      /* sizeof(tessel_write_options); 0 = this version */
    tessel_file_format format; /* default AUTO: from the path's extension */
    int quality;               /* JPEG quality 1..100; default 0 = 95 */
    int overwrite;             /* default 0: an existing file is an error */
    tessel_compression compression; /* TIFF; default DEFAULT (deflate) */
    int tile_width;            /* TIFF; default 0 = strips of rows; else tiles of */
    int tile_height;           /*   tile_width x tile_height, both multiples of 16 */
    int bigtiff;               /* TIFF; default 0 = BigTIFF only when the file could
                                  pass 4 GiB; 1 = always BigTIFF */
    int compression_level;     /* PNG and TIFF deflate: 1 (fastest) .. 9 (smallest);
                                  default 0 = 1 for both. PNG levels 4..9 also choose each
                                  row's filter; a build without libdeflate has one PNG
                                  deflate level (stb's) */
    tessel_jpeg_subsampling jpeg_subsampling; /* JPEG chroma; default 4:2:0 */
    const tessel_image_metadata *metadata; /* PNG, JPEG, TIFF: the ICC profile and
                                  resolution to write (orientation is not written: images
                                  are written upright); default NULL = none */
} tessel_write_options;

/*
 * Writes img to path (options may be NULL). 8-bit formats take u8; a u16 or
 * f32 image written to one is rounded to nearest and saturated to 0..255
 * (u16 is NOT rescaled: values above 255 saturate). PNG keeps u16 as 16-bit.
 * .npy and TIFF keep the image's dtype; CSV writes one line per row (channels
 * interleaved), floats with enough digits to read back exactly. The file
 * appears only when completely written.
 */
TESSEL_API tessel_status tessel_image_write(const char *path, const tessel_image *img,
                                            const tessel_write_options *options);

/*
 * Checks, writing nothing, that tessel_image_write(path, img, options) can
 * write an image of shape's size, channels and dtype (shape's data is not
 * looked at; it may be NULL): the options, the format and the largest
 * image the format takes (JPEG and TGA sides up to 65535, the encoders'
 * buffers), with a message in terms of the image. For an output planned
 * before its pixels are computed: a failure costs nothing then.
 */
TESSEL_API tessel_status tessel_image_write_check(const char *path, const tessel_image *shape,
                                                  const tessel_write_options *options);

/*
 * The shape (width, height, channels, dtype; data NULL) of the image
 * tessel_image_read would give, from the file's header after the checks a
 * read makes, without decoding its pixels (CSV and text, whose shape is
 * their data, are read whole).
 * Channels are the header's: a palette image counts its palette's (3, or
 * 4 for GIF), where tessel_image_read gives an all-grey palette as 1
 * channel and an opaque GIF as 3. A read may still fail where the pixels
 * themselves are damaged.
 */
TESSEL_API tessel_status tessel_image_info(const char *path, tessel_image *shape);

/*
 * Reads a 1-D signal as f32 into *out (height 1, width = length, 1 channel;
 * free with tessel_image_free). From .npy: a 1-D array, or one column of a
 * 2-D array. From CSV/text: one column; a first line without a single
 * number in it is a header.
 * column: NULL = the first column; a header name; or a 0-based index ("2").
 */
TESSEL_API tessel_status tessel_signal_read(const char *path, const char *column,
                                            tessel_image *out);

/* Writes a signal (height 1, 1 channel) as .npy or CSV (one value per line,
 * header line "value"); format from options or the extension. */
TESSEL_API tessel_status tessel_signal_write(const char *path, const tessel_image *signal,
                                             const tessel_write_options *options);

/* -------------------------------------------------------------------- TIFF
 *
 * TIFF through libtiff; a build without libtiff answers
 * TESSEL_ERR_UNSUPPORTED for TIFF files, saying so.
 *
 * Read: the first image of a classic or BigTIFF file, in strips or tiles,
 * samples interleaved or in separate planes, any compression the libtiff
 * linked decodes. Samples: 8 and 16-bit unsigned (u8, u16), 32-bit float
 * (f32), 64-bit float (read as f32). Colour: grey (min-is-black) with 1 to
 * 4 samples (grey, grey+alpha, ...), RGB with 3 or 4 (RGBA), and YCbCr JPEG
 * (read as RGB). Palette, min-is-white, CMYK, Lab, signed integers and other
 * bit depths are refused with a message naming what the file holds. Rows
 * come as stored (an Orientation tag is not applied). tessel_image_read
 * reads a TIFF whole (up to 2^31 pixels).
 *
 * Write: u8, u16 and f32 as they are (8, 16-bit unsigned, 32-bit float);
 * 1 channel is grey, 2 grey+alpha, 3 RGB, 4 RGBA (alpha unassociated). Strips
 * of about 256 KiB, or tiles (tessel_write_options.tile_width/height); deflate
 * by default, at its fastest level (1: several times faster than zlib's
 * default of 6, for files a little larger; compression_level to change),
 * or LZW or none, with the horizontal predictor (floating-point predictor
 * for f32). Deflate strips and tiles are compressed on every core with
 * libdeflate in builds that have it; otherwise libtiff encodes each one
 * whole. BigTIFF when asked for, or when the file could pass 4 GiB: decided
 * at the start from the most the pixel data can take after compression
 * (LZW may grow incompressible data by half).
 *
 * Streaming: a reader and a writer hand over bands of rows, so an image far
 * larger than memory is filtered band by band. The reader decodes only the
 * strips or tiles a band needs and keeps at most one row of tiles; the
 * writer keeps a group of strips (one strip, or two per core with deflate
 * on threads) or one row of tiles, and with deflate on threads a second
 * one being compressed while it fills the first.
 *
 * Thread safety: readers and writers are independent objects; each belongs
 * to one thread at a time. libtiff's messages never reach stderr: with
 * libtiff 4.5 or newer each open file has its own message handlers; with an
 * older libtiff, tessel replaces libtiff's process-wide error and warning
 * handlers on first use (messages are then kept per thread).
 */

typedef struct tessel_tiff_reader tessel_tiff_reader;

/* Opens a TIFF for reading by bands and checks that tessel can read it. On
 * failure *out_reader is NULL. */
TESSEL_API tessel_status tessel_tiff_reader_open(const char *path,
                                                 tessel_tiff_reader **out_reader);
/* The image's shape: width, height, channels and the dtype rows are read as
 * (data NULL, stride 0). */
TESSEL_API tessel_status tessel_tiff_reader_shape(const tessel_tiff_reader *reader,
                                                  tessel_image *shape);
/* Reads rows y0 .. y0 + dst->height - 1 into dst, which has the image's
 * width, channels and dtype (any row stride). Bands may come in any order and
 * overlap. Cheapest in increasing order: a band that starts inside the last
 * row of tiles read reuses it, and one that starts inside a compressed strip
 * decodes that strip from its first row. On failure dst's rows are
 * unspecified. */
TESSEL_API tessel_status tessel_tiff_reader_read_rows(tessel_tiff_reader *reader, int y0,
                                                      tessel_image *dst);
/* The file's ICC profile and resolution into *metadata (free it with
 * tessel_image_metadata_free), for a writer's options. */
TESSEL_API tessel_status tessel_tiff_reader_metadata(const tessel_tiff_reader *reader,
                                                     tessel_image_metadata *metadata);
/* Accepts NULL. */
TESSEL_API void tessel_tiff_reader_close(tessel_tiff_reader *reader);

typedef struct tessel_tiff_writer tessel_tiff_writer;

/* Starts a TIFF of shape's width, height, channels and dtype (its data and
 * stride are ignored) at path; options as for tessel_image_write (format must
 * be AUTO or TIFF; quality is ignored; may be NULL). Nothing appears at path
 * before tessel_tiff_writer_finish succeeds. On failure *out_writer is NULL. */
TESSEL_API tessel_status tessel_tiff_writer_open(const char *path, const tessel_image *shape,
                                                 const tessel_write_options *options,
                                                 tessel_tiff_writer **out_writer);
/* Writes the src->height rows of src (the image's width, channels and dtype;
 * any row stride) as rows y0 ...: bands come in order, y0 is the number of
 * rows written before. After a failure the writer only accepts abort (or a
 * finish that fails). */
TESSEL_API tessel_status tessel_tiff_writer_write_rows(tessel_tiff_writer *writer, int y0,
                                                       const tessel_image *src);
/* Completes the file and puts it in place; fails (and leaves nothing) when
 * rows are missing or anything failed. Frees the writer either way. */
TESSEL_API tessel_status tessel_tiff_writer_finish(tessel_tiff_writer *writer);
/* Discards the file and frees the writer. Accepts NULL. */
TESSEL_API void tessel_tiff_writer_abort(tessel_tiff_writer *writer);

#ifdef __cplusplus
}
#endif

#endif /* TESSEL_TESSEL_IO_H */
