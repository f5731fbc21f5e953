/* One benchmark case (see bench_case.h). */
#include "bench_case.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_kernels.h"
#include "bench_util.h"

#define IMAGE_SEED 0x1A6E5EEDu

typedef struct case_buffers {
    void *src, *dst;
    size_t samples; /* per image: width * height * channels */
} case_buffers;

typedef struct case_timing {
    double median_s, min_s;
} case_timing;

/* Random samples, never zero: a zero image could hide work skipped on zeros. */
static void fill_random(void *data, tessel_dtype dtype, size_t n)
{
    bench_rng rng = {IMAGE_SEED};
    for (size_t i = 0; i < n; ++i) {
        uint64_t r = bench_rng_next(&rng);
        if (dtype == TESSEL_F32)
            ((float *)data)[i] = 0.001f + (float)(r >> 40) * (1.0f / 16777216.0f);
        else if (dtype == TESSEL_U8)
            ((uint8_t *)data)[i] = (uint8_t)(1 + r % 255);
        else
            ((uint16_t *)data)[i] = (uint16_t)(1 + r % 65535);
    }
}

/* NaN in every float output sample, so one never written is caught. */
static void poison(void *data, tessel_dtype dtype, size_t n)
{
    if (dtype == TESSEL_F32)
        for (size_t i = 0; i < n; ++i) ((float *)data)[i] = NAN;
    else
        memset(data, 0, n * tessel_dtype_size(dtype));
}

static size_t first_non_finite(const void *data, tessel_dtype dtype, size_t n)
{
    if (dtype != TESSEL_F32) return n;
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(((const float *)data)[i])) return i;
    return n;
}

/* The caller frees both buffers, also on failure. */
static int buffers_alloc(case_buffers *b, const bench_options *o, bench_size size)
{
    b->samples = (size_t)size.width * size.height * o->channels;
    size_t bytes = b->samples * tessel_dtype_size(o->dtype);
    b->src = b->dst = NULL;
    if (posix_memalign(&b->src, 64, bytes) || posix_memalign(&b->dst, 64, bytes)) {
        fprintf(stderr, "tessel-bench: out of memory for two %dx%d images (%zu bytes each)\n",
                size.width, size.height, bytes);
        return 0;
    }
    fill_random(b->src, o->dtype, b->samples);
    poison(b->dst, o->dtype, b->samples);
    return 1;
}

/* What one timed run does: a plan on host images, or on device-resident
 * buffers (then waited for, so the time is the device's). */
typedef struct case_run {
    tessel_context *ctx;
    tessel_plan *plan;
    const tessel_image *src;
    tessel_image *dst;
    tessel_buffer *src_buf, *dst_buf; /* NULL unless --data resident */
} case_run;

static int run_once(const case_run *r)
{
    if (!r->src_buf) return tessel_plan_execute(r->plan, r->src, r->dst) == TESSEL_OK;
    return tessel_plan_execute_buffers(r->plan, r->src_buf, r->dst_buf) == TESSEL_OK &&
           tessel_finish(r->ctx) == TESSEL_OK;
}

/* Warm-up runs, then `repeat` runs each timed on its own. */
static int time_plan(const case_run *r, const bench_options *o, case_timing *t)
{
    for (int i = 0; i < o->warmup; ++i)
        if (!run_once(r)) return 0;
    double *seconds = malloc((size_t)o->repeat * sizeof *seconds);
    if (!seconds) return 0;
    int ok = 1;
    for (int i = 0; ok && i < o->repeat; ++i) {
        double t0 = bench_now();
        ok = run_once(r);
        seconds[i] = bench_now() - t0;
    }
    if (ok) {
        t->min_s = bench_min(seconds, o->repeat);
        t->median_s = bench_median(seconds, o->repeat);
    }
    free(seconds);
    return ok;
}

