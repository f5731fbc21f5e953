/* Versioned structs: every public struct with a struct_size is read and
 * written only as far as the caller's version goes. A struct_size that is
 * neither 0 nor the size of a version is TESSEL_ERR_INVALID_ARGUMENT with a
 * message naming the struct, before anything is done; 0 and sizeof work.
 * The copy itself (an older, smaller version zero-filled, never over-read)
 * is checked through core/versioned.h with a struct of two versions. */
#define _POSIX_C_SOURCE 200809L /* setenv */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/versioned.h"
#include "tessel/tessel.h"
#include "tessel/tessel_batch.h"
#include "tessel/tessel_fourier.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

/* Sizes no version has, relative to the struct's own. */
static uint32_t wrong_size(uint32_t size, int which)
{
    switch (which) {
    case 0: return size + 8; /* a newer caller's struct: fields this library cannot honour */
    case 1: return 3;
    default: return size - 4;
    }
}
#define WRONG_SIZES 3

static void expect_refused(const char *what, uint32_t size, tessel_status got, const char *name)
{
    char label[160];
    snprintf(label, sizeof label, "%s, struct_size %u", what, (unsigned)size);
    if (got != TESSEL_ERR_INVALID_ARGUMENT)
        tu_fail(label, "returned %s, expected TESSEL_ERR_INVALID_ARGUMENT",
                tessel_status_string(got));
    else if (!strstr(tessel_last_error(), name) || !strstr(tessel_last_error(), "struct_size"))
        tu_fail(label, "message \"%s\" does not name %s.struct_size", tessel_last_error(), name);
}

static void expect_ok(const char *what, uint32_t size, tessel_status got)
{
    if (got != TESSEL_OK)
        tu_fail(what, "struct_size %u: %s (%s)", (unsigned)size, tessel_status_string(got),
                tessel_last_error());
}

static void test_context_options(void)
{
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_context_options o = {0};
        o.struct_size = wrong_size(sizeof o, w);
        o.device = "cpu";
        tessel_context *ctx = (tessel_context *)&o; /* must be cleared */
        expect_refused("tessel_context_create", o.struct_size, tessel_context_create(&o, &ctx),
                       "tessel_context_options");
        if (ctx) tu_fail("tessel_context_create", "a refused create left a context");
    }
    uint32_t good[2] = {0, sizeof(tessel_context_options)};
    for (int g = 0; g < 2; ++g) {
        tessel_context_options o = {0};
        o.struct_size = good[g];
        o.device = "cpu";
        o.threads = 1;
        tessel_context *ctx = NULL;
        expect_ok("tessel_context_create", good[g], tessel_context_create(&o, &ctx));
        tessel_context_destroy(ctx);
    }
}

/* conv options through each door: output size, 2-D, 1-D and a plan. */
static void test_conv_options(tessel_context *ctx, const tessel_kernel *k)
{
    float in[8 * 6], out[8 * 6];
    for (int i = 0; i < 48; ++i) in[i] = (float)(i % 7);
    tessel_image src = tessel_image_view(in, 8, 6, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 8, 6, 1, TESSEL_F32);
    tessel_image row_src = tessel_image_view(in, 8, 1, 1, TESSEL_F32);
    tessel_image row_dst = tessel_image_view(out, 8, 1, 1, TESSEL_F32);
    tessel_kernel *row = NULL;
    static const float taps[3] = {1, 2, 1};
    tessel_kernel_create(3, 1, taps, &row);
    for (int w = 0; w <= WRONG_SIZES; ++w) {
        tessel_conv_options o = {0};
        o.struct_size = w < WRONG_SIZES ? wrong_size(sizeof o, w) : 0;
        tessel_status want = w < WRONG_SIZES ? TESSEL_ERR_INVALID_ARGUMENT : TESSEL_OK;
        int ow, oh;
        tessel_plan *plan = NULL;
        tessel_status got[4] = {
            tessel_conv_output_size(8, 6, k, &o, &ow, &oh),
            tessel_convolve2d(ctx, &src, k, &o, &dst),
            tessel_convolve1d(ctx, &row_src, row, &o, &row_dst),
            tessel_plan_create(ctx, &src, TESSEL_F32, k, &o, &plan),
        };
        const char *calls[4] = {"tessel_conv_output_size", "tessel_convolve2d",
                                "tessel_convolve1d", "tessel_plan_create"};
        for (int c = 0; c < 4; ++c) {
            if (want == TESSEL_OK)
                expect_ok(calls[c], o.struct_size, got[c]);
            else if (got[c] != want)
                tu_fail(calls[c], "struct_size %u: %s, expected TESSEL_ERR_INVALID_ARGUMENT",
                        (unsigned)o.struct_size, tessel_status_string(got[c]));
        }
        if (want != TESSEL_OK) /* the last call's message */
            expect_refused("tessel_plan_create", o.struct_size, got[3], "tessel_conv_options");
        tessel_plan_destroy(plan);
    }
    tessel_kernel_destroy(row);
}

