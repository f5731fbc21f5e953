/* Preparing the frequency-domain method, once per tessel plan: transform
 * sizes, the channel planes, FFTW plans and the kernel's spectrum.
 * $TESSEL_FFTW_PLANNER picks FFTW's planning effort (fftw_planner.h; the
 * default here is "estimate": these transforms are image-sized). */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/context.h"
#include "core/fft_size.h"
#include "core/sizes.h"
#include "fft_state.h"
#include "fftw_lock.h"
#include "fftw_planner.h"

/* Planes start 64 bytes apart from the first, so every plane is as aligned
 * as the first and FFTW's SIMD code serves all of them. */
#define PLANE_ALIGN_FLOATS 16

/* E's size: only the dense rows and columns the stride keeps. */
int tessel_cpu_fft_layout(const tessel_geometry *g, tessel_cpu_fft_sizes *out)
{
    out->ext_height = (long long)(g->out_height - 1) * g->stride_y + g->kernel_height;
    out->ext_width = (long long)(g->out_width - 1) * g->stride_x + g->kernel_width;
    out->size_y = out->ext_height <= INT_MAX ? tessel_fft_smooth_size((int)out->ext_height) : -1;
    out->size_x = out->ext_width <= INT_MAX ? tessel_fft_smooth_size((int)out->ext_width) : -1;
    return out->size_y >= 0 && out->size_x >= 0;
}

/* E's size and the padded transform sizes, the planes' layout. */
static tessel_status choose_sizes(const tessel_plan *plan, tessel_cpu_fft *f)
{
    tessel_cpu_fft_sizes sizes;
    RETURN_ERROR_IF(!tessel_cpu_fft_layout(&plan->geo, &sizes), plan->ctx, TESSEL_ERR_BAD_SIZE,
                    "method fft: the border-extended input of %lldx%lld has no transform size "
                    "that fits in an int",
                    sizes.ext_width, sizes.ext_height);
    f->size_y = sizes.size_y;
    f->size_x = sizes.size_x;
    f->ext_height = (int)sizes.ext_height;
    f->ext_width = (int)sizes.ext_width;
    f->row_floats = 2 * ((size_t)f->size_x / 2 + 1);
    f->spectrum_count = (size_t)f->size_y * (f->row_floats / 2);
    size_t plane = (size_t)f->size_y * f->row_floats;
    plane = (plane + PLANE_ALIGN_FLOATS - 1) / PLANE_ALIGN_FLOATS * PLANE_ALIGN_FLOATS;
    size_t bytes;
    RETURN_ERROR_IF(!tessel_size_product(plane, sizeof(float), (size_t)plan->channels, &bytes),
                    plan->ctx,
                    TESSEL_ERR_BAD_SIZE,
                    "method fft: %d planes of %dx%d overflow the address space", plan->channels,
                    f->size_x, f->size_y);
    f->plane_floats = plane;
    return TESSEL_OK;
}

/* An in-place transform of `howmany` planes starting at data: real to
 * complex, or back. Strides: reals for the real side, complex values for
 * the other. */
static fftwf_plan plan_transform(const tessel_cpu_fft *f, int howmany, float *data, int inverse,
                                 int threads)
{
    const ptrdiff_t real_row = (ptrdiff_t)f->row_floats, complex_row = real_row / 2;
    const ptrdiff_t real_plane = (ptrdiff_t)f->plane_floats, complex_plane = real_plane / 2;
    fftwf_complex *spectrum = (fftwf_complex *)data;
    fftwf_iodim64 dims[2] = {{f->size_y, inverse ? complex_row : real_row,
                              inverse ? real_row : complex_row},
                             {f->size_x, 1, 1}};
    fftwf_iodim64 many = {howmany, inverse ? complex_plane : real_plane,
                          inverse ? real_plane : complex_plane};
    int threaded = tessel_fftw_lock();
    if (threaded) fftwf_plan_with_nthreads(threads);
    fftwf_plan p = inverse ? fftwf_plan_guru64_dft_c2r(2, dims, 1, &many, spectrum, data,
                                                       f->planner)
                           : fftwf_plan_guru64_dft_r2c(2, dims, 1, &many, data, spectrum,
                                                       f->planner);
    /* FFTW's default again, for whoever else in the process plans with it. */
    if (threaded) fftwf_plan_with_nthreads(1);
    tessel_fftw_unlock();
    return p;
}

