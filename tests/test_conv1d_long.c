/* tessel_convolve1d(_rows) with a kernel longer than the signal follows
 * numpy.convolve: same gives max(M, N) samples, valid |M - N| + 1, each a
 * slice of the full output (DESIGN.md). Checked against the double
 * reference on every backend (CPU, each OpenCL device) and method, every
 * mode, border, correlate and stride, and against numpy's own numbers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reference.h"
#include "test_util.h"

static const tessel_method methods[] = {TESSEL_METHOD_DIRECT, TESSEL_METHOD_SEPARABLE,
                                        TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK};

/* The slice of the full output NumPy keeps (see long_kernel_slice). */
static void expected_slice(int n, int k, const tessel_conv_options *o, int *start, int *count)
{
    if (o->mode == TESSEL_MODE_FULL) {
        *start = 0;
        *count = n + k - 1;
    } else if (o->mode == TESSEL_MODE_SAME) {
        *start = o->correlate ? n / 2 : (n - 1) / 2;
        *count = k;
    } else {
        *start = n - 1;
        *count = k - n + 1;
    }
}

/* One case on ctx: rows signals of n samples, a k-tap kernel. Returns 0 when
 * the method is not available on this backend (nothing checked). */
static int run_case(tessel_context *ctx, const char *device, tu_rng *rng, int n, int k, int rows,
                    tessel_dtype dtype, tessel_conv_options o)
{
    float *taps = tu_xmalloc((size_t)k * sizeof *taps);
    tu_rng_floats(rng, taps, (size_t)k, -1.0, 1.0);
    tessel_kernel *kernel = NULL;
    if (tessel_kernel_create(k, 1, taps, &kernel) != TESSEL_OK) tu_fail("kernel", "create");
    tu_image src = {0}, dst = {0};
    tu_image_alloc(&src, n, rows, 1, dtype, TU_PADDED);
    tu_image_fill_random(&src, rng);
    int start = 0, count = 0, length = 0;
    expected_slice(n, k, &o, &start, &count);
    int out_len = (count + o.stride_x - 1) / o.stride_x;
    if (tessel_conv1d_output_size(n, kernel, &o, &length) != TESSEL_OK || length != out_len)
        tu_fail(device, "n %d k %d %s: output length %d, numpy's is %d", n, k,
                tessel_mode_name(o.mode), length, out_len);
    tu_image_alloc(&dst, out_len, rows, 1, dtype, TU_PACKED);
    tu_image_poison(&dst);
    tessel_status s = rows == 1 ? tessel_convolve1d(ctx, &src.view, kernel, &o, &dst.view)
                                : tessel_convolve1d_rows(ctx, &src.view, kernel, &o, &dst.view);
    int ran = s != TESSEL_ERR_UNSUPPORTED;
    if (ran && s != TESSEL_OK)
        tu_fail(device, "n %d k %d %s %s: %s", n, k, tessel_mode_name(o.mode),
                tessel_method_name(o.method), tessel_context_last_error(ctx));
    if (ran && s == TESSEL_OK) {
        /* the reference: the full output, then NumPy's slice, then the stride */
        double *in = tu_xmalloc((size_t)n * rows * sizeof *in);
        double *kd = tu_xmalloc((size_t)k * sizeof *kd);
        double *full = tu_xmalloc((size_t)(n + k - 1) * rows * sizeof *full);
        double *want = tu_xmalloc((size_t)out_len * rows * sizeof *want);
        tu_image_to_doubles(&src.view, in);
        for (int i = 0; i < k; ++i) kd[i] = taps[i];
        tessel_conv_options fo = o;
        fo.mode = TESSEL_MODE_FULL;
        fo.stride_x = fo.stride_y = 1;
        ref_convolve2d(in, n, rows, 1, kd, k, 1, &fo, full);
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < out_len; ++x)
                want[y * out_len + x] = full[y * (n + k - 1) + start + x * o.stride_x];
        tu_diff diff;
        int fft = o.method == TESSEL_METHOD_FFT || o.method == TESSEL_METHOD_FFT_BLOCK;
        int ok = fft ? tu_compare_rms(&dst.view, want, 0.0, &diff) : tu_compare(&dst.view, want, &diff);
        if (!ok)
            tu_fail(device, "n %d k %d rows %d %s %s %s%s stride %d %s: error %g > %g at %d,%d",
                    n, k, rows, tessel_mode_name(o.mode), tessel_border_name(o.border),
                    tessel_method_name(o.method), o.correlate ? " correlate" : "", o.stride_x,
                    tessel_dtype_name(dtype), diff.error, diff.limit, diff.x, diff.y);
        free(in);
        free(kd);
        free(full);
        free(want);
    }
    tu_image_free(&src);
    tu_image_free(&dst);
    tessel_kernel_destroy(kernel);
    free(taps);
    return ran;
}

