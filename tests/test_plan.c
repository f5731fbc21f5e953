/* Plans and threads: a plan run over a batch equals one-shot calls and the
 * reference; plan info; shape checks; thread counts; one context per
 * pthread; $TESSEL_DEVICE, $TESSEL_LOG and the log callback. */
#define _POSIX_C_SOURCE 200809L /* setenv, dup, fileno */

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reference.h"
#include "tessel/tessel.h"
#include "test_util.h"

static atomic_int failures;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(const char *where, const char *fmt, ...)
{
    char text[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    fprintf(stderr, "FAIL %s: %s\n", where, text);
    atomic_fetch_add(&failures, 1);
}

/* -------------------------------------------------------------- kernels */

enum { MAX_TAPS = 9 * 9 };

/* Random coefficients with a heavy centre: far from rank 1. */
static void dense_coeffs(tu_rng *rng, int kw, int kh, float *k)
{
    tu_rng_floats(rng, k, (size_t)kw * kh, -1.0, 1.0);
    k[(kh / 2) * kw + kw / 2] += 4.0f;
}

/* Gaussian-like outer product with different widths across and down,
 * normalised to sum 1 so integer outputs stay in range. */
static void outer_coeffs(int kw, int kh, float *k)
{
    double sum = 0.0;
    for (int j = 0; j < kh; ++j)
        for (int i = 0; i < kw; ++i) {
            double dx = i - (kw - 1) / 2.0, dy = j - (kh - 1) / 2.0;
            sum += exp(-dx * dx / 3.0) * exp(-dy * dy / 5.0);
        }
    for (int j = 0; j < kh; ++j) {
        float column = (float)(exp(-pow(j - (kh - 1) / 2.0, 2) / 5.0) / sum);
        for (int i = 0; i < kw; ++i)
            k[j * kw + i] = column * (float)exp(-pow(i - (kw - 1) / 2.0, 2) / 3.0);
    }
}

static tessel_kernel *make_kernel(const char *where, int kw, int kh, const float *k)
{
    tessel_kernel *kernel = NULL;
    if (tessel_kernel_create(kw, kh, k, &kernel) != TESSEL_OK)
        fail(where, "tessel_kernel_create %dx%d: %s", kw, kh, tessel_last_error());
    return kernel;
}

static tessel_context *make_context(const char *where, int threads)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = threads;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK)
        fail(where, "tessel_context_create(%d threads): %s", threads, tessel_last_error());
    return ctx;
}

/* ------------------------------------------------------------ comparisons */

/* out against the double-precision reference of src, k and o. */
static void check_reference(const char *where, const tessel_image *src, const float *k, int kw,
                            int kh, const tessel_conv_options *o, const tessel_image *out)
{
    int ow, oh;
    if (ref_output_size(src->width, src->height, kw, kh, o, &ow, &oh) != 0 ||
        ow != out->width || oh != out->height) {
        fail(where, "output is %dx%d, the reference says %dx%d", out->width, out->height, ow, oh);
        return;
    }
    const int c = src->channels;
    double *in = tu_xmalloc((size_t)src->width * src->height * c * sizeof(double));
    double *ref = tu_xmalloc((size_t)ow * oh * c * sizeof(double));
    double kd[MAX_TAPS];
    for (int t = 0; t < kw * kh; ++t) kd[t] = k[t];
    tu_image_to_doubles(src, in);
    ref_convolve2d(in, src->width, src->height, c, kd, kw, kh, o, ref);
    tu_diff d;
    if (!tu_compare(out, ref, &d))
        fail(where, "differs from the reference at (%d,%d) channel %d: got %.9g, want %.9g "
             "(error %.3g, limit %.3g)", d.x, d.y, d.ch, d.got, d.want, d.error, d.limit);
    free(in);
    free(ref);
}

