/* What the OpenCL frequency-domain tests share (see fft_cases.h). */
#include "fft_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fft_kernels.h"
#include "reference.h"

/* ------------------------------------------------------------------ cases */

void fc_describe(fft_case *fc)
{
    snprintf(fc->name, sizeof fc->name,
             "%dx%dx%d %s(%s) -> %s(%s), kernel %dx%d, %s, %s%s, stride %d,%d%s%s",
             fc->w, fc->h, fc->c, tessel_dtype_name(fc->in_dtype), tu_layout_name(fc->in_layout),
             tessel_dtype_name(fc->out_dtype), tu_layout_name(fc->out_layout), fc->kw, fc->kh,
             tessel_mode_name(fc->o.mode), tessel_border_name(fc->o.border),
             fc->o.correlate ? ", correlate" : "", fc->o.stride_x ? fc->o.stride_x : 1,
             fc->o.stride_y ? fc->o.stride_y : 1, fc->o.anchor_set ? ", anchor" : "",
             fc->o.scale != 0.0 || fc->o.offset != 0.0 || fc->o.absolute ? ", scaled" : "");
}

double fc_dtype_range(tessel_dtype d)
{
    return d == TESSEL_U8 ? 255.0 : d == TESSEL_U16 ? 65535.0 : 1.0;
}

void fc_random_options(tu_rng *rng, fft_case *fc, int index)
{
    fc->o.mode = (tessel_mode)(index / 10 % 3);
    fc->o.border = (tessel_border)(index / 2 % 5);
    fc->o.correlate = index % 2;
    /* A float, as the device holds it. */
    fc->o.cval = fc->in_dtype == TESSEL_F32
                     ? (float)tu_rng_uniform(rng, -2.0, 2.0)
                     : (float)tu_rng_uniform(rng, 0.0, fc_dtype_range(fc->in_dtype));
    fc->o.stride_x = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 3);
    fc->o.stride_y = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 3);
}

void fc_random_anchor(tu_rng *rng, fft_case *fc)
{
    if (fc->o.mode == TESSEL_MODE_SAME && tu_rng_int(rng, 0, 3) == 0) {
        fc->o.anchor_set = 1;
        fc->o.anchor_x = tu_rng_int(rng, 0, fc->kw - 1);
        fc->o.anchor_y = tu_rng_int(rng, 0, fc->kh - 1);
    }
}

void fc_random_scaling(tu_rng *rng, fft_case *fc)
{
    if (tu_rng_int(rng, 0, 3) == 0) {
        const double out_range = fc_dtype_range(fc->out_dtype);
        fc->o.scale = out_range / fc_dtype_range(fc->in_dtype) * tu_rng_uniform(rng, 0.5, 1.0);
        fc->o.offset = out_range * tu_rng_uniform(rng, -0.2, 0.2);
        fc->o.absolute = tu_rng_int(rng, 0, 1);
    }
}

/* -------------------------------------------------------------------- runs */

/* The reference output of fc for input src (malloc'ed, ow*oh*c values). */
static double *reference(const fft_case *fc, const tessel_image *src, const float *coeffs,
                         int ow, int oh)
{
    double *in = tu_xmalloc((size_t)fc->w * fc->h * fc->c * sizeof *in);
    double *k = tu_xmalloc((size_t)fc->kw * fc->kh * sizeof *k);
    double *ref = tu_xmalloc((size_t)ow * oh * fc->c * sizeof *ref);
    for (int i = 0; i < fc->kw * fc->kh; ++i) k[i] = coeffs[i];
    tu_image_to_doubles(src, in);
    ref_convolve2d(in, fc->w, fc->h, fc->c, k, fc->kw, fc->kh, &fc->o, ref);
    free(k);
    free(in);
    return ref;
}

