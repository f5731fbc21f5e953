/* Device pipelines through tessel_buffer, on every backend and device:
 * chained convolutions and combinations between buffers must equal the same
 * steps done through host images (bit for bit on one backend, since the
 * same code runs), uploads/downloads keep row strides, and misuse is
 * refused with a message. With OpenCL: the application's queue and cl_mem. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

#ifdef TESSEL_TEST_OPENCL
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#endif

static int failures;

#define CHECK(cond, ...)                                           \
    do {                                                           \
        if (!(cond)) {                                             \
            printf("FAIL %s:%d: ", where, __LINE__);              \
            printf(__VA_ARGS__);                                   \
            printf(" [%s]\n", tessel_last_error());                \
            ++failures;                                            \
        }                                                          \
    } while (0)

enum { W = 157, H = 61, C = 3 };

/* Gaussian then Laplacian, and Sobel x/y then magnitude, on host images:
 * the expected results of the buffer pipelines. */
static void host_pipeline(tessel_context *ctx, const tessel_image *src, const tessel_kernel *k1,
                          const tessel_kernel *k2, float *smooth, float *edges, float *gx,
                          float *gy, uint8_t *magnitude)
{
    tessel_image s = tessel_image_view(smooth, W, H, C, TESSEL_F32);
    tessel_image e = tessel_image_view(edges, W, H, C, TESSEL_F32);
    tessel_image x = tessel_image_view(gx, W, H, C, TESSEL_F32);
    tessel_image y = tessel_image_view(gy, W, H, C, TESSEL_F32);
    tessel_convolve2d(ctx, src, k1, NULL, &s);
    tessel_convolve2d(ctx, &s, k2, NULL, &e);
    tessel_kernel *sx = NULL, *sy = NULL;
    tessel_kernel_builtin("sobel:x", &sx);
    tessel_kernel_builtin("sobel:y", &sy);
    tessel_convolve2d(ctx, src, sx, NULL, &x);
    tessel_convolve2d(ctx, src, sy, NULL, &y);
    for (size_t k = 0; k < (size_t)W * H * C; ++k) {
        double m = sqrt((double)gx[k] * gx[k] + (double)gy[k] * gy[k]);
        magnitude[k] = (uint8_t)tu_round_saturate(m, TESSEL_U8);
    }
    tessel_kernel_destroy(sx);
    tessel_kernel_destroy(sy);
}

static double max_rel_diff(const float *a, const float *b, size_t n)
{
    double err = 0, peak = 0;
    for (size_t k = 0; k < n; ++k) {
        err = fmax(err, fabs((double)a[k] - b[k]));
        peak = fmax(peak, fabs((double)b[k]));
    }
    return peak > 0 ? err / peak : err;
}

