/* Bad input: every public entry point rejects it with the right status and a
 * message naming the problem (per thread, and in the context when one is
 * involved), and writes none of its outputs. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessel/tessel.h"
#include "test_util.h"

static int failures;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void fail(int line, const char *what, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "FAIL (line %d) %s: ", line, what);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    ++failures;
}

/* ------------------------------------------------------------ error checks */

/* The messages prime_errors leaves (checked once in main). */
static const char thread_primer[] = "kernel width -7 is not positive";
static const char context_primer[] = "unknown mode 77";

/* Leaves a known, unrelated message in the thread and in ctx, so a check
 * cannot pass on a message left over from an earlier case. */
static void prime_errors(tessel_context *ctx)
{
    static const float one = 1.0f;
    tessel_kernel *k = NULL;
    if (ctx) {
        tessel_image shape = tessel_image_view(NULL, 3, 4, 1, TESSEL_F32);
        tessel_conv_options bad = {0};
        bad.mode = (tessel_mode)77;
        tessel_kernel_create(1, 1, &one, &k);
        tessel_plan *plan = NULL;
        tessel_plan_create(ctx, &shape, TESSEL_F32, k, &bad, &plan);
        tessel_kernel_destroy(k);
    }
    tessel_kernel_create(-7, 1, &one, &k);
}

/* got must equal want, and both messages (ctx may be NULL) must contain needle. */
static void check_failure(int line, const char *what, const tessel_context *ctx,
                          tessel_status got, tessel_status want, const char *needle)
{
    if (got != want) {
        fail(line, what, "returned %s, expected %s", tessel_status_string(got),
             tessel_status_string(want));
        return;
    }
    const char *msg = tessel_last_error();
    if (!strstr(msg, needle) || strcmp(msg, thread_primer) == 0)
        fail(line, what, "tessel_last_error() is \"%s\", expected it to name \"%s\"", msg, needle);
    if (!ctx) return;
    msg = tessel_context_last_error(ctx);
    if (!strstr(msg, needle) || strstr(msg, context_primer))
        fail(line, what, "context error is \"%s\", expected it to name \"%s\"", msg, needle);
}

