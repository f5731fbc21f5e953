/* Writing a TIFF by bands of rows into an atomic file.
 *
 * The writer gathers strips (about 256 KiB each), or one row of tiles.
 * Deflate, in builds with libdeflate, compresses a group of strips (two per
 * core) or the row of tiles on worker threads (tiff_deflate.c) while the
 * writer fills a second buffer, and hands libtiff the bytes; otherwise
 * libtiff encodes each strip or tile whole, in one call, and writes it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/plan.h"
#include "tiff_deflate.h"
#include "tiff_io.h"
#include "tiff_write_plan.h"

struct tessel_tiff_writer {
    char *path;
    tessel_atomic_file file;
    tessel_tiff_handle handle;
    tessel_image shape;
    tessel_tiff_write_plan plan;
    size_t row_bytes;             /* of a packed row */
    unsigned char *band;          /* a group of strips, or one row of tiles, being filled */
    unsigned char *tile;          /* tiled: the tiles being encoded (all of a row with deflate) */
    unsigned char *spare;         /* deflate: the band (strips) or tiles being compressed */
    int group;                    /* strips in the band */
    tessel_tiff_deflate *deflate; /* deflate on threads; NULL: libtiff encodes */
    tessel_tiff_chunk *chunks;    /* with deflate: the strips or tiles of the band */
    int rows_written;
    int failed;
};

/* ----------------------------------------------------------------- header */

static int set_colour_tags(TIFF *tif, const tessel_image *shape)
{
    int bits = (int)tessel_dtype_size(shape->dtype) * 8;
    int ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)shape->width) &&
             TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)shape->height) &&
             TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, shape->channels) &&
             TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, bits) &&
             TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT,
                          shape->dtype == TESSEL_F32 ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT) &&
             TIFFSetField(tif, TIFFTAG_PHOTOMETRIC,
                          shape->channels >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK) &&
             TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    if (ok && (shape->channels == 2 || shape->channels == 4)) {
        uint16_t alpha = EXTRASAMPLE_UNASSALPHA;
        ok = TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &alpha);
    }
    return ok;
}

/* The default deflate level: the fastest. Measured on filtered 8 and
 * 16-bit images, noise and photographs, level 1 in whole strips (libdeflate)
 * writes 60 to 180 MB/s where libtiff's default of 6 row by row (zlib)
 * wrote 11 to 19, for files from 5% smaller to 40% larger. */
#define DEFAULT_DEFLATE_LEVEL 1

static int deflate_level(const tessel_write_options *o)
{
    return o->compression_level ? o->compression_level : DEFAULT_DEFLATE_LEVEL;
}

/* libtiff's number for a (resolved) compression. */
static int libtiff_scheme(tessel_compression compression)
{
    return compression == TESSEL_COMPRESSION_LZW       ? COMPRESSION_LZW
           : compression == TESSEL_COMPRESSION_DEFLATE ? COMPRESSION_ADOBE_DEFLATE
                                                       : COMPRESSION_NONE;
}

static int set_storage_tags(TIFF *tif, const tessel_image *shape, const tessel_tiff_write_plan *p,
                            int level)
{
    int scheme = libtiff_scheme(p->compression);
    int ok = TIFFSetField(tif, TIFFTAG_COMPRESSION, scheme);
    if (ok && scheme != COMPRESSION_NONE)
        ok = TIFFSetField(tif, TIFFTAG_PREDICTOR,
                          shape->dtype == TESSEL_F32 ? PREDICTOR_FLOATINGPOINT
                                                     : PREDICTOR_HORIZONTAL);
    if (ok && scheme == COMPRESSION_ADOBE_DEFLATE)
        ok = TIFFSetField(tif, TIFFTAG_ZIPQUALITY, level);
    if (ok && p->tile_width)
        ok = TIFFSetField(tif, TIFFTAG_TILEWIDTH, (uint32_t)p->tile_width) &&
             TIFFSetField(tif, TIFFTAG_TILELENGTH, (uint32_t)p->tile_height);
    else if (ok)
        ok = TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, (uint32_t)p->rows_per_strip);
    return ok;
}

