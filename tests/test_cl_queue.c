/* Hazards a serial device hides but a GPU would not, on every OpenCL device
 * present (PoCL in CI):
 *   - an application's out-of-order queue: tessel's commands must still run
 *     in the order their results need (separable passes, FFT steps, uploads
 *     before kernels, kernels before downloads), with both kernel families;
 *   - two tessel buffers over one cl_mem (two wraps, overlapping
 *     sub-buffers) are one memory: a convolution between them is in place
 *     and must be refused, while disjoint sub-buffers are fine;
 *   - contexts made and destroyed from several threads at once (OpenCL
 *     platform enumeration in PoCL crashed doing that);
 * and a kernel family that names none, as TESSEL_CL_KERNELS or as
 * cl_kernels, fails context creation with a message that says so.
 * Exits 77 (CTest: skipped) when no OpenCL device exists. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

enum { W = 93, H = 41, C = 2, N = W * H * C };

static tessel_context *context_on(cl_command_queue queue, tessel_cl_kernels family)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.cl_queue = queue;
    o.cl_kernels = family;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK)
        tu_fail("context", "on the application's queue: %s", tessel_last_error());
    return ctx;
}

/* Gaussian (separable), Laplacian (direct), a 15x15 box by fft, their sum
 * and magnitude: every step reads what the one before wrote. out gets the
 * last buffer's samples. */
static tessel_status pipeline(tessel_context *ctx, const float *in, float *out)
{
    tessel_kernel *gauss = NULL, *lap = NULL, *box = NULL;
    tessel_kernel_builtin("gaussian:sigma=2", &gauss);
    tessel_kernel_builtin("laplacian", &lap);
    tessel_kernel_builtin("box:15", &box);
    tessel_buffer *b[5] = {NULL};
    tessel_status s = TESSEL_OK;
    for (int i = 0; i < 5 && s == TESSEL_OK; ++i)
        s = tessel_buffer_create(ctx, W, H, C, TESSEL_F32, &b[i]);
    tessel_image src = tessel_image_view((void *)in, W, H, C, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, W, H, C, TESSEL_F32);
    tessel_conv_options sep = {0}, fft = {0};
    sep.method = TESSEL_METHOD_SEPARABLE;
    fft.method = TESSEL_METHOD_FFT;
    if (s == TESSEL_OK) s = tessel_buffer_upload(b[0], &src);
    if (s == TESSEL_OK) s = tessel_convolve2d_buffers(ctx, b[0], gauss, &sep, b[1]);
    if (s == TESSEL_OK) s = tessel_convolve2d_buffers(ctx, b[1], lap, NULL, b[2]);
    if (s == TESSEL_OK) s = tessel_convolve2d_buffers(ctx, b[2], box, &fft, b[3]);
    if (s == TESSEL_OK) s = tessel_buffer_combine(ctx, b[1], b[3], TESSEL_COMBINE_ADD, b[4]);
    if (s == TESSEL_OK) s = tessel_buffer_combine(ctx, b[4], b[2], TESSEL_COMBINE_MAGNITUDE, b[0]);
    if (s == TESSEL_OK) s = tessel_buffer_download(b[0], &dst);
    for (int i = 0; i < 5; ++i) tessel_buffer_destroy(b[i]);
    tessel_kernel_destroy(gauss);
    tessel_kernel_destroy(lap);
    tessel_kernel_destroy(box);
    return s;
}

static double max_rel_diff(const float *a, const float *b)
{
    double err = 0, peak = 0;
    for (int k = 0; k < N; ++k) {
        err = fmax(err, fabs((double)a[k] - b[k]));
        peak = fmax(peak, fabs((double)b[k]));
        if (isnan(a[k])) return INFINITY;
    }
    return peak > 0 ? err / peak : err;
}