#define EXPECT_FAIL(ctx, want, needle, call)                                  \
    do {                                                                      \
        prime_errors(ctx);                                                    \
        check_failure(__LINE__, #call, (ctx), (call), (want), (needle));      \
    } while (0)

#define EXPECT(cond)                                                          \
    do {                                                                      \
        if (!(cond)) fail(__LINE__, #cond, "does not hold");                \
    } while (0)

/* ----------------------------------------------------------------- fixture */

enum { IMG_W = 3, IMG_H = 4, IMG_N = IMG_W * IMG_H, ARENA = 4 * IMG_N };

/* A 3x4 f32 source and a poisoned 3x4 f32 destination (same mode output) in
 * one arena, so overlapping views can be made; the context and a 3x3 dense
 * kernel that is not rank 1. */
typedef struct fixture {
    tessel_context *ctx;
    tessel_kernel *dense;
    float arena[ARENA];
    float snapshot[ARENA];
    tessel_image src, dst;
} fixture;

static tu_rng rng;

static float random_float(void)
{
    return (float)tu_rng_uniform(&rng, -1.0, 1.0);
}

/* A non-NULL handle value that failed calls must replace with NULL. */
static int not_a_handle;
#define JUNK_HANDLE(type) ((type *)(void *)&not_a_handle)

/* Source samples random, everything else NaN; remembered for check_untouched(). */
static void poison(fixture *f)
{
    for (int k = 0; k < ARENA; ++k) f->arena[k] = k < IMG_N ? random_float() : NAN;
    memcpy(f->snapshot, f->arena, sizeof f->arena);
}

static void check_untouched(int line, const char *what, const fixture *f)
{
    if (memcmp(f->arena, f->snapshot, sizeof f->arena) != 0)
        fail(line, what, "wrote into memory although it failed");
}

static void fixture_init(fixture *f)
{
    memset(f, 0, sizeof *f);
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 2;
    if (tessel_context_create(&o, &f->ctx) != TESSEL_OK) {
        fprintf(stderr, "cannot create a CPU context: %s\n", tessel_last_error());
        exit(1);
    }
    float k[9];
    for (int i = 0; i < 9; ++i) k[i] = random_float();
    k[4] += 3.0f; /* a dominant centre keeps it far from rank 1 */
    if (tessel_kernel_create(3, 3, k, &f->dense) != TESSEL_OK) {
        fprintf(stderr, "cannot create a kernel: %s\n", tessel_last_error());
        exit(1);
    }
    f->src = tessel_image_view(f->arena, IMG_W, IMG_H, 1, TESSEL_F32);
    f->dst = tessel_image_view(f->arena + 2 * IMG_N, IMG_W, IMG_H, 1, TESSEL_F32);
    poison(f);
}

static void fixture_free(fixture *f)
{
    tessel_kernel_destroy(f->dense);
    tessel_context_destroy(f->ctx);
}

/* One bad call through tessel_convolve2d and, where the fault is not in the
 * destination, through tessel_plan_create (which must leave out_plan NULL). */
static void conv_case(int line, fixture *f, const tessel_image *src, const tessel_kernel *k,
                      const tessel_conv_options *o, tessel_image *dst, tessel_status want,
                      const char *needle)
{
    poison(f);
    prime_errors(f->ctx);
    check_failure(line, "tessel_convolve2d", f->ctx, tessel_convolve2d(f->ctx, src, k, o, dst),
                  want, needle);
    check_untouched(line, "tessel_convolve2d", f);
    if (dst != &f->dst) return;
    tessel_plan *plan = JUNK_HANDLE(tessel_plan); /* any non-NULL value */
    prime_errors(f->ctx);
    check_failure(line, "tessel_plan_create", f->ctx,
                  tessel_plan_create(f->ctx, src, TESSEL_F32, k, o, &plan), want, needle);
    if (plan) fail(line, "tessel_plan_create", "left out_plan non-NULL");
}

#define CONV_CASE(f, src, k, o, dst, want, needle) \
    conv_case(__LINE__, (f), (src), (k), (o), (dst), (want), (needle))

/* ------------------------------------------------------------------- cases */

static void test_status_strings(void)
{
    enum { COUNT = TESSEL_ERR_PLAN_MISMATCH + 1 };
    static const char *names[COUNT] = {
        "TESSEL_OK", "TESSEL_ERR_INVALID_ARGUMENT", "TESSEL_ERR_NULL_POINTER",
        "TESSEL_ERR_BAD_SIZE", "TESSEL_ERR_KERNEL_TOO_LARGE", "TESSEL_ERR_BAD_KERNEL",
        "TESSEL_ERR_OUT_OF_MEMORY", "TESSEL_ERR_UNSUPPORTED", "TESSEL_ERR_NO_DEVICE",
        "TESSEL_ERR_BACKEND", "TESSEL_ERR_IO", "TESSEL_ERR_FORMAT", "TESSEL_ERR_PLAN_MISMATCH"};
    const char *text[COUNT + 2];
    for (int s = 0; s < COUNT; ++s) {
        text[s] = tessel_status_string((tessel_status)s);
        if (!text[s] || strncmp(text[s], names[s], strlen(names[s])) != 0)
            fail(__LINE__, names[s], "status string \"%s\" does not start with %s",
                 text[s] ? text[s] : "(null)", names[s]);
    }
    text[COUNT] = tessel_status_string((tessel_status)COUNT);
    text[COUNT + 1] = tessel_status_string((tessel_status)-1);
    for (int a = 0; a < COUNT + 2; ++a) {
        if (!text[a] || !*text[a]) {
            fail(__LINE__, "tessel_status_string", "empty or NULL text");
            return;
        }
        for (int b = a + 1; b < COUNT + 2 && a < COUNT; ++b) /* two unknowns may match */
            if (strcmp(text[a], text[b]) == 0)
                fail(__LINE__, "tessel_status_string", "\"%s\" is used twice", text[a]);
    }
}

static void test_context_create(void)
{
    tessel_context_options o = {0};
    tessel_context *ctx = JUNK_HANDLE(tessel_context);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "out_context", tessel_context_create(&o, NULL));
    o.threads = -2;
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "thread count -2",
                tessel_context_create(&o, &ctx));
    EXPECT(ctx == NULL);
    o.threads = TESSEL_MAX_THREADS + 1;
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "exceeds the limit of",
                tessel_context_create(&o, &ctx));
    EXPECT(ctx == NULL);
    o.threads = 0;
    o.backend = (tessel_backend)3;
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "unknown backend 3",
                tessel_context_create(&o, &ctx));
    o.backend = (tessel_backend)-1;
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "unknown backend -1",
                tessel_context_create(&o, &ctx));
    /* A named device that does not exist must fail, never fall back to the
     * CPU (whether or not this build or machine has OpenCL at all). */
    static const char *devices[] = {"opencl:99", "no-such-device-xyz"};
    for (int d = 0; d < 2; ++d) {
        o.backend = TESSEL_BACKEND_AUTO;
        o.device = devices[d];
        EXPECT_FAIL(NULL, TESSEL_ERR_NO_DEVICE, devices[d], tessel_context_create(&o, &ctx));
        EXPECT(ctx == NULL);
        o.backend = TESSEL_BACKEND_OPENCL;
        EXPECT_FAIL(NULL, TESSEL_ERR_NO_DEVICE, devices[d], tessel_context_create(&o, &ctx));
    }
    o.backend = TESSEL_BACKEND_CPU;
    o.device = "gpu";
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "\"gpu\"", tessel_context_create(&o, &ctx));
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = "cpu";
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "contradicts", tessel_context_create(&o, &ctx));
    EXPECT(ctx == NULL);
}

