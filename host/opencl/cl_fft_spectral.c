/* The transforms and the spectrum product both OpenCL FFT methods run (see
 * cl_fft_spectral.h). */
#include "cl_fft_spectral.h"

#include <string.h>

#include "cl_internal.h"
#include "cl_program.h"

#define TRANSPOSE_SIDE 16 /* fft_spectrum.cl's SIDE */

/* The four batches of 1-D transforms (cl_fft_lib.h): real rows, then
 * complex rows of the transposed spectra, each way. */
static tessel_status bake_transforms(tessel_context *ctx, tessel_cl_state *cl,
                                     tessel_cl_fft_spectral *s)
{
    const size_t planes = (size_t)s->size.batch;
    const tessel_cl_fft_shape shapes[4] = {
        {0, 0, s->size.pad_w, s->size.pad_h * planes},
        {1, 0, s->size.pad_h, s->size.spec_w * planes},
        {1, 1, s->size.pad_h, s->size.spec_w * planes},
        {0, 1, s->size.pad_w, s->size.pad_h * planes}};
    clfftPlanHandle *handles[4] = {&s->rows_forward, &s->columns_forward, &s->columns_backward,
                                   &s->rows_backward};
    for (int i = 0; i < 4; ++i)
        FORWARD_IF_ERROR(tessel_cl_fft_plans_get(&s->plans, ctx, cl, &shapes[i], handles[i]));
    return tessel_cl_fft_plans_scratch(&s->plans, ctx, cl, &s->scratch);
}

static tessel_status get_kernels(tessel_context *ctx, tessel_cl_state *cl,
                                 tessel_cl_fft_spectral *s)
{
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL,
                                          "tessel_fft_kernel_spectrum", &s->make_spectrum));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL,
                                          "tessel_fft_multiply", &s->multiply));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL,
                                          "tessel_fft_transpose", &s->transpose));
    const cl_kernel both[2] = {s->make_spectrum, s->multiply};
    s->group = tessel_cl_group_width(cl, both, 2);
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
    FORWARD_IF_ERROR(make_buffer(ctx, cl, s, s->size.spec_bytes, &s->turned, "transposed rows"));
    FORWARD_IF_ERROR(
        make_buffer(ctx, cl, s, s->size.kernel_bytes, &s->kernel_spectrum, "kernel spectrum"));
    cl_int e = clSetKernelArg(s->multiply, 0, sizeof s->spectra, &s->spectra);
    e |= clSetKernelArg(s->multiply, 1, sizeof s->kernel_spectrum, &s->kernel_spectrum);
    e |= clSetKernelArg(s->multiply, 2, sizeof s->spec_plane, &s->spec_plane);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT multiply kernel");
    return TESSEL_OK;
}

/* One batch of transforms from in to out (never the same buffer). */
static tessel_status transform(tessel_context *ctx, tessel_cl_state *cl,
                               const tessel_cl_fft_spectral *s, clfftPlanHandle plan,
                               clfftDirection direction, cl_mem in, cl_mem out)
{
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    clfftStatus st = clfftEnqueueTransform(plan, direction, 1, &cl->queue, 0, NULL, NULL, &in,
                                           &out, s->scratch);
    RETURN_ERROR_IF(st != CLFFT_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clfftEnqueueTransform (method %s, %s, %d plane(s) of %zux%zu) failed: %s "
                    "(%d)",
                    s->size.method, direction == CLFFT_BACKWARD ? "backward" : "forward",
                    s->size.batch, s->size.pad_w, s->size.pad_h, tessel_clfft_status_name(st),
                    (int)st);
    return tessel_cl_fence(ctx, cl);
}

/* Every plane of in (rows x cols complex values) transposed into out. */
static tessel_status transpose(tessel_context *ctx, tessel_cl_state *cl,
                               const tessel_cl_fft_spectral *s, cl_mem in, cl_mem out,
                               size_t rows, size_t cols)
{
    const cl_int r = (cl_int)rows, c = (cl_int)cols;
    cl_int e = clSetKernelArg(s->transpose, 0, sizeof in, &in);
    e |= clSetKernelArg(s->transpose, 1, sizeof out, &out);
    e |= clSetKernelArg(s->transpose, 2, sizeof r, &r);
    e |= clSetKernelArg(s->transpose, 3, sizeof c, &c);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the FFT transpose kernel");
    const size_t local[3] = {TRANSPOSE_SIDE, TRANSPOSE_SIDE, 1};
    const size_t global[3] = {tessel_cl_round_up(cols, TRANSPOSE_SIDE),
                              tessel_cl_round_up(rows, TRANSPOSE_SIDE), (size_t)s->size.batch};
    return tessel_cl_launch(ctx, cl, s->transpose, 3, global, local,
                            "clEnqueueNDRangeKernel (FFT transpose)");
}

