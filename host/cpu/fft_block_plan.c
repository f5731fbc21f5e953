/* Preparing method fft-block, once per tessel plan: the block shape, the
 * workers' buffers, FFTW plans at block size and the kernel's spectrum.
 *
 * $TESSEL_FFTW_PLANNER picks FFTW's planning effort (fftw_planner.h).
 * Unset, 2-D blocks up to 512x512 are planned with FFTW_MEASURE within a
 * time limit: their transforms then ran 5-30% faster than estimated ones
 * here, for at most about 0.4 s of planning the first time a size is seen
 * in a process (FFTW remembers what it measured; after `tessel tune`
 * the wisdom file in tessel's cache keeps it between processes). Larger blocks, and the
 * 1-D transforms of 1xN and Nx1 kernels (which gained nothing measurable),
 * are planned with FFTW_ESTIMATE. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/context.h"
#include "core/sizes.h"
#include "fft_block_state.h"
#include "fftw_lock.h"
#include "fftw_planner.h"
#include "fftw_wisdom.h"

/* Buffers inside a worker's allocation start 64 bytes apart, so each is as
 * aligned as the allocation and the planned alignment holds for all. */
#define ALIGN_FLOATS 16
/* Largest 2-D block (real samples) planned with FFTW_MEASURE by default. */
#define MEASURE_LIMIT (1 << 18)
/* FFTW's time limit for each measured plan when the planner was not asked
 * for: a plan takes at most about twice this (forward and inverse). */
#define MEASURE_SECONDS 0.2
/* Planning that took longer than this measured something new (plans from
 * wisdom take well under a millisecond). */
#define NEW_WISDOM_SECONDS 0.02

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* No FFTW planner flags are all ones: the variable was not set. */
#define PLANNER_UNSET (~0u)

static size_t aligned(size_t floats)
{
    return (floats + ALIGN_FLOATS - 1) / ALIGN_FLOATS * ALIGN_FLOATS;
}

/* The spectrum's layout and the worker buffer's pieces. */
static void lay_out(tessel_cpu_fft_block *fb, int channels)
{
    const size_t sy = (size_t)fb->y.size, sx = (size_t)fb->x.size;
    fb->real_row = sx;
    fb->plane_floats = aligned(sy * fb->real_row);
    fb->complex_rows = fb->x.transformed ? sy : sy / 2 + 1;
    fb->complex_row = fb->x.transformed ? sx / 2 + 1 : sx;
    fb->spectrum_floats = aligned(2 * fb->complex_rows * fb->complex_row);
    fb->stage_floats = aligned(sx * (size_t)channels);
    fb->worker_floats = (size_t)channels * fb->plane_floats + fb->spectrum_floats +
                        fb->stage_floats;
    fb->kernel_rows = fb->y.transformed ? fb->complex_rows : 1;
    fb->kernel_cols = fb->x.transformed ? fb->complex_row : 1;
}

/* The dimensions of a block transform: transformed axes as dims, the
 * batch axis (if any) as the loop; strides in reals on the real side and
 * complex values on the other. */
static fftwf_plan plan_block(const tessel_cpu_fft_block *fb, float *real, float *spectrum,
                             int inverse)
{
    const ptrdiff_t rrow = (ptrdiff_t)fb->real_row, crow = (ptrdiff_t)fb->complex_row;
    fftwf_iodim64 ydim = {fb->y.size, inverse ? crow : rrow, inverse ? rrow : crow};
    fftwf_iodim64 xdim = {fb->x.size, 1, 1};
    fftwf_iodim64 dims[2], loop = {1, 0, 0};
    int rank = 0, loops = 0;
    if (fb->y.transformed) dims[rank++] = ydim;
    else loop = ydim, loops = 1;
    if (fb->x.transformed) dims[rank++] = xdim;
    else loop = xdim, loops = 1;
    const unsigned flags = fb->planner | FFTW_DESTROY_INPUT;
    fftwf_complex *c = (fftwf_complex *)spectrum;
    int threaded = tessel_fftw_lock();
    if (threaded) fftwf_plan_with_nthreads(1); /* the pool runs blocks in parallel */
    if (fb->time_limited) fftwf_set_timelimit(MEASURE_SECONDS);
    fftwf_plan p = inverse ? fftwf_plan_guru64_dft_c2r(rank, dims, loops, &loop, c, real, flags)
                           : fftwf_plan_guru64_dft_r2c(rank, dims, loops, &loop, real, c, flags);
    /* FFTW's default again, for whoever else in the process plans with it. */
    if (fb->time_limited) fftwf_set_timelimit(FFTW_NO_TIMELIMIT);
    tessel_fftw_unlock();
    return p;
}

