/* TIFF strips and tiles deflated on worker threads. libtiff would encode
 * them one at a time on the writing thread; here tessel applies the same
 * predictor libtiff applies (horizontal differencing of 8 and 16-bit
 * samples, or the floating-point predictor's byte planes), compresses with
 * libdeflate on a pool of threads, and gives libtiff the bytes to write
 * (TIFFWriteRawStrip, TIFFWriteRawTile). A TIFF reader cannot tell the
 * difference: the samples are in the file's (host) byte order and each
 * chunk is a zlib stream.
 *
 * A group of chunks is compressed by a thread of its own (with the pool's
 * helpers) while the writer fills the next group, so reading, filtering
 * and copying rows overlap compression; the group is written when the next
 * one is handed over, or at the end. Memory: the writer's two groups and
 * one compressed copy. A build without libdeflate compiles
 * tiff_deflate_missing.c instead. */
#include "tiff_deflate.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/pool.h"

struct tessel_tiff_deflate {
    tessel_dtype dtype;
    int channels;
    int capacity; /* chunks per group */
    size_t out_bytes;
    tessel_pool *pool;
    struct libdeflate_compressor **compressors; /* one per pool worker */
    unsigned char **out;                        /* one per chunk */
    unsigned char **scratch;                    /* one per worker: a row */
    size_t *out_size;
    /* the group handed over: compressed by `thread`, then written */
    tessel_tiff_chunk *group;
    int count, tiled;
    uint32_t first;
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    int pending;    /* handed over, not compressed yet */
    int compressed; /* compressed, not written yet */
    int quit;
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
    const tessel_tiff_chunk *c = &d->group[task];
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

/* The compressing thread: one group at a time, on the pool. */
static void *compress_groups(void *arg)
{
    tessel_tiff_deflate *d = arg;
    pthread_mutex_lock(&d->lock);
    for (;;) {
        while (!d->pending && !d->quit) pthread_cond_wait(&d->wake, &d->lock);
        if (!d->pending) break;
        pthread_mutex_unlock(&d->lock);
        tessel_pool_run(d->pool, d->count, compress_chunk, d);
        pthread_mutex_lock(&d->lock);
        d->pending = 0;
        d->compressed = 1;
        pthread_cond_signal(&d->done);
    }
    pthread_mutex_unlock(&d->lock);
    return NULL;
}

/* Waits for the group handed over and writes it: 0, or the strip or tile
 * whose write failed, plus one. */
static uint32_t drain(tessel_tiff_deflate *d, TIFF *tif)
{
    pthread_mutex_lock(&d->lock);
    while (d->pending) pthread_cond_wait(&d->done, &d->lock);
    int compressed = d->compressed;
    d->compressed = 0;
    pthread_mutex_unlock(&d->lock);
    for (int i = 0; compressed && i < d->count; ++i) {
        uint32_t index = d->first + (uint32_t)i;
        tmsize_t n = (tmsize_t)d->out_size[i];
        tmsize_t written = n == 0     ? -1 /* never: the buffer has deflate's bound */
                           : d->tiled ? TIFFWriteRawTile(tif, index, d->out[i], n)
                                      : TIFFWriteRawStrip(tif, index, d->out[i], n);
        if (written != n) return index + 1;
    }
    return 0;
}

void tessel_tiff_deflate_destroy(tessel_tiff_deflate *d)
{
    if (!d) return;
    if (d->started) {
        pthread_mutex_lock(&d->lock);
        d->quit = 1;
        pthread_cond_signal(&d->wake);
        pthread_mutex_unlock(&d->lock);
        pthread_join(d->thread, NULL);
    }
    pthread_mutex_destroy(&d->lock);
    pthread_cond_destroy(&d->wake);
    pthread_cond_destroy(&d->done);
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
    free(d->group);
    free(d);
}

/* The compressors, scratch rows and output buffers; 0 when out of memory. */
static int allocate(tessel_tiff_deflate *d, int level, size_t max_bytes, int chunks)
{
    int workers = d->pool ? tessel_pool_threads(d->pool) : 0;
    d->compressors = calloc((size_t)workers, sizeof *d->compressors);
    d->scratch = calloc((size_t)workers, sizeof *d->scratch);
    d->out = calloc((size_t)chunks, sizeof *d->out);
    d->out_size = calloc((size_t)chunks, sizeof *d->out_size);
    d->group = calloc((size_t)chunks, sizeof *d->group);
    int ok = d->pool && d->compressors && d->scratch && d->out && d->out_size && d->group;
    for (int i = 0; ok && i < workers; ++i) {
        d->compressors[i] = libdeflate_alloc_compressor(level);
        d->scratch[i] = malloc(max_bytes);
        ok = d->compressors[i] && d->scratch[i];
    }
    d->out_bytes = ok ? libdeflate_zlib_compress_bound(d->compressors[0], max_bytes) : 0;
    for (int i = 0; ok && i < chunks; ++i) ok = (d->out[i] = malloc(d->out_bytes)) != NULL;
    return ok;
}

int tessel_tiff_deflate_available(void)
{
    return 1;
}

tessel_tiff_deflate *tessel_tiff_deflate_create(tessel_dtype dtype, int channels, int level,
                                                size_t max_bytes, int chunks, int threads)
{
    tessel_tiff_deflate *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->dtype = dtype;
    d->channels = channels;
    d->capacity = chunks;
    pthread_mutex_init(&d->lock, NULL);
    pthread_cond_init(&d->wake, NULL);
    pthread_cond_init(&d->done, NULL);
    d->pool = tessel_pool_create(threads);
    if (allocate(d, level, max_bytes, chunks) &&
        pthread_create(&d->thread, NULL, compress_groups, d) == 0) {
        d->started = 1;
        return d;
    }
    tessel_tiff_deflate_destroy(d);
    return NULL;
}

int tessel_tiff_deflate_capacity(const tessel_tiff_deflate *d)
{
    return d->capacity;
}

uint32_t tessel_tiff_deflate_submit(tessel_tiff_deflate *d, TIFF *tif, int tiled, uint32_t first,
                                    const tessel_tiff_chunk *chunks, int count)
{
    uint32_t failed = drain(d, tif);
    if (failed) return failed;
    memcpy(d->group, chunks, (size_t)count * sizeof *chunks);
    d->count = count;
    d->tiled = tiled;
    d->first = first;
    pthread_mutex_lock(&d->lock);
    d->pending = 1;
    pthread_cond_signal(&d->wake);
    pthread_mutex_unlock(&d->lock);
    return 0;
}

uint32_t tessel_tiff_deflate_finish(tessel_tiff_deflate *d, TIFF *tif)
{
    return drain(d, tif);
}
