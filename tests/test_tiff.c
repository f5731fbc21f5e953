/* TIFF through tessel_io: round trips of u8/u16/f32 with 1-4 channels in
 * strips and tiles, each compression, classic and BigTIFF, from packed and
 * strided images; files libtiff wrote directly (odd strip heights, partial
 * tiles, separate planes, big-endian, 64-bit floats, YCbCr JPEG) read back
 * exactly; reading by bands in any order equals the whole read; the
 * deflate level; and the writer's BigTIFF decision for sizes too large to
 * write here. */
#define _POSIX_C_SOURCE 200809L /* unlink, fork, clock_gettime */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

#include "io/tiff_write_plan.h"
#include "tessel/tessel_io.h"
#include "test_util.h"
#include "tiff_files.h"

/* ----------------------------------------------------------------- compare */

/* 1 when got (any stride) holds exactly want's samples (packed); else
 * reports the first difference. */
static int same_image(const char *what, const tessel_image *got, const tessel_image *want)
{
    if (got->width != want->width || got->height != want->height ||
        got->channels != want->channels || got->dtype != want->dtype) {
        tu_fail(what, "shape %dx%dx%d %s, expected %dx%dx%d %s", got->width, got->height,
                got->channels, tessel_dtype_name(got->dtype), want->width, want->height,
                want->channels, tessel_dtype_name(want->dtype));
        return 0;
    }
    size_t sample = tessel_dtype_size(want->dtype);
    size_t row = (size_t)want->width * (size_t)want->channels * sample;
    for (int y = 0; y < want->height; ++y) {
        const unsigned char *g = (const unsigned char *)got->data + (size_t)y * tu_row_bytes(got);
        const unsigned char *w = (const unsigned char *)want->data + (size_t)y * row;
        if (memcmp(g, w, row) == 0) continue;
        size_t i = 0;
        while (i < row && g[i] == w[i]) ++i;
        int c = (int)(i / sample % (size_t)want->channels);
        int x = (int)(i / sample / (size_t)want->channels);
        tu_fail(what, "sample (x %d, y %d, channel %d) is %g, expected %g", x, y, c,
                tu_sample(got, x, y, c), tu_sample(want, x, y, c));
        return 0;
    }
    return 1;
}

/* Rows y0.. of a packed image, as a view. */
static tessel_image rows_of(const tessel_image *img, int y0, int height)
{
    size_t row = (size_t)img->width * (size_t)img->channels * tessel_dtype_size(img->dtype);
    tessel_image band = *img;
    band.data = (unsigned char *)img->data + (size_t)y0 * row;
    band.height = height;
    band.stride = 0;
    return band;
}

/* ------------------------------------------------------------------ bands */

/* Reads rows y0 .. y0+h-1 into a poisoned padded buffer and compares. */
static int check_band(const char *what, tessel_tiff_reader *reader, const tessel_image *want,
                      int y0, int h)
{
    tu_image band;
    tu_image_alloc(&band, want->width, h, want->channels, want->dtype, TU_PADDED);
    tu_image_poison(&band);
    char label[256];
    snprintf(label, sizeof label, "%s, rows %d..%d", what, y0, y0 + h - 1);
    tessel_status s = tessel_tiff_reader_read_rows(reader, y0, &band.view);
    int ok = s == TESSEL_OK;
    if (!ok) tu_fail(label, "%s: %s", tessel_status_string(s), tessel_last_error());
    tessel_image expected = rows_of(want, y0, h);
    if (ok) ok = same_image(label, &band.view, &expected);
    if (ok && !tu_image_guard_intact(&band)) {
        tu_fail(label, "wrote outside the destination rows");
        ok = 0;
    }
    tu_image_free(&band);
    return ok;
}

/* Bands in increasing order with a halo of overlap, decreasing, and at
 * random: each must equal the same rows of the whole image. */