/* a and b must hold bit-identical samples. */
static void check_identical(const char *where, const tessel_image *a, const tessel_image *b)
{
    if (a->width != b->width || a->height != b->height || a->channels != b->channels ||
        a->dtype != b->dtype) {
        fail(where, "outputs have different shapes");
        return;
    }
    for (int y = 0; y < a->height; ++y)
        for (int x = 0; x < a->width; ++x)
            for (int ch = 0; ch < a->channels; ++ch) {
                double va = tu_sample(a, x, y, ch), vb = tu_sample(b, x, y, ch);
                if (memcmp(&va, &vb, sizeof va) != 0) {
                    fail(where, "(%d,%d) channel %d: %.9g vs %.9g", x, y, ch, va, vb);
                    return;
                }
            }
}

/* ----------------------------------------------------- batch through a plan */

typedef struct batch_case {
    const char *name;
    int w, h, c;
    tessel_dtype in_dtype, out_dtype;
    int kw, kh;
    int outer; /* 1: Gaussian-like outer product, 0: random dense */
    tessel_conv_options o;
} batch_case;

static const batch_case batch_cases[] = {
    {"f32 dense 5x3 same reflect", 37, 29, 1, TESSEL_F32, TESSEL_F32, 5, 3, 0, {0}},
    {"u8 outer 7x7 mirror stride 2x1, 3 channels", 40, 31, 3, TESSEL_U8, TESSEL_U8, 7, 7, 1,
     {.border = TESSEL_BORDER_MIRROR, .stride_x = 2}},
    {"u16->f32 dense 4x6 full constant correlate, 2 channels", 33, 18, 2, TESSEL_U16,
     TESSEL_F32, 4, 6, 0,
     {.mode = TESSEL_MODE_FULL, .border = TESSEL_BORDER_CONSTANT, .cval = 7.5, .correlate = 1}},
    {"f32 1x5 valid wrap, 4 channels", 21, 26, 4, TESSEL_F32, TESSEL_F32, 1, 5, 0,
     {.mode = TESSEL_MODE_VALID, .border = TESSEL_BORDER_WRAP}},
    {"u8->u16 dense 3x3 nearest, scale/offset/abs, anchor 0,2", 29, 23, 1, TESSEL_U8,
     TESSEL_U16, 3, 3, 0,
     {.border = TESSEL_BORDER_NEAREST, .scale = 40.0, .offset = -900.0, .absolute = 1,
      .anchor_set = 1, .anchor_x = 0, .anchor_y = 2}},
    {"f32 outer 9x5 wrap stride 2x3, 2 channels", 45, 34, 2, TESSEL_F32, TESSEL_F32, 9, 5, 1,
     {.border = TESSEL_BORDER_WRAP, .stride_x = 2, .stride_y = 3}},
};

enum { BATCH = 5 };

/* Image b of the batch: run through the plan (in one of the layouts, so row
 * strides change from run to run) and one-shot into a packed image. */
static void run_batch_item(const batch_case *bc, int b, tessel_plan *plan, tessel_context *ctx,
                           const tessel_kernel *kernel, const float *k, int ow, int oh,
                           tu_rng *rng)
{
    char where[160];
    tu_layout in_layout = (tu_layout)(b % TU_LAYOUT_COUNT);
    tu_layout out_layout = (tu_layout)((b + 1) % TU_LAYOUT_COUNT);
    snprintf(where, sizeof where, "batch \"%s\" image %d (%s in, %s out)", bc->name, b,
             tu_layout_name(in_layout), tu_layout_name(out_layout));
    tu_image src, out, once;
    tu_image_alloc(&src, bc->w, bc->h, bc->c, bc->in_dtype, in_layout);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&out, ow, oh, bc->c, bc->out_dtype, out_layout);
    tu_image_alloc(&once, ow, oh, bc->c, bc->out_dtype, TU_PACKED);
    if (tessel_plan_execute(plan, &src.view, &out.view) != TESSEL_OK) {
        fail(where, "tessel_plan_execute: %s", tessel_context_last_error(ctx));
    } else if (tessel_convolve2d(ctx, &src.view, kernel, &bc->o, &once.view) != TESSEL_OK) {
        fail(where, "tessel_convolve2d: %s", tessel_context_last_error(ctx));
    } else {
        if (!tu_image_guard_intact(&out)) fail(where, "wrote outside the destination view");
        check_identical(where, &out.view, &once.view);
        check_reference(where, &src.view, k, bc->kw, bc->kh, &bc->o, &out.view);
    }
    tu_image_free(&src);
    tu_image_free(&out);
    tu_image_free(&once);
}