static void print_result(const bench_options *o, const char *spec,
                         const tessel_plan_properties *info, const case_timing *t,
                         const bench_machine_limits *limits)
{
    const double pixels = (double)info->in_width * info->in_height;
    const size_t sample = tessel_dtype_size(o->dtype);
    /* Input read once, output written once (same size and dtype). */
    const double bytes_per_pixel = 2.0 * (double)o->channels * (double)sample;
    /* Running sums: two adds a pass per pixel, whatever the window. */
    const double macs = info->method == TESSEL_METHOD_RUNNING     ? 4.0
                        : info->method == TESSEL_METHOD_SEPARABLE ? info->kernel_width + info->kernel_height
                                                                  : (double)info->kernel_width * info->kernel_height;
    const double mpix_s = pixels / t->median_s / 1e6;
    const double memory_limit = limits->copy_bytes_per_s / bytes_per_pixel / 1e6;
    const double compute_limit = limits->fma_per_s / (macs * o->channels) / 1e6;
    const int memory_binds = memory_limit <= compute_limit;
    const double limit = memory_binds ? memory_limit : compute_limit;

    printf("{\"backend\":\"%s\",\"data\":\"%s\",\"device\":", info->backend_name,
           o->resident ? "resident" : "host");
    bench_json_string(stdout, info->device_name);
    printf(",\"method\":\"%s\",\"dtype\":\"%s\",\"channels\":%d,\"width\":%d,\"height\":%d,"
           "\"kernel\":",
           info->method_name, tessel_dtype_name(o->dtype), o->channels, info->in_width,
           info->in_height);
    bench_json_string(stdout, spec);
    printf(",\"kw\":%d,\"kh\":%d,\"threads\":%d,\"repeat\":%d,\"median_ms\":%.4f,"
           "\"min_ms\":%.4f,\"mpix_s\":%.2f,\"gbytes_s\":%.3f,\"limit\":%.2f,"
           "\"fraction_of_limit\":%.4f,\"limit_kind\":\"%s\",\"memory_limit_mpix_s\":%.2f,"
           "\"memory_fraction\":%.4f,\"compute_limit_mpix_s\":%.2f,\"compute_fraction\":%.4f}\n",
           info->kernel_width, info->kernel_height, info->threads, o->repeat,
           1e3 * t->median_s, 1e3 * t->min_s, mpix_s,
           pixels * bytes_per_pixel / t->median_s / 1e9, limit, mpix_s / limit,
           memory_binds ? "memory" : "compute", memory_limit, mpix_s / memory_limit,
           compute_limit, mpix_s / compute_limit);
    fflush(stdout);
}

static int plan_and_time(tessel_context *ctx, const bench_options *o, bench_size size,
                         const char *spec, const tessel_kernel *kernel, case_buffers *b,
                         const bench_machine_limits *limits)
{
    tessel_image src = tessel_image_view(b->src, size.width, size.height, o->channels, o->dtype);
    tessel_image dst = tessel_image_view(b->dst, size.width, size.height, o->channels, o->dtype);
    tessel_conv_options conv = {0};
    conv.method = o->method;
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    case_timing t = {0, 0};
    case_run run = {ctx, NULL, &src, &dst, NULL, NULL};
    int ok = tessel_plan_create(ctx, &src, o->dtype, kernel, &conv, &plan) == TESSEL_OK &&
             tessel_plan_info(plan, &info) == TESSEL_OK;
    run.plan = plan;
    if (ok && o->resident) /* upload once; the result comes back once, after timing */
        ok = tessel_buffer_create(ctx, size.width, size.height, o->channels, o->dtype,
                                  &run.src_buf) == TESSEL_OK &&
             tessel_buffer_create(ctx, size.width, size.height, o->channels, o->dtype,
                                  &run.dst_buf) == TESSEL_OK &&
             tessel_buffer_upload(run.src_buf, &src) == TESSEL_OK;
    ok = ok && time_plan(&run, o, &t);
    if (ok && o->resident) ok = tessel_buffer_download(run.dst_buf, &dst) == TESSEL_OK;
    tessel_buffer_destroy(run.src_buf);
    tessel_buffer_destroy(run.dst_buf);
    if (!ok)
        fprintf(stderr, "tessel-bench: %dx%d %s \"%s\" failed: %s\n", size.width, size.height,
                tessel_dtype_name(o->dtype), spec, tessel_context_last_error(ctx));
    size_t bad = ok ? first_non_finite(b->dst, o->dtype, b->samples) : b->samples;
    if (ok && bad < b->samples) {
        fprintf(stderr, "tessel-bench: %dx%d \"%s\": output sample %zu was never written\n",
                size.width, size.height, spec, bad);
        ok = 0;
    }
    if (ok) print_result(o, spec, &info, &t, limits);
    tessel_plan_destroy(plan);
    return ok;
}

int bench_run_case(tessel_context *ctx, const bench_options *o, bench_size size,
                   const char *kernel_spec, const bench_machine_limits *limits)
{
    tessel_kernel *kernel = bench_kernel_from_spec(kernel_spec);
    if (!kernel) return 1;
    case_buffers b; /* buffers_alloc leaves what it could not allocate NULL */
    int ok = buffers_alloc(&b, o, size);
    if (ok) ok = plan_and_time(ctx, o, size, kernel_spec, kernel, &b, limits);
    free(b.src);
    free(b.dst);
    tessel_kernel_destroy(kernel);
    return ok ? 0 : 1;
}