static void test_out_of_order(cl_context app, cl_device_id device, const char *where)
{
    cl_command_queue_properties supported = 0;
    clGetDeviceInfo(device, CL_DEVICE_QUEUE_PROPERTIES, sizeof supported, &supported, NULL);
    if (!(supported & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE)) {
        printf("%s: no out-of-order queues on this device, not tested\n", where);
        return;
    }
    cl_int e;
    cl_command_queue in_order = clCreateCommandQueue(app, device, 0, &e);
    cl_command_queue ooo =
        clCreateCommandQueue(app, device, CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE, &e);
    static float in[N], want[N], got[N];
    tu_rng rng;
    tu_rng_seed(&rng, 11);
    tu_rng_floats(&rng, in, N, -1.0, 1.0);
    const tessel_cl_kernels families[2] = {TESSEL_CL_KERNELS_TILED, TESSEL_CL_KERNELS_VECTOR};
    for (int f = 0; f < 2; ++f) {
        tessel_context *ordered = context_on(in_order, families[f]);
        tessel_context *ctx = context_on(ooo, families[f]);
        if (!ordered || !ctx || pipeline(ordered, in, want) != TESSEL_OK) {
            tu_fail(where, "the in-order pipeline failed: %s", tessel_last_error());
        } else {
            for (int run = 0; run < 5; ++run) {
                memset(got, 0xFF, sizeof got);
                if (pipeline(ctx, in, got) != TESSEL_OK) {
                    tu_fail(where, "out of order: %s", tessel_context_last_error(ctx));
                    break;
                }
                const double d = max_rel_diff(got, want);
                if (d > 0.0) {
                    tu_fail(where, "%s kernels, run %d on an out-of-order queue differs by %g",
                            f == 0 ? "tiled" : "vector", run, d);
                    break;
                }
            }
        }
        tessel_context_destroy(ordered);
        tessel_context_destroy(ctx);
    }
    clReleaseCommandQueue(in_order);
    clReleaseCommandQueue(ooo);
}

/* A convolution from a into b: its status, and the message when refused. */
static tessel_status convolve(tessel_context *ctx, tessel_buffer *a, tessel_buffer *b)
{
    tessel_kernel *box = NULL;
    tessel_kernel_builtin("box:3", &box);
    const tessel_status s = tessel_convolve2d_buffers(ctx, a, box, NULL, b);
    tessel_kernel_destroy(box);
    return s;
}

static void test_aliasing(cl_context app, cl_device_id device, const char *where)
{
    cl_int e;
    cl_command_queue queue = clCreateCommandQueue(app, device, 0, &e);
    cl_uint align_bits = 0;
    clGetDeviceInfo(device, CL_DEVICE_MEM_BASE_ADDR_ALIGN, sizeof align_bits, &align_bits, NULL);
    const size_t align = align_bits / 8 ? align_bits / 8 : 128;
    const size_t image = (size_t)W * H * sizeof(float); /* one channel */
    const size_t half = (image + align - 1) / align * align;
    cl_mem mem = clCreateBuffer(app, CL_MEM_READ_WRITE, 2 * half, NULL, &e);
    tessel_context *ctx = context_on(queue, TESSEL_CL_KERNELS_AUTO);
    tessel_buffer *one = NULL, *two = NULL;
    tessel_buffer_wrap_cl(ctx, mem, W, H, 1, TESSEL_F32, 0, &one);
    tessel_buffer_wrap_cl(ctx, mem, W, H, 1, TESSEL_F32, 0, &two);
    tessel_status s = convolve(ctx, one, two);
    if (s != TESSEL_ERR_INVALID_ARGUMENT || !strstr(tessel_context_last_error(ctx), "shares memory"))
        tu_fail(where, "two wraps of one cl_mem: %s (%s), expected a refusal",
                tessel_status_string(s), tessel_context_last_error(ctx));
    /* Sub-buffers: [0, image) and [half, half + image) are apart; [0, image)
     * and [align, align + image) overlap. */
    const cl_buffer_region first = {0, image}, second = {half, image}, shifted = {align, image};
    cl_mem a = clCreateSubBuffer(mem, 0, CL_BUFFER_CREATE_TYPE_REGION, &first, &e);
    cl_mem b = clCreateSubBuffer(mem, 0, CL_BUFFER_CREATE_TYPE_REGION, &second, &e);
    cl_mem c = clCreateSubBuffer(mem, 0, CL_BUFFER_CREATE_TYPE_REGION, &shifted, &e);
    tessel_buffer *ba = NULL, *bb = NULL, *bc = NULL;
    tessel_buffer_wrap_cl(ctx, a, W, H, 1, TESSEL_F32, 0, &ba);
    tessel_buffer_wrap_cl(ctx, b, W, H, 1, TESSEL_F32, 0, &bb);
    tessel_buffer_wrap_cl(ctx, c, W, H, 1, TESSEL_F32, 0, &bc);
    if (convolve(ctx, ba, bc) != TESSEL_ERR_INVALID_ARGUMENT)
        tu_fail(where, "overlapping sub-buffers of one cl_mem were not refused");
    if ((s = convolve(ctx, ba, bb)) != TESSEL_OK)
        tu_fail(where, "disjoint sub-buffers: %s (%s)", tessel_status_string(s),
                tessel_context_last_error(ctx));
    if (tessel_finish(ctx) != TESSEL_OK) tu_fail(where, "finish");
    tessel_buffer *all[5] = {one, two, ba, bb, bc};
    for (int i = 0; i < 5; ++i) tessel_buffer_destroy(all[i]);
    tessel_context_destroy(ctx);
    clReleaseMemObject(a);
    clReleaseMemObject(b);
    clReleaseMemObject(c);
    clReleaseMemObject(mem);
    clReleaseCommandQueue(queue);
}