static void test_batch(tessel_context *ctx, const batch_case *bc, tu_rng *rng)
{
    float k[MAX_TAPS];
    if (bc->outer)
        outer_coeffs(bc->kw, bc->kh, k);
    else
        dense_coeffs(rng, bc->kw, bc->kh, k);
    tessel_kernel *for_plan = make_kernel(bc->name, bc->kw, bc->kh, k);
    tessel_kernel *for_one_shot = make_kernel(bc->name, bc->kw, bc->kh, k);
    tessel_image shape = tessel_image_view(NULL, bc->w, bc->h, bc->c, bc->in_dtype);
    tessel_plan *plan = NULL;
    int ow = 0, oh = 0;
    if (!for_plan || !for_one_shot ||
        tessel_conv_output_size(bc->w, bc->h, for_one_shot, &bc->o, &ow, &oh) != TESSEL_OK ||
        tessel_plan_create(ctx, &shape, bc->out_dtype, for_plan, &bc->o, &plan) != TESSEL_OK) {
        fail(bc->name, "setup: %s", tessel_last_error());
    } else {
        tessel_kernel_destroy(for_plan); /* the plan holds its own copy */
        for_plan = NULL;
        for (int b = 0; b < BATCH; ++b)
            run_batch_item(bc, b, plan, ctx, for_one_shot, k, ow, oh, rng);
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(for_plan);
    tessel_kernel_destroy(for_one_shot);
}

/* -------------------------------------------------------------- plan info */

/* p describes a default-options (same mode) plan of the given shape. */
static void check_info(const char *where, const tessel_plan_properties *p, tessel_context *ctx,
                       tessel_method method, const tessel_image *shape, tessel_dtype out_dtype,
                       int kw, int kh)
{
    if (p->backend != TESSEL_BACKEND_CPU || !p->backend_name || strcmp(p->backend_name, "cpu"))
        fail(where, "backend %d \"%s\", expected cpu", (int)p->backend,
             p->backend_name ? p->backend_name : "(null)");
    if (!p->device_name || !*p->device_name ||
        strcmp(p->device_name, tessel_context_device_name(ctx)) != 0)
        fail(where, "device name \"%s\", the context says \"%s\"",
             p->device_name ? p->device_name : "(null)", tessel_context_device_name(ctx));
    if (p->method != method || !p->method_name ||
        strcmp(p->method_name, tessel_method_name(method)) != 0)
        fail(where, "method %d \"%s\", expected %s", (int)p->method,
             p->method_name ? p->method_name : "(null)", tessel_method_name(method));
    if (!p->method_reason || !*p->method_reason) fail(where, "no reason given for the method");
    if (p->in_width != shape->width || p->in_height != shape->height ||
        p->channels != shape->channels || p->in_dtype != shape->dtype ||
        p->out_dtype != out_dtype || p->out_width != shape->width ||
        p->out_height != shape->height ||
        p->kernel_width != kw || p->kernel_height != kh)
        fail(where, "sizes %dx%dx%d %s -> %dx%d %s, kernel %dx%d do not match the request",
             p->in_width, p->in_height, p->channels, tessel_dtype_name(p->in_dtype),
             p->out_width, p->out_height, tessel_dtype_name(p->out_dtype), p->kernel_width,
             p->kernel_height);
}

static tessel_plan *plan_for(const char *where, tessel_context *ctx, const tessel_image *shape,
                             tessel_dtype out_dtype, int kw, int kh, const float *k)
{
    tessel_kernel *kernel = make_kernel(where, kw, kh, k);
    tessel_plan *plan = NULL;
    if (kernel && tessel_plan_create(ctx, shape, out_dtype, kernel, NULL, &plan) != TESSEL_OK)
        fail(where, "tessel_plan_create: %s", tessel_context_last_error(ctx));
    tessel_kernel_destroy(kernel);
    return plan;
}

static void test_plan_info(tessel_context *ctx, int threads, tu_rng *rng)
{
    tessel_image shape = tessel_image_view(NULL, 41, 19, 3, TESSEL_U8);
    float outer[7 * 5], dense[7 * 5];
    outer_coeffs(7, 5, outer);
    dense_coeffs(rng, 7, 5, dense);
    static const char *names[2] = {"plan info, outer-product kernel", "plan info, dense kernel"};
    const float *coeffs[2] = {outer, dense};
    const tessel_method methods[2] = {TESSEL_METHOD_SEPARABLE, TESSEL_METHOD_DIRECT};
    for (int m = 0; m < 2; ++m) {
        tessel_plan *plan = plan_for(names[m], ctx, &shape, TESSEL_F32, 7, 5, coeffs[m]);
        tessel_plan_properties p;
        memset(&p, 0, sizeof p);
        p.struct_size = sizeof p;
        if (!plan || tessel_plan_info(plan, &p) != TESSEL_OK) {
            fail(names[m], "tessel_plan_info: %s", tessel_last_error());
        } else {
            check_info(names[m], &p, ctx, methods[m], &shape, TESSEL_F32, 7, 5);
            if (p.threads != threads)
                fail(names[m], "%d threads reported, the context has %d", p.threads, threads);
        }
        tessel_plan_destroy(plan);
    }
}

/* A struct_size no version of the struct has had (one ending before
 * 'method') is refused, and nothing of the struct is written (how a real
 * older version is served is test_struct_size's). */
static void test_plan_info_small_struct(tessel_context *ctx)
{
    const char *where = "plan info, struct_size up to 'method'";
    tessel_image shape = tessel_image_view(NULL, 16, 9, 1, TESSEL_F32);
    float k[9] = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 1.9f};
    tessel_plan *plan = plan_for(where, ctx, &shape, TESSEL_F32, 3, 3, k);
    if (!plan) return;
    struct {
        tessel_plan_properties props;
        unsigned char tail[32];
    } box;
    const size_t limit = offsetof(tessel_plan_properties, method);
    const unsigned char *bytes = (const unsigned char *)&box;
    memset(&box, 0xA5, sizeof box);
    box.props.struct_size = (uint32_t)limit;
    if (tessel_plan_info(plan, &box.props) != TESSEL_ERR_INVALID_ARGUMENT ||
        !strstr(tessel_last_error(), "struct_size"))
        fail(where, "not refused: %s", tessel_last_error());
    size_t b = sizeof box.props.struct_size;
    while (b < sizeof box && bytes[b] == 0xA5) ++b;
    if (b < sizeof box || box.props.struct_size != limit)
        fail(where, "wrote byte %zu (struct_size now %u)", b, (unsigned)box.props.struct_size);
    tessel_plan_destroy(plan);
}

