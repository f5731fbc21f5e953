/* TIFF strips and tiles deflated on worker threads. libtiff would encode
 * them one at a time on the writing thread; here tessel applies the same
 * predictor libtiff applies (horizontal differencing of 8 and 16-bit
 * samples, or the floating-point predictor's byte planes), compresses with
 * libdeflate on a pool of threads, and gives libtiff the bytes to write
 * (TIFFWriteRawStrip, TIFFWriteRawTile). A TIFF reader cannot tell the
 * difference: the samples are in the file's (host) byte order and each
 * chunk is a zlib stream. Memory: two buffers per chunk in flight. */
#include "tiff_deflate.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/pool.h"

struct tessel_tiff_deflate {
    tessel_dtype dtype;
    int channels;
    int capacity; /* chunks per call */
    size_t out_bytes;
    tessel_pool *pool;
    struct libdeflate_compressor **compressors; /* one per pool worker */
    unsigned char **out;                        /* one per chunk */
    unsigned char **scratch;                    /* one per worker: a row */
    size_t *out_size;
    const tessel_tiff_chunk *chunks; /* the current call's */
};

/* libtiff's horizontal predictor: each sample minus the one a pixel before,
 * from a copy of the row so that the loop runs forward and vectorises. */
static void difference_row(unsigned char *row, size_t row_bytes, tessel_dtype dtype, int channels,
                           unsigned char *scratch)
{
    size_t stride = (size_t)channels;
    memcpy(scratch, row, row_bytes);
    if (dtype == TESSEL_U16) {
        uint16_t *d = (uint16_t *)row;
        const uint16_t *s = (const uint16_t *)scratch;
        for (size_t i = stride; i < row_bytes / 2; ++i) d[i] = (uint16_t)(s[i] - s[i - stride]);
        return;
    }
    for (size_t i = stride; i < row_bytes; ++i)
        row[i] = (unsigned char)(scratch[i] - scratch[i - stride]);
}

/* libtiff's floating-point predictor: the row's bytes regrouped as planes,
 * most significant byte first, then each byte minus the one a pixel before. */
static void float_difference_row(unsigned char *row, size_t row_bytes, int channels,
                                 unsigned char *scratch)
{
    const uint32_t one = 1;
    size_t top = *(const unsigned char *)&one ? 3 : 0; /* the most significant byte's place */
    size_t words = row_bytes / 4;
    memcpy(scratch, row, row_bytes);
    for (size_t w = 0; w < words; ++w)
        for (size_t b = 0; b < 4; ++b) row[b * words + w] = scratch[4 * w + (top ? top - b : b)];
    size_t stride = (size_t)channels;
    for (size_t i = stride; i < row_bytes; ++i)
        scratch[i] = (unsigned char)(row[i] - row[i - stride]);
    memcpy(row + stride, scratch + stride, row_bytes - stride);
}

static void compress_chunk(void *arg, int task, int worker)
{
    tessel_tiff_deflate *d = arg;
    const tessel_tiff_chunk *c = &d->chunks[task];
    for (int y = 0; y < c->rows; ++y) {
        unsigned char *row = c->data + (size_t)y * c->row_bytes;
        if (d->dtype == TESSEL_F32)
            float_difference_row(row, c->row_bytes, d->channels, d->scratch[worker]);
        else
            difference_row(row, c->row_bytes, d->dtype, d->channels, d->scratch[worker]);
    }
    d->out_size[task] =
        libdeflate_zlib_compress(d->compressors[worker], c->data, (size_t)c->rows * c->row_bytes,
                                 d->out[task], d->out_bytes);
}

void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d)
{
    if (!d) return;
    int workers = d->pool ? tessel_pool_threads(d->pool) : 0;
    tessel_pool_destroy(d->pool);
    for (int i = 0; d->compressors && i < workers; ++i) {
        libdeflate_free_compressor(d->compressors[i]);
        free(d->scratch[i]);
    }
    for (int i = 0; d->out && i < d->capacity; ++i) free(d->out[i]);
    free(d->compressors);
    free(d->scratch);
    free(d->out);
    free(d->out_size);
    free(d);
}

tessel_tiff_deflate *tessel_tiff_deflate_create(tessel_dtype dtype, int channels, int level,
                                                size_t max_bytes, int chunks, int threads)
{
    tessel_tiff_deflate *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->dtype = dtype;
    d->channels = channels;
    d->capacity = chunks;
    d->pool = tessel_pool_create(threads);
    int workers = d->pool ? tessel_pool_threads(d->pool) : 0;
    d->compressors = calloc((size_t)workers, sizeof *d->compressors);
    d->scratch = calloc((size_t)workers, sizeof *d->scratch);
    d->out = calloc((size_t)chunks, sizeof *d->out);
    d->out_size = calloc((size_t)chunks, sizeof *d->out_size);
    int ok = d->pool && d->compressors && d->scratch && d->out && d->out_size;
    for (int i = 0; ok && i < workers; ++i) {
        d->compressors[i] = libdeflate_alloc_compressor(level);
        d->scratch[i] = malloc(max_bytes);
        ok = d->compressors[i] && d->scratch[i];
    }
    d->out_bytes = ok ? libdeflate_zlib_compress_bound(d->compressors[0], max_bytes) : 0;
    for (int i = 0; ok && i < chunks; ++i) ok = (d->out[i] = malloc(d->out_bytes)) != NULL;
    if (ok) return d;
    tessel_tiff_deflate_destroy(d);
    return NULL;
}

int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d)
{
    return d->capacity;
}

int tessel_tiff_deflate_write(tessel_tiff_deflate *d, TIFF *tif, int tiled, uint32_t first,
                              const tessel_tiff_chunk *chunks, int count)
{
    d->chunks = chunks;
    tessel_pool_run(d->pool, count, compress_chunk, d);
    d->chunks = NULL;
    for (int i = 0; i < count; ++i) {
        tmsize_t n = (tmsize_t)d->out_size[i];
        tmsize_t written = n == 0  ? -1 /* never: the buffer has deflate's bound */
                           : tiled ? TIFFWriteRawTile(tif, first + (uint32_t)i, d->out[i], n)
                                   : TIFFWriteRawStrip(tif, first + (uint32_t)i, d->out[i], n);
        if (written != n) return i + 1;
    }
    return 0;
}