static void test_null_accessors(void)
{
    tessel_context_destroy(NULL);
    tessel_kernel_destroy(NULL);
    tessel_plan_destroy(NULL);
    EXPECT(tessel_context_last_error(NULL) != NULL);
    EXPECT(tessel_context_device_name(NULL) != NULL);
    EXPECT(tessel_context_backend(NULL) == TESSEL_BACKEND_AUTO);
    EXPECT(tessel_kernel_width(NULL) == 0 && tessel_kernel_height(NULL) == 0);
    EXPECT(tessel_kernel_is_separable(NULL) == 0);
    EXPECT(tessel_dtype_size((tessel_dtype)0) == 0 && tessel_dtype_size((tessel_dtype)4) == 0);
    EXPECT(strcmp(tessel_dtype_name((tessel_dtype)9), "invalid") == 0);
    EXPECT(strcmp(tessel_mode_name((tessel_mode)9), "invalid") == 0);
    EXPECT(strcmp(tessel_border_name((tessel_border)9), "invalid") == 0);
    EXPECT(strcmp(tessel_method_name((tessel_method)9), "invalid") == 0);
    EXPECT(strcmp(tessel_backend_name((tessel_backend)9), "invalid") == 0);
}

static void test_kernel_create(void)
{
    /* 2-D kernels: up to TESSEL_MAX_KERNEL_SIDE per side (1-D ones may be
     * longer, up to TESSEL_MAX_KERNEL_TAPS_1D: test_fft_block checks those). */
    enum { SIDE = TESSEL_MAX_KERNEL_SIDE + 1 };
    static float big[2 * SIDE];
    float c[12];
    for (int i = 0; i < 12; ++i) c[i] = random_float();
    for (int i = 0; i < 2 * SIDE; ++i) big[i] = random_float();
    tessel_kernel *k = JUNK_HANDLE(tessel_kernel);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "out_kernel", tessel_kernel_create(3, 3, c, NULL));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "coefficients",
                tessel_kernel_create(3, 3, NULL, &k));
    EXPECT(k == NULL);
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "width 0", tessel_kernel_create(0, 3, c, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "height -3", tessel_kernel_create(3, -3, c, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "limit", tessel_kernel_create(SIDE, 2, big, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "limit", tessel_kernel_create(2, SIDE, big, &k));
    EXPECT(k == NULL);
    EXPECT(tessel_kernel_create(SIDE - 1, 2, big, &k) == TESSEL_OK); /* the limit itself is fine */
    tessel_kernel_destroy(k);
    /* 4 columns, 3 rows: the message names the row and the column. */
    c[1 * 4 + 2] = NAN;
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "row 1, column 2 is NaN",
                tessel_kernel_create(4, 3, c, &k));
    c[1 * 4 + 2] = INFINITY;
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "row 1, column 2 is infinite",
                tessel_kernel_create(4, 3, c, &k));
    c[1 * 4 + 2] = 0.5f;
    c[2 * 4 + 0] = -INFINITY;
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "row 2, column 0 is infinite",
                tessel_kernel_create(4, 3, c, &k));
    EXPECT(k == NULL);
}

