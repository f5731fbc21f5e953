/* Machine limits (see bench_limits.h). */
#include "bench_limits.h"

#include <stdlib.h>
#include <string.h>

#include "bench_parallel.h"
#include "bench_util.h"
#include "fma_peak.h"

#define FMA_PROBE_ITERATIONS (1L << 16)

typedef struct copy_job {
    unsigned char *dst;
    const unsigned char *src;
    size_t bytes;
    int passes; /* copies of the whole buffer per run */
} copy_job;

/* Each thread copies one contiguous slice, cut on cache-line boundaries. */
static void copy_slice(void *arg, int index, int threads)
{
    const copy_job *job = arg;
    size_t lines = (job->bytes + 63) / 64;
    size_t begin = lines * (size_t)index / (size_t)threads * 64;
    size_t end = lines * (size_t)(index + 1) / (size_t)threads * 64;
    if (end > job->bytes) end = job->bytes;
    for (int p = 0; p < job->passes && begin < end; ++p)
        memcpy(job->dst + begin, job->src + begin, end - begin);
}

/* Passes that keep one run near BENCH_COPY_RUN_SECONDS, from one timed pass. */
static int calibrated_passes(copy_job *job, int threads)
{
    job->passes = 1;
    double one = bench_parallel_seconds(threads, copy_slice, job);
    if (one <= 0.0) return 0;
    double passes = BENCH_COPY_RUN_SECONDS / one;
    if (passes > BENCH_COPY_MAX_PASSES) return BENCH_COPY_MAX_PASSES;
    return passes < 1.0 ? 1 : (int)passes;
}

double bench_copy_bandwidth(size_t bytes, int threads)
{
    void *src = NULL, *dst = NULL;
    if (posix_memalign(&src, 64, bytes) || posix_memalign(&dst, 64, bytes)) {
        free(src);
        return -1.0;
    }
    /* Touch every page first so the timed copies see no page faults. */
    memset(src, 0x5A, bytes);
    memset(dst, 0xA5, bytes);
    copy_job job = {dst, src, bytes, 1};
    double seconds[BENCH_LIMIT_RUNS];
    job.passes = calibrated_passes(&job, threads); /* also the warm-up */
    int ok = job.passes > 0;
    for (int r = 0; ok && r < BENCH_LIMIT_RUNS; ++r) {
        seconds[r] = bench_parallel_seconds(threads, copy_slice, &job);
        ok = seconds[r] > 0.0;
    }
    free(src);
    free(dst);
    if (!ok) return -1.0;
    return 2.0 * (double)bytes * job.passes / bench_median(seconds, BENCH_LIMIT_RUNS);
}

typedef struct fma_job {
    bench_fma_variant variant;
    long iterations;
    float *sinks; /* one per thread: the loops' results, so none can be dropped */
} fma_job;

static void fma_work(void *arg, int index, int threads)
{
    fma_job *job = arg;
    (void)threads;
    job->sinks[index] = job->variant.loop(job->iterations, 1.0f + 0.1f * (float)index);
}

/* Iterations that keep one run near BENCH_FMA_RUN_SECONDS on this CPU. */
static long calibrated_iterations(const bench_fma_variant *v)
{
    double t0 = bench_now();
    volatile float sink = v->loop(FMA_PROBE_ITERATIONS, 1.0f);
    double t = bench_now() - t0;
    (void)sink;
    if (t <= 0.0) return FMA_PROBE_ITERATIONS * 64;
    double scaled = (double)FMA_PROBE_ITERATIONS * BENCH_FMA_RUN_SECONDS / t;
    return scaled < FMA_PROBE_ITERATIONS ? FMA_PROBE_ITERATIONS : (long)scaled;
}

double bench_fma_rate(int threads, const char **isa)
{
    fma_job job = {bench_fma_select(), 0, calloc((size_t)threads, sizeof(float))};
    *isa = job.variant.isa;
    if (!job.sinks) return -1.0;
    job.iterations = calibrated_iterations(&job.variant);
    double seconds[BENCH_LIMIT_RUNS];
    int ok = bench_parallel_seconds(threads, fma_work, &job) > 0.0; /* warm-up (clocks settle) */
    for (int r = 0; ok && r < BENCH_LIMIT_RUNS; ++r) {
        seconds[r] = bench_parallel_seconds(threads, fma_work, &job);
        ok = seconds[r] > 0.0;
    }
    free(job.sinks);
    if (!ok) return -1.0;
    double fmas = (double)threads * (double)job.iterations * BENCH_FMA_CHAINS * job.variant.lanes;
    return fmas / bench_median(seconds, BENCH_LIMIT_RUNS);
}