/* The taps zero-padded to Ph x Pw, transformed, conjugated (the method is a
 * correlation) and scaled by 1/(Ph*Pw) (FFTW's inverse is unnormalised). */
static tessel_status kernel_spectrum(const tessel_plan *plan, tessel_cpu_fft *f, int threads)
{
    const tessel_geometry *g = &plan->geo;
    const size_t floats = (size_t)f->size_y * f->row_floats;
    float *k = fftwf_malloc(floats * sizeof(float));
    RETURN_ERROR_IF(!k, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for the spectrum of a %dx%d kernel padded to %dx%d",
                    g->kernel_width, g->kernel_height, f->size_x, f->size_y);
    f->kernel_spectrum = k;
    /* Planned before the taps are written: planners other than
     * FFTW_ESTIMATE overwrite their arrays. */
    fftwf_plan p = plan_transform(f, 1, k, 0, threads);
    RETURN_ERROR_IF(!p, plan->ctx, TESSEL_ERR_BACKEND,
                    "FFTW could not plan a %dx%d real transform", f->size_x, f->size_y);
    memset(k, 0, floats * sizeof(float));
    for (int t = 0; t < g->kernel_height; ++t)
        memcpy(k + (size_t)t * f->row_floats, plan->taps + (size_t)t * g->kernel_width,
               (size_t)g->kernel_width * sizeof(float));
    fftwf_execute(p);
    tessel_fftw_destroy_plan(p);
    const float scale = (float)(1.0 / ((double)f->size_y * (double)f->size_x));
    for (size_t j = 0; j < f->spectrum_count; ++j) {
        k[2 * j] *= scale;
        k[2 * j + 1] *= -scale;
    }
    /* A deconvolution plan runs a filter of the spectrum instead. */
    tessel_spectral_filter_apply(&plan->filter, k, (size_t)f->size_y, (size_t)f->size_x);
    return TESSEL_OK;
}

/* Per-worker rows for loading input and gathering output. */
static tessel_status worker_scratch(const tessel_plan *plan, const tessel_cpu_plan *cp,
                                    tessel_cpu_fft *f, int workers)
{
    size_t out_row = (size_t)plan->geo.out_width * plan->channels;
    f->scratch_floats = cp->ext_floats > out_row ? cp->ext_floats : out_row;
    f->scratch = malloc((size_t)workers * f->scratch_floats * sizeof(float));
    RETURN_ERROR_IF(!f->scratch, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for row buffers (%zu floats per thread)", f->scratch_floats);
    f->tasks = workers == 1 ? 1 : workers * 4;
    return TESSEL_OK;
}

tessel_status tessel_cpu_fft_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int workers)
{
    tessel_context *ctx = plan->ctx;
    tessel_cpu_fft *f = calloc(1, sizeof *f);
    RETURN_ERROR_IF(!f, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for an fft plan");
    cp->fft = f; /* released with cp, also when a step below fails */
    FORWARD_IF_ERROR(choose_sizes(plan, f));
    f->planner = tessel_fftw_planner_flags(ctx, FFTW_ESTIMATE);
    const int c = plan->channels;
    f->planes = fftwf_malloc((size_t)c * f->plane_floats * sizeof(float));
    RETURN_ERROR_IF(!f->planes, ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for the fft of %d channel(s) of %dx%d floats", c, f->size_x,
                    f->size_y);
    f->forward = plan_transform(f, c, f->planes, 0, workers);
    f->inverse = plan_transform(f, c, f->planes, 1, workers);
    RETURN_ERROR_IF(!f->forward || !f->inverse, ctx, TESSEL_ERR_BACKEND,
                    "FFTW could not plan %d %dx%d real transform(s)", c, f->size_x, f->size_y);
    FORWARD_IF_ERROR(kernel_spectrum(plan, f, workers));
    tessel_log(ctx, TESSEL_LOG_DEBUG,
               "fft: %d channel(s) of %dx%d (input extended to %dx%d), %d thread(s)%s", c,
               f->size_x, f->size_y, f->ext_width, f->ext_height, workers,
               f->planner == FFTW_ESTIMATE ? "" : ", FFTW plans measured");
    return worker_scratch(plan, cp, f, workers);
}

void tessel_cpu_fft_release(tessel_cpu_fft *f)
{
    if (!f) return;
    tessel_fftw_destroy_plan(f->forward);
    tessel_fftw_destroy_plan(f->inverse);
    fftwf_free(f->planes);
    fftwf_free(f->kernel_spectrum);
    free(f->scratch);
    free(f);
}