static void test_plan_properties(tessel_context *ctx, const tessel_kernel *k)
{
    tessel_image shape = tessel_image_view(NULL, 8, 6, 1, TESSEL_F32);
    tessel_plan *plan = NULL;
    if (tessel_plan_create(ctx, &shape, TESSEL_F32, k, NULL, &plan) != TESSEL_OK) {
        tu_fail("tessel_plan_create", "%s", tessel_last_error());
        return;
    }
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_plan_properties p;
        memset(&p, 0x5A, sizeof p);
        p.struct_size = wrong_size(sizeof p, w);
        expect_refused("tessel_plan_info", p.struct_size, tessel_plan_info(plan, &p),
                       "tessel_plan_properties");
    }
    tessel_plan_properties p = {0};
    expect_ok("tessel_plan_info", 0, tessel_plan_info(plan, &p));
    if (p.struct_size != sizeof p || p.in_width != 8 || p.in_height != 6)
        tu_fail("tessel_plan_info", "struct_size %u, input %dx%d", (unsigned)p.struct_size,
                p.in_width, p.in_height);
    tessel_plan_destroy(plan);
}

/* tessel_tune with no cache folder fails at once (TESSEL_ERR_IO) and fills
 * the result: the sizes are checked before that. */
static void test_tune(tessel_context *ctx)
{
    setenv("TESSEL_CACHE_DIR", "", 1);
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_tune_options o = {0};
        o.struct_size = wrong_size(sizeof o, w);
        o.quick = 1;
        expect_refused("tessel_tune options", o.struct_size, tessel_tune(ctx, &o, NULL),
                       "tessel_tune_options");
        tessel_tune_result r = {0};
        r.struct_size = wrong_size(sizeof r, w);
        expect_refused("tessel_tune result", r.struct_size, tessel_tune(ctx, NULL, &r),
                       "tessel_tune_result");
    }
    tessel_tune_options o = {sizeof o, 1};
    tessel_tune_result r;
    memset(&r, 0x5A, sizeof r);
    r.struct_size = 0;
    tessel_status s = tessel_tune(ctx, &o, &r);
    if (s != TESSEL_ERR_IO || r.struct_size != sizeof r || r.profile_path[0] != '\0' ||
        r.cases != 0)
        tu_fail("tessel_tune without a cache folder", "%s, struct_size %u, cases %d",
                tessel_status_string(s), (unsigned)r.struct_size, r.cases);
}

static void test_batch(const tessel_kernel *k)
{
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_batch_options o = {0};
        o.struct_size = wrong_size(sizeof o, w);
        o.devices = "cpu";
        tessel_batch *b = (tessel_batch *)&o;
        expect_refused("tessel_batch_create", o.struct_size, tessel_batch_create(&o, &b),
                       "tessel_batch_options");
        if (b) tu_fail("tessel_batch_create", "a refused create left a batch");
    }
    tessel_batch_options o = {0};
    o.devices = "cpu";
    o.cpu_threads = 1;
    tessel_batch *b = NULL;
    expect_ok("tessel_batch_create", 0, tessel_batch_create(&o, &b));
    if (!b) return;
    for (int w = 0; w <= WRONG_SIZES; ++w) {
        tessel_batch_filter f = {0};
        f.struct_size = w < WRONG_SIZES ? wrong_size(sizeof f, w) : sizeof f;
        f.kernel = k;
        tessel_status s = tessel_batch_run(b, 0, NULL, NULL, &f, NULL);
        if (w < WRONG_SIZES)
            expect_refused("tessel_batch_run", f.struct_size, s, "tessel_batch_filter");
        else
            expect_ok("tessel_batch_run", f.struct_size, s);
    }
    /* version 1 ended at `write` (before the fingerprint): a caller's struct
     * of exactly that size is read, never past its end */
    size_t v1 = TESSEL_STRUCT_SIZE_UNTIL(tessel_batch_filter, write);
    tessel_batch_filter full = {0};
    full.struct_size = (uint32_t)v1;
    full.kernel = k;
    void *old = tu_xmalloc(v1);
    memcpy(old, &full, v1);
    expect_ok("tessel_batch_run, version 1", (uint32_t)v1,
              tessel_batch_run(b, 0, NULL, NULL, old, NULL));
    free(old);
    tessel_batch_destroy(b);
}