static tessel_status check_codec(const char *path, const tessel_tiff_write_plan *p)
{
    if (TIFFIsCODECConfigured((uint16_t)libtiff_scheme(p->compression))) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_UNSUPPORTED, path, "this libtiff cannot write %s compression",
                          p->compression == TESSEL_COMPRESSION_LZW ? "LZW" : "deflate");
}

static tessel_status allocate(tessel_tiff_writer *w, unsigned char **buf, uint64_t bytes)
{
    *buf = bytes <= SIZE_MAX ? calloc(1, (size_t)bytes) : NULL;
    if (*buf) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, w->path,
                          "out of memory for a TIFF buffer of %llu bytes",
                          (unsigned long long)bytes);
}

/* Strips compressed at once per core: two, so a core never waits on the
 * slowest strip of its share for long. */
#define STRIPS_PER_CORE 2

static int online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Deflate on threads (builds with libdeflate) for a file in the host's byte
 * order; else w->deflate stays NULL and libtiff encodes. */
static tessel_status start_deflate(tessel_tiff_writer *w, const tessel_write_options *o)
{
    const tessel_tiff_write_plan *p = &w->plan;
    if (!tessel_tiff_deflate_available() || p->compression != TESSEL_COMPRESSION_DEFLATE ||
        TIFFIsByteSwapped(w->handle.tif))
        return TESSEL_OK;
    int cores = online_cores(), chunks;
    size_t chunk_bytes;
    if (p->tile_width) {
        chunks = (w->shape.width + p->tile_width - 1) / p->tile_width;
        chunk_bytes =
            (size_t)p->tile_width * (size_t)p->tile_height * (w->row_bytes / w->shape.width);
    } else {
        chunks = w->group = STRIPS_PER_CORE * cores;
        chunk_bytes = (size_t)p->rows_per_strip * w->row_bytes;
    }
    w->deflate = tessel_tiff_deflate_create(w->shape.dtype, w->shape.channels, deflate_level(o),
                                            chunk_bytes, chunks, cores);
    w->chunks = calloc((size_t)chunks, sizeof *w->chunks);
    if (w->deflate && w->chunks) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, w->path, "out of memory for the TIFF encoder");
}

static tessel_status start(tessel_tiff_writer *w, const tessel_write_options *o)
{
    tessel_tiff_plan_layout(&w->shape, o, &w->plan);
    FORWARD_IF_ERROR(check_codec(w->path, &w->plan));
    FORWARD_IF_ERROR(tessel_atomic_open(&w->file, w->path, o->overwrite));
    FORWARD_IF_ERROR(
        tessel_tiff_handle_open(&w->handle, w->path, w->file.fd, w->plan.bigtiff ? "w8" : "w"));
    tessel_tiff_clear_message(&w->handle);
    if (!set_colour_tags(w->handle.tif, &w->shape) ||
        !set_storage_tags(w->handle.tif, &w->shape, &w->plan, deflate_level(o)) ||
        !tessel_tiff_set_metadata(w->handle.tif, o->metadata))
        return tessel_tiff_fail(&w->handle, TESSEL_ERR_IO, "cannot set up the TIFF header");
    w->row_bytes =
        (size_t)w->shape.width * (size_t)w->shape.channels * tessel_dtype_size(w->shape.dtype);
    w->group = 1;
    FORWARD_IF_ERROR(start_deflate(w, o));
    if (!w->plan.tile_width) {
        uint64_t band = (uint64_t)w->group * (uint64_t)w->plan.rows_per_strip * w->row_bytes;
        if (w->deflate) FORWARD_IF_ERROR(allocate(w, &w->spare, band));
        return allocate(w, &w->band, band);
    }
    size_t pixel = (size_t)w->shape.channels * tessel_dtype_size(w->shape.dtype);
    uint64_t tiles = w->deflate ? (uint64_t)tessel_tiff_deflate_capacity(w->deflate) : 1;
    uint64_t tile_bytes = (uint64_t)w->plan.tile_width * (uint64_t)w->plan.tile_height * pixel;
    FORWARD_IF_ERROR(allocate(w, &w->tile, tiles * tile_bytes));
    if (w->deflate) FORWARD_IF_ERROR(allocate(w, &w->spare, tiles * tile_bytes));
    return allocate(w, &w->band, (uint64_t)w->plan.tile_height * w->row_bytes);
}

