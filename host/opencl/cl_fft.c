/* Method fft on the OpenCL backend (see cl_fft.h). */
#include "cl_fft.h"

#include <limits.h>
#include <stdlib.h>

#include "cl_fft_geometry.h"
#include "cl_fft_kernels.h"
#include "cl_fft_plans.h"

struct cl_fft {
    cl_fft_geometry g;
    cl_fft_plans plans;
    clfftPlanHandle forward, backward;
    cl_mem ext;             /* the extended input, then the result (float planes) */
    cl_mem spectra;         /* its half spectra */
    cl_mem kernel_spectrum; /* conj(DFT(taps)) / N, one plane */
    cl_mem scratch;         /* clFFT's temporary buffer, NULL when it needs none */
    cl_fft_kernels kernels;
};

/* Sizes are checked before anything is baked: baking takes seconds. */
static tessel_status check_sizes(tessel_context *ctx, const cl_state *cl, const cl_fft_geometry *g)
{
    RETURN_ERROR_IF(g->pad_w > INT_MAX || g->pad_h > INT_MAX, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft: a %zux%zu transform is too large", g->pad_w, g->pad_h);
    const struct {
        const char *what;
        size_t bytes;
    } need[3] = {{"extended input", g->real_bytes},
                 {"spectrum", g->spec_bytes},
                 {"kernel spectrum", g->kernel_bytes}};
    const unsigned long long max_mib = cl->caps.max_alloc >> 20;
    size_t total = 0;
    for (int i = 0; i < 3; ++i) {
        RETURN_ERROR_IF(need[i].bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                        "method fft needs a %s buffer of %zu MiB (%d plane(s) of %zux%zu) but "
                        "the device's largest allocation is %llu MiB (FFT tiling is not "
                        "available yet)",
                        need[i].what, need[i].bytes >> 20, g->planes, g->pad_w, g->pad_h, max_mib);
        total += need[i].bytes;
    }
    RETURN_ERROR_IF(total > cl->caps.global_mem, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method fft needs %zu MiB of buffers for %d plane(s) of %zux%zu but the "
                    "device has %llu MiB (FFT tiling is not available yet)",
                    total >> 20, g->planes, g->pad_w, g->pad_h,
                    (unsigned long long)(cl->caps.global_mem >> 20));
    return TESSEL_OK;
}

static tessel_status make_buffer(tessel_context *ctx, cl_state *cl, size_t bytes, cl_mem *out,
                                 const char *what)
{
    cl_int e;
    *out = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, bytes, NULL, &e);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clCreateBuffer (FFT %s, %zu bytes) failed: %s (%d)", what, bytes,
                    tessel_cl_error_name(e), (int)e);
    return TESSEL_OK;
}

static tessel_status bake_plans(tessel_context *ctx, cl_state *cl, cl_fft *f)
{
    cl_fft_shape shape = {f->g.pad_w, f->g.pad_h, (size_t)f->g.planes, 0};
    FORWARD_IF_ERROR(tessel_cl_fft_plans_get(&f->plans, ctx, cl, &shape, &f->forward));
    shape.inverse = 1;
    FORWARD_IF_ERROR(tessel_cl_fft_plans_get(&f->plans, ctx, cl, &shape, &f->backward));
    return tessel_cl_fft_plans_scratch(&f->plans, ctx, cl, &f->scratch);
}

static tessel_status transform(tessel_context *ctx, cl_state *cl, const cl_fft *f, int inverse,
                               cl_mem in, cl_mem out)
{
    clfftStatus s = clfftEnqueueTransform(inverse ? f->backward : f->forward,
                                          inverse ? CLFFT_BACKWARD : CLFFT_FORWARD, 1, &cl->queue,
                                          0, NULL, NULL, &in, &out, f->scratch);
    RETURN_ERROR_IF(s != CLFFT_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clfftEnqueueTransform (%s, %zux%zu) failed: %s (%d)",
                    inverse ? "backward" : "forward", f->g.pad_w, f->g.pad_h,
                    tessel_clfft_status_name(s), (int)s);
    return TESSEL_OK;
}

/* The taps in the corner of a zeroed first plane, transformed, conjugated
 * and scaled by 1/N (fft_spectrum.cl). Other planes transform zeros. */
