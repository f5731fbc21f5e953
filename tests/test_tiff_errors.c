/* TIFF failures: layouts tessel refuses, files that are not TIFF, truncated,
 * randomly corrupted and lying files, misuse of the band reader and writer,
 * a write that fails midway, and several threads failing at once. Each
 * failure gives the right status and a message naming the file, leaves no
 * output or temporary file, and libtiff never prints: stderr is captured
 * for the whole run and must stay empty. */
#define _GNU_SOURCE /* unlink, open, stat */

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tiffio.h>
#include <unistd.h>

#include "tessel/tessel_io.h"
#include "test_util.h"
#include "tiff_files.h"

/* ---------------------------------------------------------------- checks */

/* status is want (or, with want TESSEL_OK, any failure), the message names
 * path (when given) and holds needle (when given). */
static void expect_failure(const char *what, tessel_status got, tessel_status want,
                           const char *path, const char *needle)
{
    const char *message = tessel_last_error();
    if (got == TESSEL_OK)
        tu_fail(what, "succeeded; expected %s", want ? tessel_status_string(want) : "a failure");
    else if (want != TESSEL_OK && got != want)
        tu_fail(what, "%s (%s); expected %s", tessel_status_string(got), message,
                tessel_status_string(want));
    else if (path && !strstr(message, path))
        tu_fail(what, "message \"%s\" does not name the file", message);
    else if (needle && !strstr(message, needle))
        tu_fail(what, "message \"%s\" does not say \"%s\"", message, needle);
}

/* Reading path whole and opening it by bands both fail as expected (the
 * band reader may only fail when reading rows). */
static void expect_read_failure(const char *what, const char *path, tessel_status want,
                                const char *needle)
{
    tessel_image img = {0};
    tessel_image untouched = img;
    expect_failure(what, tessel_image_read(path, &img), want, path, needle);
    if (memcmp(&img, &untouched, sizeof img) != 0) tu_fail(what, "the output image changed");
    tessel_tiff_reader *reader = NULL;
    tessel_status s = tessel_tiff_reader_open(path, &reader);
    if (s != TESSEL_OK) {
        expect_failure(what, s, want, path, needle);
        if (reader) tu_fail(what, "a failed open left a reader");
        return;
    }
    tessel_image shape;
    tessel_tiff_reader_shape(reader, &shape);
    size_t row = (size_t)shape.width * (size_t)shape.channels * tessel_dtype_size(shape.dtype);
    void *data = row < ((size_t)1 << 26) ? malloc(row) : NULL;
    tessel_image band = tessel_image_view(data, shape.width, 1, shape.channels, shape.dtype);
    s = TESSEL_OK;
    for (int y = 0; data && s == TESSEL_OK && y < shape.height; ++y)
        s = tessel_tiff_reader_read_rows(reader, y, &band);
    if (data) expect_failure(what, s, TESSEL_OK, path, NULL);
    free(data);
    tessel_tiff_reader_close(reader);
}

static void expect_nothing_at(const char *what, const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0) tu_fail(what, "left a file at the target");
    if (tf_has_temporaries()) tu_fail(what, "left a temporary file");
}

/* ------------------------------------------------------------ unsupported */