static void writer_free(tessel_tiff_writer *w)
{
    tessel_tiff_handle_close(&w->handle);
    tessel_atomic_abort(&w->file);
    tessel_tiff_deflate_destroy(w->deflate);
    free(w->chunks);
    free(w->band);
    free(w->tile);
    free(w->spare);
    free(w->path);
    free(w);
}

tessel_status tessel_tiff_writer_open(const char *path, const tessel_image *shape,
                                      const tessel_write_options *options,
                                      tessel_tiff_writer **out_writer)
{
    RETURN_ERROR_IF(!out_writer, NULL, TESSEL_ERR_NULL_POINTER, "output writer is NULL");
    *out_writer = NULL;
    RETURN_ERROR_IF(!path, NULL, TESSEL_ERR_NULL_POINTER, "output path is NULL");
    FORWARD_IF_ERROR(tessel_io_check_image(path, "TIFF", shape, 0));
    tessel_write_options o;
    FORWARD_IF_ERROR(tessel_tiff_resolve_options(path, options, &o));
    tessel_tiff_writer *w = calloc(1, sizeof *w);
    size_t length = strlen(path) + 1;
    char *copy = malloc(length);
    if (!w || !copy) {
        free(w);
        free(copy);
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    }
    w->path = memcpy(copy, path, length);
    w->file.fd = -1;
    w->shape = tessel_image_view(NULL, shape->width, shape->height, shape->channels, shape->dtype);
    tessel_status status = start(w, &o);
    if (status != TESSEL_OK) {
        writer_free(w);
        return status;
    }
    *out_writer = w;
    return TESSEL_OK;
}

/* ------------------------------------------------------------------- rows */

static tessel_status fail_writer(tessel_tiff_writer *w, const char *what)
{
    w->failed = 1;
    return tessel_tiff_fail(&w->handle, TESSEL_ERR_IO, what);
}

/* The failure of strip or tile `index`, as deflate reports it. */
static tessel_status chunk_failed(tessel_tiff_writer *w, uint32_t index)
{
    const tessel_tiff_write_plan *p = &w->plan;
    char what[96];
    if (p->tile_width) {
        uint32_t across = (uint32_t)((w->shape.width + p->tile_width - 1) / p->tile_width);
        snprintf(what, sizeof what, "cannot write the TIFF tile at x %u, y %u",
                 index % across * (uint32_t)p->tile_width,
                 index / across * (uint32_t)p->tile_height);
    } else {
        long from = (long)index * p->rows_per_strip, to = from + p->rows_per_strip - 1;
        snprintf(what, sizeof what, "cannot write the TIFF strip of rows %ld to %ld", from,
                 to < w->shape.height - 1 ? to : (long)w->shape.height - 1);
    }
    return fail_writer(w, what);
}

/* Hands the buffer in `buffer` (w->band or w->tile) to deflate with its
 * chunks and takes the spare one; writes the group handed over before. */
static tessel_status submit(tessel_tiff_writer *w, unsigned char **buffer, int tiled,
                            uint32_t first, int count)
{
    uint32_t failed =
        tessel_tiff_deflate_submit(w->deflate, w->handle.tif, tiled, first, w->chunks, count);
    if (failed) return chunk_failed(w, failed - 1);
    unsigned char *handed = *buffer;
    *buffer = w->spare;
    w->spare = handed;
    return TESSEL_OK;
}