static void check_bands(const char *path, const char *what, const tessel_image *want,
                        tu_rng *rng)
{
    tessel_tiff_reader *reader = NULL;
    tessel_status s = tessel_tiff_reader_open(path, &reader);
    if (s != TESSEL_OK) {
        tu_fail(what, "reader open: %s: %s", tessel_status_string(s), tessel_last_error());
        return;
    }
    tessel_image shape;
    tessel_tiff_reader_shape(reader, &shape);
    if (shape.width != want->width || shape.height != want->height ||
        shape.channels != want->channels || shape.dtype != want->dtype || shape.data)
        tu_fail(what, "reader shape %dx%dx%d %s", shape.width, shape.height, shape.channels,
                tessel_dtype_name(shape.dtype));
    int h = want->height, ok = 1;
    int band = 1 + h / 5, halo = band / 3;
    for (int y = 0; ok && y < h; y += band - halo) {
        int n = y + band > h ? h - y : band;
        ok = check_band(what, reader, want, y, n);
    }
    for (int y = h; ok && y > 0; y -= band) {
        int y0 = y - band < 0 ? 0 : y - band;
        ok = check_band(what, reader, want, y0, y - y0);
    }
    for (int i = 0; ok && i < 6; ++i) {
        int y0 = tu_rng_int(rng, 0, h - 1);
        ok = check_band(what, reader, want, y0, tu_rng_int(rng, 1, h - y0));
    }
    tessel_tiff_reader_close(reader);
}

/* ------------------------------------------------------------ round trips */

typedef struct libtiff_facts {
    int compression, tiled, bigtiff, photometric, extra_samples, tile_width, sample_format;
} libtiff_facts;

/* What libtiff itself sees in a file tessel wrote. */
static int read_facts(const char *path, libtiff_facts *f)
{
    TIFF *tif = TIFFOpen(path, "r");
    if (!tif) return 0;
    uint16_t compression = 0, photometric = 0, extra = 0, format = 0;
    uint16_t *extra_types = NULL;
    uint32_t tile_width = 0;
    TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &compression);
    TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photometric);
    TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &extra, &extra_types);
    TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &format);
    TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tile_width);
    f->compression = compression;
    f->tiled = TIFFIsTiled(tif);
    f->bigtiff = TIFFIsBigTIFF(tif);
    f->photometric = photometric;
    f->extra_samples = extra;
    f->tile_width = (int)tile_width;
    f->sample_format = format;
    TIFFClose(tif);
    return 1;
}

static void check_facts(const char *what, const char *path, const tessel_image *img,
                        const tessel_write_options *o)
{
    libtiff_facts f;
    if (!read_facts(path, &f)) {
        tu_fail(what, "libtiff cannot open the file tessel wrote");
        return;
    }
    int compression = o->compression == TESSEL_COMPRESSION_NONE ? COMPRESSION_NONE
                      : o->compression == TESSEL_COMPRESSION_LZW ? COMPRESSION_LZW
                                                                 : COMPRESSION_ADOBE_DEFLATE;
    int photometric = img->channels >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
    int format = img->dtype == TESSEL_F32 ? SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT;
    if (f.compression != compression || f.tiled != (o->tile_width != 0) ||
        f.bigtiff != o->bigtiff || f.photometric != photometric ||
        f.extra_samples != (img->channels % 2 == 0) || f.tile_width != o->tile_width ||
        f.sample_format != format)
        tu_fail(what,
                "libtiff sees compression %d tiled %d (width %d) bigtiff %d photometric %d "
                "extra samples %d format %d",
                f.compression, f.tiled, f.tile_width, f.bigtiff, f.photometric, f.extra_samples,
                f.sample_format);
}

