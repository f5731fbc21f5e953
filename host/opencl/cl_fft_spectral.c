/* The transforms and the spectrum product both OpenCL FFT methods run (see
 * cl_fft_spectral.h). */
#include "cl_fft_spectral.h"

#include <string.h>

#include "cl_internal.h"
#include "cl_program.h"

#define GROUP_WIDTH 64

size_t tessel_cl_fft_group_width(const tessel_cl_state *cl, const cl_kernel *kernels, int count)
{
    size_t limit = cl->caps.max_work_group;
    for (int i = 0; i < count; ++i) {
        size_t w = 0;
        if (clGetKernelWorkGroupInfo(kernels[i], cl->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof w,
                                     &w, NULL) == CL_SUCCESS &&
            w < limit)
            limit = w;
    }
    size_t width = GROUP_WIDTH;
    while (width > 1 && width > limit) width /= 2;
    return width;
}

tessel_status tessel_cl_fft_launch(tessel_context *ctx, tessel_cl_state *cl, cl_kernel kernel,
                                   size_t group, size_t width, size_t height, size_t depth,
                                   const char *what)
{
    const size_t local[3] = {group, 1, 1};
    const size_t global[3] = {tessel_cl_round_up(width, group), height, depth};
    return tessel_cl_launch(ctx, cl, kernel, 3, global, local, what);
}

static tessel_status bake_transforms(tessel_context *ctx, tessel_cl_state *cl,
                                     tessel_cl_fft_spectral *s)
{
    tessel_cl_fft_shape shape = {s->size.pad_w, s->size.pad_h, (size_t)s->size.batch, 0};
    FORWARD_IF_ERROR(tessel_cl_fft_plans_get(&s->plans, ctx, cl, &shape, &s->forward));
    shape.inverse = 1;
    FORWARD_IF_ERROR(tessel_cl_fft_plans_get(&s->plans, ctx, cl, &shape, &s->backward));
    return tessel_cl_fft_plans_scratch(&s->plans, ctx, cl, &s->scratch);
}

static tessel_status get_kernels(tessel_context *ctx, tessel_cl_state *cl,
                                 tessel_cl_fft_spectral *s)
{
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL,
                                          "tessel_fft_kernel_spectrum", &s->make_spectrum));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL,
                                          "tessel_fft_multiply", &s->multiply));
    const cl_kernel both[2] = {s->make_spectrum, s->multiply};
    s->group = tessel_cl_fft_group_width(cl, both, 2);
    return TESSEL_OK;
}

static tessel_status make_buffer(tessel_context *ctx, tessel_cl_state *cl,
                                 const tessel_cl_fft_spectral *s, size_t bytes, cl_mem *out,
                                 const char *what)
{
    cl_int e;
    *out = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, bytes, NULL, &e);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clCreateBuffer (method %s, %s, %zu bytes) failed: %s (%d)", s->size.method,
                    what, bytes, tessel_cl_error_name(e), (int)e);
    return TESSEL_OK;
}

/* The buffers, and the product's arguments (the same for every run). */
static tessel_status make_buffers(tessel_context *ctx, tessel_cl_state *cl,
                                  tessel_cl_fft_spectral *s)
{
    FORWARD_IF_ERROR(make_buffer(ctx, cl, s, s->size.real_bytes, &s->planes, "planes"));
    FORWARD_IF_ERROR(make_buffer(ctx, cl, s, s->size.spec_bytes, &s->spectra, "spectra"));
    FORWARD_IF_ERROR(
        make_buffer(ctx, cl, s, s->size.kernel_bytes, &s->kernel_spectrum, "kernel spectrum"));
    cl_int e = clSetKernelArg(s->multiply, 0, sizeof s->spectra, &s->spectra);
    e |= clSetKernelArg(s->multiply, 1, sizeof s->kernel_spectrum, &s->kernel_spectrum);
    e |= clSetKernelArg(s->multiply, 2, sizeof s->spec_plane, &s->spec_plane);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT multiply kernel");
    return TESSEL_OK;
}

static tessel_status transform(tessel_context *ctx, tessel_cl_state *cl,
                               const tessel_cl_fft_spectral *s, int inverse, cl_mem in, cl_mem out)
{
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    clfftStatus st = clfftEnqueueTransform(inverse ? s->backward : s->forward,
                                           inverse ? CLFFT_BACKWARD : CLFFT_FORWARD, 1,
                                           &cl->queue, 0, NULL, NULL, &in, &out, s->scratch);
    RETURN_ERROR_IF(st != CLFFT_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clfftEnqueueTransform (method %s, %s, %d plane(s) of %zux%zu) failed: %s "
                    "(%d)",
                    s->size.method, inverse ? "backward" : "forward", s->size.batch,
                    s->size.pad_w, s->size.pad_h, tessel_clfft_status_name(st), (int)st);
    return tessel_cl_fence(ctx, cl);
}