/* Encodes the strips in w->band (its first `rows` rows; the last strip may
 * be shorter). libtiff's predictor changes the buffer, which is ours. */
static tessel_status write_strips(tessel_tiff_writer *w, int rows)
{
    int rps = w->plan.rows_per_strip, y = w->rows_written + 1 - rows;
    uint32_t first = (uint32_t)(y / rps);
    int count = (rows + rps - 1) / rps;
    tessel_tiff_clear_message(&w->handle);
    for (int i = 0; i < count; ++i) {
        int n = rows - i * rps < rps ? rows - i * rps : rps;
        unsigned char *data = w->band + (size_t)i * (size_t)rps * w->row_bytes;
        if (w->deflate)
            w->chunks[i] = (tessel_tiff_chunk){data, n, w->row_bytes};
        else if (TIFFWriteEncodedStrip(w->handle.tif, first + (uint32_t)i, data,
                                       (tmsize_t)((size_t)n * w->row_bytes)) < 0)
            return chunk_failed(w, first + (uint32_t)i);
    }
    return w->deflate ? submit(w, &w->band, 0, first, count) : TESSEL_OK;
}

static tessel_status write_striped_row(tessel_tiff_writer *w, const unsigned char *src)
{
    int band_rows = w->group * w->plan.rows_per_strip;
    int in_band = w->rows_written % band_rows;
    memcpy(w->band + (size_t)in_band * w->row_bytes, src, w->row_bytes);
    if (in_band == band_rows - 1 || w->rows_written == w->shape.height - 1)
        return write_strips(w, in_band + 1);
    return TESSEL_OK;
}

/* The tile of the band at column x (rows of it filled; the rest of a partial tile
 * stays zero) into out. */
static void gather_tile(const tessel_tiff_writer *w, int x, int rows, unsigned char *out)
{
    const tessel_tiff_write_plan *p = &w->plan;
    size_t pixel = w->row_bytes / (size_t)w->shape.width;
    size_t tile_row = (size_t)p->tile_width * pixel;
    int columns = w->shape.width - x < p->tile_width ? w->shape.width - x : p->tile_width;
    memset(out, 0, tile_row * (size_t)p->tile_height);
    for (int i = 0; i < rows; ++i)
        memcpy(out + (size_t)i * tile_row, w->band + (size_t)i * w->row_bytes + (size_t)x * pixel,
               (size_t)columns * pixel);
}

/* Encodes the tiles of the band. */
static tessel_status write_band(tessel_tiff_writer *w, int rows)
{
    const tessel_tiff_write_plan *p = &w->plan;
    size_t tile_bytes =
        (size_t)p->tile_width * (size_t)p->tile_height * (w->row_bytes / (size_t)w->shape.width);
    int y = w->rows_written + 1 - rows, count = 0;
    tessel_tiff_clear_message(&w->handle);
    uint32_t first = TIFFComputeTile(w->handle.tif, 0, (uint32_t)y, 0, 0);
    for (int x = 0; x < w->shape.width; x += p->tile_width, ++count) {
        unsigned char *tile = w->tile + (w->deflate ? (size_t)count * tile_bytes : 0);
        gather_tile(w, x, rows, tile);
        if (w->deflate)
            w->chunks[count] =
                (tessel_tiff_chunk){tile, p->tile_height, tile_bytes / (size_t)p->tile_height};
        else if (TIFFWriteEncodedTile(w->handle.tif, first + (uint32_t)count, tile,
                                      (tmsize_t)tile_bytes) < 0)
            return chunk_failed(w, first + (uint32_t)count);
    }
    return w->deflate ? submit(w, &w->tile, 1, first, count) : TESSEL_OK;
}

