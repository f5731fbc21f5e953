/* tessel-batch-bench: images per second of the batch engine against a
 * simple one-at-a-time loop through the same library (read, plan per
 * shape, execute, write), on the same PNG files, decoding and encoding
 * included. The loop runs on the engine's first device.
 *
 *   tessel-batch-bench [--count N] [--size S] [--channels C] [--kernel SPEC]
 *                      [--devices LIST] [--jobs N] [--rounds R] [--dir DIR]
 *
 * The files are timed in R rounds (default 4) of count/R files, each round
 * the loop then the engine, so that a machine whose load changes during the
 * run weighs on both alike; the totals give the ratio, and each round's
 * ratio shows how steady it was.
 * The inputs are made once under DIR/SxSxC/in (default DIR:
 * /tmp/tessel-batch-bench) and kept for the next runs; the outputs are
 * removed at the end.
 * Prints one line per run and their ratio; when the engine has one device
 * its outputs are checked to be the loop's, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "batch_inputs.h"
#include "bench_util.h"
#include "tessel/tessel_batch.h"
#include "tessel/tessel_io.h"

typedef struct bench_config {
    int count, size, channels, jobs, rounds;
    const char *kernel, *devices, *dir;
} bench_config;

static int parse(int argc, char **argv, bench_config *c)
{
    *c = (bench_config){200, 2048, 3, 0, 4, "gaussian:sigma=2", NULL, "/tmp/tessel-batch-bench"};
    for (int i = 1; i < argc; ++i) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int *number = strcmp(a, "--count") == 0      ? &c->count
                      : strcmp(a, "--size") == 0     ? &c->size
                      : strcmp(a, "--channels") == 0 ? &c->channels
                      : strcmp(a, "--jobs") == 0     ? &c->jobs
                      : strcmp(a, "--rounds") == 0   ? &c->rounds
                                                     : NULL;
        const char **text = strcmp(a, "--kernel") == 0    ? &c->kernel
                            : strcmp(a, "--devices") == 0 ? &c->devices
                            : strcmp(a, "--dir") == 0     ? &c->dir
                                                          : NULL;
        if ((!number && !text) || !v) {
            fprintf(stderr, "usage: tessel-batch-bench [--count N] [--size S] [--channels C] "
                            "[--kernel SPEC] [--devices LIST] [--jobs N] [--rounds R] "
                            "[--dir DIR]\n");
            return -1;
        }
        if (number) *number = atoi(v);
        if (text) *text = v;
        ++i;
    }
    if (c->count < 1 || c->size < 8 || c->channels < 1 || c->channels > 4 || c->jobs < 0 ||
        c->rounds < 1 || c->rounds > c->count) {
        fprintf(stderr, "tessel-batch-bench: count >= 1, size >= 8, channels 1..4, "
                        "rounds 1..count\n");
        return -1;
    }
    return 0;
}

/* The simple loop: each file read, filtered (one plan per shape) and
 * written before the next is read. Returns its seconds, or -1. */
static double simple_loop(const char *device, const tessel_kernel *k, char **in, char **out, int n)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.device = device;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) return -1;
    tessel_plan *plan = NULL;
    tessel_image shape = {0}, dst = {0};
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.overwrite = 1;
    int failed = 0;
    double start = bench_now();
    for (int i = 0; i < n && !failed; ++i) {
        tessel_image src = {0};
        failed = tessel_image_read(in[i], &src) != TESSEL_OK;
        if (!failed && (!plan || src.width != shape.width || src.height != shape.height ||
                        src.channels != shape.channels || src.dtype != shape.dtype)) {
            tessel_plan_destroy(plan);
            free(dst.data);
            shape = src;
            dst = tessel_image_view(malloc((size_t)src.width * src.height * src.channels),
                                    src.width, src.height, src.channels, TESSEL_U8);
            failed =
                !dst.data || tessel_plan_create(ctx, &src, TESSEL_U8, k, NULL, &plan) != TESSEL_OK;
        }
        failed = failed || tessel_plan_execute(plan, &src, &dst) != TESSEL_OK ||
                 tessel_image_write(out[i], &dst, &w) != TESSEL_OK;
        tessel_image_free(&src);
    }
    double seconds = bench_now() - start;
    if (failed) fprintf(stderr, "tessel-batch-bench: simple loop: %s\n", tessel_last_error());
    tessel_plan_destroy(plan);
    free(dst.data);
    tessel_context_destroy(ctx);
    return failed ? -1 : seconds;
}

/* The engine over the same files, every output rewritten. */
static double engine_run(tessel_batch *b, const tessel_kernel *k, char **in, char **out, int n)
{
    tessel_batch_filter f = {0};
    f.struct_size = sizeof f;
    f.kernel = k;
    tessel_batch_progress sum;
    double start = bench_now();
    tessel_status s =
        tessel_batch_run(b, n, (const char *const *)in, (const char *const *)out, &f, &sum);
    double seconds = bench_now() - start;
    if (s != TESSEL_OK || sum.written != n) {
        fprintf(stderr, "tessel-batch-bench: engine: %d of %d written: %s\n",
                s == TESSEL_OK ? sum.written : 0, n, tessel_last_error());
        return -1;
    }
    return seconds;
}