/* ------------------------------------------------------------ plan mismatch */

static void test_plan_mismatch(tessel_context *ctx, tu_rng *rng)
{
    const char *where = "plan mismatch";
    tessel_image shape = tessel_image_view(NULL, 23, 17, 2, TESSEL_U16);
    float k[15];
    dense_coeffs(rng, 5, 3, k);
    tessel_plan *plan = plan_for(where, ctx, &shape, TESSEL_F32, 5, 3, k);
    if (!plan) return;
    static const struct {
        int w, h, c;
        tessel_dtype in, out;
        const char *needle;
    } cases[] = {
        {24, 17, 2, TESSEL_U16, TESSEL_F32,
         "source 24x17x2 u16 does not match the plan's 23x17x2 u16"},
        {23, 16, 2, TESSEL_U16, TESSEL_F32, "source 23x16x2 u16"},
        {23, 17, 1, TESSEL_U16, TESSEL_F32, "source 23x17x1 u16"},
        {23, 17, 2, TESSEL_U8, TESSEL_F32, "source 23x17x2 u8"},
        {23, 17, 2, TESSEL_F32, TESSEL_F32, "source 23x17x2 f32"},
        {23, 17, 2, TESSEL_U16, TESSEL_U8, "destination dtype u8 does not match the plan's f32"},
        {23, 17, 2, TESSEL_U16, TESSEL_U16, "destination dtype u16"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        tu_image src, dst;
        tu_image_alloc(&src, cases[i].w, cases[i].h, cases[i].c, cases[i].in, TU_PACKED);
        tu_image_fill_random(&src, rng);
        tu_image_alloc(&dst, 23, 17, 2, cases[i].out, TU_PADDED);
        unsigned char *before = tu_xmalloc(dst.block_bytes);
        memcpy(before, dst.block, dst.block_bytes);
        tessel_status s = tessel_plan_execute(plan, &src.view, &dst.view);
        if (s != TESSEL_ERR_PLAN_MISMATCH)
            fail(where, "case %zu returned %s", i, tessel_status_string(s));
        else if (!strstr(tessel_context_last_error(ctx), cases[i].needle))
            fail(where, "case %zu: message \"%s\" does not say \"%s\"", i,
                 tessel_context_last_error(ctx), cases[i].needle);
        if (memcmp(before, dst.block, dst.block_bytes) != 0)
            fail(where, "case %zu wrote into the destination", i);
        free(before);
        tu_image_free(&src);
        tu_image_free(&dst);
    }
    tessel_plan_destroy(plan);
}

/* ------------------------------------------------------------ thread counts */

/* The bands a pool splits the rows into must not change a single bit. */
static void test_thread_counts(tu_rng *rng)
{
    static const int counts[] = {1, 2, 7};
    enum { COUNTS = sizeof counts / sizeof counts[0], KW = 7, KH = 5 };
    for (int outer = 0; outer <= 1; ++outer) {
        char where[96];
        float k[KW * KH];
        if (outer)
            outer_coeffs(KW, KH, k);
        else
            dense_coeffs(rng, KW, KH, k);
        tu_image src, out[COUNTS];
        tu_image_alloc(&src, 151, 97, 2, TESSEL_F32, TU_PADDED);
        tu_image_fill_random(&src, rng);
        tessel_conv_options o = {0};
        o.border = TESSEL_BORDER_MIRROR;
        for (int t = 0; t < COUNTS; ++t) {
            snprintf(where, sizeof where, "%s kernel, %d threads", outer ? "outer" : "dense",
                     counts[t]);
            tu_image_alloc(&out[t], 151, 97, 2, TESSEL_F32, TU_PACKED);
            tessel_context *ctx = make_context(where, counts[t]);
            tessel_kernel *kernel = make_kernel(where, KW, KH, k);
            if (!ctx || !kernel ||
                tessel_convolve2d(ctx, &src.view, kernel, &o, &out[t].view) != TESSEL_OK)
                fail(where, "tessel_convolve2d: %s", tessel_last_error());
            else if (t == 0)
                check_reference(where, &src.view, k, KW, KH, &o, &out[0].view);
            else
                check_identical(where, &out[t].view, &out[0].view);
            tessel_kernel_destroy(kernel);
            tessel_context_destroy(ctx);
        }
        for (int t = 0; t < COUNTS; ++t) tu_image_free(&out[t]);
        tu_image_free(&src);
    }
}

/* ------------------------------------------------ one context per pthread */

enum { WORKERS = 4, ROUNDS = 3 };

typedef struct worker_job {
    int index;
    const tessel_kernel *shared; /* kernels are immutable: one for all threads */
    const float *coeffs;
    int kw, kh;
} worker_job;

/* A failure with a message only this thread produces: the width. */
static int private_bad_width(int index)
{
    return -100 - index;
}

static void worker_round(const worker_job *job, tessel_context *ctx, int round, tu_rng *rng)
{
    char where[96], mine[64];
    snprintf(where, sizeof where, "pthread %d round %d", job->index, round);
    snprintf(mine, sizeof mine, "width %d", private_bad_width(job->index));
    tessel_kernel *ignored = NULL;
    tessel_kernel_create(private_bad_width(job->index), 1, job->coeffs, &ignored);

    tessel_conv_options o = {0};
    o.border = (tessel_border)((job->index + round) % 5);
    o.mode = (tessel_mode)(round % 3);
    tu_image src, out;
    tu_image_alloc(&src, 53 + job->index, 37, 1 + job->index % 4, TESSEL_F32,
                   (tu_layout)(round % TU_LAYOUT_COUNT));
    tu_image_fill_random(&src, rng);
    int ow = 0, oh = 0;
    tessel_conv_output_size(src.view.width, src.view.height, job->shared, &o, &ow, &oh);
    tu_image_alloc(&out, ow, oh, src.view.channels, TESSEL_F32, TU_PACKED);
    if (tessel_convolve2d(ctx, &src.view, job->shared, &o, &out.view) != TESSEL_OK)
        fail(where, "tessel_convolve2d: %s", tessel_context_last_error(ctx));
    else
        check_reference(where, &src.view, job->coeffs, job->kw, job->kh, &o, &out.view);
    /* Other threads failed meanwhile; this thread's text is still its own. */
    if (!strstr(tessel_last_error(), mine))
        fail(where, "tessel_last_error() is \"%s\", expected this thread's \"%s\"",
             tessel_last_error(), mine);
    tu_image_free(&src);
    tu_image_free(&out);
}

static void *worker_main(void *arg)
{
    const worker_job *job = arg;
    char where[32];
    snprintf(where, sizeof where, "pthread %d", job->index);
    tessel_context *ctx = make_context(where, 2);
    tu_rng rng;
    tu_rng_seed(&rng, 1000u + (unsigned)job->index);
    for (int round = 0; ctx && round < ROUNDS; ++round) worker_round(job, ctx, round, &rng);
    tessel_context_destroy(ctx);
    return NULL;
}

static void test_concurrent_contexts(tu_rng *rng)
{
    enum { KW = 5, KH = 4 };
    float k[KW * KH];
    dense_coeffs(rng, KW, KH, k);
    tessel_kernel *shared = make_kernel("concurrent contexts", KW, KH, k);
    if (!shared) return;
    pthread_t threads[WORKERS];
    worker_job jobs[WORKERS];
    int started = 0;
    for (; started < WORKERS; ++started) {
        jobs[started] = (worker_job){started, shared, k, KW, KH};
        if (pthread_create(&threads[started], NULL, worker_main, &jobs[started]) != 0) {
            fail("concurrent contexts", "pthread_create failed");
            break;
        }
    }
    for (int t = 0; t < started; ++t) pthread_join(threads[t], NULL);
    tessel_kernel_destroy(shared);
}

/* ---------------------------------------------------------- $TESSEL_DEVICE */

static tessel_status create_with(tessel_backend backend, const char *device,
                                 tessel_backend *got)
{
    tessel_context_options o = {0};
    o.backend = backend;
    o.device = device;
    tessel_context *ctx = NULL;
    tessel_status s = tessel_context_create(&o, &ctx);
    *got = tessel_context_backend(ctx);
    if (s != TESSEL_OK && ctx) fail("$TESSEL_DEVICE", "a failed create returned a context");
    tessel_context_destroy(ctx);
    return s;
}

/* $TESSEL_DEVICE steers AUTO only; an explicit backend or device wins. */
static void test_device_environment(void)
{
    static const struct {
        const char *env;
        tessel_backend backend;
        const char *device;
        tessel_status want;
    } cases[] = {
        {"cpu", TESSEL_BACKEND_AUTO, NULL, TESSEL_OK},
        {"auto", TESSEL_BACKEND_AUTO, NULL, TESSEL_OK},
        {"opencl:99", TESSEL_BACKEND_AUTO, NULL, TESSEL_ERR_NO_DEVICE},
        {"no-such-device-xyz", TESSEL_BACKEND_AUTO, NULL, TESSEL_ERR_NO_DEVICE},
        {"opencl:99", TESSEL_BACKEND_CPU, NULL, TESSEL_OK},
        {"opencl:99", TESSEL_BACKEND_AUTO, "cpu", TESSEL_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        char where[128];
        snprintf(where, sizeof where, "TESSEL_DEVICE=%s, backend %s, device %s", cases[i].env,
                 tessel_backend_name(cases[i].backend),
                 cases[i].device ? cases[i].device : "NULL");
        setenv("TESSEL_DEVICE", cases[i].env, 1);
        tessel_backend got;
        tessel_status s = create_with(cases[i].backend, cases[i].device, &got);
        if (s != cases[i].want)
            fail(where, "returned %s (%s), expected %s", tessel_status_string(s),
                 tessel_last_error(), tessel_status_string(cases[i].want));
        else if (s == TESSEL_OK && got != TESSEL_BACKEND_CPU)
            fail(where, "runs on %s, expected cpu", tessel_backend_name(got));
        else if (s != TESSEL_OK && !strstr(tessel_last_error(), cases[i].env))
            fail(where, "message \"%s\" does not name the device", tessel_last_error());
    }
    /* NULL options are AUTO too. */
    setenv("TESSEL_DEVICE", "opencl:99", 1);
    tessel_context *ctx = NULL;
    if (tessel_context_create(NULL, &ctx) != TESSEL_ERR_NO_DEVICE)
        fail("TESSEL_DEVICE=opencl:99, NULL options", "did not give TESSEL_ERR_NO_DEVICE");
    tessel_context_destroy(ctx);
    ctx = NULL;
    /* Where an OpenCL device exists, naming it in the environment selects it. */
    tessel_device_desc devices[8];
    int n = 0;
    if (tessel_devices_list(devices, 8, &n) == TESSEL_OK && n > 1) {
        setenv("TESSEL_DEVICE", devices[1].spec, 1);
        if (tessel_context_create(NULL, &ctx) != TESSEL_OK ||
            tessel_context_backend(ctx) != TESSEL_BACKEND_OPENCL)
            fail("TESSEL_DEVICE=opencl:N", "did not select the OpenCL device: %s",
                 tessel_last_error());
        tessel_context_destroy(ctx);
    }
    unsetenv("TESSEL_DEVICE");
}

/* ------------------------------------------------------------------ logging */

typedef struct log_record {
    int messages[TESSEL_LOG_DEBUG + 1]; /* count per level */
    char last_error[512];
    char all[4096]; /* every message, one per line */
} log_record;

static void record_log(void *user, tessel_log_level level, const char *message)
{
    log_record *r = user;
    if ((unsigned)level > TESSEL_LOG_DEBUG) {
        fail("log callback", "level %d out of range", (int)level);
        return;
    }
    r->messages[level]++;
    if (level == TESSEL_LOG_ERROR) snprintf(r->last_error, sizeof r->last_error, "%s", message);
    size_t used = strlen(r->all);
    snprintf(r->all + used, sizeof r->all - used, "%s\n", message);
}

/* A context (with the given callback, or none) that plans once and then fails
 * a call; the context's error text is copied into error. */
static void plan_then_fail(tessel_log_fn log, void *user, char *error, size_t size)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 1;
    o.log = log;
    o.log_user = user;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        fail("logging", "tessel_context_create: %s", tessel_last_error());
        return;
    }
    float k[9] = {1, 2, 1, 2, 4, 2, 1, 2, 1};
    tessel_image shape = tessel_image_view(NULL, 12, 7, 1, TESSEL_U8);
    tessel_plan_destroy(plan_for("logging", ctx, &shape, TESSEL_U8, 3, 3, k));
    shape.channels = 9;
    tessel_plan *plan = NULL;
    tessel_kernel *kernel = make_kernel("logging", 3, 3, k);
    if (tessel_plan_create(ctx, &shape, TESSEL_U8, kernel, NULL, &plan) == TESSEL_OK)
        fail("logging", "a 9-channel plan was accepted");
    snprintf(error, size, "%s", tessel_context_last_error(ctx));
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tessel_context_destroy(ctx);
}