void fc_run(tessel_context *ctx, tessel_plan *plan, tu_rng *rng, const fft_case *fc,
            const float *coeffs)
{
    tessel_kernel *kernel = NULL;
    if (!plan && tessel_kernel_create(fc->kw, fc->kh, coeffs, &kernel) != TESSEL_OK) {
        tu_fail(fc->name, "tessel_kernel_create: %s", tessel_last_error());
        return;
    }
    int ow = 0, oh = 0;
    if (ref_output_size(fc->w, fc->h, fc->kw, fc->kh, &fc->o, &ow, &oh) != 0) {
        tu_fail(fc->name, "the reference calls this case invalid");
        tessel_kernel_destroy(kernel);
        return;
    }
    tu_image src, dst;
    tu_image_alloc(&src, fc->w, fc->h, fc->c, fc->in_dtype, fc->in_layout);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&dst, ow, oh, fc->c, fc->out_dtype, fc->out_layout);
    tu_image_poison(&dst);
    tessel_status s = plan ? tessel_plan_execute(plan, &src.view, &dst.view)
                           : tessel_convolve2d(ctx, &src.view, kernel, &fc->o, &dst.view);
    double *ref = reference(fc, &src.view, coeffs, ow, oh);
    tu_diff d;
    if (s != TESSEL_OK)
        tu_fail(fc->name, "%s: %s", tessel_status_string(s), tessel_context_last_error(ctx));
    else if (!tu_compare_rms(&dst.view, ref, 0.0, &d))
        tu_fail(fc->name,
                "error %.3g over %g; worst at x %d, y %d, channel %d: got %.9g, want %.9g",
                d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
    else if (!tu_image_guard_intact(&dst))
        tu_fail(fc->name, "wrote outside the output");
    free(ref);
    tu_image_free(&dst);
    tu_image_free(&src);
    tessel_kernel_destroy(kernel);
}

void fc_run_random(tessel_context *ctx, tu_rng *rng, fft_case *fc)
{
    fc_describe(fc);
    float *coeffs = fk_random_coeffs(rng, fc->kw * fc->kh);
    fc_run(ctx, NULL, rng, fc, coeffs);
    free(coeffs);
}

/* ------------------------------------------------------- plans and buffers */

static tessel_plan *make_plan(tessel_context *ctx, const fft_case *fc, const float *coeffs)
{
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    tessel_image shape = tessel_image_view(NULL, fc->w, fc->h, fc->c, fc->in_dtype);
    tessel_status s = tessel_kernel_create(fc->kw, fc->kh, coeffs, &kernel);
    if (s == TESSEL_OK) s = tessel_plan_create(ctx, &shape, fc->out_dtype, kernel, &fc->o, &plan);
    if (s != TESSEL_OK) tu_fail(fc->name, "making the plan: %s", tessel_last_error());
    tessel_kernel_destroy(kernel);
    return plan;
}

int fc_test_plan_reuse(tessel_context *ctx, tu_rng *rng, fft_case fc)
{
    float *coeffs = fk_random_coeffs(rng, fc.kw * fc.kh);
    tessel_plan *plan = make_plan(ctx, &fc, coeffs);
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (plan && (tessel_plan_info(plan, &info) != TESSEL_OK || info.method != fc.o.method))
        tu_fail("plan reuse", "plan info says method %s",
                info.method_name ? info.method_name : "?");
    int cases = 0;
    for (; plan && cases < 3; ++cases) {
        fc.in_layout = (tu_layout)cases;
        fc.out_layout = (tu_layout)(2 - cases);
        fc_describe(&fc);
        fc_run(ctx, plan, rng, &fc, coeffs);
    }
    tessel_plan_destroy(plan);
    free(coeffs);
    return cases;
}

/* Downloads a buffer run's output and checks it against the reference. */
static void check_buffer_output(const char *what, tessel_buffer *dst, const tu_image *src,
                                const fft_case *fc, const float *coeffs)
{
    tessel_image shape;
    tessel_buffer_shape(dst, &shape);
    tu_image out;
    tu_image_alloc(&out, shape.width, shape.height, shape.channels, shape.dtype, TU_PADDED);
    tu_image_poison(&out);
    double *ref = reference(fc, &src->view, coeffs, shape.width, shape.height);
    tu_diff d;
    tessel_status s = tessel_buffer_download(dst, &out.view);
    if (s != TESSEL_OK)
        tu_fail(what, "download: %s", tessel_last_error());
    else if (!tu_compare_rms(&out.view, ref, 0.0, &d))
        tu_fail(what, "%s: error %.3g over %g at x %d, y %d: got %.9g, want %.9g", fc->name,
                d.error, d.limit, d.x, d.y, d.got, d.want);
    free(ref);
    tu_image_free(&out);
}

