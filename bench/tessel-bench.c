/* tessel-bench: throughput of tessel's convolution plans, as megapixels per
 * second and as a fraction of this machine's measured limits. One JSON
 * object per line: the machine first, then one per case. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_case.h"
#include "bench_kernels.h"
#include "bench_limits.h"
#include "bench_options.h"
#include "bench_util.h"
#include "tessel/tessel.h"

/* Same count the library uses for "all cores": what this process may run on. */
static int available_cores(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static void cpu_model(char *out, size_t capacity)
{
    snprintf(out, capacity, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        const char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon) {
            snprintf(out, capacity, "%s", colon + 2);
            out[strcspn(out, "\n")] = '\0';
            break;
        }
    }
    fclose(f);
}

static size_t image_bytes(const bench_options *o, bench_size s)
{
    return (size_t)s.width * s.height * o->channels * tessel_dtype_size(o->dtype);
}

/* One copy bandwidth per image size (a small image can live in cache). */
static int measure_limits(const bench_options *o, int threads, bench_machine_limits *limits,
                          const char **fma_isa)
{
    double fma = bench_fma_rate(threads, fma_isa);
    if (fma <= 0.0) return 0;
    for (int i = 0; i < o->size_count; ++i) {
        limits[i].fma_per_s = fma;
        limits[i].copy_bytes_per_s = bench_copy_bandwidth(image_bytes(o, o->sizes[i]), threads);
        if (limits[i].copy_bytes_per_s <= 0.0) return 0;
    }
    return 1;
}

static void print_machine(const bench_options *o, const tessel_context *ctx, int threads,
                          const bench_machine_limits *limits, const char *fma_isa)
{
    char model[256];
    cpu_model(model, sizeof model);
    int largest = 0;
    for (int i = 1; i < o->size_count; ++i)
        if (image_bytes(o, o->sizes[i]) > image_bytes(o, o->sizes[largest])) largest = i;
    printf("{\"machine\":{\"cpu\":");
    bench_json_string(stdout, model);
    printf(",\"cores\":%d,\"threads\":%d,\"device\":", available_cores(), threads);
    bench_json_string(stdout, tessel_context_device_name(ctx));
    printf(",\"fma_isa\":\"%s\",\"gfma_s\":%.2f,\"copy_gbytes_s\":%.3f,\"copy\":[", fma_isa,
           limits[0].fma_per_s / 1e9, limits[largest].copy_bytes_per_s / 1e9);
    for (int i = 0; i < o->size_count; ++i)
        printf("%s{\"width\":%d,\"height\":%d,\"bytes\":%zu,\"gbytes_s\":%.3f}", i ? "," : "",
               o->sizes[i].width, o->sizes[i].height, image_bytes(o, o->sizes[i]),
               limits[i].copy_bytes_per_s / 1e9);
#ifdef __OPTIMIZE__
    const char *optimized = "true";
#else
    const char *optimized = "false";
#endif
    printf("],\"tessel_version\":\"%s\",\"bench_optimized\":%s}}\n", tessel_version(), optimized);
    fflush(stdout);
}

static tessel_context *open_context(const bench_options *o, int threads)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.backend = o->backend;
    co.threads = threads;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) {
        fprintf(stderr, "tessel-bench: no context: %s\n", tessel_last_error());
        return NULL;
    }
    if (tessel_context_backend(ctx) != TESSEL_BACKEND_CPU) {
        fprintf(stderr, "tessel-bench: the context runs on %s; machine limits are measured "
                        "for the cpu backend only\n",
                tessel_backend_name(tessel_context_backend(ctx)));
        tessel_context_destroy(ctx);
        return NULL;
    }
    return ctx;
}

static int run(const bench_options *o)
{
    int threads = o->threads > 0 ? o->threads : available_cores();
    tessel_context *ctx = open_context(o, threads);
    if (!ctx) return 1;
    bench_machine_limits *limits = calloc((size_t)o->size_count, sizeof *limits);
    const char *fma_isa = "";
    int failures = 0;
    if (!limits || !measure_limits(o, threads, limits, &fma_isa)) {
        fprintf(stderr, "tessel-bench: could not measure the machine limits (memory or threads)\n");
        failures = 1;
    } else {
        print_machine(o, ctx, threads, limits, fma_isa);
        for (int s = 0; s < o->size_count; ++s)
            for (int k = 0; k < o->kernel_count; ++k)
                failures += bench_run_case(ctx, o, o->sizes[s], o->kernels[k], &limits[s]);
    }
    free(limits);
    tessel_context_destroy(ctx);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    bench_options o;
    bench_parse_result parsed = bench_parse_options(argc, argv, &o);
    int status = parsed == BENCH_PARSE_HELP ? 0 : 2;
    if (parsed == BENCH_PARSE_RUN)
        status = o.print_kernel ? bench_print_kernel(o.print_kernel) : run(&o);
    bench_options_free(&o);
    return status;
}