static void test_pipeline(tessel_context *ctx, const char *where, tu_rng *rng)
{
    tu_image src;
    tu_image_alloc(&src, W, H, C, TESSEL_U8, TU_PADDED);
    tu_image_fill_random(&src, rng);
    const size_t n = (size_t)W * H * C;
    float *want = malloc(4 * n * sizeof(float)), *got = malloc(n * sizeof(float));
    uint8_t *want_mag = malloc(n), *got_mag = malloc(n);
    tessel_kernel *gauss = NULL, *lap = NULL, *sx = NULL, *sy = NULL;
    tessel_kernel_builtin("gaussian:sigma=1.5", &gauss);
    tessel_kernel_builtin("laplacian", &lap);
    tessel_kernel_builtin("sobel:x", &sx);
    tessel_kernel_builtin("sobel:y", &sy);
    host_pipeline(ctx, &src.view, gauss, lap, want, want + n, want + 2 * n, want + 3 * n, want_mag);

    tessel_buffer *in = NULL, *smooth = NULL, *edges = NULL, *gx = NULL, *gy = NULL, *mag = NULL;
    CHECK(tessel_buffer_create(ctx, W, H, C, TESSEL_U8, &in) == TESSEL_OK, "create input");
    tessel_buffer_create(ctx, W, H, C, TESSEL_F32, &smooth);
    tessel_buffer_create(ctx, W, H, C, TESSEL_F32, &edges);
    tessel_buffer_create(ctx, W, H, C, TESSEL_F32, &gx);
    tessel_buffer_create(ctx, W, H, C, TESSEL_F32, &gy);
    tessel_buffer_create(ctx, W, H, C, TESSEL_U8, &mag);
    CHECK(tessel_buffer_upload(in, &src.view) == TESSEL_OK, "upload");
    /* Chain without host round trips, then wait once. */
    CHECK(tessel_convolve2d_buffers(ctx, in, gauss, NULL, smooth) == TESSEL_OK, "gaussian");
    CHECK(tessel_convolve2d_buffers(ctx, smooth, lap, NULL, edges) == TESSEL_OK, "laplacian");
    CHECK(tessel_convolve2d_buffers(ctx, in, sx, NULL, gx) == TESSEL_OK, "sobel x");
    CHECK(tessel_convolve2d_buffers(ctx, in, sy, NULL, gy) == TESSEL_OK, "sobel y");
    CHECK(tessel_buffer_combine(ctx, gx, gy, TESSEL_COMBINE_MAGNITUDE, mag) == TESSEL_OK,
          "magnitude");
    CHECK(tessel_finish(ctx) == TESSEL_OK, "finish");

    tessel_image out = tessel_image_view(got, W, H, C, TESSEL_F32);
    tessel_image out8 = tessel_image_view(got_mag, W, H, C, TESSEL_U8);
    CHECK(tessel_buffer_download(edges, &out) == TESSEL_OK, "download");
    double d = max_rel_diff(got, want + n, n);
    CHECK(d == 0.0, "gaussian->laplacian through buffers differs from host images by %g", d);
    int worst = 0;
    CHECK(tessel_buffer_download(mag, &out8) == TESSEL_OK, "download magnitude");
    for (size_t k = 0; k < n; ++k) worst = abs((int)got_mag[k] - want_mag[k]) > worst ? abs((int)got_mag[k] - want_mag[k]) : worst;
    CHECK(worst <= 1, "magnitude differs by %d levels", worst);

    /* Round trip through a buffer keeps a padded host layout exactly. */
    tu_image back;
    tu_image_alloc(&back, W, H, C, TESSEL_U8, TU_VIEW);
    tu_image_poison(&back);
    CHECK(tessel_buffer_download(in, &back.view) == TESSEL_OK, "download input");
    int same = 1;
    for (int y = 0; y < H; ++y)
        same &= memcmp((char *)back.view.data + y * tu_row_bytes(&back.view),
                       (char *)src.view.data + y * tu_row_bytes(&src.view), (size_t)W * C) == 0;
    CHECK(same && tu_image_guard_intact(&back), "upload/download round trip");

    /* Misuse. */
    tessel_image wrong = tessel_image_view(got, W + 1, H, C, TESSEL_F32);
    CHECK(tessel_buffer_download(edges, &wrong) == TESSEL_ERR_BAD_SIZE &&
              strstr(tessel_last_error(), "does not match"),
          "wrong-size download");
    CHECK(tessel_convolve2d_buffers(ctx, smooth, lap, NULL, smooth) == TESSEL_ERR_INVALID_ARGUMENT,
          "in-place convolution");
    CHECK(tessel_buffer_combine(ctx, gx, in, TESSEL_COMBINE_ADD, mag) == TESSEL_OK,
          "combine of mixed dtypes");
    CHECK(tessel_buffer_combine(ctx, gx, gy, (tessel_combine_op)9, mag) ==
              TESSEL_ERR_INVALID_ARGUMENT,
          "unknown combine op");

    tu_image_free(&back);
    tessel_buffer_destroy(in);
    tessel_buffer_destroy(smooth);
    tessel_buffer_destroy(edges);
    tessel_buffer_destroy(gx);
    tessel_buffer_destroy(gy);
    tessel_buffer_destroy(mag);
    tessel_kernel_destroy(gauss);
    tessel_kernel_destroy(lap);
    tessel_kernel_destroy(sx);
    tessel_kernel_destroy(sy);
    free(want);
    free(got);
    free(want_mag);
    free(got_mag);
    tu_image_free(&src);
}