static void round_trip(const tessel_image *src, const tessel_write_options *o, const char *what,
                       tu_rng *rng)
{
    const char *path = tf_path("round_trip.tif");
    unlink(path);
    tessel_status s = tessel_image_write(path, src, o);
    if (s != TESSEL_OK) {
        tu_fail(what, "write: %s: %s", tessel_status_string(s), tessel_last_error());
        return;
    }
    size_t size = 0;
    unsigned char *bytes = tf_read_file(path, &size);
    const char *magic = o->bigtiff ? "II+" : "II*";
    if (!bytes || size < 8 || memcmp(bytes, magic, 4) != 0)
        tu_fail(what, "the file does not start with %s", o->bigtiff ? "II+\\0" : "II*\\0");
    free(bytes);
    check_facts(what, path, src, o);
    tessel_image back = {0};
    s = tessel_image_read(path, &back);
    if (s != TESSEL_OK) {
        tu_fail(what, "read: %s: %s", tessel_status_string(s), tessel_last_error());
        return;
    }
    /* the source as a packed copy, for the comparisons */
    size_t row = (size_t)src->width * (size_t)src->channels * tessel_dtype_size(src->dtype);
    unsigned char *packed = tu_xmalloc(row * (size_t)src->height + 1);
    for (int y = 0; y < src->height; ++y)
        memcpy(packed + (size_t)y * row,
               (const unsigned char *)src->data + (size_t)y * tu_row_bytes(src), row);
    tessel_image want =
        tessel_image_view(packed, src->width, src->height, src->channels, src->dtype);
    if (same_image(what, &back, &want)) check_bands(path, what, &want, rng);
    tessel_image_free(&back);
    free(packed);
}

static void test_round_trips(tu_rng *rng)
{
    static const tessel_dtype dtypes[] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    static const tessel_compression compressions[] = {
        TESSEL_COMPRESSION_NONE, TESSEL_COMPRESSION_DEFLATE, TESSEL_COMPRESSION_LZW};
    int count = 0;
    for (int d = 0; d < 3; ++d)
        for (int c = 1; c <= 4; ++c)
            for (int tiled = 0; tiled < 2; ++tiled)
                for (int k = 0; k < 3; ++k)
                    for (int big = 0; big < 2; ++big) {
                        int w = count % 7 == 0 ? 1 : tu_rng_int(rng, 1, 70);
                        int h = count % 11 == 0 ? 1 : tu_rng_int(rng, 1, 60);
                        tu_image src;
                        tu_image_alloc(&src, w, h, c, dtypes[d], (tu_layout)(count % 3));
                        tu_image_fill_random(&src, rng);
                        tessel_write_options o = {0};
                        o.struct_size = sizeof o;
                        o.overwrite = 1;
                        o.compression = compressions[k];
                        o.tile_width = tiled ? 16 * tu_rng_int(rng, 1, 3) : 0;
                        o.tile_height = tiled ? 16 * tu_rng_int(rng, 1, 2) : 0;
                        o.bigtiff = big;
                        char what[160];
                        snprintf(what, sizeof what,
                                 "round trip %dx%d %s x%d, %s %dx%d, compression %d, %s, %s", w,
                                 h, tessel_dtype_name(dtypes[d]), c, tiled ? "tiles" : "strips",
                                 o.tile_width, o.tile_height, (int)o.compression,
                                 big ? "BigTIFF" : "classic", tu_layout_name(src.layout));
                        round_trip(&src.view, &o, what, rng);
                        tu_image_free(&src);
                        ++count;
                    }
}

/* Images of many strips and of several rows of tiles: deflate compresses
 * groups of strips and rows of tiles on threads, which must read back as
 * libtiff's own encoding would (each dtype's predictor, partial last
 * strips and tiles). */