static void test_log_callback(void)
{
    const char *where = "log callback";
    char error[512];
    log_record r;
    memset(&r, 0, sizeof r);
    unsetenv("TESSEL_LOG");
    plan_then_fail(record_log, &r, error, sizeof error);
    if (r.messages[TESSEL_LOG_ERROR] != 1 || strcmp(r.last_error, error) != 0)
        fail(where, "%d error message(s), last \"%s\"; expected one: \"%s\"",
             r.messages[TESSEL_LOG_ERROR], r.last_error, error);
    if (r.messages[TESSEL_LOG_INFO] + r.messages[TESSEL_LOG_DEBUG] == 0)
        fail(where, "no info or debug messages (context creation, plan) reached the callback");

    /* $TESSEL_LOG still filters the levels a callback receives. */
    memset(&r, 0, sizeof r);
    setenv("TESSEL_LOG", "error", 1);
    plan_then_fail(record_log, &r, error, sizeof error);
    unsetenv("TESSEL_LOG");
    if (r.messages[TESSEL_LOG_ERROR] != 1 ||
        r.messages[TESSEL_LOG_WARN] + r.messages[TESSEL_LOG_INFO] + r.messages[TESSEL_LOG_DEBUG])
        fail(where, "with TESSEL_LOG=error the callback got:\n%s", r.all);
}

