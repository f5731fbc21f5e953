/* TIFF files written by libtiff for the TIFF tests (see tiff_files.h). */
#define _GNU_SOURCE /* mkdtemp */

#include "tiff_files.h"

#include <dirent.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

size_t tf_sample_bytes(const tf_spec *spec)
{
    return (size_t)(spec->bits + 7) / 8;
}

size_t tf_image_bytes(const tf_spec *spec)
{
    return (size_t)spec->width * (size_t)spec->height * (size_t)spec->samples *
           tf_sample_bytes(spec);
}

void *tf_random_samples(const tf_spec *spec, tu_rng *rng)
{
    size_t n = (size_t)spec->width * (size_t)spec->height * (size_t)spec->samples;
    size_t bytes = tf_sample_bytes(spec);
    unsigned char *data = tu_xmalloc(n * bytes + 1);
    for (size_t i = 0; i < n; ++i) {
        unsigned char *p = data + i * bytes;
        if (spec->sample_format == SAMPLEFORMAT_IEEEFP && bytes == 4) {
            float v = (float)tu_rng_uniform(rng, -1, 1);
            if (i % 13 == 5) v *= 1e6f;
            memcpy(p, &v, 4);
        } else if (spec->sample_format == SAMPLEFORMAT_IEEEFP && bytes == 8) {
            double v = tu_rng_uniform(rng, -1000, 1000);
            if (i % 17 == 3) v = (i % 2 ? 1e300 : -1e300); /* beyond float: infinities */
            memcpy(p, &v, 8);
        } else {
            uint64_t r = tu_rng_next(rng);
            memcpy(p, &r, bytes);
        }
    }
    return data;
}

/* One plane (sample s) of interleaved data, or the data itself. */
static const unsigned char *plane_of(const tf_spec *spec, const unsigned char *data, int s,
                                     unsigned char *scratch)
{
    if (!spec->separate) return data;
    size_t bytes = tf_sample_bytes(spec), pixels = (size_t)spec->width * (size_t)spec->height;
    for (size_t i = 0; i < pixels; ++i)
        memcpy(scratch + i * bytes, data + (i * (size_t)spec->samples + (size_t)s) * bytes, bytes);
    return scratch;
}

static int set_tags(TIFF *tif, const tf_spec *spec)
{
    int ok = TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)spec->width) &&
             TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)spec->height) &&
             TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, spec->samples) &&
             TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, spec->bits) &&
             TIFFSetField(tif, TIFFTAG_SAMPLEFORMAT, spec->sample_format) &&
             TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, spec->photometric) &&
             TIFFSetField(tif, TIFFTAG_PLANARCONFIG,
                          spec->separate ? PLANARCONFIG_SEPARATE : PLANARCONFIG_CONTIG) &&
             TIFFSetField(tif, TIFFTAG_COMPRESSION, spec->compression);
    if (ok && spec->predictor) ok = TIFFSetField(tif, TIFFTAG_PREDICTOR, spec->predictor);
    if (ok && spec->alpha) {
        uint16_t extra = EXTRASAMPLE_UNASSALPHA;
        ok = TIFFSetField(tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
    }
    if (ok && spec->photometric == PHOTOMETRIC_PALETTE) {
        static uint16_t map[256];
        for (int i = 0; i < 256; ++i) map[i] = (uint16_t)(i * 257);
        ok = spec->bits <= 8 && TIFFSetField(tif, TIFFTAG_COLORMAP, map, map, map);
    }
    if (ok && spec->tile_width)
        return TIFFSetField(tif, TIFFTAG_TILEWIDTH, (uint32_t)spec->tile_width) &&
               TIFFSetField(tif, TIFFTAG_TILELENGTH, (uint32_t)spec->tile_height);
    uint32_t rows = spec->rows_per_strip ? (uint32_t)spec->rows_per_strip : (uint32_t)spec->height;
    return ok && TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, rows);
}

/* One plane's tiles, partial ones padded with a constant. */
static int write_tiles(TIFF *tif, const tf_spec *spec, const unsigned char *plane, int s)
{
    size_t bytes = tf_sample_bytes(spec) * (size_t)(spec->separate ? 1 : spec->samples);
    size_t tile_row = (size_t)spec->tile_width * bytes;
    unsigned char *tile = tu_xmalloc(tile_row * (size_t)spec->tile_height);
    int ok = 1;
    for (int y = 0; ok && y < spec->height; y += spec->tile_height) {
        for (int x = 0; ok && x < spec->width; x += spec->tile_width) {
            memset(tile, 0x5A, tile_row * (size_t)spec->tile_height);
            for (int i = 0; i < spec->tile_height && y + i < spec->height; ++i) {
                int n = spec->width - x < spec->tile_width ? spec->width - x : spec->tile_width;
                memcpy(tile + (size_t)i * tile_row,
                       plane + ((size_t)(y + i) * (size_t)spec->width + (size_t)x) * bytes,
                       (size_t)n * bytes);
            }
            ok = TIFFWriteTile(tif, tile, (uint32_t)x, (uint32_t)y, 0, (uint16_t)s) >= 0;
        }
    }
    free(tile);
    return ok;
}