static void test_many_chunks(tu_rng *rng)
{
    static const tessel_dtype dtypes[] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    for (int d = 0; d < 3; ++d)
        for (int tiled = 0; tiled < 2; ++tiled) {
            int c = 1 + (d + tiled) % 4, w = 1000 + 13 * d, h = 700 + 7 * tiled;
            tu_image src;
            tu_image_alloc(&src, w, h, c, dtypes[d], (tu_layout)(d % 3));
            tu_image_fill_random(&src, rng);
            tessel_write_options o = {0};
            o.struct_size = sizeof o;
            o.overwrite = 1;
            o.compression = TESSEL_COMPRESSION_DEFLATE;
            o.compression_level = 1 + 4 * tiled;
            o.tile_width = tiled ? 64 : 0;
            o.tile_height = tiled ? 48 : 0;
            char what[160];
            snprintf(what, sizeof what, "many chunks %dx%d %s x%d, %s, deflate level %d", w, h,
                     tessel_dtype_name(dtypes[d]), c, tiled ? "tiles 64x48" : "strips",
                     o.compression_level);
            round_trip(&src.view, &o, what, rng);
            tu_image_free(&src);
        }
}

/* The file's size in bytes; 0 when it cannot be read. */
static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    long size = f && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : 0;
    if (f) fclose(f);
    return size;
}

/* compression_level reaches deflate on either path, tessel's threads
 * (with libdeflate) or libtiff's own encoder (without): a smooth image
 * with some noise is smaller at level 9 than at level 1, and both read
 * back exactly. */
static void test_deflate_level(tu_rng *rng)
{
    tu_image src;
    tu_image_alloc(&src, 600, 400, 1, TESSEL_U8, TU_PACKED);
    unsigned char *p = src.view.data;
    for (int y = 0; y < 400; ++y)
        for (int x = 0; x < 600; ++x)
            p[(size_t)y * 600 + (size_t)x] =
                (unsigned char)((x * x / 300 + y * y / 200 + tu_rng_int(rng, 0, 3)) & 0xFF);
    long sizes[2] = {0, 0};
    for (int i = 0; i < 2; ++i) {
        tessel_write_options o = {0};
        o.overwrite = 1;
        o.compression_level = i ? 9 : 1;
        const char *path = tf_path(i ? "level9.tif" : "level1.tif");
        tessel_image back = {0};
        if (tessel_image_write(path, &src.view, &o) != TESSEL_OK ||
            tessel_image_read(path, &back) != TESSEL_OK)
            tu_fail("deflate level", "level %d: %s", o.compression_level, tessel_last_error());
        else
            same_image("deflate level", &back, &src.view);
        tessel_image_free(&back);
        sizes[i] = file_size(path);
    }
    if (!(sizes[1] > 0 && sizes[1] < sizes[0]))
        tu_fail("deflate level", "level 9 wrote %ld bytes, level 1 %ld", sizes[1], sizes[0]);
    tu_image_free(&src);
}

/* The default options: deflate, strips, classic, by extension; and the
 * TIFF format asked for by name on a path without an extension. */
static void test_defaults(tu_rng *rng)
{
    tu_image src;
    tu_image_alloc(&src, 300, 900, 3, TESSEL_U16, TU_PACKED);
    tu_image_fill_random(&src, rng);
    tessel_write_options o = {0};
    o.format = TESSEL_FORMAT_TIFF;
    const char *path = tf_path("no_extension");
    tessel_status s = tessel_image_write(path, &src.view, &o);
    libtiff_facts f;
    if (s != TESSEL_OK)
        tu_fail("defaults", "write: %s", tessel_last_error());
    else if (!read_facts(path, &f) || f.compression != COMPRESSION_ADOBE_DEFLATE || f.tiled ||
             f.bigtiff)
        tu_fail("defaults", "not a deflate, striped, classic TIFF");
    tessel_image back = {0};
    if (s == TESSEL_OK && tessel_image_read(path, &back) != TESSEL_OK)
        tu_fail("defaults", "read: %s", tessel_last_error());
    else if (s == TESSEL_OK)
        same_image("defaults", &back, &src.view);
    tessel_image_free(&back);
    /* several strips (about 256 KiB each), read by bands across them */
    TIFF *tif = TIFFOpen(path, "r");
    if (tif && TIFFNumberOfStrips(tif) < 3)
        tu_fail("defaults", "%u strips for 1.6 MB", (unsigned)TIFFNumberOfStrips(tif));
    if (tif) TIFFClose(tif);
    if (s == TESSEL_OK) check_bands(path, "defaults by bands", &src.view, rng);
    tu_image_free(&src);
    if (tessel_format_from_path("a.TIF") != TESSEL_FORMAT_TIFF ||
        tessel_format_from_path("b.tiff") != TESSEL_FORMAT_TIFF ||
        strcmp(tessel_format_name(TESSEL_FORMAT_TIFF), "tiff") != 0)
        tu_fail("format names", ".tif/.tiff or the name \"tiff\" are wrong");
}

