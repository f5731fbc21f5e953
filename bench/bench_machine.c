/* The machine line and the limits behind it (see bench_machine.h). */
#include "bench_machine.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_limits.h"
#include "bench_util.h"
#ifdef TESSEL_BENCH_OPENCL
#include "bench_cl_limits.h"
#endif

int bench_available_cores(void)
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
static int measure_host(const bench_options *o, int threads, bench_machine *m)
{
    m->threads = threads;
    m->host_fma_per_s = bench_fma_rate(threads, &m->fma_isa);
    if (m->host_fma_per_s <= 0.0) return 0;
    for (int i = 0; i < o->size_count; ++i) {
        m->host_copy[i] = bench_copy_bandwidth(image_bytes(o, o->sizes[i]), threads);
        if (m->host_copy[i] <= 0.0) return 0;
    }
    return 1;
}

#ifdef TESSEL_BENCH_OPENCL
/* The same quantities on the context's own OpenCL device. */
static int measure_device(const bench_options *o, const tessel_context *ctx, bench_machine *m)
{
    bench_cl_device *d = bench_cl_open(ctx);
    if (!d) return 0;
    snprintf(m->device_kind, sizeof m->device_kind, "%s", bench_cl_kind(d));
    m->compute_units = bench_cl_compute_units(d);
    m->device_fma_per_s = bench_cl_fma_rate(d);
    int ok = m->device_fma_per_s > 0.0;
    for (int i = 0; ok && i < o->size_count; ++i) {
        m->device_copy[i] = bench_cl_copy_bandwidth(d, image_bytes(o, o->sizes[i]));
        ok = m->device_copy[i] > 0.0;
    }
    bench_cl_close(d);
    return ok;
}
#else
static int measure_device(const bench_options *o, const tessel_context *ctx, bench_machine *m)
{
    (void)o, (void)m;
    fprintf(stderr, "tessel-bench: the context runs on %s, but tessel-bench was built without "
                    "OpenCL and cannot measure that device\n",
            tessel_context_device_name(ctx));
    return 0;
}
#endif

/* A CPU-type OpenCL device (PoCL) shares the host's memory and cores: the
 * host limits are its limits, measured with one thread per compute unit.
 * Any other device is measured against itself. */
static int measure_opencl(const bench_options *o, const tessel_context *ctx, int threads,
                          bench_machine *m)
{
    if (!measure_device(o, ctx, m)) return 0;
    m->limits_from_device = strcmp(m->device_kind, "cpu") != 0;
    if (!m->limits_from_device && m->compute_units > 0)
        threads = m->compute_units < threads ? m->compute_units : threads;
    return measure_host(o, threads, m);
}

int bench_machine_measure(const bench_options *o, const tessel_context *ctx, int threads,
                          bench_machine *m)
{
    memset(m, 0, sizeof *m);
    m->fma_isa = "";
    size_t n = (size_t)o->size_count;
    m->host_copy = calloc(n, sizeof *m->host_copy);
    m->device_copy = calloc(n, sizeof *m->device_copy);
    m->limits = calloc(n, sizeof *m->limits);
    if (!m->host_copy || !m->device_copy || !m->limits) {
        fprintf(stderr, "tessel-bench: out of memory\n");
        return 0;
    }
    int ok = tessel_context_backend(ctx) == TESSEL_BACKEND_OPENCL
                 ? measure_opencl(o, ctx, threads, m)
                 : measure_host(o, threads, m);
    if (!ok) {
        fprintf(stderr, "tessel-bench: could not measure the machine limits\n");
        return 0;
    }
    const int device = m->limits_from_device;
    for (int i = 0; i < o->size_count; ++i) {
        m->limits[i].copy_bytes_per_s = device ? m->device_copy[i] : m->host_copy[i];
        m->limits[i].fma_per_s = device ? m->device_fma_per_s : m->host_fma_per_s;
    }
    return 1;
}

static int largest_size(const bench_options *o)
{
    int largest = 0;
    for (int i = 1; i < o->size_count; ++i)
        if (image_bytes(o, o->sizes[i]) > image_bytes(o, o->sizes[largest])) largest = i;
    return largest;
}

static void print_copies(const bench_options *o, const bench_machine *m)
{
    for (int i = 0; i < o->size_count; ++i) {
        printf("%s{\"width\":%d,\"height\":%d,\"bytes\":%zu,\"gbytes_s\":%.3f", i ? "," : "",
               o->sizes[i].width, o->sizes[i].height, image_bytes(o, o->sizes[i]),
               m->host_copy[i] / 1e9);
        if (m->device_kind[0]) printf(",\"device_gbytes_s\":%.3f", m->device_copy[i] / 1e9);
        printf("}");
    }
}

/* "host" or "device": where the limits of every case line come from. */
static void print_device_fields(const bench_machine *m, int largest)
{
    if (!m->device_kind[0]) {
        printf(",\"limits\":\"host\"");
        return;
    }
    printf(",\"device_kind\":\"%s\",\"compute_units\":%d,\"device_gfma_s\":%.2f,"
           "\"device_copy_gbytes_s\":%.3f,\"limits\":\"%s\"",
           m->device_kind, m->compute_units, m->device_fma_per_s / 1e9,
           m->device_copy[largest] / 1e9, m->limits_from_device ? "device" : "host");
}

void bench_machine_print(const bench_options *o, const tessel_context *ctx,
                         const bench_machine *m)
{
    char model[256];
    cpu_model(model, sizeof model);
    int largest = largest_size(o);
    printf("{\"machine\":{\"cpu\":");
    bench_json_string(stdout, model);
    printf(",\"cores\":%d,\"threads\":%d,\"backend\":\"%s\",\"device\":",
           bench_available_cores(), m->threads,
           tessel_backend_name(tessel_context_backend(ctx)));
    bench_json_string(stdout, tessel_context_device_name(ctx));
    printf(",\"fma_isa\":\"%s\",\"gfma_s\":%.2f,\"copy_gbytes_s\":%.3f", m->fma_isa,
           m->host_fma_per_s / 1e9, m->host_copy[largest] / 1e9);
    print_device_fields(m, largest);
    printf(",\"copy\":[");
    print_copies(o, m);
#ifdef __OPTIMIZE__
    const char *optimized = "true";
#else
    const char *optimized = "false";
#endif
    printf("],\"tessel_version\":\"%s\",\"bench_optimized\":%s}}\n", tessel_version(), optimized);
    fflush(stdout);
}

void bench_machine_free(bench_machine *m)
{
    free(m->host_copy);
    free(m->device_copy);
    free(m->limits);
    memset(m, 0, sizeof *m);
}