/* 1 when the two files hold the same bytes. */
static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        same = ca == cb;
        if (ca == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

/* Seconds of the loop and of the engine over all rounds, their CPU
 * seconds (all threads: what a busy machine cannot hide), and the images
 * each device filtered. */
typedef struct timings {
    double simple, engine;
    double simple_cpu, engine_cpu;
    int device_images[64];
} timings;

/* CPU seconds of the process so far, user and system. */
static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + u.ru_utime.tv_usec * 1e-6 + (double)u.ru_stime.tv_sec +
           u.ru_stime.tv_usec * 1e-6;
}

static int time_rounds(const bench_config *c, tessel_batch *b, const tessel_kernel *k,
                       const char *loop_device, char **in, char **simple_out, char **engine_out,
                       timings *t)
{
    memset(t, 0, sizeof *t);
    for (int r = 0; r < c->rounds; ++r) {
        int lo = (int)((long long)c->count * r / c->rounds);
        int hi = (int)((long long)c->count * (r + 1) / c->rounds);
        double cpu0 = cpu_seconds();
        double simple = simple_loop(loop_device, k, in + lo, simple_out + lo, hi - lo);
        double cpu1 = cpu_seconds();
        double engine = simple < 0 ? -1 : engine_run(b, k, in + lo, engine_out + lo, hi - lo);
        if (engine < 0) return -1;
        t->simple_cpu += cpu1 - cpu0;
        t->engine_cpu += cpu_seconds() - cpu1;
        t->simple += simple;
        t->engine += engine;
        for (int d = 0; d < tessel_batch_device_count(b) && d < 64; ++d) {
            tessel_batch_device dev;
            if (tessel_batch_device_get(b, d, &dev) == TESSEL_OK) t->device_images[d] += dev.images;
        }
        printf("round %d: %d images, loop %.2f images/s, engine %.2f images/s, ratio %.2fx\n",
               r + 1, hi - lo, (hi - lo) / simple, (hi - lo) / engine, simple / engine);
        fflush(stdout);
    }
    return 0;
}

static int compare(const bench_config *c, const timings *t, tessel_batch *b, char **simple_out,
                   char **engine_out)
{
    double mpix = (double)c->size * c->size / 1e6;
    printf("simple loop: %d images in %.2f s = %.2f images/s (%.1f Mpix/s), %.3f CPU s/image\n",
           c->count, t->simple, c->count / t->simple, c->count * mpix / t->simple,
           t->simple_cpu / c->count);
    printf("engine:      %d images in %.2f s = %.2f images/s (%.1f Mpix/s), %.3f CPU s/image\n",
           c->count, t->engine, c->count / t->engine, c->count * mpix / t->engine,
           t->engine_cpu / c->count);
    for (int d = 0; d < tessel_batch_device_count(b) && d < 64; ++d) {
        tessel_batch_device dev;
        tessel_batch_device_get(b, d, &dev);
        printf("  device %s (%s): %d images, %d queues\n", dev.spec, dev.name, t->device_images[d],
               dev.queues);
    }
    printf("ratio engine / simple loop: %.2fx\n", t->simple / t->engine);
    if (tessel_batch_device_count(b) != 1) return 0;
    for (int i = 0; i<c->count; i += c->count> 10 ? c->count / 10 : 1) {
        if (!same_file(simple_out[i], engine_out[i])) {
            fprintf(stderr, "tessel-batch-bench: %s and %s differ\n", simple_out[i], engine_out[i]);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    bench_config c;
    if (parse(argc, argv, &c)) return 2;
    char folder[1024];
    snprintf(folder, sizeof folder, "%s/%dx%dx%d", c.dir, c.size, c.size, c.channels);
    tessel_batch_options o = {0};
    o.struct_size = sizeof o;
    o.devices = c.devices;
    o.io_threads = c.jobs;
    o.force = 1;
    tessel_batch *b = NULL;
    tessel_kernel *k = NULL;
    if (tessel_batch_create(&o, &b) != TESSEL_OK ||
        tessel_kernel_builtin(c.kernel, &k) != TESSEL_OK) {
        fprintf(stderr, "tessel-batch-bench: %s\n", tessel_last_error());
        return 1;
    }
    tessel_batch_device first;
    tessel_batch_device_get(b, 0, &first);
    printf("%d PNG images %dx%d, %d channels, kernel %s; loop on %s, engine on %s\n", c.count,
           c.size, c.size, c.channels, c.kernel, first.spec, c.devices ? c.devices : "all");
    fflush(stdout);
    char **in = batch_inputs_make(folder, c.count, c.size, c.channels, 2);
    char **simple_out = batch_paths(folder, "simple", c.count);
    char **engine_out = batch_paths(folder, "engine", c.count);
    int status = 1;
    if (in && simple_out && engine_out) {
        batch_inputs_preload(in, c.count);
        /* Warm-up: programs built (or loaded from the cache) for both. */
        int warm = c.count < 2 ? c.count : 2;
        timings t;
        if (simple_loop(first.spec, k, in, simple_out, warm) >= 0 &&
            engine_run(b, k, in, engine_out, warm) >= 0 &&
            time_rounds(&c, b, k, first.spec, in, simple_out, engine_out, &t) == 0)
            status = compare(&c, &t, b, simple_out, engine_out);
    }
    for (int i = 0; i < c.count; ++i) {
        if (simple_out) remove(simple_out[i]);
        if (engine_out) remove(engine_out[i]);
    }
    batch_paths_free(in, c.count);
    batch_paths_free(simple_out, c.count);
    batch_paths_free(engine_out, c.count);
    tessel_kernel_destroy(k);
    tessel_batch_destroy(b);
    return status;
}