static void test_kernel_create_separable(void)
{
    float row[5], column[3];
    for (int i = 0; i < 5; ++i) row[i] = random_float();
    for (int i = 0; i < 3; ++i) column[i] = random_float();
    tessel_kernel *k = JUNK_HANDLE(tessel_kernel);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "out_kernel",
                tessel_kernel_create_separable(5, row, 3, column, NULL));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "row",
                tessel_kernel_create_separable(5, NULL, 3, column, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "column",
                tessel_kernel_create_separable(5, row, 3, NULL, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "width 0",
                tessel_kernel_create_separable(0, row, 3, column, &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "height -1",
                tessel_kernel_create_separable(5, row, -1, column, &k));
    row[3] = NAN;
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "row tap 3 is NaN",
                tessel_kernel_create_separable(5, row, 3, column, &k));
    row[3] = 1.0f;
    column[0] = INFINITY;
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "column tap 0 is infinite",
                tessel_kernel_create_separable(5, row, 3, column, &k));
    EXPECT(k == NULL);
}

/* Spec syntax itself is test_kernels' subject; here only the entry point. */
static void test_kernel_builtin(void)
{
    tessel_kernel *k = JUNK_HANDLE(tessel_kernel);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "out_kernel",
                tessel_kernel_builtin("gaussian:sigma=2", NULL));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "spec is NULL", tessel_kernel_builtin(NULL, &k));
    EXPECT(k == NULL);
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "empty kernel spec", tessel_kernel_builtin("", &k));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_KERNEL, "unknown kernel",
                tessel_kernel_builtin("nosuchfilter:3", &k));
    EXPECT(k == NULL);
    EXPECT(tessel_builtin_get(-1) == NULL);
    EXPECT(tessel_builtin_get(tessel_builtin_count()) == NULL);
}

static void test_kernel_coefficients(const fixture *f)
{
    float out[9], before[9];
    for (int i = 0; i < 9; ++i) out[i] = NAN;
    memcpy(before, out, sizeof out);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "kernel is NULL",
                tessel_kernel_coefficients(NULL, out, 9));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "output array",
                tessel_kernel_coefficients(f->dense, NULL, 9));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "holds 8 floats",
                tessel_kernel_coefficients(f->dense, out, 8));
    EXPECT(memcmp(out, before, sizeof out) == 0);
}

static void test_output_size(const fixture *f)
{
    int w = -123, h = -456;
    tessel_conv_options o = {0};
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "kernel is NULL",
                tessel_conv_output_size(3, 4, NULL, &o, &w, &h));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "output size",
                tessel_conv_output_size(3, 4, f->dense, &o, NULL, &h));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "output size",
                tessel_conv_output_size(3, 4, f->dense, &o, &w, NULL));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "0x4",
                tessel_conv_output_size(0, 4, f->dense, &o, &w, &h));
    EXPECT_FAIL(NULL, TESSEL_ERR_BAD_SIZE, "3x-4",
                tessel_conv_output_size(3, -4, f->dense, &o, &w, &h));
    o.mode = TESSEL_MODE_VALID;
    EXPECT_FAIL(NULL, TESSEL_ERR_KERNEL_TOO_LARGE, "kernel 3x3 is larger than the 2x4 image",
                tessel_conv_output_size(2, 4, f->dense, &o, &w, &h));
    o.mode = (tessel_mode)5;
    EXPECT_FAIL(NULL, TESSEL_ERR_INVALID_ARGUMENT, "unknown mode 5",
                tessel_conv_output_size(3, 4, f->dense, &o, &w, &h));
    EXPECT(w == -123 && h == -456);
}