/* The first plane's spectrum -> the kernel's spectrum, 1/N folded in. */
static tessel_status launch_make_spectrum(tessel_context *ctx, tessel_cl_state *cl,
                                          tessel_cl_fft_spectral *s)
{
    const float inv_n = (float)(1.0 / ((double)s->size.pad_w * (double)s->size.pad_h));
    cl_int e = clSetKernelArg(s->make_spectrum, 0, sizeof s->spectra, &s->spectra);
    e |= clSetKernelArg(s->make_spectrum, 1, sizeof s->kernel_spectrum, &s->kernel_spectrum);
    e |= clSetKernelArg(s->make_spectrum, 2, sizeof s->spec_plane, &s->spec_plane);
    e |= clSetKernelArg(s->make_spectrum, 3, sizeof inv_n, &inv_n);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT kernel spectrum kernel");
    return tessel_cl_fft_launch(ctx, cl, s->make_spectrum, s->group, (size_t)s->spec_plane, 1, 1,
                                "clEnqueueNDRangeKernel (FFT kernel spectrum)");
}

static tessel_status make_kernel_spectrum(const tessel_plan *plan, tessel_cl_state *cl,
                                          tessel_cl_fft_spectral *s)
{
    tessel_context *ctx = plan->ctx;
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    const cl_float zero = 0.0f;
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    cl_int e = clEnqueueFillBuffer(cl->queue, s->planes, &zero, sizeof zero, 0,
                                   s->size.real_bytes, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueFillBuffer (FFT kernel plane)");
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    const size_t origin[3] = {0, 0, 0};
    const size_t region[3] = {(size_t)kw * sizeof(float), (size_t)kh, 1};
    e = clEnqueueWriteBufferRect(cl->queue, s->planes, CL_TRUE, origin, origin, region,
                                 s->size.pad_w * sizeof(float), 0, (size_t)kw * sizeof(float), 0,
                                 plan->taps, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueWriteBufferRect (FFT kernel taps)");
    FORWARD_IF_ERROR(transform(ctx, cl, s, 0, s->planes, s->spectra));
    FORWARD_IF_ERROR(launch_make_spectrum(ctx, cl, s));
    e = clFinish(cl->queue); /* so that a failure shows here, not in the first run */
    RETURN_IF_CL_ERROR(ctx, e, "clFinish (FFT kernel spectrum)");
    return TESSEL_OK;
}

tessel_status tessel_cl_fft_spectral_prepare(const tessel_plan *plan, tessel_cl_state *cl,
                                             const tessel_cl_fft_spectral_size *size,
                                             tessel_cl_fft_spectral *s)
{
    tessel_context *ctx = plan->ctx;
    s->size = *size;
    s->spec_plane = (cl_ulong)(size->pad_h * size->spec_w);
    FORWARD_IF_ERROR(bake_transforms(ctx, cl, s));
    FORWARD_IF_ERROR(get_kernels(ctx, cl, s));
    FORWARD_IF_ERROR(make_buffers(ctx, cl, s));
    return make_kernel_spectrum(plan, cl, s);
}

tessel_status tessel_cl_fft_spectral_apply(tessel_context *ctx, tessel_cl_state *cl,
                                           tessel_cl_fft_spectral *s)
{
    FORWARD_IF_ERROR(transform(ctx, cl, s, 0, s->planes, s->spectra));
    FORWARD_IF_ERROR(tessel_cl_fft_launch(ctx, cl, s->multiply, s->group, (size_t)s->spec_plane,
                                          (size_t)s->size.batch, 1,
                                          "clEnqueueNDRangeKernel (FFT multiply)"));
    return transform(ctx, cl, s, 1, s->spectra, s->planes);
}

void tessel_cl_fft_spectral_release(tessel_cl_fft_spectral *s)
{
    if (s->make_spectrum) clReleaseKernel(s->make_spectrum);
    if (s->multiply) clReleaseKernel(s->multiply);
    tessel_cl_fft_plans_clear(&s->plans); /* scratch belongs to the plans */
    const cl_mem buffers[3] = {s->planes, s->spectra, s->kernel_spectrum};
    for (int i = 0; i < 3; ++i)
        if (buffers[i]) clReleaseMemObject(buffers[i]);
    memset(s, 0, sizeof *s);
}
