/* tessel-codec-bench: how fast tessel decodes and encodes image files, on
 * one thread, through the public API (tessel_image_read, tessel_image_write).
 *
 *   tessel-codec-bench [--repeat N] [--quality Q] [--dir FOLDER] FILE...
 *
 * Each file is decoded N times (default 3) and the decoded image encoded N
 * times into FOLDER (default $TMPDIR or /tmp) in the file's own format (JPEG
 * at quality Q, default 90; PNG and TIFF at their default levels). One JSON
 * line per format: files, megapixels, and the median over the repeats of the
 * total decode and encode times, as Mpix/s (and the same from this
 * thread's CPU time, steadier on a shared machine). The files are read once before
 * timing, so the page cache holds them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "tessel/tessel_io.h"

#define MAX_FORMATS 16

typedef struct format_total {
    tessel_file_format format;
    int files;
    double mpix, *decode, *encode; /* seconds per repeat, summed over the files */
    double decode_cpu, encode_cpu; /* this thread's CPU seconds, all repeats */
} format_total;

static format_total *total_for(format_total *totals, int *count, tessel_file_format f, int repeat)
{
    for (int i = 0; i < *count; ++i)
        if (totals[i].format == f) return &totals[i];
    if (*count == MAX_FORMATS) return NULL;
    format_total *t = &totals[(*count)++];
    memset(t, 0, sizeof *t);
    t->format = f;
    t->decode = calloc((size_t)repeat, sizeof *t->decode);
    t->encode = calloc((size_t)repeat, sizeof *t->encode);
    return t->decode && t->encode ? t : NULL;
}

/* This thread's CPU time: on a shared machine, steadier than the clock. */
static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Decodes and encodes one file `repeat` times; 0 on success. */
static int measure(const char *path, const char *dir, int quality, int repeat, format_total *t)
{
    tessel_image img = {0};
    if (tessel_image_read(path, &img) != TESSEL_OK) { /* warm the page cache, and check */
        fprintf(stderr, "tessel-codec-bench: %s\n", tessel_last_error());
        return -1;
    }
    char out[1024];
    snprintf(out, sizeof out, "%s/tessel-codec-bench-%d.%s", dir, (int)getpid(),
             tessel_format_name(t->format));
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.format = t->format;
    w.quality = quality;
    w.overwrite = 1;
    for (int r = 0; r < repeat; ++r) {
        tessel_image again = {0};
        double c0 = cpu_now(), t0 = bench_now();
        tessel_status s = tessel_image_read(path, &again);
        double c1 = cpu_now(), t1 = bench_now();
        if (s == TESSEL_OK) s = tessel_image_write(out, &img, &w);
        double c2 = cpu_now(), t2 = bench_now();
        t->decode_cpu += c1 - c0;
        t->encode_cpu += c2 - c1;
        tessel_image_free(&again);
        if (s != TESSEL_OK) {
            fprintf(stderr, "tessel-codec-bench: %s\n", tessel_last_error());
            tessel_image_free(&img);
            return -1;
        }
        t->decode[r] += t1 - t0;
        t->encode[r] += t2 - t1;
    }
    t->files++;
    t->mpix += (double)img.width * img.height / 1e6;
    tessel_image_free(&img);
    remove(out);
    return 0;
}

int main(int argc, char **argv)
{
    int repeat = 3, quality = 90, first = 1;
    const char *dir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (first + 1 >= argc) break;
        if (strcmp(argv[first], "--repeat") == 0)
            repeat = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--quality") == 0)
            quality = atoi(argv[first + 1]);
        else if (strcmp(argv[first], "--dir") == 0)
            dir = argv[first + 1];
        else
            break;
    }
    if (first >= argc || repeat < 1 || quality < 1 || quality > 100) {
        fprintf(stderr, "usage: tessel-codec-bench [--repeat N] [--quality Q] [--dir FOLDER] "
                        "FILE...\n");
        return 2;
    }
    format_total totals[MAX_FORMATS];
    int count = 0;
    for (int i = first; i < argc; ++i) {
        tessel_file_format f = tessel_format_from_path(argv[i]);
        format_total *t = total_for(totals, &count, f, repeat);
        if (!t || measure(argv[i], dir, quality, repeat, t) != 0) return 1;
    }
    for (int i = 0; i < count; ++i) {
        format_total *t = &totals[i];
        double d = bench_median(t->decode, repeat), e = bench_median(t->encode, repeat);
        printf("{\"format\": \"%s\", \"files\": %d, \"mpix\": %.3f, \"decode_mpix_s\": %.1f, "
               "\"encode_mpix_s\": %.1f, \"decode_cpu_mpix_s\": %.1f, \"encode_cpu_mpix_s\": %.1f, "
               "\"decoder\": ",
               tessel_format_name(t->format), t->files, t->mpix, t->mpix / d, t->mpix / e,
               t->mpix * repeat / t->decode_cpu, t->mpix * repeat / t->encode_cpu);
        bench_json_string(stdout, tessel_format_codec(t->format, 0));
        printf(", \"encoder\": ");
        bench_json_string(stdout, tessel_format_codec(t->format, 1));
        printf("}\n");
        free(t->decode);
        free(t->encode);
    }
    return 0;
}