/* Each field of the source view made bad in turn. */
static void test_bad_source(fixture *f)
{
    static const struct {
        int width, height, channels, dtype;
        size_t stride;
        tessel_status want;
        const char *needle;
    } cases[] = {
        {0, IMG_H, 1, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "size 0x4 is not positive"},
        {-3, IMG_H, 1, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "size -3x4 is not positive"},
        {IMG_W, 0, 1, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "size 3x0 is not positive"},
        {IMG_W, -1, 1, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "size 3x-1 is not positive"},
        {IMG_W, IMG_H, 0, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "0 channels"},
        {IMG_W, IMG_H, 5, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "5 channels"},
        {IMG_W, IMG_H, 1, 0, 0, TESSEL_ERR_INVALID_ARGUMENT, "unknown dtype 0"},
        {IMG_W, IMG_H, 1, 4, 0, TESSEL_ERR_INVALID_ARGUMENT, "unknown dtype 4"},
        {IMG_W, IMG_H, 1, TESSEL_F32, 8, TESSEL_ERR_BAD_SIZE,
         "stride 8 bytes is less than a row of 12"},
        {IMG_W, IMG_H, 1, TESSEL_F32, 14, TESSEL_ERR_BAD_SIZE, "not a multiple of the 4-byte"},
        {IMG_W, IMG_H, 1, TESSEL_U16, 7, TESSEL_ERR_BAD_SIZE, "not a multiple of the 2-byte"},
        /* 2^31 x 2^31 pixels of 16 bytes, or 3 rows of half the address space */
        {INT_MAX, INT_MAX, 4, TESSEL_F32, 0, TESSEL_ERR_BAD_SIZE, "overflows"},
        {IMG_W, 3, 1, TESSEL_F32, SIZE_MAX / 2 - 3, TESSEL_ERR_BAD_SIZE, "overflows"},
        /* addressable, but the border-extended span (size + kernel - 1) is not an int */
        {INT_MAX, 1, 1, TESSEL_U8, 0, TESSEL_ERR_BAD_SIZE, "with a 3x3 kernel overflows"},
        {1, INT_MAX, 1, TESSEL_U8, 0, TESSEL_ERR_BAD_SIZE, "with a 3x3 kernel overflows"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        tessel_image src = f->src;
        src.width = cases[c].width;
        src.height = cases[c].height;
        src.channels = cases[c].channels;
        src.dtype = (tessel_dtype)cases[c].dtype;
        src.stride = cases[c].stride;
        CONV_CASE(f, &src, f->dense, NULL, &f->dst, cases[c].want, cases[c].needle);
    }
    CONV_CASE(f, NULL, f->dense, NULL, &f->dst, TESSEL_ERR_NULL_POINTER, "source image is NULL");
    tessel_image no_data = f->src;
    no_data.data = NULL;
    prime_errors(f->ctx);
    check_failure(__LINE__, "NULL source data", f->ctx,
                  tessel_convolve2d(f->ctx, &no_data, f->dense, NULL, &f->dst),
                  TESSEL_ERR_NULL_POINTER, "source image data is NULL");
    check_untouched(__LINE__, "NULL source data", f);
}

static void test_bad_destination(fixture *f)
{
    tessel_image d;
    d = f->dst, d.width = IMG_W + 1;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_BAD_SIZE,
              "destination is 4x4x1 but the output is 3x4x1");
    d = f->dst, d.height = IMG_H - 1;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_BAD_SIZE,
              "destination is 3x3x1 but the output is 3x4x1");
    d = f->dst, d.channels = 2, d.width = 1;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_BAD_SIZE,
              "destination is 1x4x2 but the output is 3x4x1");
    d = f->dst, d.dtype = (tessel_dtype)7;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_INVALID_ARGUMENT,
              "unknown destination dtype 7");
    d = f->dst, d.stride = 4;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_BAD_SIZE,
              "destination image row stride 4 bytes");
    d = f->dst, d.data = NULL;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_NULL_POINTER,
              "destination image data is NULL");
    CONV_CASE(f, &f->src, f->dense, NULL, NULL, TESSEL_ERR_NULL_POINTER,
              "destination image is NULL");
    /* In place, and a view that starts inside the source. */
    d = f->dst, d.data = f->src.data;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_INVALID_ARGUMENT, "overlaps the source");
    d = f->dst, d.data = f->arena + IMG_N - 1;
    CONV_CASE(f, &f->src, f->dense, NULL, &d, TESSEL_ERR_INVALID_ARGUMENT, "overlaps the source");
}

#ifdef TESSEL_TEST_FFTW
/* Method fft on the CPU backend is no error: it succeeds, leaves no message
 * and agrees with the direct method. */
static void check_fft_runs(fixture *f, const tessel_conv_options *fft)
{
    poison(f);
    tessel_conv_options direct = *fft;
    direct.method = TESSEL_METHOD_DIRECT;
    float want[IMG_N];
    tessel_image want_view = tessel_image_view(want, IMG_W, IMG_H, 1, TESSEL_F32);
    tessel_status s = tessel_convolve2d(f->ctx, &f->src, f->dense, &direct, &want_view);
    if (s == TESSEL_OK) {
        prime_errors(f->ctx); /* the fft call itself must clear the message */
        s = tessel_convolve2d(f->ctx, &f->src, f->dense, fft, &f->dst);
    }
    if (s != TESSEL_OK || tessel_context_last_error(f->ctx)[0]) {
        fail(__LINE__, "method fft", "%s, message \"%s\"", tessel_status_string(s),
             tessel_context_last_error(f->ctx));
        return;
    }
    const float *got = f->dst.data;
    double peak = 0.0, worst = 0.0;
    for (int k = 0; k < IMG_N; ++k) {
        peak = fmax(peak, fabs(want[k]));
        worst = fmax(worst, isfinite(got[k]) ? fabs(got[k] - want[k]) : INFINITY);
    }
    if (!(worst <= 1e-4 * peak))
        fail(__LINE__, "method fft", "differs from direct by %g (largest output %g)", worst,
             peak);
}
#endif

