/* Method fft on the OpenCL backend (see cl_fft.h). */
#include "cl_fft.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "cl_fft_geometry.h"
#include "cl_fft_kernels.h"
#include "cl_fft_spectral.h"

struct tessel_cl_fft {
    tessel_cl_fft_geometry g;
    tessel_cl_fft_spectral spectral; /* its planes: the extended input, then the result */
    tessel_cl_fft_kernels kernels;
};

/* Sizes are checked before anything is baked: baking takes seconds. */
static tessel_status check_sizes(tessel_context *ctx, const tessel_cl_state *cl,
                                 const tessel_cl_fft_geometry *g)
{
    RETURN_ERROR_IF(g->pad_w > INT_MAX || g->pad_h > INT_MAX, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft: a %zux%zu transform is too large", g->pad_w, g->pad_h);
    const struct {
        const char *what;
        size_t bytes;
    } need[4] = {{"extended input", g->real_bytes},
                 {"spectrum", g->spec_bytes},
                 {"transposed spectrum", g->spec_bytes},
                 {"kernel spectrum", g->kernel_bytes}};
    const unsigned long long max_mib = cl->caps.max_alloc >> 20;
    size_t total = 0;
    for (int i = 0; i < 4; ++i) {
        RETURN_ERROR_IF(need[i].bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                        "method fft needs a %s buffer of %zu MiB (%d plane(s) of %zux%zu) but "
                        "the device's largest allocation is %llu MiB (only host images "
                        "are tiled; deconvolution is not)",
                        need[i].what, need[i].bytes >> 20, g->planes, g->pad_w, g->pad_h, max_mib);
        total += need[i].bytes;
    }
    RETURN_ERROR_IF(total > cl->caps.global_mem, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft needs %zu MiB of buffers for %d plane(s) of %zux%zu but the "
                    "device has %llu MiB (only host images are tiled; deconvolution is not)",
                    total >> 20, g->planes, g->pad_w, g->pad_h,
                    (unsigned long long)(cl->caps.global_mem >> 20));
    return TESSEL_OK;
}

/* Complex values (float pairs) of a rows x cols array into out, transposed. */
static void transpose_complex(const float *in, size_t rows, size_t cols, float *out)
{
    for (size_t r = 0; r < rows; ++r)
        for (size_t c = 0; c < cols; ++c) {
            out[2 * (c * rows + r)] = in[2 * (r * cols + c)];
            out[2 * (c * rows + r) + 1] = in[2 * (r * cols + c) + 1];
        }
}

/* A deconvolution plan's filter of the spectrum (core/spectral_filter.h),
 * applied on the host in double precision: once per plan. The device
 * keeps the spectrum transposed (cl_fft_spectral.h), the filter takes it
 * row by row. */
static tessel_status filter_kernel_spectrum(const tessel_plan *plan, tessel_cl_state *cl,
                                            tessel_cl_fft *f)
{
    if (plan->filter.kind == TESSEL_SPECTRAL_NONE) return TESSEL_OK;
    tessel_context *ctx = plan->ctx;
    float *k = malloc(f->g.kernel_bytes), *rows = malloc(f->g.kernel_bytes);
    if (!k || !rows) {
        free(k);
        free(rows);
        return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                           "out of memory for a %zux%zu filtered kernel spectrum", f->g.pad_w,
                           f->g.pad_h);
    }
    cl_mem spectrum = f->spectral.kernel_spectrum; /* made and finished: nothing pending */
    cl_int e = clEnqueueReadBuffer(cl->queue, spectrum, CL_TRUE, 0, f->g.kernel_bytes, k, 0, NULL,
                                   NULL);
    if (e == CL_SUCCESS) {
        transpose_complex(k, f->g.spec_w, f->g.pad_h, rows);
        tessel_spectral_filter_apply(&plan->filter, rows, f->g.pad_h, f->g.pad_w);
        transpose_complex(rows, f->g.pad_h, f->g.spec_w, k);
        e = clEnqueueWriteBuffer(cl->queue, spectrum, CL_TRUE, 0, f->g.kernel_bytes, k, 0, NULL,
                                 NULL);
    }
    free(k);
    free(rows);
    RETURN_IF_CL_ERROR(ctx, e, "transferring the kernel spectrum to filter it");
    return TESSEL_OK;
}

static tessel_status prepare(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft *f)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_fft_geometry_make(plan, &f->g);
    FORWARD_IF_ERROR(check_sizes(ctx, cl, &f->g));
    tessel_log(ctx, TESSEL_LOG_DEBUG, "opencl fft: extended input %dx%d, transform %zux%zu, %d plane(s)",
               f->g.ext_w, f->g.ext_h, f->g.pad_w, f->g.pad_h, f->g.planes);
    FORWARD_IF_ERROR(tessel_clfft_acquire_user(ctx, cl));
    const tessel_cl_fft_spectral_size size = {.method = "fft",
                                              .pad_w = f->g.pad_w,
                                              .pad_h = f->g.pad_h,
                                              .batch = f->g.planes,
                                              .spec_w = f->g.spec_w,
                                              .real_bytes = f->g.real_bytes,
                                              .spec_bytes = f->g.spec_bytes,
                                              .kernel_bytes = f->g.kernel_bytes};
    FORWARD_IF_ERROR(tessel_cl_fft_spectral_prepare(plan, cl, &size, &f->spectral));
    FORWARD_IF_ERROR(filter_kernel_spectrum(plan, cl, f));
    return tessel_cl_fft_kernels_prepare(ctx, cl, plan, &f->g, &f->kernels);
}

tessel_status tessel_cl_fft_prepare(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft **out)
{
    *out = calloc(1, sizeof **out);
    RETURN_ERROR_IF(!*out, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for an FFT plan");
    return prepare(plan, cl, *out); /* on failure the caller destroys *out */
}

tessel_status tessel_cl_fft_run(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_fft *f,
                                cl_mem src, int src_pitch, cl_mem dst, int dst_pitch)
{
    tessel_context *ctx = plan->ctx;
    cl_mem planes = f->spectral.planes;
    FORWARD_IF_ERROR(tessel_cl_fft_extend(ctx, cl, &f->kernels, src, src_pitch, planes));
    FORWARD_IF_ERROR(tessel_cl_fft_spectral_apply(ctx, cl, &f->spectral));
    return tessel_cl_fft_crop(ctx, cl, &f->kernels, planes, dst, dst_pitch);
}

void tessel_cl_fft_destroy(tessel_cl_state *cl, tessel_cl_fft *f)
{
    if (!f) return;
    clFinish(cl->queue); /* runs on buffers may still be using them */
    tessel_cl_fft_kernels_release(&f->kernels);
    tessel_cl_fft_spectral_release(&f->spectral);
    free(f);
}

void tessel_cl_fft_describe(const tessel_cl_fft *f, char *out, size_t size)
{
    snprintf(out, size, "clFFT transforms of %zux%zu, %d plane(s), out of place", f->g.pad_w,
             f->g.pad_h, f->g.planes);
}

void tessel_cl_fft_context_release(tessel_cl_state *cl)
{
    tessel_clfft_release_user(cl);
}