static tessel_status make_kernel_spectrum(const tessel_plan *plan, cl_state *cl, cl_fft *f)
{
    tessel_context *ctx = plan->ctx;
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    const cl_float zero = 0.0f;
    cl_int e = clEnqueueFillBuffer(cl->queue, f->ext, &zero, sizeof zero, 0, f->g.real_bytes, 0,
                                   NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueFillBuffer (FFT kernel plane)");
    const size_t origin[3] = {0, 0, 0};
    const size_t region[3] = {(size_t)kw * sizeof(float), (size_t)kh, 1};
    e = clEnqueueWriteBufferRect(cl->queue, f->ext, CL_TRUE, origin, origin, region,
                                 f->g.pad_w * sizeof(float), 0, (size_t)kw * sizeof(float), 0,
                                 plan->taps, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueWriteBufferRect (FFT kernel taps)");
    FORWARD_IF_ERROR(transform(ctx, cl, f, 0, f->ext, f->spectra));
    const float inv_n = (float)(1.0 / ((double)f->g.pad_w * (double)f->g.pad_h));
    FORWARD_IF_ERROR(
        tessel_cl_fft_kernel_spectrum(ctx, cl, &f->kernels, f->spectra, f->kernel_spectrum, inv_n));
    e = clFinish(cl->queue); /* so that a failure shows here, not in the first run */
    RETURN_IF_CL_ERROR(ctx, e, "clFinish (FFT kernel spectrum)");
    return TESSEL_OK;
}

static tessel_status prepare(tessel_plan *plan, cl_state *cl, cl_fft *f)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_fft_geometry_make(plan, &f->g);
    FORWARD_IF_ERROR(check_sizes(ctx, cl, &f->g));
    tessel_log(ctx, TESSEL_LOG_DEBUG, "opencl fft: extended input %dx%d, transform %zux%zu, %d plane(s)",
               f->g.ext_w, f->g.ext_h, f->g.pad_w, f->g.pad_h, f->g.planes);
    FORWARD_IF_ERROR(tessel_clfft_acquire_user(ctx, cl));
    FORWARD_IF_ERROR(bake_plans(ctx, cl, f));
    FORWARD_IF_ERROR(tessel_cl_fft_kernels_prepare(ctx, cl, plan, &f->g, &f->kernels));
    FORWARD_IF_ERROR(make_buffer(ctx, cl, f->g.real_bytes, &f->ext, "extended input"));
    FORWARD_IF_ERROR(make_buffer(ctx, cl, f->g.spec_bytes, &f->spectra, "spectrum"));
    FORWARD_IF_ERROR(make_buffer(ctx, cl, f->g.kernel_bytes, &f->kernel_spectrum, "kernel spectrum"));
    return make_kernel_spectrum(plan, cl, f);
}

tessel_status tessel_cl_fft_prepare(tessel_plan *plan, cl_state *cl, cl_fft **out)
{
    *out = calloc(1, sizeof **out);
    RETURN_ERROR_IF(!*out, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for an FFT plan");
    return prepare(plan, cl, *out); /* on failure the caller destroys *out */
}

tessel_status tessel_cl_fft_run(tessel_plan *plan, cl_state *cl, cl_fft *f, cl_mem src,
                                int src_pitch, cl_mem dst, int dst_pitch)
{
    tessel_context *ctx = plan->ctx;
    FORWARD_IF_ERROR(tessel_cl_fft_extend(ctx, cl, &f->kernels, src, src_pitch, f->ext));
    FORWARD_IF_ERROR(transform(ctx, cl, f, 0, f->ext, f->spectra));
    FORWARD_IF_ERROR(
        tessel_cl_fft_multiply(ctx, cl, &f->kernels, f->spectra, f->kernel_spectrum, f->g.planes));
    FORWARD_IF_ERROR(transform(ctx, cl, f, 1, f->spectra, f->ext));
    return tessel_cl_fft_crop(ctx, cl, &f->kernels, f->ext, dst, dst_pitch);
}

void tessel_cl_fft_destroy(cl_state *cl, cl_fft *f)
{
    if (!f) return;
    clFinish(cl->queue); /* runs on buffers may still be using them */
    tessel_cl_fft_kernels_release(&f->kernels);
    tessel_cl_fft_plans_clear(&f->plans); /* scratch belongs to the plans */
    const cl_mem buffers[3] = {f->ext, f->spectra, f->kernel_spectrum};
    for (int i = 0; i < 3; ++i)
        if (buffers[i]) clReleaseMemObject(buffers[i]);
    free(f);
}

void tessel_cl_fft_context_release(cl_state *cl)
{
    tessel_clfft_release_user(cl);
}