static void test_bad_kernel_argument(fixture *f)
{
    CONV_CASE(f, &f->src, NULL, NULL, &f->dst, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    float coeffs[9 * 9];
    for (int i = 0; i < 81; ++i) coeffs[i] = random_float();
    tessel_kernel *big = NULL, *tall = NULL;
    if (tessel_kernel_create(9, 9, coeffs, &big) != TESSEL_OK ||
        tessel_kernel_create(2, 5, coeffs, &tall) != TESSEL_OK) {
        fail(__LINE__, "tessel_kernel_create", "%s", tessel_last_error());
        return;
    }
    tessel_conv_options o = {0};
    o.mode = TESSEL_MODE_VALID;
    CONV_CASE(f, &f->src, big, &o, &f->dst, TESSEL_ERR_KERNEL_TOO_LARGE, "kernel 9x9");
    static const char exact[] = "kernel 9x9 is larger than the 3x4 image in valid mode";
    if (strcmp(tessel_context_last_error(f->ctx), exact) != 0 ||
        strcmp(tessel_last_error(), exact) != 0)
        fail(__LINE__, "valid mode, 9x9 kernel", "messages \"%s\" / \"%s\"",
             tessel_context_last_error(f->ctx), tessel_last_error());
    /* Too tall only: width and height must not be swapped in the message. */
    CONV_CASE(f, &f->src, tall, &o, &f->dst, TESSEL_ERR_KERNEL_TOO_LARGE,
              "kernel 2x5 is larger than the 3x4 image in valid mode");
    o.method = TESSEL_METHOD_SEPARABLE;
    o.mode = TESSEL_MODE_SAME;
    CONV_CASE(f, &f->src, f->dense, &o, &f->dst, TESSEL_ERR_UNSUPPORTED, "not separable");
    o.method = TESSEL_METHOD_FFT;
#ifdef TESSEL_TEST_FFTW
    check_fft_runs(f, &o);
#else
    CONV_CASE(f, &f->src, f->dense, &o, &f->dst, TESSEL_ERR_UNSUPPORTED, "needs FFTW3");
#endif
    tessel_kernel_destroy(big);
    tessel_kernel_destroy(tall);
}

/* One bad option field at a time; everything else default. */
static void test_bad_options(fixture *f)
{
    tessel_conv_options o;
#define OPTION_CASE(assignments, want, needle)                                 \
    do {                                                                       \
        memset(&o, 0, sizeof o);                                               \
        assignments;                                                           \
        CONV_CASE(f, &f->src, f->dense, &o, &f->dst, (want), (needle));       \
    } while (0)
    OPTION_CASE(o.mode = (tessel_mode)3, TESSEL_ERR_INVALID_ARGUMENT, "unknown mode 3");
    OPTION_CASE(o.mode = (tessel_mode)-1, TESSEL_ERR_INVALID_ARGUMENT, "unknown mode -1");
    OPTION_CASE(o.border = (tessel_border)5, TESSEL_ERR_INVALID_ARGUMENT, "unknown border 5");
    OPTION_CASE(o.border = (tessel_border)-2, TESSEL_ERR_INVALID_ARGUMENT, "unknown border -2");
    OPTION_CASE(o.method = (tessel_method)6, TESSEL_ERR_INVALID_ARGUMENT, "unknown method 6");
    OPTION_CASE(o.stride_x = -1, TESSEL_ERR_INVALID_ARGUMENT, "stride -1,1 is negative");
    OPTION_CASE(o.stride_y = -2, TESSEL_ERR_INVALID_ARGUMENT, "stride 1,-2 is negative");
    OPTION_CASE((o.anchor_set = 1, o.anchor_x = 3), TESSEL_ERR_INVALID_ARGUMENT,
                "anchor 3,0 is outside the 3x3 kernel");
    OPTION_CASE((o.anchor_set = 1, o.anchor_y = -1), TESSEL_ERR_INVALID_ARGUMENT,
                "anchor 0,-1 is outside the 3x3 kernel");
    OPTION_CASE((o.anchor_set = 1, o.mode = TESSEL_MODE_FULL), TESSEL_ERR_INVALID_ARGUMENT,
                "anchor needs mode same (got full)");
    OPTION_CASE((o.anchor_set = 1, o.mode = TESSEL_MODE_VALID), TESSEL_ERR_INVALID_ARGUMENT,
                "anchor needs mode same (got valid)");
    OPTION_CASE(o.cval = NAN, TESSEL_ERR_INVALID_ARGUMENT, "cval must be finite");
    OPTION_CASE(o.scale = INFINITY, TESSEL_ERR_INVALID_ARGUMENT, "scale must be finite");
    OPTION_CASE(o.scale = NAN, TESSEL_ERR_INVALID_ARGUMENT, "scale must be finite");
    OPTION_CASE(o.offset = -INFINITY, TESSEL_ERR_INVALID_ARGUMENT, "offset must be finite");
#undef OPTION_CASE
}

static void test_convolve1d(fixture *f)
{
    float taps[3];
    for (int i = 0; i < 3; ++i) taps[i] = random_float();
    tessel_kernel *k1 = NULL;
    if (tessel_kernel_create(3, 1, taps, &k1) != TESSEL_OK) {
        fail(__LINE__, "tessel_kernel_create", "%s", tessel_last_error());
        return;
    }
    tessel_image signal = tessel_image_view(f->arena, IMG_N, 1, 1, TESSEL_F32);
    tessel_image out = tessel_image_view(f->arena + 2 * IMG_N, IMG_N, 1, 1, TESSEL_F32);
    tessel_image rows = tessel_image_view(f->arena, IMG_W, 2, 1, TESSEL_F32);
    tessel_context *ctx = f->ctx;
    poison(f);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "context is NULL",
                tessel_convolve1d(NULL, &signal, k1, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "source signal is NULL",
                tessel_convolve1d(ctx, NULL, k1, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_BAD_SIZE, "got 2 rows",
                tessel_convolve1d(ctx, &rows, k1, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_BAD_KERNEL, "1-D kernel, got 3x3",
                tessel_convolve1d(ctx, &signal, f->dense, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "kernel is NULL",
                tessel_convolve1d(ctx, &signal, NULL, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "destination image is NULL",
                tessel_convolve1d(ctx, &signal, k1, NULL, NULL));
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "context is NULL",
                tessel_convolve1d_rows(NULL, &rows, k1, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "source image is NULL",
                tessel_convolve1d_rows(ctx, NULL, k1, NULL, &out));
    EXPECT_FAIL(ctx, TESSEL_ERR_BAD_KERNEL, "1-D kernel, got 3x3",
                tessel_convolve1d_rows(ctx, &rows, f->dense, NULL, &out));
    out.width = IMG_N - 1;
    EXPECT_FAIL(ctx, TESSEL_ERR_BAD_SIZE, "destination is 11x1x1 but the output is 12x1x1",
                tessel_convolve1d(ctx, &signal, k1, NULL, &out));
    check_untouched(__LINE__, "tessel_convolve1d", f);
    tessel_kernel_destroy(k1);
}

static void test_plan_calls(fixture *f)
{
    tessel_context *ctx = f->ctx;
    tessel_plan *plan = JUNK_HANDLE(tessel_plan);
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "context is NULL",
                tessel_plan_create(NULL, &f->src, TESSEL_F32, f->dense, NULL, &plan));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "out_plan",
                tessel_plan_create(ctx, &f->src, TESSEL_F32, f->dense, NULL, NULL));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "source image is NULL",
                tessel_plan_create(ctx, NULL, TESSEL_F32, f->dense, NULL, &plan));
    EXPECT_FAIL(ctx, TESSEL_ERR_INVALID_ARGUMENT, "unknown destination dtype 0",
                tessel_plan_create(ctx, &f->src, (tessel_dtype)0, f->dense, NULL, &plan));
    EXPECT(plan == NULL);
    /* The shape's data pointer is ignored, so NULL data is fine here. */
    tessel_image shape = f->src;
    shape.data = NULL;
    if (tessel_plan_create(ctx, &shape, TESSEL_F32, f->dense, NULL, &plan) != TESSEL_OK) {
        fail(__LINE__, "tessel_plan_create", "%s", tessel_last_error());
        return;
    }
    poison(f);
    tessel_image no_data = f->src;
    no_data.data = NULL;
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL",
                tessel_plan_execute(NULL, &f->src, &f->dst));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "source image is NULL",
                tessel_plan_execute(plan, NULL, &f->dst));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "source image data is NULL",
                tessel_plan_execute(plan, &no_data, &f->dst));
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "destination image is NULL",
                tessel_plan_execute(plan, &f->src, NULL));
    check_untouched(__LINE__, "tessel_plan_execute", f);
    tessel_plan_properties info, before;
    memset(&info, 0xA5, sizeof info);
    info.struct_size = sizeof info;
    before = info;
    EXPECT_FAIL(NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL", tessel_plan_info(NULL, &info));
    EXPECT(memcmp(&info, &before, sizeof info) == 0);
    EXPECT_FAIL(ctx, TESSEL_ERR_NULL_POINTER, "info is NULL", tessel_plan_info(plan, NULL));
    tessel_plan_destroy(plan);
}