/* ------------------------------------------------- files libtiff wrote */

static const tf_spec libtiff_files[] = {
    /* w, h, spp, bits, format, photometric, separate, tile w/h, rows/strip, compression,
     * predictor, big-endian, bigtiff, alpha */
    {37, 29, 1, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 7, COMPRESSION_NONE, 0,
     0, 0, 0},
    {41, 13, 3, 16, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 0, 0, 0, 1, COMPRESSION_ADOBE_DEFLATE, 0,
     1, 0, 0},
    {50, 70, 2, 32, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_MINISBLACK, 0, 16, 32, 0, COMPRESSION_LZW,
     0, 0, 0, 1},
    {33, 17, 4, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 0, 48, 16, 0, COMPRESSION_PACKBITS, 0, 1,
     0, 1},
    {23, 19, 3, 16, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 1, 0, 0, 5, COMPRESSION_ADOBE_DEFLATE,
     PREDICTOR_HORIZONTAL, 0, 0, 0},
    {40, 35, 4, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 1, 16, 16, 0, COMPRESSION_NONE, 0, 0, 0,
     1},
    {19, 11, 1, 64, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 3, COMPRESSION_NONE, 0,
     0, 0, 0},
    {45, 20, 3, 64, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_RGB, 1, 32, 16, 0,
     COMPRESSION_ADOBE_DEFLATE, 0, 1, 0, 0},
    {31, 26, 3, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0,
     COMPRESSION_ADOBE_DEFLATE, PREDICTOR_HORIZONTAL, 0, 0, 0},
    {64, 64, 1, 16, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 32, 32, 0, COMPRESSION_LZW,
     PREDICTOR_HORIZONTAL, 0, 1, 0},
    /* little-endian: libtiff 4.5.0 writes big-endian floating-point-predictor files wrongly
     * (it swaps the bytes before the predictor; its reader is right) */
    {29, 31, 3, 32, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_RGB, 0, 0, 0, 4, COMPRESSION_ADOBE_DEFLATE,
     PREDICTOR_FLOATINGPOINT, 0, 0, 0},
    {70, 9, 2, 16, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 1, 0, 0, 2, COMPRESSION_LZW, 0, 1,
     1, 1},
    {17, 40, 1, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 40,
     COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0},
};

static void test_libtiff_files(tu_rng *rng)
{
    int count = (int)(sizeof libtiff_files / sizeof libtiff_files[0]);
    for (int i = 0; i < count; ++i) {
        const tf_spec *spec = &libtiff_files[i];
        char what[200];
        snprintf(what, sizeof what,
                 "libtiff file %d: %dx%d, %d x %d-bit%s, %s, %s %dx%d/%d rows, compression %d",
                 i, spec->width, spec->height, spec->samples, spec->bits,
                 spec->sample_format == SAMPLEFORMAT_IEEEFP ? " float" : "",
                 spec->separate ? "planes" : "interleaved", spec->tile_width ? "tiles" : "strips",
                 spec->tile_width, spec->tile_height, spec->rows_per_strip, spec->compression);
        if (!TIFFIsCODECConfigured((uint16_t)spec->compression)) {
            printf("skip %s: libtiff lacks the codec\n", what);
            continue;
        }
        const char *path = tf_path(i % 2 ? "libtiff.tiff" : "libtiff.TIF");
        void *data = tf_random_samples(spec, rng);
        if (tf_write(path, spec, data) == 0) {
            tessel_image want = tf_expected(spec, data);
            tessel_image got = {0};
            tessel_status s = tessel_image_read(path, &got);
            if (s != TESSEL_OK)
                tu_fail(what, "read: %s: %s", tessel_status_string(s), tessel_last_error());
            else if (same_image(what, &got, &want))
                check_bands(path, what, &want, rng);
            tessel_image_free(&got);
            free(want.data);
        }
        free(data);
        unlink(path);
    }
}