static void matrix(tessel_context *ctx, const char *device)
{
    static const int lengths[] = {1, 2, 3, 6};
    tu_rng rng;
    tu_rng_seed(&rng, 1201);
    int ran = 0;
    for (size_t m = 0; m < sizeof methods / sizeof methods[0]; ++m)
        for (int mode = TESSEL_MODE_SAME; mode <= TESSEL_MODE_VALID; ++mode)
            for (int border = TESSEL_BORDER_REFLECT; border <= TESSEL_BORDER_WRAP; ++border)
                for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; ++i) {
                    int n = lengths[i];
                    tessel_conv_options o = {0};
                    o.struct_size = sizeof o;
                    o.method = methods[m];
                    o.mode = (tessel_mode)mode;
                    o.border = (tessel_border)border;
                    o.cval = 0.75;
                    o.correlate = (int)(i & 1);
                    o.stride_x = 1 + (int)(i % 3 == 2);
                    tessel_dtype dtype = i == 3 ? TESSEL_U8 : TESSEL_F32;
                    ran += run_case(ctx, device, &rng, n, n + 1 + (int)i * 3, 1 + (int)(i == 2),
                                    dtype, o);
                }
    if (ran == 0) tu_fail(device, "no method ran");
    printf("%s: %d long-kernel cases\n", device, ran);
}

/* numpy.convolve's own numbers (border constant, cval 0). */
static void numpy_golden(tessel_context *ctx)
{
    static const struct {
        int n, k;
        float a[3], v[5];
        tessel_mode mode;
        int count;
        float want[5];
    } cases[] = {
        {3, 4, {1, 2, 3}, {0, 1, 0.5f, 2}, TESSEL_MODE_SAME, 4, {1, 2.5f, 6, 5.5f}},
        {3, 4, {1, 2, 3}, {0, 1, 0.5f, 2}, TESSEL_MODE_VALID, 2, {2.5f, 6}},
        {2, 5, {1, 2}, {3, 1, 4, 1, 5}, TESSEL_MODE_SAME, 5, {3, 7, 6, 9, 7}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        tessel_kernel *k = NULL;
        tessel_kernel_create(cases[c].k, 1, cases[c].v, &k);
        float a[3], out[5] = {0};
        memcpy(a, cases[c].a, sizeof a);
        tessel_image src = tessel_image_view(a, cases[c].n, 1, 1, TESSEL_F32);
        tessel_image dst = tessel_image_view(out, cases[c].count, 1, 1, TESSEL_F32);
        tessel_conv_options o = {0};
        o.mode = cases[c].mode;
        o.border = TESSEL_BORDER_CONSTANT;
        if (tessel_convolve1d(ctx, &src, k, &o, &dst) != TESSEL_OK)
            tu_fail("numpy", "case %zu: %s", c, tessel_context_last_error(ctx));
        for (int i = 0; i < cases[c].count; ++i)
            if (fabsf(out[i] - cases[c].want[i]) > 1e-5f)
                tu_fail("numpy", "case %zu sample %d: %g, numpy.convolve gives %g", c, i,
                        out[i], cases[c].want[i]);
        dst.width = cases[c].count - 1; /* the signal's length is no longer accepted */
        if (cases[c].mode == TESSEL_MODE_SAME &&
            tessel_convolve1d(ctx, &src, k, &o, &dst) != TESSEL_ERR_BAD_SIZE)
            tu_fail("numpy", "case %zu: a short destination was accepted", c);
        tessel_kernel_destroy(k);
    }
}

int main(void)
{
    tessel_context_options co = {0};
    co.device = "cpu";
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) tu_fail("cpu", "context");
    numpy_golden(ctx);
    matrix(ctx, "cpu");
    tessel_context_destroy(ctx);
    int count = 0;
    tessel_devices_list(NULL, 0, &count);
    tessel_device_desc *devices = tu_xmalloc((size_t)(count ? count : 1) * sizeof *devices);
    tessel_devices_list(devices, count, &count);
    for (int i = 0; i < count; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        co.device = devices[i].spec;
        if (tessel_context_create(&co, &ctx) != TESSEL_OK) continue;
        matrix(ctx, devices[i].spec);
        tessel_context_destroy(ctx);
    }
    free(devices);
    printf("%d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