/* What plan_then_fail (no callback) writes to stderr with $TESSEL_LOG = level
 * (NULL: unset). */
static void stderr_with_log_env(const char *level, char *text, size_t size, char *error,
                                size_t error_size)
{
    text[0] = '\0';
    FILE *capture = tmpfile();
    int saved = capture ? dup(2) : -1;
    if (saved < 0) {
        fail("TESSEL_LOG", "cannot redirect stderr");
        if (capture) fclose(capture);
        return;
    }
    if (level) setenv("TESSEL_LOG", level, 1);
    fflush(stderr);
    dup2(fileno(capture), 2);
    plan_then_fail(NULL, NULL, error, error_size);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    unsetenv("TESSEL_LOG");
    rewind(capture);
    size_t n = fread(text, 1, size - 1, capture);
    text[n] = '\0';
    fclose(capture);
}

static void test_log_environment(void)
{
    char text[4096], error[512];
    stderr_with_log_env(NULL, text, sizeof text, error, sizeof error);
    if (text[0]) fail("TESSEL_LOG unset", "the library wrote to stderr:\n%s", text);
    stderr_with_log_env("error", text, sizeof text, error, sizeof error);
    const char *newline = strchr(text, '\n');
    if (!error[0] || !strstr(text, error) || !newline || newline[1] != '\0')
        fail("TESSEL_LOG=error", "stderr should hold one line, \"%s\", but holds:\n%s", error,
             text);
    stderr_with_log_env("debug", text, sizeof text, error, sizeof error);
    if (!strstr(text, error) || !strstr(text, "cpu"))
        fail("TESSEL_LOG=debug", "stderr should hold the error and the context's device:\n%s",
             text);
}

int main(void)
{
    unsetenv("TESSEL_DEVICE");
    unsetenv("TESSEL_LOG");
    tu_rng rng;
    tu_rng_seed(&rng, 424242);
    enum { THREADS = 3 };
    tessel_context *ctx = make_context("main", THREADS);
    if (!ctx) return 1;
    for (size_t c = 0; c < sizeof batch_cases / sizeof batch_cases[0]; ++c)
        test_batch(ctx, &batch_cases[c], &rng);
    test_plan_info(ctx, THREADS, &rng);
    test_plan_info_small_struct(ctx);
    test_plan_mismatch(ctx, &rng);
    tessel_context_destroy(ctx);
    test_thread_counts(&rng);
    test_concurrent_contexts(&rng);
    test_device_environment();
    test_log_callback();
    test_log_environment();
    int n = atomic_load(&failures);
    if (n) {
        fprintf(stderr, "test_plan: %d failure(s)\n", n);
        return 1;
    }
    printf("test_plan: all cases passed\n");
    return 0;
}
