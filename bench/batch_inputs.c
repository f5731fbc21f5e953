/* The input folder of tessel-batch-bench (see batch_inputs.h). Each image
 * is smooth structure plus noise, so PNG compresses it about as much as a
 * photograph, and decoding and encoding cost what they would in real use. */
#include "batch_inputs.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench_util.h"
#include "tessel/tessel_io.h"

/* Creates path and its missing parents. */
static int make_folder(const char *path)
{
    char part[1024];
    snprintf(part, sizeof part, "%s", path);
    for (char *p = part + 1;; ++p) {
        char kept = *p;
        if (kept != '/' && kept != '\0') continue;
        *p = '\0';
        if (mkdir(part, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "tessel-batch-bench: cannot create %s: %s\n", part, strerror(errno));
            return -1;
        }
        *p = kept;
        if (!kept) return 0;
    }
}

char **batch_paths(const char *folder, const char *sub, int count)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", folder, sub);
    if (make_folder(folder) || make_folder(dir)) return NULL;
    char **paths = calloc((size_t)count, sizeof *paths);
    for (int i = 0; paths && i < count; ++i) {
        paths[i] = malloc(strlen(dir) + 32);
        if (!paths[i]) {
            batch_paths_free(paths, i);
            return NULL;
        }
        sprintf(paths[i], "%s/img%04d.png", dir, i);
    }
    return paths;
}

void batch_paths_free(char **paths, int count)
{
    for (int i = 0; paths && i < count; ++i) free(paths[i]);
    free(paths);
}

/* Image i: gradients and waves that differ per image, plus noise. */
static int write_image(const char *path, int i, int size, int channels)
{
    unsigned char *data = malloc((size_t)size * (size_t)size * (size_t)channels);
    if (!data) return -1;
    bench_rng rng = {0x9E3779B97F4A7C15ull * (uint64_t)(i + 1)};
    double fx = 0.004 + 0.001 * (i % 7), fy = 0.003 + 0.0013 * (i % 5);
    for (int y = 0; y < size; ++y)
        for (int x = 0; x < size; ++x)
            for (int c = 0; c < channels; ++c) {
                double v = 128 + 60 * sin(fx * x * (c + 1) + i) * cos(fy * y) +
                           40.0 * (x + y) / (2.0 * size) - 20 + bench_rng_float(&rng, -6, 6);
                data[((size_t)y * size + x) * channels + c] = (unsigned char)(v < 0     ? 0
                                                                              : v > 255 ? 255
                                                                                        : v);
            }
    tessel_image img = tessel_image_view(data, size, size, channels, TESSEL_U8);
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.overwrite = 1;
    tessel_status s = tessel_image_write(path, &img, &w);
    free(data);
    if (s != TESSEL_OK) fprintf(stderr, "tessel-batch-bench: %s\n", tessel_last_error());
    return s == TESSEL_OK ? 0 : -1;
}

typedef struct maker {
    char **paths;
    int count, size, channels, threads, first, failed;
} maker;

static void *make_share(void *arg)
{
    maker *m = arg;
    struct stat st;
    for (int i = m->first; i < m->count; i += m->threads)
        if (stat(m->paths[i], &st) != 0 && write_image(m->paths[i], i, m->size, m->channels))
            m->failed = 1;
    return NULL;
}

char **batch_inputs_make(const char *folder, int count, int size, int channels, int threads)
{
    char **paths = batch_paths(folder, "in", count);
    if (!paths) return NULL;
    maker m[64];
    pthread_t ids[64];
    if (threads > 64) threads = 64;
    int started = 0, failed = 0;
    for (int t = 0; t < threads; ++t) {
        m[t] = (maker){paths, count, size, channels, threads, t, 0};
        if (pthread_create(&ids[started], NULL, make_share, &m[t]) == 0) ++started;
    }
    for (int t = 0; t < started; ++t) pthread_join(ids[t], NULL);
    for (int t = 0; t < threads; ++t) failed |= m[t].failed || t >= started;
    if (!failed) return paths;
    batch_paths_free(paths, count);
    return NULL;
}

void batch_inputs_preload(char **paths, int count)
{
    static char buffer[1 << 16];
    for (int i = 0; i < count; ++i) {
        FILE *f = fopen(paths[i], "rb");
        while (f && fread(buffer, 1, sizeof buffer, f) == sizeof buffer) continue;
        if (f) fclose(f);
    }
}