/* The taps zero-padded to the transformed lengths (compactly: only the
 * transformed axes), transformed, conjugated (the method is a correlation)
 * and scaled by 1/(transform size): FFTW's inverse is unnormalised. */
static tessel_status kernel_spectrum(const tessel_plan *plan, tessel_cpu_fft_block *fb)
{
    const tessel_geometry *g = &plan->geo;
    const int ny = fb->y.transformed ? fb->y.size : 1, nx = fb->x.transformed ? fb->x.size : 1;
    const size_t reals = (size_t)ny * nx, count = fb->kernel_rows * fb->kernel_cols;
    float *taps = fftwf_malloc(reals * sizeof(float));
    fb->kernel_spectrum = fftwf_malloc(2 * count * sizeof(float));
    if (!taps || !fb->kernel_spectrum) {
        fftwf_free(taps);
        return tessel_fail(plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                           "out of memory for the spectrum of a %dx%d kernel at %dx%d",
                           g->kernel_width, g->kernel_height, nx, ny);
    }
    float *k = fb->kernel_spectrum;
    tessel_fftw_lock();
    /* A column's 1-D transform keeps ny/2+1 values, as the blocks' does. */
    fftwf_plan p = fb->x.transformed
                       ? fftwf_plan_dft_r2c_2d(ny, nx, taps, (fftwf_complex *)k, FFTW_ESTIMATE)
                       : fftwf_plan_dft_r2c_1d(ny, taps, (fftwf_complex *)k, FFTW_ESTIMATE);
    tessel_fftw_unlock();
    if (!p) {
        fftwf_free(taps);
        return tessel_fail(plan->ctx, TESSEL_ERR_BACKEND,
                           "FFTW could not plan the %dx%d kernel transform", nx, ny);
    }
    memset(taps, 0, reals * sizeof(float));
    /* One of the two loops has one pass when an axis is not transformed. */
    for (int t = 0; t < g->kernel_height; ++t)
        memcpy(taps + (size_t)t * nx, plan->taps + (size_t)t * g->kernel_width,
               (size_t)g->kernel_width * sizeof(float));
    fftwf_execute(p);
    tessel_fftw_destroy_plan(p);
    fftwf_free(taps);
    const float scale = (float)(1.0 / ((double)ny * (double)nx));
    for (size_t j = 0; j < count; ++j) {
        k[2 * j] *= scale;
        k[2 * j + 1] *= -scale;
    }
    return TESSEL_OK;
}