static void test_deconv(tessel_context *ctx, const tessel_kernel *k)
{
    float in[16 * 16], out[16 * 16];
    for (int i = 0; i < 256; ++i) in[i] = (float)(i % 13) + 1.0f;
    tessel_image src = tessel_image_view(in, 16, 16, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 16, 16, 1, TESSEL_F32);
    for (int w = 0; w <= WRONG_SIZES; ++w) {
        tessel_deconv_options o = {0};
        o.struct_size = w < WRONG_SIZES ? wrong_size(sizeof o, w) : sizeof o;
        tessel_status s = tessel_deconvolve(ctx, &src, k, &o, &dst);
        if (w < WRONG_SIZES)
            expect_refused("tessel_deconvolve", o.struct_size, s, "tessel_deconv_options");
        else
            expect_ok("tessel_deconvolve", o.struct_size, s);
    }
}

/* tessel_write_options and tessel_read_options: a write and a read back. */
static void test_file_options(void)
{
    char dir[] = "/tmp/tessel_test_struct_XXXXXX";
    if (!mkdtemp(dir)) {
        tu_fail("mkdtemp", "cannot make a folder");
        return;
    }
    char path[sizeof dir + 16];
    snprintf(path, sizeof path, "%s/out.npy", dir);
    uint8_t pixels[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    tessel_image img = tessel_image_view(pixels, 4, 3, 1, TESSEL_U8);
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_write_options o = {0};
        o.struct_size = wrong_size(sizeof o, w);
        expect_refused("tessel_image_write", o.struct_size, tessel_image_write(path, &img, &o),
                       "tessel_write_options");
        if (access(path, F_OK) == 0) tu_fail("tessel_image_write", "a refused write left a file");
    }
    tessel_write_options o = {0};
    expect_ok("tessel_image_write", 0, tessel_image_write(path, &img, &o));
    tessel_image back = {0};
    for (int w = 0; w < WRONG_SIZES; ++w) {
        tessel_read_options r = {0};
        r.struct_size = wrong_size(sizeof r, w);
        expect_refused("tessel_image_read_ex", r.struct_size,
                       tessel_image_read_ex(path, &r, &back, NULL), "tessel_read_options");
        if (back.data) tu_fail("tessel_image_read_ex", "a refused read gave an image");
    }
    tessel_read_options r = {0};
    r.struct_size = sizeof r;
    expect_ok("tessel_image_read_ex", r.struct_size, tessel_image_read_ex(path, &r, &back, NULL));
    tessel_image_free(&back);
    remove(path);
    rmdir(dir);
}

/* A struct of two versions: v1 ends after `a`, v2 adds `b`. */
typedef struct two_versions {
    uint32_t struct_size;
    uint32_t a;
    double b;
} two_versions;

static void test_older_version(void)
{
    const tessel_struct_kind kind = {"two_versions", {sizeof(two_versions), 8}};
    /* a v1 caller's struct, exactly 8 bytes: reading past them is an overflow */
    uint32_t *v1 = tu_xmalloc(8);
    v1[0] = 8;
    v1[1] = 77;
    two_versions got;
    memset(&got, 0x5A, sizeof got);
    if (tessel_struct_read(NULL, &kind, v1, &got) != TESSEL_OK || got.a != 77 || got.b != 0.0 ||
        got.struct_size != sizeof got)
        tu_fail("read a v1 struct", "a %u, b %g, struct_size %u: %s", (unsigned)got.a, got.b,
                (unsigned)got.struct_size, tessel_last_error());
    two_versions result = {sizeof result, 5, 2.5};
    v1[1] = 0;
    if (tessel_struct_write(NULL, &kind, &result, v1) != TESSEL_OK || v1[0] != 8 || v1[1] != 5)
        tu_fail("write a v1 struct", "size %u, a %u", (unsigned)v1[0], (unsigned)v1[1]);
    v1[0] = 12;
    memset(&got, 0, sizeof got);
    expect_refused("read two_versions", 12, tessel_struct_read(NULL, &kind, v1, &got),
                   "two_versions");
    free(v1);
    if (tessel_struct_read(NULL, &kind, NULL, &got) != TESSEL_OK || got.a != 0 ||
        got.struct_size != sizeof got)
        tu_fail("read NULL", "not the defaults");
}

int main(void)
{
    tessel_context_options co = {0};
    co.device = "cpu";
    co.threads = 1;
    tessel_context *ctx = NULL;
    tessel_kernel *k = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK ||
        tessel_kernel_builtin("gaussian:sigma=1", &k) != TESSEL_OK) {
        fprintf(stderr, "setup failed: %s\n", tessel_last_error());
        return 2;
    }
    test_context_options();
    test_conv_options(ctx, k);
    test_plan_properties(ctx, k);
    test_tune(ctx);
    test_batch(k);
    test_deconv(ctx, k);
    test_file_options();
    test_older_version();
    tessel_kernel_destroy(k);
    tessel_context_destroy(ctx);
    if (tu_failures()) {
        fprintf(stderr, "test_struct_size: %d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_struct_size: all checks passed\n");
    return 0;
}