/* Each thread makes and destroys OpenCL contexts on the default OpenCL
 * device and convolves with them. */
static void *thread_contexts(void *arg)
{
    (void)arg;
    for (int round = 0; round < 3; ++round) {
        tessel_context_options o = {0};
        o.struct_size = sizeof o;
        o.backend = TESSEL_BACKEND_OPENCL;
        tessel_context *ctx = NULL;
        const tessel_status s = tessel_context_create(&o, &ctx);
        if (s == TESSEL_ERR_NO_DEVICE) return NULL; /* main says so */
        if (s != TESSEL_OK) {
            tu_fail("threads", "context: %s", tessel_last_error());
            return NULL;
        }
        float in[64], out[64];
        for (int k = 0; k < 64; ++k) in[k] = (float)k;
        tessel_kernel *box = NULL;
        tessel_kernel_builtin("box:3", &box);
        tessel_image src = tessel_image_view(in, 8, 8, 1, TESSEL_F32);
        tessel_image dst = tessel_image_view(out, 8, 8, 1, TESSEL_F32);
        if (tessel_convolve2d(ctx, &src, box, NULL, &dst) != TESSEL_OK)
            tu_fail("threads", "convolution: %s", tessel_context_last_error(ctx));
        tessel_kernel_destroy(box);
        tessel_context_destroy(ctx);
    }
    return NULL;
}

/* Before anything else in the process touches OpenCL: the first platform
 * enumeration is where PoCL crashed. */
static void test_threads(void)
{
    enum { THREADS = 6 };
    pthread_t t[THREADS];
    int started = 0;
    for (; started < THREADS; ++started)
        if (pthread_create(&t[started], NULL, thread_contexts, NULL) != 0) break;
    if (started < THREADS) tu_fail("threads", "pthread_create failed");
    for (int i = 0; i < started; ++i) pthread_join(t[i], NULL);
}

static void test_bad_family(void)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_OPENCL;
    tessel_context *ctx = NULL;
    setenv("TESSEL_CL_KERNELS", "gpu", 1);
    tessel_status s = tessel_context_create(&o, &ctx);
    if (s != TESSEL_ERR_INVALID_ARGUMENT || !strstr(tessel_last_error(), "TESSEL_CL_KERNELS"))
        tu_fail("kernel family", "TESSEL_CL_KERNELS=gpu: %s (%s)", tessel_status_string(s),
                tessel_last_error());
    tessel_context_destroy(ctx);
    ctx = NULL;
    o.cl_kernels = TESSEL_CL_KERNELS_TILED; /* the option wins over the variable */
    if ((s = tessel_context_create(&o, &ctx)) != TESSEL_OK)
        tu_fail("kernel family", "cl_kernels TILED with TESSEL_CL_KERNELS=gpu: %s (%s)",
                tessel_status_string(s), tessel_last_error());
    tessel_context_destroy(ctx);
    ctx = NULL;
    unsetenv("TESSEL_CL_KERNELS");
    o.cl_kernels = (tessel_cl_kernels)7;
    s = tessel_context_create(&o, &ctx);
    if (s != TESSEL_ERR_INVALID_ARGUMENT || !strstr(tessel_last_error(), "cl_kernels 7"))
        tu_fail("kernel family", "cl_kernels 7: %s (%s)", tessel_status_string(s),
                tessel_last_error());
    tessel_context_destroy(ctx);
}

int main(void)
{
    test_threads();
    int ran = 0;
    cl_platform_id platforms[8];
    cl_uint platform_count = 0;
    clGetPlatformIDs(8, platforms, &platform_count);
    /* The application's side: every device of every platform, in tessel's
     * "opencl:N" order. */
    for (cl_uint p = 0; p < platform_count && p < 8; ++p) {
        cl_device_id ids[16];
        cl_uint count = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 16, ids, &count) != CL_SUCCESS) continue;
        for (cl_uint d = 0; d < count && d < 16; ++d, ++ran) {
            char name[160] = "";
            clGetDeviceInfo(ids[d], CL_DEVICE_NAME, sizeof name - 1, name, NULL);
            cl_int e;
            cl_context app = clCreateContext(NULL, 1, &ids[d], NULL, NULL, &e);
            test_out_of_order(app, ids[d], name);
            test_aliasing(app, ids[d], name);
            clReleaseContext(app);
            printf("%s: out-of-order queue and aliasing checked\n", name);
        }
    }
    if (!ran) {
        printf("test_cl_queue: SKIPPED, no OpenCL platform or device is installed\n");
        return 77;
    }
    test_bad_family();
    printf("test_cl_queue: %d failure(s)\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