static int write_scanlines(TIFF *tif, const tf_spec *spec, const unsigned char *plane, int s)
{
    size_t row = (size_t)spec->width * tf_sample_bytes(spec) *
                 (size_t)(spec->separate ? 1 : spec->samples);
    unsigned char *buf = tu_xmalloc(row); /* the predictor changes what it encodes */
    int ok = 1;
    for (int y = 0; ok && y < spec->height; ++y) {
        memcpy(buf, plane + (size_t)y * row, row);
        ok = TIFFWriteScanline(tif, buf, (uint32_t)y, (uint16_t)s) >= 0;
    }
    free(buf);
    return ok;
}

int tf_write(const char *path, const tf_spec *spec, const void *data)
{
    char mode[8];
    snprintf(mode, sizeof mode, "w%s%s", spec->big_endian ? "b" : "l", spec->bigtiff ? "8" : "");
    TIFF *tif = TIFFOpen(path, mode);
    if (!tif) {
        tu_fail(path, "libtiff cannot create the test file");
        return -1;
    }
    int ok = set_tags(tif, spec);
    unsigned char *scratch = tu_xmalloc(tf_image_bytes(spec) + 1);
    int planes = spec->separate ? spec->samples : 1;
    for (int s = 0; ok && s < planes; ++s) {
        const unsigned char *plane = plane_of(spec, data, s, scratch);
        ok = spec->tile_width ? write_tiles(tif, spec, plane, s)
                              : write_scanlines(tif, spec, plane, s);
    }
    free(scratch);
    if (ok) ok = TIFFWriteDirectory(tif);
    TIFFClose(tif);
    if (!ok) tu_fail(path, "libtiff failed to write the test file");
    return ok ? 0 : -1;
}

tessel_image tf_expected(const tf_spec *spec, const void *data)
{
    size_t n = (size_t)spec->width * (size_t)spec->height * (size_t)spec->samples;
    tessel_dtype dtype = spec->sample_format == SAMPLEFORMAT_IEEEFP ? TESSEL_F32
                         : spec->bits == 8                          ? TESSEL_U8
                                                                    : TESSEL_U16;
    void *out = tu_xmalloc(n * tessel_dtype_size(dtype) + 1);
    if (spec->bits == 64) {
        const double *d = data;
        for (size_t i = 0; i < n; ++i)
            ((float *)out)[i] = d[i] > FLT_MAX ? INFINITY : d[i] < -FLT_MAX ? -INFINITY
                                                                              : (float)d[i];
    } else {
        memcpy(out, data, n * tessel_dtype_size(dtype));
    }
    return tessel_image_view(out, spec->width, spec->height, spec->samples, dtype);
}

/* ------------------------------------------------------------------ files */

static char temp_dir[512];

const char *tf_make_temp_dir(const char *test_name)
{
    const char *base = getenv("TMPDIR");
    snprintf(temp_dir, sizeof temp_dir, "%s/%s_XXXXXX", base && *base ? base : "/tmp", test_name);
    if (!mkdtemp(temp_dir)) {
        perror("mkdtemp");
        exit(2);
    }
    return temp_dir;
}

const char *tf_path(const char *name)
{
    static char paths[4][1024];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "%s/%s", temp_dir, name);
    return p;
}

void tf_remove_temp_dir(void)
{
    DIR *d = opendir(temp_dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        unlink(tf_path(e->d_name));
    }
    closedir(d);
    rmdir(temp_dir);
}

int tf_has_temporaries(void)
{
    DIR *d = opendir(temp_dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) found |= strstr(e->d_name, ".tessel-") != NULL;
    closedir(d);
    return found;
}

unsigned char *tf_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = n >= 0 ? tu_xmalloc((size_t)n + 1) : NULL;
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = data ? (size_t)n : 0;
    return data;
}

int tf_write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t put = fwrite(data, 1, n, f);
    return fclose(f) == 0 && put == n ? 0 : -1;
}