/* TESSEL_COMBINE_DIVIDE: a / b, 0 where b == 0, into f32 and (rounded,
 * saturated) u8, with random operands of both signs and zeros among b. */
static void test_divide(tessel_context *ctx, const char *where, tu_rng *rng)
{
    enum { DW = 37, DH = 11, DC = 2, N = DW * DH * DC };
    float a[N], b[N], got[N];
    uint8_t got8[N];
    for (int k = 0; k < N; ++k) {
        a[k] = (float)tu_rng_uniform(rng, -300.0, 300.0);
        b[k] = k % 5 == 0 ? 0.0f : (float)tu_rng_uniform(rng, -4.0, 4.0);
        got[k] = NAN;
        got8[k] = 0xA5;
    }
    tessel_buffer *ba = NULL, *bb = NULL, *out = NULL, *out8 = NULL;
    tessel_buffer_create(ctx, DW, DH, DC, TESSEL_F32, &ba);
    tessel_buffer_create(ctx, DW, DH, DC, TESSEL_F32, &bb);
    tessel_buffer_create(ctx, DW, DH, DC, TESSEL_F32, &out);
    tessel_buffer_create(ctx, DW, DH, DC, TESSEL_U8, &out8);
    tessel_image ia = tessel_image_view(a, DW, DH, DC, TESSEL_F32);
    tessel_image ib = tessel_image_view(b, DW, DH, DC, TESSEL_F32);
    tessel_image ig = tessel_image_view(got, DW, DH, DC, TESSEL_F32);
    tessel_image ig8 = tessel_image_view(got8, DW, DH, DC, TESSEL_U8);
    CHECK(tessel_buffer_upload(ba, &ia) == TESSEL_OK && tessel_buffer_upload(bb, &ib) == TESSEL_OK,
          "divide: upload");
    CHECK(tessel_buffer_combine(ctx, ba, bb, TESSEL_COMBINE_DIVIDE, out) == TESSEL_OK &&
              tessel_buffer_combine(ctx, ba, bb, TESSEL_COMBINE_DIVIDE, out8) == TESSEL_OK,
          "divide");
    CHECK(tessel_buffer_download(out, &ig) == TESSEL_OK &&
              tessel_buffer_download(out8, &ig8) == TESSEL_OK,
          "divide: download");
    int bad = -1;
    for (int k = 0; k < N && bad < 0; ++k) {
        const double want = b[k] != 0.0f ? (double)a[k] / b[k] : 0.0;
        if (!(fabs(got[k] - want) <= 1e-6 * fabs(want)) ||
            fabs(got8[k] - tu_round_saturate(want, TESSEL_U8)) > 1.0)
            bad = k;
    }
    CHECK(bad < 0, "divide: sample %d is %g / %g, got %.9g (f32) and %d (u8)", bad,
          bad < 0 ? 0.0 : a[bad], bad < 0 ? 0.0 : b[bad], bad < 0 ? 0.0 : got[bad],
          bad < 0 ? 0 : got8[bad]);
    tessel_buffer_destroy(ba);
    tessel_buffer_destroy(bb);
    tessel_buffer_destroy(out);
    tessel_buffer_destroy(out8);
}

static void test_cpu_interop_refused(void)
{
    const char *where = "cpu interop";
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    tessel_context *ctx = NULL;
    tessel_context_create(&o, &ctx);
    void *queue = NULL;
    int dummy = 0;
    tessel_buffer *b = NULL;
    CHECK(tessel_context_cl_queue(ctx, &queue) == TESSEL_ERR_UNSUPPORTED, "queue on cpu");
    CHECK(tessel_buffer_wrap_cl(ctx, &dummy, 4, 4, 1, TESSEL_F32, 0, &b) == TESSEL_ERR_UNSUPPORTED &&
              b == NULL,
          "wrap on cpu");
    tessel_context_destroy(ctx);
}