static tessel_status worker_buffers(const tessel_plan *plan, tessel_cpu_fft_block *fb, int workers)
{
    size_t bytes;
    RETURN_ERROR_IF(!tessel_size_product(fb->worker_floats, sizeof(float), (size_t)workers,
                                         &bytes),
                    plan->ctx,
                    TESSEL_ERR_BAD_SIZE, "method fft-block: %d blocks of %dx%d overflow memory",
                    workers, fb->x.size, fb->y.size);
    fb->buffers = calloc((size_t)workers, sizeof *fb->buffers);
    RETURN_ERROR_IF(!fb->buffers, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for an fft-block plan");
    fb->workers = workers;
    for (int w = 0; w < workers; ++w) {
        fb->buffers[w] = fftwf_malloc(fb->worker_floats * sizeof(float));
        RETURN_ERROR_IF(!fb->buffers[w], plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                        "out of memory for %d block(s) of %dx%d (%zu floats per thread)",
                        plan->channels, fb->x.size, fb->y.size, fb->worker_floats);
    }
    return TESSEL_OK;
}

/* Whole blocks per pool task: one each, unless there are very many. */
static void cut_tasks(tessel_cpu_fft_block *fb)
{
    const long long most = 1 << 16;
    fb->blocks = (long long)fb->y.blocks * fb->x.blocks;
    fb->blocks_per_task = (fb->blocks - 1) / most + 1;
    fb->tasks = (int)((fb->blocks - 1) / fb->blocks_per_task + 1);
}

tessel_status tessel_cpu_fft_block_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers)
{
    tessel_context *ctx = plan->ctx;
    tessel_cpu_fft_block *fb = calloc(1, sizeof *fb);
    RETURN_ERROR_IF(!fb, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for an fft-block plan");
    cp->fft_block = fb; /* released with cp, also when a step below fails */
    RETURN_ERROR_IF(!tessel_cpu_fft_block_choose(&plan->geo, workers, &fb->y, &fb->x), ctx,
                    TESSEL_ERR_BAD_SIZE,
                    "method fft-block: a %dx%d kernel has no transform length that fits in an int",
                    plan->geo.kernel_width, plan->geo.kernel_height);
    lay_out(fb, plan->channels);
    fb->planner = tessel_fftw_planner_flags(ctx, PLANNER_UNSET);
    if (fb->planner == PLANNER_UNSET) {
        const int measure = fb->y.transformed && fb->x.transformed &&
                            (size_t)fb->y.size * fb->x.size <= MEASURE_LIMIT;
        fb->planner = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
        fb->time_limited = measure;
    }
    FORWARD_IF_ERROR(worker_buffers(plan, fb, workers));
    /* Measured plans come from the wisdom `tessel tune` saved, when there is
     * some; new measurements go back into it. */
    const int measured = fb->planner != FFTW_ESTIMATE;
    if (measured) tessel_fftw_wisdom_load(ctx);
    const double started = seconds_now();
    float *real = fb->buffers[0];
    float *spectrum = real + (size_t)plan->channels * fb->plane_floats;
    fb->forward = plan_block(fb, real, spectrum, 0);
    fb->inverse = plan_block(fb, real, spectrum, 1);
    RETURN_ERROR_IF(!fb->forward || !fb->inverse, ctx, TESSEL_ERR_BACKEND,
                    "FFTW could not plan the %dx%d block transforms", fb->x.size, fb->y.size);
    if (measured && seconds_now() - started > NEW_WISDOM_SECONDS) tessel_fftw_wisdom_save(ctx, 0);
    FORWARD_IF_ERROR(kernel_spectrum(plan, fb));
    cut_tasks(fb);
    tessel_log(ctx, TESSEL_LOG_DEBUG,
               "fft-block: blocks of %dx%d (%s), %dx%d outputs each, %dx%d blocks, %d thread(s)%s",
               fb->x.size, fb->y.size,
               fb->x.transformed && fb->y.transformed ? "2-D transforms"
               : fb->x.transformed                    ? "row transforms"
                                                      : "column transforms",
               fb->x.outputs, fb->y.outputs, fb->x.blocks, fb->y.blocks, workers,
               fb->planner == FFTW_ESTIMATE ? "" : ", FFTW plans measured");
    return TESSEL_OK;
}

void tessel_cpu_fft_block_release(tessel_cpu_fft_block *fb)
{
    if (!fb) return;
    tessel_fftw_destroy_plan(fb->forward);
    tessel_fftw_destroy_plan(fb->inverse);
    for (int w = 0; w < fb->workers; ++w) fftwf_free(fb->buffers[w]);
    free(fb->buffers);
    fftwf_free(fb->kernel_spectrum);
    free(fb);
}