/* The context's text belongs to its latest call: a successful call clears it,
 * while tessel_last_error() keeps the thread's last failure. */
static void test_error_text_lifetime(fixture *f)
{
    tessel_context *ctx = f->ctx, *other = NULL;
    tessel_image bad = f->src;
    bad.channels = 6;
    poison(f);
    EXPECT_FAIL(ctx, TESSEL_ERR_BAD_SIZE, "6 channels",
                tessel_convolve2d(ctx, &bad, f->dense, NULL, &f->dst));
    if (tessel_convolve2d(ctx, &f->src, f->dense, NULL, &f->dst) != TESSEL_OK) {
        fail(__LINE__, "tessel_convolve2d", "valid call failed: %s", tessel_last_error());
        return;
    }
    EXPECT(strcmp(tessel_context_last_error(ctx), "") == 0);
    EXPECT(strstr(tessel_last_error(), "6 channels") != NULL);

    /* The same through a plan: a failed execution, then a good one. */
    tessel_plan *plan = NULL;
    EXPECT(tessel_plan_create(ctx, &f->src, TESSEL_F32, f->dense, NULL, &plan) == TESSEL_OK);
    EXPECT(tessel_plan_execute(plan, &bad, &f->dst) == TESSEL_ERR_BAD_SIZE);
    EXPECT(strstr(tessel_context_last_error(ctx), "6 channels") != NULL);
    EXPECT(tessel_plan_execute(plan, &f->src, &f->dst) == TESSEL_OK);
    EXPECT(strcmp(tessel_context_last_error(ctx), "") == 0);
    tessel_plan_destroy(plan);

    /* A failure elsewhere (no context, another context) leaves ctx's text alone. */
    tessel_convolve2d(ctx, &bad, f->dense, NULL, &f->dst);
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 1;
    EXPECT(tessel_context_create(&o, &other) == TESSEL_OK);
    bad.channels = 0;
    tessel_convolve2d(other, &bad, f->dense, NULL, &f->dst);
    tessel_kernel *k = NULL;
    tessel_kernel_create(0, 1, NULL, &k);
    EXPECT(strstr(tessel_context_last_error(ctx), "6 channels") != NULL);
    EXPECT(strstr(tessel_context_last_error(other), "0 channels") != NULL);
    tessel_context_destroy(other);
}

int main(void)
{
    unsetenv("TESSEL_DEVICE"); /* the cases below name their devices */
    unsetenv("TESSEL_LOG");
    tu_rng_seed(&rng, 20240611);
    fixture f;
    fixture_init(&f);
    prime_errors(f.ctx);
    if (strcmp(tessel_last_error(), thread_primer) != 0 ||
        !strstr(tessel_context_last_error(f.ctx), context_primer))
        fail(__LINE__, "prime_errors", "left \"%s\" / \"%s\"", tessel_last_error(),
             tessel_context_last_error(f.ctx));
    test_status_strings();
    test_context_create();
    test_null_accessors();
    test_kernel_create();
    test_kernel_create_separable();
    test_kernel_builtin();
    test_kernel_coefficients(&f);
    test_output_size(&f);
    test_bad_source(&f);
    test_bad_destination(&f);
    test_bad_kernel_argument(&f);
    test_bad_options(&f);
    test_convolve1d(&f);
    test_plan_calls(&f);
    test_error_text_lifetime(&f);
    fixture_free(&f);
    if (failures) {
        fprintf(stderr, "test_errors: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_errors: all cases passed\n");
    return 0;
}