/* YCbCr JPEG (lossy, chroma subsampled) reads as RGB close to the original. */
static void test_jpeg_ycbcr(tu_rng *rng)
{
    if (!TIFFIsCODECConfigured(COMPRESSION_JPEG)) {
        printf("skip YCbCr JPEG: libtiff lacks the codec\n");
        return;
    }
    for (int tiled = 0; tiled < 2; ++tiled) {
        /* even sizes: an odd edge would share chroma samples with the tiles' padding */
        tf_spec spec = {54, 46, 3, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_YCBCR, 0, tiled ? 32 : 0,
                        tiled ? 16 : 0, 16, COMPRESSION_JPEG, 0, 0, 0, 0};
        unsigned char *rgb = tu_xmalloc(tf_image_bytes(&spec));
        double phase = tu_rng_uniform(rng, 0, 6);
        for (int y = 0; y < spec.height; ++y)
            for (int x = 0; x < spec.width; ++x)
                for (int c = 0; c < 3; ++c)
                    rgb[(y * spec.width + x) * 3 + c] =
                        (unsigned char)(128 + 100 * sin(phase + 0.05 * x + 0.08 * y + 2 * c));
        const char *path = tf_path("jpeg.tif");
        TIFF *tif = TIFFOpen(path, "w");
        int ok = tif && TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, spec.width) &&
                 TIFFSetField(tif, TIFFTAG_IMAGELENGTH, spec.height) &&
                 TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3) &&
                 TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8) &&
                 TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_JPEG) &&
                 TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR) &&
                 TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB) &&
                 TIFFSetField(tif, TIFFTAG_JPEGQUALITY, 95) &&
                 (tiled ? TIFFSetField(tif, TIFFTAG_TILEWIDTH, 32) &&
                              TIFFSetField(tif, TIFFTAG_TILELENGTH, 16)
                        : TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 16));
        for (int y = 0; ok && !tiled && y < spec.height; ++y)
            ok = TIFFWriteScanline(tif, rgb + y * spec.width * 3, (uint32_t)y, 0) >= 0;
        unsigned char tile[32 * 16 * 3];
        for (int y = 0; ok && tiled && y < spec.height; y += 16)
            for (int x = 0; ok && x < spec.width; x += 32) {
                for (int i = 0; i < 16; ++i) /* partial tiles repeat the edge pixels */
                    for (int j = 0; j < 32; ++j) {
                        int sy = y + i < spec.height ? y + i : spec.height - 1;
                        int sx = x + j < spec.width ? x + j : spec.width - 1;
                        memcpy(tile + (i * 32 + j) * 3, rgb + (sy * spec.width + sx) * 3, 3);
                    }
                ok = TIFFWriteTile(tif, tile, (uint32_t)x, (uint32_t)y, 0, 0) >= 0;
            }
        if (tif) TIFFClose(tif);
        tessel_image got = {0};
        const char *what = tiled ? "YCbCr JPEG tiles" : "YCbCr JPEG strips";
        if (!ok) {
            tu_fail(what, "libtiff could not write the test file");
        } else if (tessel_image_read(path, &got) != TESSEL_OK) {
            tu_fail(what, "read: %s", tessel_last_error());
        } else if (got.channels != 3 || got.dtype != TESSEL_U8 || got.width != spec.width) {
            tu_fail(what, "read as %dx%d x%d %s", got.width, got.height, got.channels,
                    tessel_dtype_name(got.dtype));
        } else {
            double worst = 0;
            for (size_t i = 0; i < tf_image_bytes(&spec); ++i)
                worst = fmax(worst, fabs((double)((unsigned char *)got.data)[i] - rgb[i]));
            if (worst > 24) tu_fail(what, "differs from the original by up to %g levels", worst);
            tessel_image want = got;
            check_bands(path, what, &want, rng);
        }
        tessel_image_free(&got);
        free(rgb);
        unlink(path);
    }
}

