/* The CPU backend's frequency-domain method (FFTW): transform lengths, large
 * kernels in every mode and border, even and non-square kernels whose
 * transforms need padding, plan reuse, thread counts, plans made on several
 * threads at once, FFTW's planner choices, and a size no transform fits. Results are held to the
 * FFT tolerance against the double-precision reference. In the sanitizer
 * build, LeakSanitizer checks at exit that every plan freed what it took. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/fft_size.h"
#include "fft_kernels.h"
#include "grid_check.h"
#include "test_util.h"


/* ------------------------------------------------------ transform lengths */

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Every 2^a 3^b 5^c 7^d up to INT_MAX, sorted: enumerated, not searched. */
static int *all_smooth_numbers(size_t *count)
{
    size_t n = 0, capacity = 8192;
    int *list = tu_xmalloc(capacity * sizeof *list);
    for (long long p2 = 1; p2 <= INT_MAX; p2 *= 2)
        for (long long p3 = p2; p3 <= INT_MAX; p3 *= 3)
            for (long long p5 = p3; p5 <= INT_MAX; p5 *= 5)
                for (long long p7 = p5; p7 <= INT_MAX && n < capacity; p7 *= 7)
                    list[n++] = (int)p7;
    qsort(list, n, sizeof *list, compare_ints);
    *count = n;
    return list;
}

/* The first listed number >= n, or -1. */
static int first_at_least(const int *list, size_t count, long long n)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (list[mid] < n) lo = mid + 1;
        else hi = mid;
    }
    return lo < count ? list[lo] : -1;
}

static void check_smooth(const int *list, size_t count, int n)
{
    int want = n < 1 ? -1 : first_at_least(list, count, n);
    int got = tessel_fft_smooth_size(n);
    if (got != want) tu_fail("tessel_fft_smooth_size", "of %d is %d, expected %d", n, got, want);
}

static void test_smooth_sizes(tu_rng *rng)
{
    size_t count;
    int *list = all_smooth_numbers(&count);
    if (count != 5911 || list[count - 1] != 2144153025)
        tu_fail("smooth list", "%zu numbers up to %d, expected 5911 up to 2144153025", count,
             list[count - 1]);
    for (int n = -3; n <= 100000; ++n) check_smooth(list, count, n);
    for (int k = 0; k < 5000; ++k) check_smooth(list, count, tu_rng_int(rng, 100000, INT_MAX));
    const int edges[] = {INT_MIN, 2144153024, 2144153025, 2144153026, INT_MAX};
    for (size_t k = 0; k < sizeof edges / sizeof edges[0]; ++k)
        check_smooth(list, count, edges[k]);
    free(list);
}

/* ------------------------------------------------------------------ helpers */

static tessel_context *make_context(int threads)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = threads;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        printf("cannot create a CPU context: %s\n", tessel_last_error());
        exit(1);
    }
    return ctx;
}

/* What one check runs: the library on src with options o (method fft), and
 * the reference on the grid of every gx-th column and gy-th row of the
 * library's output (1 = every sample), which keeps the reference cheap for
 * large kernels. */
typedef struct fft_check {
    const char *what;
    tessel_context *ctx;
    const tu_image *src;
    const tessel_kernel *kernel;
    const double *coeffs;
    tessel_conv_options o;
    tessel_dtype out_dtype;
    tu_layout out_layout;
    int gx, gy;
} fft_check;

static void describe(const fft_check *k, char *buf, size_t size)
{
    const tessel_image *s = &k->src->view;
    snprintf(buf, size,
             "%s: %dx%d c%d %s -> %s, kernel %dx%d, %s, %s, %s, stride %dx%d, anchor %s%d,%d, "
             "checked every %dx%d",
             k->what, s->width, s->height, s->channels, tessel_dtype_name(s->dtype),
             tessel_dtype_name(k->out_dtype), tessel_kernel_width(k->kernel),
             tessel_kernel_height(k->kernel), tessel_mode_name(k->o.mode),
             tessel_border_name(k->o.border), k->o.correlate ? "correlate" : "convolve",
             k->o.stride_x ? k->o.stride_x : 1, k->o.stride_y ? k->o.stride_y : 1,
             k->o.anchor_set ? "" : "default ", k->o.anchor_x, k->o.anchor_y, k->gx, k->gy);
}