int fc_test_buffers(tessel_context *ctx, tu_rng *rng, fft_case fc)
{
    float *coeffs = fk_random_coeffs(rng, fc.kw * fc.kh);
    tessel_plan *plan = make_plan(ctx, &fc, coeffs);
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(fc.kw, fc.kh, coeffs, &kernel);
    int ow = 0, oh = 0;
    tessel_conv_output_size(fc.w, fc.h, kernel, &fc.o, &ow, &oh);
    tu_image src[2];
    tessel_buffer *in[2] = {NULL, NULL}, *out[3] = {NULL, NULL, NULL};
    tessel_status s = plan && kernel ? TESSEL_OK : TESSEL_ERR_BACKEND;
    for (int i = 0; i < 2; ++i) {
        tu_image_alloc(&src[i], fc.w, fc.h, fc.c, fc.in_dtype, TU_VIEW);
        tu_image_fill_random(&src[i], rng);
        if (s == TESSEL_OK) s = tessel_buffer_create(ctx, fc.w, fc.h, fc.c, fc.in_dtype, &in[i]);
        if (s == TESSEL_OK) s = tessel_buffer_upload(in[i], &src[i].view);
    }
    for (int i = 0; i < 3 && s == TESSEL_OK; ++i)
        s = tessel_buffer_create(ctx, ow, oh, fc.c, fc.out_dtype, &out[i]);
    if (s == TESSEL_OK) s = tessel_plan_execute_buffers(plan, in[0], out[0]);
    if (s == TESSEL_OK) s = tessel_plan_execute_buffers(plan, in[1], out[1]);
    if (s == TESSEL_OK) s = tessel_convolve2d_buffers(ctx, in[1], kernel, &fc.o, out[2]);
    if (s != TESSEL_OK) {
        tu_fail(fc.name, "buffers: %s", tessel_last_error());
    } else {
        check_buffer_output("buffers, first run", out[0], &src[0], &fc, coeffs);
        check_buffer_output("buffers, second run", out[1], &src[1], &fc, coeffs);
        check_buffer_output("buffers, one-shot call", out[2], &src[1], &fc, coeffs);
    }
    for (int i = 0; i < 3; ++i) tessel_buffer_destroy(out[i]);
    for (int i = 0; i < 2; ++i) {
        tessel_buffer_destroy(in[i]);
        tu_image_free(&src[i]);
    }
    tessel_kernel_destroy(kernel);
    tessel_plan_destroy(plan);
    free(coeffs);
    return 3;
}

/* ----------------------------------------------------------------- devices */

void fc_check_no_clfft(tessel_context *ctx, tessel_method method)
{
    const float one = 1.0f;
    float pixels[4] = {1, 2, 3, 4}, out[4];
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(1, 1, &one, &kernel);
    tessel_image src = tessel_image_view(pixels, 2, 2, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 2, 2, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.method = method;
    tessel_status s = tessel_convolve2d(ctx, &src, kernel, &o, &dst);
    if (s != TESSEL_ERR_UNSUPPORTED || !strstr(tessel_context_last_error(ctx), "clFFT"))
        tu_fail("no clFFT", "%s: \"%s\"", tessel_status_string(s), tessel_context_last_error(ctx));
    tessel_kernel_destroy(kernel);
}

double fc_seconds(void)
{
    struct timespec ts;
    timespec_get(&ts, TIME_UTC);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int fc_timed(const char *group, int cases, double *since)
{
    const double now = fc_seconds();
    printf("  %-15s %3d cases %6.1f s\n", group, cases, now - *since);
    *since = now;
    return cases;
}

uint64_t fc_seed(uint64_t fallback)
{
    const char *text = getenv("TESSEL_TEST_SEED");
    return text && *text ? strtoull(text, NULL, 10) : fallback;
}

/* 1 when the device ran (or rightly refused without clFFT). */
static int run_device(const char *test, const tessel_device_desc *device, tessel_method method,
                      int have_clfft, uint64_t seed, fc_device_run run, const void *user)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = device->spec;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        tu_fail(device->spec, "context: %s", tessel_last_error());
        return 0;
    }
    if (!have_clfft) {
        fc_check_no_clfft(ctx, method);
        tessel_context_destroy(ctx);
        printf("%s: %s (%s): this build has no clFFT; the message says so\n", test, device->spec,
               device->name);
        return 1;
    }
    const int cases = run(ctx, device->spec, seed, user);
    printf("%s: %s (%s): %d cases\n", test, device->spec, device->name, cases);
    return 1;
}

int fc_run_devices(const char *test, tessel_method method, int have_clfft, uint64_t seed,
                   fc_device_run run, const void *user)
{
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) {
        printf("%s: listing devices failed: %s\n", test, tessel_last_error());
        return 1;
    }
    int ran = 0;
    for (int i = 0; i < n && i < 16; ++i)
        if (devices[i].backend == TESSEL_BACKEND_OPENCL)
            ran += run_device(test, &devices[i], method, have_clfft, seed, run, user);
    if (!ran && !tu_failures()) {
        printf("%s: SKIPPED, no OpenCL platform or device is installed\n", test);
        return 77;
    }
    printf("%s: %d failures on %d device(s), seed %llu\n", test, tu_failures(), ran,
           (unsigned long long)seed);
    return tu_failures() ? 1 : 0;
}