/* ---------------------------------------------------------------- BigTIFF */

static void expect_bigtiff(int width, int height, int channels, tessel_dtype dtype,
                           tessel_compression compression, int tiles, int want)
{
    tessel_image shape = tessel_image_view(NULL, width, height, channels, dtype);
    tessel_write_options o = {0}, resolved;
    o.compression = compression;
    o.tile_width = o.tile_height = tiles;
    if (tessel_tiff_resolve_options("plan.tif", &o, &resolved) != TESSEL_OK) {
        tu_fail("BigTIFF plan", "options refused: %s", tessel_last_error());
        return;
    }
    tessel_tiff_write_plan plan;
    tessel_tiff_plan_layout(&shape, &resolved, &plan);
    if (plan.bigtiff != want)
        tu_fail("BigTIFF plan",
                "%dx%d x%d %s, compression %d, tiles %d: bigtiff %d (estimate %.0f)", width,
                height, channels, tessel_dtype_name(dtype), (int)compression, tiles, plan.bigtiff,
                plan.estimated_bytes);
}

static void test_bigtiff_plan(void)
{
    expect_bigtiff(20000, 20000, 1, TESSEL_U8, TESSEL_COMPRESSION_NONE, 0, 0);
    expect_bigtiff(20000, 20000, 4, TESSEL_U8, TESSEL_COMPRESSION_NONE, 0, 0);    /* 1.6 GB */
    expect_bigtiff(40000, 40000, 3, TESSEL_U8, TESSEL_COMPRESSION_NONE, 256, 1);  /* 4.8 GB */
    expect_bigtiff(33000, 33000, 1, TESSEL_F32, TESSEL_COMPRESSION_NONE, 0, 1);    /* 4.4 GB */
    /* 4.26 GB: classic uncompressed, BigTIFF once deflate may grow it by 1% */
    expect_bigtiff(65000, 16384, 1, TESSEL_F32, TESSEL_COMPRESSION_NONE, 0, 0);
    expect_bigtiff(65000, 16384, 1, TESSEL_F32, TESSEL_COMPRESSION_DEFLATE, 0, 1);
    expect_bigtiff(50000, 30000, 1, TESSEL_U16, TESSEL_COMPRESSION_NONE, 0, 0);    /* 3 GB */
    expect_bigtiff(50000, 30000, 1, TESSEL_U16, TESSEL_COMPRESSION_LZW, 0, 1); /* LZW: x1.5 */
    expect_bigtiff(2147483647, 2147483647, 4, TESSEL_F32, TESSEL_COMPRESSION_NONE, 0, 1);
    expect_bigtiff(1, 1, 1, TESSEL_U8, TESSEL_COMPRESSION_DEFLATE, 16, 0);
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 0x71FF);
    tf_make_temp_dir("tessel_test_tiff");
    test_round_trips(&rng);
    test_many_chunks(&rng);
    test_deflate_level(&rng);
    test_defaults(&rng);
    test_libtiff_files(&rng);
    test_jpeg_ycbcr(&rng);
    test_bigtiff_plan();
    if (tf_has_temporaries()) tu_fail("atomic writes", "a temporary file was left behind");
    tf_remove_temp_dir();
    if (tu_failures()) {
        printf("%d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_tiff: all passed\n");
    return 0;
}