static tessel_status write_tiled_row(tessel_tiff_writer *w, const unsigned char *src)
{
    int in_band = w->rows_written % w->plan.tile_height;
    memcpy(w->band + (size_t)in_band * w->row_bytes, src, w->row_bytes);
    if (in_band == w->plan.tile_height - 1 || w->rows_written == w->shape.height - 1)
        return write_band(w, in_band + 1);
    return TESSEL_OK;
}

static tessel_status check_rows(const tessel_tiff_writer *w, int y0, const tessel_image *src)
{
    FORWARD_IF_ERROR(tessel_io_check_image(w->path, "source", src, 1));
    if (w->failed)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, w->path,
                              "an earlier write failed; abort the TIFF writer");
    const tessel_image *s = &w->shape;
    if (src->width != s->width || src->channels != s->channels || src->dtype != s->dtype)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, w->path,
                              "source rows are %d wide with %d channels of %s; the TIFF's are "
                              "%d wide with %d channels of %s",
                              src->width, src->channels, tessel_dtype_name(src->dtype), s->width,
                              s->channels, tessel_dtype_name(s->dtype));
    if (y0 != w->rows_written)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, w->path,
                              "rows must come in order: the next row is %d, not %d",
                              w->rows_written, y0);
    if ((int64_t)y0 + src->height > s->height)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, w->path,
                              "rows %d to %lld are past the image's %d rows", y0,
                              (long long)y0 + src->height - 1, s->height);
    return TESSEL_OK;
}

tessel_status tessel_tiff_writer_write_rows(tessel_tiff_writer *writer, int y0,
                                            const tessel_image *src)
{
    RETURN_ERROR_IF(!writer, NULL, TESSEL_ERR_NULL_POINTER, "TIFF writer is NULL");
    FORWARD_IF_ERROR(check_rows(writer, y0, src));
    size_t stride = tessel_image_row_bytes(src);
    for (int i = 0; i < src->height; ++i) {
        const unsigned char *row = (const unsigned char *)src->data + (size_t)i * stride;
        FORWARD_IF_ERROR(writer->plan.tile_width ? write_tiled_row(writer, row)
                                                 : write_striped_row(writer, row));
        writer->rows_written++;
    }
    return TESSEL_OK;
}

/* ----------------------------------------------------------------- finish */

tessel_status tessel_tiff_writer_finish(tessel_tiff_writer *writer)
{
    RETURN_ERROR_IF(!writer, NULL, TESSEL_ERR_NULL_POINTER, "TIFF writer is NULL");
    tessel_tiff_writer *w = writer;
    tessel_status status = TESSEL_OK;
    if (w->failed)
        status = tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, w->path,
                                "an earlier write failed; nothing was written");
    else if (w->rows_written != w->shape.height)
        status = tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, w->path,
                                "only %d of the image's %d rows were written; nothing was kept",
                                w->rows_written, w->shape.height);
    uint32_t failed = status == TESSEL_OK && w->deflate
                          ? tessel_tiff_deflate_finish(w->deflate, w->handle.tif)
                          : 0;
    if (failed) status = chunk_failed(w, failed - 1);
    if (status == TESSEL_OK) {
        tessel_tiff_clear_message(&w->handle);
        if (!TIFFWriteDirectory(w->handle.tif))
            status = tessel_tiff_fail(&w->handle, TESSEL_ERR_IO, "cannot complete the TIFF");
    }
    if (status == TESSEL_OK) {
        tessel_tiff_handle_close(&w->handle);
        if (w->handle.io_error)
            status = tessel_tiff_fail(&w->handle, TESSEL_ERR_IO, "cannot complete the TIFF");
    }
    if (status == TESSEL_OK) status = tessel_atomic_commit(&w->file);
    writer_free(w);
    return status;
}

void tessel_tiff_writer_abort(tessel_tiff_writer *writer)
{
    if (writer) writer_free(writer);
}