static void test_unsupported(tu_rng *rng)
{
    static const struct {
        tf_spec spec;
        const char *needle;
    } cases[] = {
        {{9, 7, 1, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_PALETTE, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "palette"},
        {{9, 7, 1, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISWHITE, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "min-is-white"},
        {{9, 7, 1, 16, SAMPLEFORMAT_INT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "signed 16-bit"},
        {{9, 7, 1, 1, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "1-bit unsigned"},
        {{9, 7, 1, 12, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "12-bit unsigned"},
        {{9, 7, 1, 16, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "16-bit floating-point"},
        {{9, 7, 4, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_SEPARATED, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "CMYK"},
        {{9, 7, 5, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "5 samples"},
        {{9, 7, 3, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_CIELAB, 0, 0, 0, 0, 1, 0, 0, 0, 0},
         "L*a*b*"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const char *path = tf_path("unsupported.tif");
        void *data = tf_random_samples(&cases[i].spec, rng);
        if (tf_write(path, &cases[i].spec, data) == 0) {
            char what[96];
            snprintf(what, sizeof what, "unsupported layout (%s)", cases[i].needle);
            expect_read_failure(what, path, TESSEL_ERR_FORMAT, cases[i].needle);
        }
        free(data);
        unlink(path);
    }
}

/* ------------------------------------------------------------- not TIFF */

static void test_not_tiff(void)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *needle;
    } cases[] = {
        {"hello, world\n", 13, "not a TIFF file"},
        {"II*\0", 4, NULL},
        {"II*\0\0\0\0\0", 8, NULL},             /* no first directory */
        {"MM\0*\x7f\xff\xff\xff", 8, NULL},     /* directory far past the end */
        {"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0", 16, NULL}, /* BigTIFF, directory past the end */
        {"II*\0\x08\0\0\0\xff\xff", 10, NULL}, /* 65535 entries in 2 bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const char *path = tf_path("not.tif");
        tf_write_file(path, cases[i].bytes, cases[i].n);
        char what[64];
        snprintf(what, sizeof what, "not a TIFF, case %zu", i);
        expect_read_failure(what, path, TESSEL_ERR_FORMAT, cases[i].needle);
        unlink(path);
    }
}

/* ----------------------------------------------------- crafted headers */

typedef struct ifd_entry {
    uint16_t tag, type;
    uint32_t count, value;
} ifd_entry;

/* A little-endian classic TIFF: header, the entries (sorted by tag, values
 * inline), then `extra` bytes of 0x33. */
static void write_crafted(const char *path, const ifd_entry *entries, int n, size_t extra)
{
    size_t size = 8 + 2 + (size_t)n * 12 + 4 + extra;
    unsigned char *b = calloc(1, size);
    memcpy(b, "II*\0\x08\0\0\0", 8);
    b[8] = (unsigned char)n;
    for (int i = 0; i < n; ++i) {
        unsigned char *e = b + 10 + i * 12;
        uint32_t value = entries[i].value;
        if (entries[i].type == 3 && entries[i].count == 1) value &= 0xFFFF;
        memcpy(e, &entries[i].tag, 2);
        memcpy(e + 2, &entries[i].type, 2);
        memcpy(e + 4, &entries[i].count, 4);
        memcpy(e + 8, &value, 4);
    }
    memset(b + 10 + n * 12 + 4, 0x33, extra);
    tf_write_file(path, b, size);
    free(b);
}

/* An 8-bit grey TIFF whose header says width x height pixels in one strip
 * (tile 0) or in tiles of tile x tile, compressed as given, with one strip
 * or tile of `bytes` at `offset`; extra bytes of filler follow the header. */
static void write_grey_header(const char *path, uint32_t width, uint32_t height,
                              uint32_t compression, uint32_t tile, uint32_t offset, uint32_t bytes,
                              size_t extra)
{
    enum { SHORT = 3, LONG = 4 };
    const int tiled = tile != 0;
    const ifd_entry e[] = {
        {256, LONG, 1, width},
        {257, LONG, 1, height},
        {258, SHORT, 1, 8},
        {259, SHORT, 1, compression},
        {262, SHORT, 1, 1},
        {tiled ? 322 : 273, LONG, 1, tiled ? tile : offset},
        {tiled ? 323 : 277, tiled ? LONG : SHORT, 1, tiled ? tile : 1},
        {tiled ? 324 : 278, LONG, 1, tiled ? offset : height},
        {tiled ? 325 : 279, LONG, 1, bytes},
    };
    write_crafted(path, e, 9, extra);
}

static void test_lying_headers(void)
{
    const char *path = tf_path("lying.tif");
    /* width, height, compression, strip offset, strip bytes, tile width */
    static const struct {
        uint32_t width, height, compression, offset, bytes, tile;
        const char *needle;
    } cases[] = {
        {50000, 50000, 1, 8, 10, 0, NULL},         /* too large to read whole; strip too short */
        {40000, 40000, 8, 8, 10, 0, NULL},         /* deflate: more than the file can hold */
        {0, 10, 1, 8, 10, 0, NULL},                /* no width */
        {10, 10, 1, 5000, 100, 0, NULL},           /* strip past the end */
        {10, 10, 8, 8, 0xFFFFFFF0u, 0, NULL},      /* absurd byte count */
        {100, 100, 1, 8, 10, 65535, NULL},         /* tiles not a multiple of 16 */
        {100000, 100000, 8, 8, 100, 4096, NULL},   /* huge, tiled */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        write_grey_header(path, cases[i].width, cases[i].height, cases[i].compression,
                          cases[i].tile, cases[i].offset, cases[i].bytes, 64);
        char what[64];
        snprintf(what, sizeof what, "lying header, case %zu", i);
        tessel_image img = {0};
        expect_failure(what, tessel_image_read(path, &img), TESSEL_ERR_FORMAT, path,
                       cases[i].needle);
        expect_read_failure(what, path, TESSEL_OK, NULL);
        unlink(path);
    }
}

/* A header claiming more pixels than the file can hold is refused when the
 * band reader opens, before it allocates for a row, as when read whole: the
 * streamed path (tessel filter in.tif -o out.tif) reads through it. */
static void test_lying_sizes_by_bands(void)
{
    const char *path = tf_path("lying_band.tif");
    static const struct {
        uint32_t width, height, tile;
    } cases[] = {
        {1u << 30, 1, 0},     /* one row of 2^30 pixels in a few hundred bytes */
        {1u << 30, 64, 0},
        {1u << 24, 1u << 20, 0},
        {100000, 100000, 4096}, /* tiled */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        write_grey_header(path, cases[i].width, cases[i].height, 8 /* deflate */, cases[i].tile,
                          162, 200, 216); /* 378 bytes */
        char what[64];
        snprintf(what, sizeof what, "lying size by bands, case %zu", i);
        tessel_tiff_reader *reader = NULL;
        expect_failure(what, tessel_tiff_reader_open(path, &reader), TESSEL_ERR_FORMAT, path,
                       "can hold");
        tessel_tiff_reader_close(reader);
        tessel_image img = {0};
        expect_failure(what, tessel_image_read(path, &img), TESSEL_ERR_FORMAT, path, NULL);
        unlink(path);
    }
}

/* A damaged deflate tile that libtiff calls decoded without writing its
 * last byte (found by tests/fuzz): what it leaves must be zeros, the same
 * whole and by bands in any order, never earlier tiles' bytes or
 * uninitialised memory. glibc's malloc perturbation makes fresh memory
 * hold a pattern, so a byte left unwritten shows. */
static void test_tile_left_short(void)
{
    const char *path = "fuzz/corpus/tiff/short_deflate_tile.tif";
    tessel_image first = {0}, second = {0};
#ifdef M_PERTURB
    mallopt(M_PERTURB, 0x3C);
#endif
    tessel_status s = tessel_image_read(path, &first);
#ifdef M_PERTURB
    mallopt(M_PERTURB, 0x71);
#endif
    if (s == TESSEL_OK) s = tessel_image_read(path, &second);
    tessel_tiff_reader *r = NULL;
    if (s == TESSEL_OK) s = tessel_tiff_reader_open(path, &r);
    if (s != TESSEL_OK) {
        tu_fail("tile left short", "%s", tessel_last_error());
    } else {
        size_t row = (size_t)first.width * first.channels * tessel_dtype_size(first.dtype);
        if (memcmp(first.data, second.data, row * (size_t)first.height) != 0)
            tu_fail("tile left short", "two whole reads differ");
        unsigned char *band = tu_xmalloc(row * 7);
        for (int y = first.height - 1; y >= 0; y -= 4) { /* backward: other tiles first */
            int rows = first.height - y < 7 ? first.height - y : 7;
            tessel_image dst = tessel_image_view(band, first.width, rows, first.channels,
                                                 first.dtype);
            if (tessel_tiff_reader_read_rows(r, y, &dst) != TESSEL_OK ||
                memcmp(band, (unsigned char *)first.data + (size_t)y * row, row * rows) != 0)
                tu_fail("tile left short", "rows %d.. by bands differ from the whole read", y);
        }
        free(band);
    }
#ifdef M_PERTURB
    mallopt(M_PERTURB, 0);
#endif
    tessel_tiff_reader_close(r);
    tessel_image_free(&first);
    tessel_image_free(&second);
}

/* ---------------------------------------------- truncated and corrupted */

static const tf_spec damaged_sources[] = {
    {40, 30, 3, 16, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 0, 0, 0, 4, COMPRESSION_ADOBE_DEFLATE,
     PREDICTOR_HORIZONTAL, 0, 0, 0},
    {50, 33, 1, 32, SAMPLEFORMAT_IEEEFP, PHOTOMETRIC_MINISBLACK, 0, 16, 16, 0, COMPRESSION_LZW,
     0, 1, 0, 0},
    {30, 20, 4, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_RGB, 1, 0, 0, 3, COMPRESSION_NONE, 0, 0, 1, 1},
    {35, 25, 2, 8, SAMPLEFORMAT_UINT, PHOTOMETRIC_MINISBLACK, 1, 16, 16, 0, COMPRESSION_PACKBITS,
     0, 1, 1, 1},
};

static void test_damaged_files(tu_rng *rng)
{
    const char *source = tf_path("source.tif"), *path = tf_path("damaged.tif");
    for (size_t k = 0; k < sizeof damaged_sources / sizeof damaged_sources[0]; ++k) {
        void *data = tf_random_samples(&damaged_sources[k], rng);
        int written = tf_write(source, &damaged_sources[k], data) == 0;
        free(data);
        size_t size = 0;
        unsigned char *bytes = written ? tf_read_file(source, &size) : NULL;
        if (!bytes) continue;
        /* cut short: the directory (written last) is lost or cut */
        size_t cuts[] = {1, 4, 7, 8, 9, 16, size / 3, size / 2, size - 20, size - 1};
        for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; ++i) {
            tf_write_file(path, bytes, cuts[i]);
            char what[80];
            snprintf(what, sizeof what, "source %zu cut to %zu of %zu bytes", k, cuts[i], size);
            expect_read_failure(what, path, TESSEL_OK, NULL);
        }
        /* random bytes changed: any outcome but a crash; failures explained */
        unsigned char *copy = tu_xmalloc(size);
        for (int trial = 0; trial < 150; ++trial) {
            memcpy(copy, bytes, size);
            int changes = tu_rng_int(rng, 1, 3);
            for (int c = 0; c < changes; ++c) {
                size_t at = trial % 2 ? (size_t)tu_rng_int(rng, 0, (int)size - 1)
                                      : size - 1 - (size_t)tu_rng_int(rng, 0, (int)(size / 4));
                copy[at] = (unsigned char)tu_rng_next(rng);
            }
            tf_write_file(path, copy, size);
            tessel_image img = {0};
            tessel_status s = tessel_image_read(path, &img);
            if (s != TESSEL_OK && !strstr(tessel_last_error(), path))
                tu_fail("corrupted file", "message \"%s\" does not name the file",
                        tessel_last_error());
            tessel_image_free(&img);
        }
        free(copy);
        free(bytes);
    }
    unlink(source);
    unlink(path);
}

/* ------------------------------------------------------------------ misuse */

static void test_reader_misuse(tu_rng *rng)
{
    tessel_tiff_reader *reader = (tessel_tiff_reader *)1;
    expect_failure("reader open NULL path", tessel_tiff_reader_open(NULL, &reader),
                   TESSEL_ERR_NULL_POINTER, NULL, NULL);
    if (reader) tu_fail("reader open NULL path", "did not clear the handle");
    expect_failure("reader open NULL handle", tessel_tiff_reader_open("x.tif", NULL),
                   TESSEL_ERR_NULL_POINTER, NULL, NULL);
    const char *missing = tf_path("missing.tif");
    expect_failure("reader open missing", tessel_tiff_reader_open(missing, &reader), TESSEL_ERR_IO,
                   missing, "cannot open");
    tessel_tiff_reader_close(NULL);

    tu_image img;
    tu_image_alloc(&img, 20, 10, 2, TESSEL_U16, TU_PACKED);
    tu_image_fill_random(&img, rng);
    const char *path = tf_path("misuse.tif");
    if (tessel_image_write(path, &img.view, NULL) != TESSEL_OK ||
        tessel_tiff_reader_open(path, &reader) != TESSEL_OK) {
        tu_fail("reader misuse", "setup failed: %s", tessel_last_error());
        tu_image_free(&img);
        return;
    }
    uint16_t buf[20 * 2 * 12];
    tessel_image band = tessel_image_view(buf, 20, 3, 2, TESSEL_U16);
    expect_failure("rows before 0", tessel_tiff_reader_read_rows(reader, -1, &band),
                   TESSEL_ERR_BAD_SIZE, path, "not all inside");
    expect_failure("rows past the end", tessel_tiff_reader_read_rows(reader, 8, &band),
                   TESSEL_ERR_BAD_SIZE, path, "not all inside");
    tessel_image wrong = band;
    wrong.dtype = TESSEL_U8;
    expect_failure("wrong dtype", tessel_tiff_reader_read_rows(reader, 0, &wrong),
                   TESSEL_ERR_BAD_SIZE, path, "u16");
    wrong = tessel_image_view(buf, 19, 3, 2, TESSEL_U16);
    expect_failure("wrong width", tessel_tiff_reader_read_rows(reader, 0, &wrong),
                   TESSEL_ERR_BAD_SIZE, path, "20 wide");
    wrong = tessel_image_view(buf, 20, 3, 3, TESSEL_U16);
    expect_failure("wrong channels", tessel_tiff_reader_read_rows(reader, 0, &wrong),
                   TESSEL_ERR_BAD_SIZE, path, "channels");
    wrong = tessel_image_view(NULL, 20, 3, 2, TESSEL_U16);
    expect_failure("no data", tessel_tiff_reader_read_rows(reader, 0, &wrong),
                   TESSEL_ERR_NULL_POINTER, path, NULL);
    expect_failure("NULL reader", tessel_tiff_reader_read_rows(NULL, 0, &band),
                   TESSEL_ERR_NULL_POINTER, NULL, NULL);
    expect_failure("NULL shape", tessel_tiff_reader_shape(reader, NULL), TESSEL_ERR_NULL_POINTER,
                   NULL, NULL);
    /* still usable after the refusals */
    if (tessel_tiff_reader_read_rows(reader, 7, &band) != TESSEL_OK ||
        memcmp(buf, (uint16_t *)img.view.data + 7 * 40, 3 * 40 * sizeof(uint16_t)) != 0)
        tu_fail("reader after refusals", "rows 7..9 wrong: %s", tessel_last_error());
    tessel_tiff_reader_close(reader);
    unlink(path);
    tu_image_free(&img);
}

static void expect_open_refused(const char *what, const tessel_image *shape,
                                const tessel_write_options *o, tessel_status want,
                                const char *needle)
{
    const char *path = tf_path("refused.tif");
    tessel_tiff_writer *writer = (tessel_tiff_writer *)1;
    expect_failure(what, tessel_tiff_writer_open(path, shape, o, &writer), want, path, needle);
    if (writer) tu_fail(what, "a failed open left a writer");
    expect_nothing_at(what, path);
}

static void test_writer_options(void)
{
    tessel_image shape = tessel_image_view(NULL, 10, 10, 1, TESSEL_U8);
    tessel_write_options o = {0};
    o.tile_width = 10, o.tile_height = 16;
    expect_open_refused("tile width 10", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "of 16");
    o.tile_width = 16, o.tile_height = 0;
    expect_open_refused("tile height 0", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "of 16");
    o.tile_width = 8192, o.tile_height = 16;
    expect_open_refused("tile width 8192", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "4096");
    memset(&o, 0, sizeof o);
    o.compression = (tessel_compression)9;
    expect_open_refused("compression 9", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "compression");
    o.compression = TESSEL_COMPRESSION_DEFAULT;
    o.bigtiff = 2;
    expect_open_refused("bigtiff 2", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "bigtiff");
    o.bigtiff = 0;
    o.format = TESSEL_FORMAT_PNG;
    expect_open_refused("format png", &shape, &o, TESSEL_ERR_INVALID_ARGUMENT, "TIFF");
    tessel_image bad = shape;
    bad.channels = 5;
    expect_open_refused("5 channels", &bad, NULL, TESSEL_ERR_BAD_SIZE, "channels");
    bad = shape;
    bad.width = 0;
    expect_open_refused("width 0", &bad, NULL, TESSEL_ERR_BAD_SIZE, NULL);
    bad = shape;
    bad.dtype = (tessel_dtype)7;
    expect_open_refused("dtype 7", &bad, NULL, TESSEL_ERR_INVALID_ARGUMENT, NULL);
    expect_open_refused("NULL shape", NULL, NULL, TESSEL_ERR_NULL_POINTER, NULL);
    /* the whole-image write checks the same options */
    uint8_t pixels[100] = {1};
    tessel_image img = tessel_image_view(pixels, 10, 10, 1, TESSEL_U8);
    memset(&o, 0, sizeof o);
    o.tile_width = o.tile_height = 24;
    const char *path = tf_path("options.tif");
    expect_failure("image write, tiles 24", tessel_image_write(path, &img, &o),
                   TESSEL_ERR_INVALID_ARGUMENT, path, "multiples of 16");
    expect_nothing_at("image write, tiles 24", path);
    const char *nowhere = tf_path("no/such/folder.tif");
    expect_failure("missing folder", tessel_image_write(nowhere, &img, NULL), TESSEL_ERR_IO,
                   nowhere, NULL);
}

static void test_writer_misuse(tu_rng *rng)
{
    tu_image img;
    tu_image_alloc(&img, 33, 20, 3, TESSEL_F32, TU_PADDED);
    tu_image_fill_random(&img, rng);
    const char *path = tf_path("partial.tif");
    for (int tiled = 0; tiled < 2; ++tiled) {
        tessel_write_options o = {0};
        o.tile_width = o.tile_height = tiled ? 16 : 0;
        tessel_tiff_writer *writer = NULL;
        if (tessel_tiff_writer_open(path, &img.view, &o, &writer) != TESSEL_OK) {
            tu_fail("writer misuse", "open: %s", tessel_last_error());
            continue;
        }
        tessel_image band = img.view;
        band.height = 5;
        expect_failure("rows out of order", tessel_tiff_writer_write_rows(writer, 5, &band),
                       TESSEL_ERR_INVALID_ARGUMENT, path, "in order");
        tessel_image narrow = band;
        narrow.width = 32;
        expect_failure("narrow rows", tessel_tiff_writer_write_rows(writer, 0, &narrow),
                       TESSEL_ERR_BAD_SIZE, path, "33 wide");
        if (tessel_tiff_writer_write_rows(writer, 0, &band) != TESSEL_OK)
            tu_fail("writer misuse", "rows 0..4: %s", tessel_last_error());
        band.height = 16;
        expect_failure("rows past the end", tessel_tiff_writer_write_rows(writer, 5, &band),
                       TESSEL_ERR_BAD_SIZE, path, "past");
        struct stat st;
        if (stat(path, &st) == 0) tu_fail("before finish", "the target exists already");
        expect_failure("finish with rows missing", tessel_tiff_writer_finish(writer),
                       TESSEL_ERR_INVALID_ARGUMENT, path, "only 5 of");
        expect_nothing_at("finish with rows missing", path);
        if (tessel_tiff_writer_open(path, &img.view, &o, &writer) == TESSEL_OK) {
            band.height = 20;
            tessel_tiff_writer_write_rows(writer, 0, &band);
            tessel_tiff_writer_abort(writer);
            expect_nothing_at("abort", path);
        }
    }
    tessel_tiff_writer_abort(NULL);
    expect_failure("finish NULL", tessel_tiff_writer_finish(NULL), TESSEL_ERR_NULL_POINTER, NULL,
                   NULL);
    /* an existing target: refused without overwrite, replaced with it */
    tf_write_file(path, "old", 3);
    expect_failure("existing target", tessel_image_write(path, &img.view, NULL), TESSEL_ERR_IO,
                   path, "already exists");
    tessel_write_options o = {0};
    o.overwrite = 1;
    tessel_image back = {0};
    if (tessel_image_write(path, &img.view, &o) != TESSEL_OK ||
        tessel_image_read(path, &back) != TESSEL_OK)
        tu_fail("overwrite", "%s", tessel_last_error());
    tessel_image_free(&back);
    unlink(path);
    tu_image_free(&img);
}

/* A file size limit makes a write fail midway: an I/O error, nothing left. */
static void test_failure_mid_write(tu_rng *rng)
{
    tu_image img;
    tu_image_alloc(&img, 300, 200, 3, TESSEL_U16, TU_PACKED);
    tu_image_fill_random(&img, rng);
    if (tu_file_size_limit_lower(20000) != 0) {
        printf("note: cannot lower RLIMIT_FSIZE, mid-write failure not tested\n");
    } else {
        for (int tiled = 0; tiled < 2; ++tiled) {
            tessel_write_options o = {0};
            o.compression = TESSEL_COMPRESSION_NONE;
            o.tile_width = o.tile_height = tiled ? 64 : 0;
            const char *path = tf_path("too_big.tif");
            expect_failure(tiled ? "mid-write failure, tiles" : "mid-write failure, strips",
                           tessel_image_write(path, &img.view, &o), TESSEL_ERR_IO, path, NULL);
            expect_nothing_at("mid-write failure", path);
        }
        tu_file_size_limit_restore();
    }
    tu_image_free(&img);
}

/* ----------------------------------------------------------------- threads */

typedef struct thread_job {
    char path[1024], bad_path[1024]; /* made before the threads start: tf_path is not thread-safe */
    int index;
    int errors;
} thread_job;

/* Round trips and failures on one thread's own files: the messages of
 * one thread must never show up in another's. */
static void *thread_main(void *arg)
{
    thread_job *job = arg;
    tf_write_file(job->bad_path, "II*\0\x08\0\0\0\xff\xff", 10);
    uint16_t pixels[64 * 48];
    for (int i = 0; i < 64 * 48; ++i) pixels[i] = (uint16_t)(i * 31 + job->index * 7919);
    tessel_image img = tessel_image_view(pixels, 64, 48, 1, TESSEL_U16);
    tessel_write_options o = {0};
    o.overwrite = 1;
    for (int round = 0; round < 25; ++round) {
        o.compression = (tessel_compression)(round % 4);
        o.tile_width = o.tile_height = round % 2 ? 16 : 0;
        tessel_image back = {0};
        if (tessel_image_write(job->path, &img, &o) != TESSEL_OK ||
            tessel_image_read(job->path, &back) != TESSEL_OK ||
            memcmp(back.data, pixels, sizeof pixels) != 0)
            job->errors++;
        tessel_image_free(&back);
        if (tessel_image_read(job->bad_path, &back) == TESSEL_OK ||
            !strstr(tessel_last_error(), job->bad_path))
            job->errors++;
    }
    unlink(job->path);
    unlink(job->bad_path);
    return NULL;
}

static void test_threads(void)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int i = 0; i < THREADS; ++i) {
        char name[64];
        snprintf(name, sizeof name, "thread%d.tif", i);
        snprintf(jobs[i].path, sizeof jobs[i].path, "%s", tf_path(name));
        snprintf(name, sizeof name, "thread%d_bad.tif", i);
        snprintf(jobs[i].bad_path, sizeof jobs[i].bad_path, "%s", tf_path(name));
        jobs[i].index = i;
        jobs[i].errors = 0;
    }
    for (int i = 0; i < THREADS; ++i) pthread_create(&threads[i], NULL, thread_main, &jobs[i]);
    for (int i = 0; i < THREADS; ++i) {
        pthread_join(threads[i], NULL);
        if (jobs[i].errors) tu_fail("threads", "thread %d: %d errors", i, jobs[i].errors);
    }
}

/* ------------------------------------------------------------------- main */

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 0xE44);
    tf_make_temp_dir("tessel_test_tiff_errors");
    /* stderr into a file: whatever libtiff might print lands there */
    fflush(stderr);
    int saved_stderr = dup(2);
    const char *captured = tf_path("stderr.txt");
    int capture = open(captured, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(capture, 2);
    close(capture);

    test_unsupported(&rng);
    test_not_tiff();
    test_lying_headers();
    test_lying_sizes_by_bands();
    test_tile_left_short();
    test_damaged_files(&rng);
    test_reader_misuse(&rng);
    test_writer_options();
    test_writer_misuse(&rng);
    test_failure_mid_write(&rng);
    test_threads();

    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    size_t printed = 0;
    unsigned char *text = tf_read_file(tf_path("stderr.txt"), &printed);
    if (printed > 0)
        tu_fail("quiet", "%zu bytes reached stderr, starting: %.300s", printed, (char *)text);
    free(text);
    if (tf_has_temporaries()) tu_fail("atomic writes", "a temporary file was left behind");
    tf_remove_temp_dir();
    if (tu_failures()) {
        printf("%d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_tiff_errors: all passed\n");
    return 0;
}