#ifdef TESSEL_TEST_OPENCL
/* The application owns context, queue and memory; tessel runs on them. */
static void test_application_queue(const char *where)
{
    cl_platform_id platform;
    cl_device_id device;
    if (clGetPlatformIDs(1, &platform, NULL) != CL_SUCCESS ||
        clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 1, &device, NULL) != CL_SUCCESS)
        return;
    cl_int e;
    cl_context app = clCreateContext(NULL, 1, &device, NULL, NULL, &e);
    cl_command_queue queue = clCreateCommandQueue(app, device, 0, &e);
    float host[32 * 8], out[32 * 8];
    for (int k = 0; k < 32 * 8; ++k) host[k] = (float)((k * 37) % 11) - 5.0f;
    cl_mem a = clCreateBuffer(app, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, sizeof host, host, &e);
    cl_mem b = clCreateBuffer(app, CL_MEM_READ_WRITE, sizeof host, NULL, &e);
    tessel_context_options o = {0};
    o.cl_queue = queue;
    tessel_context *ctx = NULL;
    CHECK(tessel_context_create(&o, &ctx) == TESSEL_OK, "context on the application's queue");
    void *q = NULL;
    CHECK(ctx && tessel_context_cl_queue(ctx, &q) == TESSEL_OK && q == (void *)queue, "queue");
    tessel_buffer *ba = NULL, *bb = NULL;
    CHECK(tessel_buffer_wrap_cl(ctx, a, 32, 8, 1, TESSEL_F32, 0, &ba) == TESSEL_OK, "wrap a");
    CHECK(tessel_buffer_wrap_cl(ctx, b, 32, 8, 1, TESSEL_F32, 0, &bb) == TESSEL_OK, "wrap b");
    tessel_buffer *too_big = NULL;
    CHECK(tessel_buffer_wrap_cl(ctx, a, 64, 8, 1, TESSEL_F32, 0, &too_big) == TESSEL_ERR_BAD_SIZE,
          "wrap larger than the cl_mem");
    tessel_kernel *box = NULL;
    tessel_kernel_builtin("box:3", &box);
    CHECK(tessel_convolve2d_buffers(ctx, ba, box, NULL, bb) == TESSEL_OK, "convolve wrapped");
    clEnqueueReadBuffer(queue, b, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL);
    float want[32 * 8];
    tessel_context *cpu = NULL;
    tessel_context_options co = {0};
    co.backend = TESSEL_BACKEND_CPU;
    tessel_context_create(&co, &cpu);
    tessel_image src = tessel_image_view(host, 32, 8, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(want, 32, 8, 1, TESSEL_F32);
    tessel_convolve2d(cpu, &src, box, NULL, &dst);
    double d = max_rel_diff(out, want, 32 * 8);
    CHECK(d <= 1e-6, "wrapped result differs from the CPU backend by %g", d);
    tessel_buffer_destroy(ba);
    tessel_buffer_destroy(bb);
    tessel_kernel_destroy(box);
    tessel_context_destroy(ctx);
    tessel_context_destroy(cpu);
    clReleaseMemObject(a);
    clReleaseMemObject(b);
    clReleaseCommandQueue(queue);
    clReleaseContext(app);
}
#endif

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 7);
    tessel_device_desc devices[16];
    int n = 0;
    tessel_devices_list(devices, 16, &n);
    for (int i = 0; i < n && i < 16; ++i) {
        tessel_context_options o = {0};
        o.device = devices[i].spec;
        tessel_context *ctx = NULL;
        const char *where = devices[i].spec;
        CHECK(tessel_context_create(&o, &ctx) == TESSEL_OK, "context");
        if (!ctx) continue;
        test_pipeline(ctx, devices[i].spec, &rng);
        test_divide(ctx, devices[i].spec, &rng);
        tessel_context_destroy(ctx);
        printf("%s (%s): pipelines checked\n", devices[i].spec, devices[i].name);
    }
    test_cpu_interop_refused();
#ifdef TESSEL_TEST_OPENCL
    test_application_queue("opencl interop");
#endif
    printf("test_buffers: %d failure(s)\n", failures);
    return failures ? 1 : 0;
}