/* Runs the check into dst (allocated here, poisoned); 0 when the call failed. */
static int run_fft(const fft_check *k, tu_image *dst)
{
    const tessel_image *s = &k->src->view;
    tessel_conv_options o = k->o;
    o.method = TESSEL_METHOD_FFT;
    int ow, oh;
    tessel_status st = tessel_conv_output_size(s->width, s->height, k->kernel, &o, &ow, &oh);
    if (st == TESSEL_OK) {
        tu_image_alloc(dst, ow, oh, s->channels, k->out_dtype, k->out_layout);
        st = tessel_convolve2d(k->ctx, s, k->kernel, &o, &dst->view);
    }
    if (st == TESSEL_OK) return 1;
    char what[512];
    describe(k, what, sizeof what);
    tu_fail(what, "%s: %s", tessel_status_string(st), tessel_context_last_error(k->ctx));
    return 0;
}

/* One library run against the reference on the check's grid. */
static void check_against_reference(const fft_check *k)
{
    tu_image dst = {0}, grid = {0};
    const int kw = tessel_kernel_width(k->kernel), kh = tessel_kernel_height(k->kernel);
    int gw, gh;
    double *ref = grid_reference(&k->src->view, k->coeffs, kw, kh, &k->o, k->gx, k->gy, &gw, &gh);
    if (ref && run_fft(k, &dst)) {
        grid_sample(&dst.view, k->gx, k->gy, gw, gh, &grid);
        tu_diff d;
        char what[512];
        describe(k, what, sizeof what);
        if (!tu_compare_rms(&grid.view, ref, 0.0, &d))
            tu_fail(what, "error %.3g over %g; worst at grid x %d, y %d, channel %d: got %.9g, "
                 "expected %.9g", d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
        else if (!tu_image_guard_intact(&dst))
            tu_fail(what, "bytes outside the output view were written");
    } else if (!ref) {
        tu_fail(k->what, "the reference calls the case invalid");
    }
    free(ref);
    tu_image_free(&grid);
    tu_image_free(&dst);
}

/* ------------------------------------------------------------ large kernels */

/* The largest g <= 8 dividing dense - 1, so the grid ends on the last sample. */
static int grid_step(long long dense)
{
    for (int g = 8; g > 1; --g)
        if ((dense - 1) % g == 0) return g;
    return 1;
}

static long long dense_length(tessel_mode mode, int n, int k)
{
    return mode == TESSEL_MODE_FULL ? n + k - 1 : mode == TESSEL_MODE_VALID ? n - k + 1 : n;
}

/* 31x31 and 63x63 kernels on a 311x199 image (sizes whose dense outputs
 * have grid steps of 4 to 8 in every mode), every mode x border; the library
 * runs at stride 1 and is checked on the grid, or runs at the grid's stride
 * itself, alternately. */
static void test_large_kernels(tu_rng *rng)
{
    enum { W = 311, H = 199 };
    static const int sides[2] = {31, 63};
    tessel_context *ctx = make_context(2);
    tu_image src;
    tu_image_alloc(&src, W, H, 1, TESSEL_F32, TU_PADDED);
    tu_image_fill_random(&src, rng);
    double *coeffs = tu_xmalloc(63 * 63 * sizeof *coeffs);
    for (int n = 0; n < 2 * 3 * 5; ++n) {
        const int side = sides[n / 15];
        tessel_kernel *kernel = fk_random_kernel(rng, side, side, coeffs);
        fft_check k = {"large kernel", ctx, &src, kernel, coeffs, {0}, TESSEL_F32, TU_VIEW, 1, 1};
        k.o.mode = (tessel_mode)(n / 5 % 3);
        k.o.border = (tessel_border)(n % 5);
        k.o.cval = k.o.border == TESSEL_BORDER_CONSTANT ? 0.75 : 0.0;
        k.o.correlate = n % 2;
        int gx = grid_step(dense_length(k.o.mode, W, side));
        int gy = grid_step(dense_length(k.o.mode, H, side));
        if (n % 3 == 2) k.o.stride_x = gx, k.o.stride_y = gy;
        else k.gx = gx, k.gy = gy;
        check_against_reference(&k);
        tessel_kernel_destroy(kernel);
    }
    free(coeffs);
    tu_image_free(&src);
    tessel_context_destroy(ctx);
}

/* --------------------------------------------- even and non-square kernels */

static tessel_conv_options random_options(tu_rng *rng, int kw, int kh)
{
    tessel_conv_options o = {0};
    o.mode = (tessel_mode)tu_rng_int(rng, 0, 2);
    o.border = (tessel_border)tu_rng_int(rng, 0, 4);
    o.cval = tu_rng_uniform(rng, -1.0, 2.0);
    o.correlate = tu_rng_int(rng, 0, 1);
    o.stride_x = tu_rng_int(rng, 1, 3);
    o.stride_y = tu_rng_int(rng, 1, 3);
    o.anchor_set = o.mode == TESSEL_MODE_SAME && tu_rng_int(rng, 0, 1);
    o.anchor_x = o.anchor_set ? tu_rng_int(rng, 0, kw - 1) : 0;
    o.anchor_y = o.anchor_set ? tu_rng_int(rng, 0, kh - 1) : 0;
    return o;
}

/* The extended input's length along an axis (fft_state.h) for an image
 * side n; the case wants one that is not 7-smooth, so it is padded. */
static int extended_length(int n, int k, tessel_mode mode, int stride)
{
    long long dense = dense_length(mode, n, k);
    return (int)((dense - 1) / stride * stride + k);
}

static int needs_padding(int n, int k, tessel_mode mode, int stride)
{
    int e = extended_length(n, k, mode, stride);
    return tessel_fft_smooth_size(e) != e;
}

/* The image side from `start` up whose extended length needs padding. */
static int padded_side(int start, int k, tessel_mode mode, int stride)
{
    int n = start;
    while (!needs_padding(n, k, mode, stride)) ++n;
    return n;
}

static void test_padded_kernels(tu_rng *rng)
{
    static const int shapes[8][2] = {{8, 5}, {4, 12}, {2, 9}, {6, 6},
                                     {16, 3}, {1, 10}, {10, 1}, {12, 14}};
    static const tessel_dtype dtypes[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    tessel_context *ctx = make_context(3);
    double coeffs[16 * 16];
    for (int n = 0; n < 8 * 6; ++n) {
        const int kw = shapes[n % 8][0], kh = shapes[n % 8][1];
        tessel_conv_options o = random_options(rng, kw, kh);
        int w = padded_side(tu_rng_int(rng, 30, 90), kw, o.mode, o.stride_x);
        int h = padded_side(tu_rng_int(rng, 20, 60), kh, o.mode, o.stride_y);
        tu_image src;
        tu_image_alloc(&src, w, h, tu_rng_int(rng, 1, 4), dtypes[tu_rng_int(rng, 0, 2)],
                       (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1));
        tu_image_fill_random(&src, rng);
        if (src.view.dtype != TESSEL_F32) o.cval = floor(o.cval * 100.0);
        tessel_kernel *kernel = fk_random_kernel(rng, kw, kh, coeffs);
        fft_check k = {"padded", ctx, &src, kernel, coeffs, o, dtypes[tu_rng_int(rng, 0, 2)],
                       (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1), 1, 1};
        check_against_reference(&k);
        tessel_kernel_destroy(kernel);
        tu_image_free(&src);
    }
    tessel_context_destroy(ctx);
}

/* -------------------------------------------------------------- plan reuse */

static tessel_plan *make_plan(tessel_context *ctx, const tessel_image *shape, tessel_dtype out,
                              const tessel_kernel *kernel, const tessel_conv_options *o)
{
    tessel_plan *plan = NULL;
    tessel_status st = tessel_plan_create(ctx, shape, out, kernel, o, &plan);
    if (st != TESSEL_OK) tu_fail("tessel_plan_create", "%s", tessel_context_last_error(ctx));
    return plan;
}

static void execute(tessel_plan *plan, const tu_image *src, tu_image *dst)
{
    tu_image_poison(dst);
    if (tessel_plan_execute(plan, &src->view, &dst->view) != TESSEL_OK)
        tu_fail("tessel_plan_execute", "%s", tessel_last_error());
}

static int same_bytes(const tu_image *a, const tu_image *b)
{
    return a->block_bytes == b->block_bytes && memcmp(a->block, b->block, a->block_bytes) == 0;
}

/* The plan's method and reason, and a run through buffers (same plan, same bits). */
static void check_plan_info_and_buffers(tessel_context *ctx, tessel_plan *plan,
                                        const tu_image *src, const tu_image *want)
{
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (tessel_plan_info(plan, &info) != TESSEL_OK || info.method != TESSEL_METHOD_FFT ||
        strcmp(info.method_reason, "requested") != 0)
        tu_fail("plan info", "method %s (%s), expected fft (requested)",
             tessel_method_name(info.method), info.method_reason ? info.method_reason : "");
    const tessel_image *s = &src->view, *w = &want->view;
    tessel_buffer *in = NULL, *out = NULL;
    tu_image got;
    tu_image_alloc(&got, w->width, w->height, w->channels, w->dtype, want->layout);
    tessel_status st = tessel_buffer_create(ctx, s->width, s->height, s->channels, s->dtype, &in);
    if (st == TESSEL_OK)
        st = tessel_buffer_create(ctx, w->width, w->height, w->channels, w->dtype, &out);
    if (st == TESSEL_OK) st = tessel_buffer_upload(in, s);
    if (st == TESSEL_OK) st = tessel_plan_execute_buffers(plan, in, out);
    if (st == TESSEL_OK) st = tessel_buffer_download(out, &got.view);
    if (st != TESSEL_OK)
        tu_fail("buffers", "%s: %s", tessel_status_string(st), tessel_last_error());
    else if (!same_bytes(&got, want))
        tu_fail("buffers", "the run between buffers differs from the plan's run on images");
    tessel_buffer_destroy(in);
    tessel_buffer_destroy(out);
    tu_image_free(&got);
}

/* One plan run on A, then B, then A again: the two runs on A are identical
 * bit for bit (nothing of B is left in the plan), and both inputs match the
 * reference. */
static void test_plan_reuse(tu_rng *rng)
{
    enum { W = 97, H = 71, C = 3, KW = 13, KH = 9 };
    tessel_context *ctx = make_context(2);
    tu_image a, b, out_a, out_b, again;
    tu_image_alloc(&a, W, H, C, TESSEL_U16, TU_VIEW);
    tu_image_alloc(&b, W, H, C, TESSEL_U16, TU_PADDED);
    tu_image_fill_random(&a, rng);
    tu_image_fill_random(&b, rng);
    double coeffs[KW * KH];
    tessel_kernel *kernel = fk_random_kernel(rng, KW, KH, coeffs);
    tessel_conv_options o = {0};
    o.border = TESSEL_BORDER_MIRROR;
    o.correlate = 1;
    o.method = TESSEL_METHOD_FFT;
    tessel_plan *plan = make_plan(ctx, &a.view, TESSEL_F32, kernel, &o);
    tu_image_alloc(&out_a, W, H, C, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&out_b, W, H, C, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&again, W, H, C, TESSEL_F32, TU_PACKED);
    if (plan) {
        execute(plan, &a, &out_a);
        execute(plan, &b, &out_b);
        execute(plan, &a, &again);
        if (!same_bytes(&out_a, &again))
            tu_fail("plan reuse", "the second run on the same input differs from the first");
        if (same_bytes(&out_a, &out_b)) tu_fail("plan reuse", "two inputs gave the same output");
        check_plan_info_and_buffers(ctx, plan, &a, &out_a);
    }
    fft_check k = {"plan reuse, input b", ctx, &b, kernel, coeffs, o, TESSEL_F32, TU_PACKED, 1, 1};
    check_against_reference(&k);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tu_image_free(&a);
    tu_image_free(&b);
    tu_image_free(&out_a);
    tu_image_free(&out_b);
    tu_image_free(&again);
    tessel_context_destroy(ctx);
}

/* ------------------------------------------------------------------ threads */

/* One thread and three (FFTW's own threads and the pool) agree within the
 * tolerance, and each matches the reference. */
static void test_thread_counts(tu_rng *rng)
{
    enum { W = 311, H = 199, C = 2, K = 31 };
    tessel_context *one = make_context(1), *three = make_context(3);
    tu_image src, out1 = {0}, out3 = {0};
    tu_image_alloc(&src, W, H, C, TESSEL_F32, TU_PACKED);
    tu_image_fill_random(&src, rng);
    double *coeffs = tu_xmalloc(K * K * sizeof *coeffs);
    tessel_kernel *kernel = fk_random_kernel(rng, K, K, coeffs);
    fft_check k = {"threads", one, &src, kernel, coeffs, {0}, TESSEL_F32, TU_PACKED, 5, 6};
    k.o.border = TESSEL_BORDER_REFLECT;
    int ran = run_fft(&k, &out1);
    k.ctx = three;
    if (ran && run_fft(&k, &out3)) {
        double *as_ref = tu_xmalloc((size_t)W * H * C * sizeof *as_ref);
        tu_image_to_doubles(&out1.view, as_ref);
        tu_diff d;
        if (!tu_compare_rms(&out3.view, as_ref, 0.0, &d))
            tu_fail("threads 1 vs 3", "relative RMS difference %.3g over %g", d.error, d.limit);
        free(as_ref);
    }
    tu_image_free(&out1);
    tu_image_free(&out3);
    k.ctx = one;
    check_against_reference(&k);
    k.ctx = three;
    check_against_reference(&k);
    tessel_kernel_destroy(kernel);
    free(coeffs);
    tu_image_free(&src);
    tessel_context_destroy(one);
    tessel_context_destroy(three);
}

/* Plans made, run and destroyed on four threads at once (each its own
 * context): FFTW's planner is shared by the process, so only tessel's lock
 * keeps this from corrupting it. */
typedef struct planner_thread {
    uint64_t seed;
} planner_thread;

static void *plan_repeatedly(void *arg)
{
    const planner_thread *t = arg;
    tu_rng rng;
    tu_rng_seed(&rng, t->seed);
    tessel_context *ctx = make_context(1 + (int)(t->seed % 2));
    double coeffs[7 * 7];
    for (int n = 0; n < 12; ++n) {
        int kw = tu_rng_int(&rng, 1, 7), kh = tu_rng_int(&rng, 1, 7);
        tu_image src;
        tu_image_alloc(&src, tu_rng_int(&rng, 8, 40), tu_rng_int(&rng, 8, 40), 1, TESSEL_F32,
                       TU_PACKED);
        tu_image_fill_random(&src, &rng);
        tessel_kernel *kernel = fk_random_kernel(&rng, kw, kh, coeffs);
        fft_check k = {"concurrent planning", ctx, &src, kernel, coeffs,
                       random_options(&rng, kw, kh), TESSEL_F32, TU_PACKED, 1, 1};
        check_against_reference(&k);
        tessel_kernel_destroy(kernel);
        tu_image_free(&src);
    }
    tessel_context_destroy(ctx);
    return NULL;
}

static void test_concurrent_planning(tu_rng *rng)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    planner_thread args[THREADS];
    int started = 0;
    for (int i = 0; i < THREADS; ++i) {
        args[i].seed = tu_rng_next(rng);
        if (pthread_create(&threads[i], NULL, plan_repeatedly, &args[i]) != 0) break;
        ++started;
    }
    if (started < THREADS) tu_fail("concurrent planning", "started only %d threads", started);
    for (int i = 0; i < started; ++i) pthread_join(threads[i], NULL);
}

/* ------------------------------------------------------------ planner effort */

/* $TESSEL_FFTW_PLANNER: measured plans (small sizes: quick; "patient"
 * takes seconds even there) give the reference's results too; an unknown
 * or empty value falls back to estimate. */
static void test_planner_choice(tu_rng *rng)
{
    static const char *planners[3] = {"measure", "no-such-planner", ""};
    tessel_context *ctx = make_context(2);
    double coeffs[5 * 4];
    for (int n = 0; n < 3; ++n) {
        setenv("TESSEL_FFTW_PLANNER", planners[n], 1);
        tu_image src;
        tu_image_alloc(&src, tu_rng_int(rng, 10, 24), tu_rng_int(rng, 10, 24), 2, TESSEL_F32,
                       TU_PACKED);
        tu_image_fill_random(&src, rng);
        tessel_kernel *kernel = fk_random_kernel(rng, 5, 4, coeffs);
        fft_check k = {planners[n], ctx, &src, kernel, coeffs, random_options(rng, 5, 4),
                       TESSEL_F32, TU_PADDED, 1, 1};
        check_against_reference(&k);
        tessel_kernel_destroy(kernel);
        tu_image_free(&src);
    }
    unsetenv("TESSEL_FFTW_PLANNER");
    tessel_context_destroy(ctx);
}

/* --------------------------------------------------------------- too large */

/* An image one taller than the largest 7-smooth int: no transform fits, so
 * the plan fails cleanly (nothing that large is allocated first). */
static void test_no_transform_size(void)
{
    tessel_context *ctx = make_context(1);
    const float one = 1.0f;
    tessel_kernel *kernel = NULL;
    tessel_kernel_create(1, 1, &one, &kernel);
    tessel_image shape = tessel_image_view(NULL, 1, 2144153026, 1, TESSEL_U8);
    tessel_conv_options o = {0};
    o.method = TESSEL_METHOD_FFT;
    tessel_plan *plan = NULL;
    tessel_status st = tessel_plan_create(ctx, &shape, TESSEL_U8, kernel, &o, &plan);
    const char *msg = tessel_context_last_error(ctx);
    if (st != TESSEL_ERR_BAD_SIZE || !strstr(msg, "no transform size") || plan)
        tu_fail("no transform size", "%s, \"%s\", plan %s", tessel_status_string(st), msg,
             plan ? "made" : "NULL");
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tessel_context_destroy(ctx);
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 5150);
    test_smooth_sizes(&rng);
    test_large_kernels(&rng);
    test_padded_kernels(&rng);
    test_plan_reuse(&rng);
    test_thread_counts(&rng);
    test_concurrent_planning(&rng);
    test_planner_choice(&rng);
    test_no_transform_size();
    printf("test_fft_cpu: %d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