/* planes -> their spectra, transposed (spec_w rows of pad_h), in spectra:
 * rows, transpose, rows again. */
static tessel_status forward(tessel_context *ctx, tessel_cl_state *cl,
                             const tessel_cl_fft_spectral *s)
{
    FORWARD_IF_ERROR(transform(ctx, cl, s, s->rows_forward, CLFFT_FORWARD, s->planes, s->spectra));
    FORWARD_IF_ERROR(transpose(ctx, cl, s, s->spectra, s->turned, s->size.pad_h, s->size.spec_w));
    return transform(ctx, cl, s, s->columns_forward, CLFFT_FORWARD, s->turned, s->spectra);
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
    return tessel_cl_launch_rows(ctx, cl, s->make_spectrum, s->group, (size_t)s->spec_plane, 1, 1,
                                 "clEnqueueNDRangeKernel (FFT kernel spectrum)");
}

/* Every plane holds the taps in its corner, zeros elsewhere (a kernel, not
 * a fill and a rectangular write: tools such as Oclgrind see every value
 * written). */
static tessel_status make_taps_planes(const tessel_plan *plan, tessel_cl_state *cl,
                                      tessel_cl_fft_spectral *s)
{
    tessel_context *ctx = plan->ctx;
    const cl_int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    const cl_int pad_w = (cl_int)s->size.pad_w, pad_h = (cl_int)s->size.pad_h;
    cl_kernel k = NULL;
    FORWARD_IF_ERROR(
        tessel_cl_kernel_get(ctx, cl, "fft_spectrum.cl", NULL, "tessel_fft_taps_planes", &k));
    cl_int e;
    cl_mem taps = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                 (size_t)kw * kh * sizeof(float), plan->taps, &e);
    if (e == CL_SUCCESS) {
        e = clSetKernelArg(k, 0, sizeof taps, &taps);
        e |= clSetKernelArg(k, 1, sizeof s->planes, &s->planes);
        e |= clSetKernelArg(k, 2, sizeof kw, &kw);
        e |= clSetKernelArg(k, 3, sizeof kh, &kh);
        e |= clSetKernelArg(k, 4, sizeof pad_w, &pad_w);
        e |= clSetKernelArg(k, 5, sizeof pad_h, &pad_h);
    }
    tessel_status st = e == CL_SUCCESS
                           ? tessel_cl_launch_rows(ctx, cl, k, s->group, s->size.pad_w,
                                                   s->size.pad_h, (size_t)s->size.batch,
                                                   "clEnqueueNDRangeKernel (FFT taps planes)")
                           : tessel_fail(ctx, TESSEL_ERR_BACKEND,
                                         "setting up the FFT taps planes failed: %s (%d)",
                                         tessel_cl_error_name(e), (int)e);
    if (taps) clReleaseMemObject(taps); /* the queue keeps it until the kernel ran */
    clReleaseKernel(k);
    return st;
}

static tessel_status make_kernel_spectrum(const tessel_plan *plan, tessel_cl_state *cl,
                                          tessel_cl_fft_spectral *s)
{
    tessel_context *ctx = plan->ctx;
    FORWARD_IF_ERROR(make_taps_planes(plan, cl, s));
    FORWARD_IF_ERROR(forward(ctx, cl, s));
    FORWARD_IF_ERROR(launch_make_spectrum(ctx, cl, s));
    const cl_int e = clFinish(cl->queue); /* so that a failure shows here, not in the first run */
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
    FORWARD_IF_ERROR(forward(ctx, cl, s));
    FORWARD_IF_ERROR(tessel_cl_launch_rows(ctx, cl, s->multiply, s->group, (size_t)s->spec_plane,
                                           (size_t)s->size.batch, 1,
                                           "clEnqueueNDRangeKernel (FFT multiply)"));
    FORWARD_IF_ERROR(transform(ctx, cl, s, s->columns_backward, CLFFT_BACKWARD, s->spectra,
                               s->turned));
    FORWARD_IF_ERROR(transpose(ctx, cl, s, s->turned, s->spectra, s->size.spec_w, s->size.pad_h));
    return transform(ctx, cl, s, s->rows_backward, CLFFT_BACKWARD, s->spectra, s->planes);
}

void tessel_cl_fft_spectral_release(tessel_cl_fft_spectral *s)
{
    const cl_kernel kernels[3] = {s->make_spectrum, s->multiply, s->transpose};
    for (int i = 0; i < 3; ++i)
        if (kernels[i]) clReleaseKernel(kernels[i]);
    tessel_cl_fft_plans_clear(&s->plans); /* scratch belongs to the plans */
    const cl_mem buffers[4] = {s->planes, s->spectra, s->turned, s->kernel_spectrum};
    for (int i = 0; i < 4; ++i)
        if (buffers[i]) clReleaseMemObject(buffers[i]);
    memset(s, 0, sizeof *s);
}
