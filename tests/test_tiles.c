/* Images larger than the device (core/tiles.h): a plan run in tiles gives
 * what it gives run whole — byte for byte for direct and separable, within
 * the FFT tolerance of the double-precision reference for fft and
 * fft-block — for every method, mode and border, with strides, anchors,
 * correlation, scale/offset/absolute, cval outside the input's range, u8,
 * u16 and f32, 1 and 3 channels and padded or viewed rows.
 *
 *   CPU backend: tiles forced (tessel_tiles_force) at small odd sizes, so
 *   the last tile of each row and column moves back over its neighbour.
 *   OpenCL (each device present): tiles chosen by the planner under
 *   TESSEL_DEVICE_MEMORY_LIMIT, as full-width bands and as square tiles,
 *   run by the pipelined executor; a buffer over the limit, buffer runs of
 *   a tiled plan, a limit too small for one output pixel and malformed
 *   limits fail with clear messages.
 *   Band streaming (tessel_plan_stream) from an in-memory source to a sink
 *   against whole-image runs, on both backends.
 * Every output is poisoned before each run. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/memory_limit.h"
#include "core/tiles.h"
#include "reference.h"
#include "test_util.h"

#ifdef TESSEL_TEST_FFTW
#define HAVE_CPU_FFT 1
#else
#define HAVE_CPU_FFT 0
#endif
#ifdef TESSEL_HAVE_CLFFT
#define HAVE_CL_FFT 1
#else
#define HAVE_CL_FFT 0
#endif

/* ------------------------------------------------------------------ cases */

typedef struct tcase {
    tessel_method method;
    int w, h, c, kw, kh;
    tessel_dtype in, out;
    tu_layout in_layout, out_layout;
    tessel_conv_options o;
    char name[256];
} tcase;

static void describe(tcase *tc, const char *where)
{
    const tessel_conv_options *o = &tc->o;
    snprintf(tc->name, sizeof tc->name,
             "%s: %s %dx%dx%d %s(%s) -> %s(%s), kernel %dx%d, %s, %s cval %g%s, stride %d,%d%s%s",
             where, tessel_method_name(tc->method), tc->w, tc->h, tc->c,
             tessel_dtype_name(tc->in), tu_layout_name(tc->in_layout), tessel_dtype_name(tc->out),
             tu_layout_name(tc->out_layout), tc->kw, tc->kh, tessel_mode_name(o->mode),
             tessel_border_name(o->border), o->cval, o->correlate ? ", correlate" : "",
             o->stride_x, o->stride_y, o->anchor_set ? ", anchor" : "",
             o->absolute ? ", scale/offset/abs" : "");
}

/* The options of case number i: every variation comes round in turn. */
static void vary_options(tcase *tc, int i, tessel_mode mode, tessel_border border)
{
    static const int strides[4][2] = {{1, 1}, {2, 1}, {1, 3}, {3, 2}};
    static const double cvals[4] = {0.0, 7.0, 2.5, 300.0}; /* 2.5, 300: not a u8 value */
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = mode;
    o.border = border;
    o.cval = cvals[i % 4];
    o.correlate = i & 1;
    o.stride_x = strides[(i / 2) % 4][0];
    o.stride_y = strides[(i / 2) % 4][1];
    if (mode == TESSEL_MODE_SAME && i % 3 == 1) {
        o.anchor_set = 1;
        o.anchor_x = tc->kw - 1;
        o.anchor_y = 0;
    }
    if (i % 5 == 3) {
        o.scale = 0.25;
        o.offset = tc->out == TESSEL_F32 ? -1.5 : 40.0;
        o.absolute = 1;
    }
    o.method = tc->method;
    tc->o = o;
    tc->in_layout = (tu_layout)(i % TU_LAYOUT_COUNT);
    tc->out_layout = (tu_layout)((i / 3) % TU_LAYOUT_COUNT);
}

/* ---------------------------------------------------------------- kernels */

/* A random kernel for the case (rank 1 for separable, box-like for running:
 * a constant row, and a constant column when kw + kh is even); its dense
 * coefficients go to dense (kw*kh). */
static tessel_kernel *make_kernel(const tcase *tc, tu_rng *rng, double *dense)
{
    tessel_kernel *k = NULL;
    size_t n = (size_t)tc->kw * tc->kh;
    float *coeffs = tu_xmalloc(n * sizeof *coeffs);
    tessel_status s;
    if (tc->method == TESSEL_METHOD_SEPARABLE || tc->method == TESSEL_METHOD_RUNNING) {
        float *row = tu_xmalloc((size_t)tc->kw * sizeof *row);
        float *col = tu_xmalloc((size_t)tc->kh * sizeof *col);
        tu_rng_floats(rng, row, (size_t)tc->kw, 0.1, 1.0);
        tu_rng_floats(rng, col, (size_t)tc->kh, -1.0, 1.0);
        for (int i = 0; tc->method == TESSEL_METHOD_RUNNING && i < tc->kw; ++i)
            row[i] = 1.0f / (float)tc->kw;
        for (int j = 0; tc->method == TESSEL_METHOD_RUNNING && (tc->kw + tc->kh) % 2 == 0 &&
                        j < tc->kh;
             ++j)
            col[j] = 0.5f;
        s = tessel_kernel_create_separable(tc->kw, row, tc->kh, col, &k);
        free(row);
        free(col);
    } else {
        tu_rng_floats(rng, coeffs, n, -1.0, 1.0);
        s = tessel_kernel_create(tc->kw, tc->kh, coeffs, &k);
    }
    if (s != TESSEL_OK || tessel_kernel_coefficients(k, coeffs, n) != TESSEL_OK) {
        fprintf(stderr, "test_tiles: making a kernel failed: %s\n", tessel_last_error());
        exit(2);
    }
    for (size_t t = 0; t < n; ++t) dense[t] = coeffs[t];
    free(coeffs);
    return k;
}

/* ------------------------------------------------------------- comparing */

static int is_fft(tessel_method m)
{
    return m == TESSEL_METHOD_FFT || m == TESSEL_METHOD_FFT_BLOCK;
}

/* Byte-for-byte equality of two images of one shape; names the first pixel
 * that differs. */
static int same_bytes(const tcase *tc, const tessel_image *a, const tessel_image *b)
{
    const size_t pixel = (size_t)a->channels * tessel_dtype_size(a->dtype);
    for (int y = 0; y < a->height; ++y) {
        const unsigned char *ra = (const unsigned char *)a->data + (size_t)y * tu_row_bytes(a);
        const unsigned char *rb = (const unsigned char *)b->data + (size_t)y * tu_row_bytes(b);
        for (int x = 0; x < a->width; ++x) {
            if (memcmp(ra + x * pixel, rb + x * pixel, pixel) == 0) continue;
            tu_fail(tc->name, "tiled differs from whole at (%d, %d): %.9g vs %.9g", x, y,
                    tu_sample(b, x, y, 0), tu_sample(a, x, y, 0));
            return 0;
        }
    }
    return 1;
}

/* The reference of the case on src, and the floor of its f32 error: a
 * tenth of the largest |scale| sum |k||in| + |offset| (outputs that cancel
 * are judged against their terms). */
static double *reference(const tcase *tc, const tessel_image *src, const double *k,
                         double *f32_floor)
{
    int ow = 0, oh = 0;
    ref_output_size(tc->w, tc->h, tc->kw, tc->kh, &tc->o, &ow, &oh);
    const size_t nin = (size_t)tc->w * tc->h * tc->c, nout = (size_t)ow * oh * tc->c;
    const size_t nk = (size_t)tc->kw * tc->kh;
    double *in = tu_xmalloc(nin * sizeof *in), *out = tu_xmalloc(nout * sizeof *out);
    double *terms = tu_xmalloc(nout * sizeof *terms), *absk = tu_xmalloc(nk * sizeof *absk);
    tu_image_to_doubles(src, in);
    ref_convolve2d(in, tc->w, tc->h, tc->c, k, tc->kw, tc->kh, &tc->o, out);
    for (size_t i = 0; i < nin; ++i) in[i] = fabs(in[i]);
    for (size_t i = 0; i < nk; ++i) absk[i] = fabs(k[i]);
    tessel_conv_options a = tc->o;
    a.cval = fabs(a.cval);
    a.scale = fabs(a.scale);
    a.offset = fabs(a.offset);
    a.absolute = 0;
    ref_convolve2d(in, tc->w, tc->h, tc->c, absk, tc->kw, tc->kh, &a, terms);
    double peak = 0.0;
    for (size_t i = 0; i < nout; ++i) peak = terms[i] > peak ? terms[i] : peak;
    *f32_floor = 0.1 * peak;
    free(in);
    free(terms);
    free(absk);
    return out;
}

/* The contract's tolerance against the reference (FFT: relative RMS). */
static int near_reference(const tcase *tc, const tessel_image *src, const double *k,
                          const tessel_image *got, const char *what)
{
    double f32_floor = 0.0;
    double *ref = reference(tc, src, k, &f32_floor);
    tu_diff d;
    const int ok = is_fft(tc->method) ? tu_compare_rms(got, ref, f32_floor, &d)
                                      : tu_compare_floor(got, ref, f32_floor, &d);
    if (!ok)
        tu_fail(tc->name, "%s: error %.3g over the limit %.3g at (%d, %d, ch %d): got %.9g, want %.9g",
                what, d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
    free(ref);
    return ok;
}

/* ------------------------------------------------------------------ runs */

/* Where the cases run: plans whole on `whole`; tiled either by `tiled`'s
 * memory limit, or, when it is NULL, by forced tiles on `whole`. */
typedef struct runner {
    const char *label;
    tessel_context *whole;
    tessel_context *tiled;
    int tile_w, tile_h;
    int fft_ok;   /* the build runs method fft on this backend */
    int skipped;  /* cases the backend does not support (fft-block, fft) */
    int cases;
} runner;

static tessel_status run_plan(tessel_context *ctx, const tcase *tc, const tu_image *src,
                              const tessel_kernel *k, int tile_w, int tile_h, tu_image *dst,
                              tessel_plan_properties *info)
{
    tessel_plan *plan = NULL;
    tessel_status s = tessel_plan_create(ctx, &src->view, tc->out, k, &tc->o, &plan);
    if (s == TESSEL_OK && tile_w) s = tessel_tiles_force(plan, tile_w, tile_h);
    tu_image_poison(dst);
    if (s == TESSEL_OK) s = tessel_plan_execute(plan, &src->view, &dst->view);
    if (s == TESSEL_OK && info) {
        *info = (tessel_plan_properties){0};
        info->struct_size = sizeof *info;
        tessel_plan_info(plan, info);
        /* The text belongs to the plan: kept past its destruction. */
        static char reason[512];
        snprintf(reason, sizeof reason, "%s", info->method_reason);
        info->method_reason = reason;
    }
    tessel_plan_destroy(plan);
    return s;
}

static int unsupported_method(const runner *r, const tcase *tc, tessel_status s)
{
    return s == TESSEL_ERR_UNSUPPORTED &&
           (tc->method == TESSEL_METHOD_FFT_BLOCK || (tc->method == TESSEL_METHOD_FFT && !r->fft_ok));
}

static void check_tiling(const runner *r, const tcase *tc, const tessel_plan_properties *info)
{
    /* Forced tiles as large as the output make one tile. */
    const int one = !r->tiled && r->tile_w >= info->out_width && r->tile_h >= info->out_height;
    if (one) return;
    if (info->tiles_x * info->tiles_y < 2)
        tu_fail(tc->name, "ran whole (%dx%d tiles), expected tiles: %s", info->tiles_x,
                info->tiles_y, info->method_reason);
    const char *why = r->tiled ? "device memory limit" : "(forced)";
    if (!strstr(info->method_reason, "tiled") || !strstr(info->method_reason, why))
        tu_fail(tc->name, "method_reason \"%s\" does not say it is tiled (%s)",
                info->method_reason, why);
}

/* One case: tiled equals whole (direct, separable) and is near the
 * reference (all methods). */
static void check_case(runner *r, tcase *tc, tu_rng *rng)
{
    ++r->cases;
    double *k = tu_xmalloc((size_t)tc->kw * tc->kh * sizeof *k);
    tessel_kernel *kernel = make_kernel(tc, rng, k);
    int ow = 0, oh = 0;
    ref_output_size(tc->w, tc->h, tc->kw, tc->kh, &tc->o, &ow, &oh);
    tu_image src, whole, tiled;
    tu_image_alloc(&src, tc->w, tc->h, tc->c, tc->in, tc->in_layout);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&whole, ow, oh, tc->c, tc->out, TU_PACKED);
    tu_image_alloc(&tiled, ow, oh, tc->c, tc->out, tc->out_layout);
    tessel_context *tctx = r->tiled ? r->tiled : r->whole;
    tessel_plan_properties info;
    tessel_status s = run_plan(tctx, tc, &src, kernel, r->tiled ? 0 : r->tile_w, r->tile_h,
                               &tiled, &info);
    if (unsupported_method(r, tc, s)) {
        ++r->skipped;
    } else if (s != TESSEL_OK) {
        tu_fail(tc->name, "tiled run failed: %s: %s", tessel_status_string(s),
                tessel_context_last_error(tctx));
    } else {
        check_tiling(r, tc, &info);
        if (near_reference(tc, &src.view, k, &tiled.view, "tiled") && !is_fft(tc->method)) {
            s = run_plan(r->whole, tc, &src, kernel, 0, 0, &whole, NULL);
            if (s != TESSEL_OK)
                tu_fail(tc->name, "whole run failed: %s", tessel_context_last_error(r->whole));
            else
                same_bytes(tc, &whole.view, &tiled.view);
        }
        if (!tu_image_guard_intact(&tiled)) tu_fail(tc->name, "wrote outside the destination");
    }
    tessel_kernel_destroy(kernel);
    tu_image_free(&src);
    tu_image_free(&whole);
    tu_image_free(&tiled);
    free(k);
}

/* ------------------------------------------------------------- CPU matrix */

static const tessel_method METHODS[5] = {TESSEL_METHOD_DIRECT, TESSEL_METHOD_SEPARABLE,
                                         TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK,
                                         TESSEL_METHOD_RUNNING};
static const tessel_dtype DTYPES[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};

/* Every method x mode x border x input dtype x channel count (the output
 * dtype in turn), on small images in forced tiles. */
static void cpu_matrix(runner *r, tu_rng *rng)
{
    static const int kernels[4][2] = {{3, 3}, {4, 5}, {6, 2}, {7, 7}};
    static const int tiles[3][2] = {{5, 4}, {7, 3}, {4, 9}};
    int i = 0;
    for (int m = 0; m < 5; ++m)
        for (int mode = 0; mode < 3; ++mode)
            for (int b = 0; b < 5; ++b)
                for (int d = 0; d < 6; ++d, ++i) {
                    tcase tc = {0};
                    tc.method = METHODS[m];
                    tc.in = DTYPES[d % 3];
                    tc.out = DTYPES[(d + i / 6) % 3];
                    tc.c = d < 3 ? 1 : 3;
                    tc.kw = kernels[i % 4][0];
                    tc.kh = kernels[i % 4][1];
                    tc.w = tu_rng_int(rng, 17, 41);
                    tc.h = tu_rng_int(rng, 13, 33);
                    vary_options(&tc, i, (tessel_mode)mode, (tessel_border)b);
                    r->tile_w = tiles[i % 3][0];
                    r->tile_h = tiles[i % 3][1];
                    describe(&tc, r->label);
                    check_case(r, &tc, rng);
                }
}

/* --------------------------------------------------------- band streaming */

typedef struct mem_rows {
    const tcase *tc;
    const tessel_image *src;
    tessel_image *dst;
    int next_row; /* the sink's next expected output row */
    long reads;   /* input rows the source gave */
} mem_rows;

static tessel_status source_rows(void *user, int y0, int count, const tessel_image *rows)
{
    mem_rows *m = user;
    if (y0 < 0 || count < 1 || y0 + count > m->src->height || rows->width != m->src->width ||
        rows->height != count || rows->dtype != m->src->dtype) {
        tu_fail(m->tc->name, "source asked for rows %d..%d (%dx%d %s) of a %dx%d image", y0,
                y0 + count - 1, rows->width, rows->height, tessel_dtype_name(rows->dtype),
                m->src->width, m->src->height);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    tu_copy_rows(m->src, y0, rows, 0, count);
    m->reads += count;
    return TESSEL_OK;
}

static tessel_status sink_rows(void *user, int y0, int count, const tessel_image *rows)
{
    mem_rows *m = user;
    if (y0 != m->next_row || count < 1 || y0 + count > m->dst->height ||
        rows->width != m->dst->width) {
        tu_fail(m->tc->name, "sink got rows %d..%d, expected from %d of %d", y0, y0 + count - 1,
                m->next_row, m->dst->height);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    tu_copy_rows(rows, 0, m->dst, y0, count);
    m->next_row += count;
    return TESSEL_OK;
}

/* A case streamed in bands of band_rows: equals the whole run (near the
 * reference for FFT methods); every output row once, input rows about once. */
static void check_stream(tessel_context *ctx, tcase *tc, int band_rows, tu_rng *rng)
{
    double *k = tu_xmalloc((size_t)tc->kw * tc->kh * sizeof *k);
    tessel_kernel *kernel = make_kernel(tc, rng, k);
    int ow = 0, oh = 0;
    ref_output_size(tc->w, tc->h, tc->kw, tc->kh, &tc->o, &ow, &oh);
    tu_image src, whole, streamed;
    tu_image_alloc(&src, tc->w, tc->h, tc->c, tc->in, tc->in_layout);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&whole, ow, oh, tc->c, tc->out, TU_PACKED);
    tu_image_alloc(&streamed, ow, oh, tc->c, tc->out, tc->out_layout);
    tu_image_poison(&streamed);
    tessel_plan *plan = NULL;
    tessel_status s = tessel_plan_create(ctx, &src.view, tc->out, kernel, &tc->o, &plan);
    mem_rows m = {tc, &src.view, &streamed.view, 0, 0};
    if (s == TESSEL_OK) s = tessel_plan_stream(plan, source_rows, &m, sink_rows, &m, band_rows);
    if (s != TESSEL_OK) {
        tu_fail(tc->name, "stream (bands of %d) failed: %s: %s", band_rows,
                tessel_status_string(s), tessel_context_last_error(ctx));
    } else if (m.next_row != oh) {
        tu_fail(tc->name, "the sink got %d of %d rows", m.next_row, oh);
    } else {
        /* Rows a border brings in from afar may be read again: wrap's
         * first band reads the last rows, its last band the first. */
        const int again = tc->o.border == TESSEL_BORDER_WRAP ? 2 * tc->kh : tc->kh;
        if (m.reads > (long)tc->h + again)
            tu_fail(tc->name, "the source gave %ld rows for a %d-row image", m.reads, tc->h);
        if (is_fft(tc->method)) {
            near_reference(tc, &src.view, k, &streamed.view, "streamed");
        } else {
            tu_image_poison(&whole);
            s = tessel_plan_execute(plan, &src.view, &whole.view);
            if (s != TESSEL_OK) tu_fail(tc->name, "whole run failed: %s", tessel_context_last_error(ctx));
            else same_bytes(tc, &whole.view, &streamed.view);
        }
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tu_image_free(&src);
    tu_image_free(&whole);
    tu_image_free(&streamed);
    free(k);
}

/* Bands of 1 row, odd bands, the default; wrap (the first band reads the
 * last rows), kernels taller than a band and than the image, strides. */
static void stream_cases(tessel_context *ctx, const char *label, size_t count, int fft_ok,
                         tu_rng *rng)
{
    static const struct {
        tessel_method method;
        tessel_mode mode;
        tessel_border border;
        int w, h, c, kw, kh, band;
        tessel_dtype in, out;
    } list[] = {
        {TESSEL_METHOD_DIRECT, TESSEL_MODE_SAME, TESSEL_BORDER_REFLECT, 61, 47, 1, 5, 5, 7, TESSEL_U8, TESSEL_U8},
        {TESSEL_METHOD_SEPARABLE, TESSEL_MODE_SAME, TESSEL_BORDER_WRAP, 40, 33, 3, 7, 9, 5, TESSEL_F32, TESSEL_F32},
        {TESSEL_METHOD_RUNNING, TESSEL_MODE_SAME, TESSEL_BORDER_REFLECT, 53, 41, 2, 9, 7, 6, TESSEL_U8, TESSEL_U8},
        {TESSEL_METHOD_RUNNING, TESSEL_MODE_FULL, TESSEL_BORDER_WRAP, 44, 30, 1, 5, 5, 4, TESSEL_F32, TESSEL_U16},
        {TESSEL_METHOD_DIRECT, TESSEL_MODE_FULL, TESSEL_BORDER_CONSTANT, 30, 8, 1, 6, 13, 3, TESSEL_U16, TESSEL_F32},
        {TESSEL_METHOD_SEPARABLE, TESSEL_MODE_VALID, TESSEL_BORDER_MIRROR, 52, 44, 3, 3, 4, 1, TESSEL_U8, TESSEL_F32},
        {TESSEL_METHOD_DIRECT, TESSEL_MODE_SAME, TESSEL_BORDER_NEAREST, 37, 29, 3, 4, 3, 0, TESSEL_F32, TESSEL_U16},
        {TESSEL_METHOD_FFT, TESSEL_MODE_SAME, TESSEL_BORDER_MIRROR, 45, 38, 1, 9, 9, 11, TESSEL_F32, TESSEL_F32},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; ++i) {
        if (i >= count || (list[i].method == TESSEL_METHOD_FFT && !fft_ok)) continue;
        tcase tc = {0};
        tc.method = list[i].method;
        tc.w = list[i].w;
        tc.h = list[i].h;
        tc.c = list[i].c;
        tc.kw = list[i].kw;
        tc.kh = list[i].kh;
        tc.in = list[i].in;
        tc.out = list[i].out;
        vary_options(&tc, (int)i, list[i].mode, list[i].border);
        char where[64];
        snprintf(where, sizeof where, "%s stream, bands of %d", label, list[i].band);
        describe(&tc, where);
        check_stream(ctx, &tc, list[i].band, rng);
    }
}

/* ------------------------------------------------------------- the limit */

static void check_parse(const char *text, tessel_status want, size_t want_bytes)
{
    size_t bytes = 12345;
    char err[256] = "";
    tessel_status s = tessel_memory_limit_parse(text, &bytes, err, sizeof err);
    if (s != want || (s == TESSEL_OK && bytes != want_bytes))
        tu_fail("memory limit syntax", "\"%s\" gave %s, %zu bytes (%s); expected %s, %zu",
                text ? text : "(null)", tessel_status_string(s), bytes, err,
                tessel_status_string(want), want_bytes);
    if (s != TESSEL_OK && !strstr(err, "TESSEL_DEVICE_MEMORY_LIMIT"))
        tu_fail("memory limit syntax", "\"%s\": the message \"%s\" does not name the variable",
                text, err);
}

static void limit_syntax(void)
{
    check_parse(NULL, TESSEL_OK, 0);
    check_parse("", TESSEL_OK, 0);
    check_parse("1024", TESSEL_OK, 1024);
    check_parse("64K", TESSEL_OK, 64 << 10);
    check_parse("512M", TESSEL_OK, (size_t)512 << 20);
    check_parse("2G", TESSEL_OK, (size_t)2 << 30);
    check_parse("3MiB", TESSEL_OK, (size_t)3 << 20);
    check_parse("5kb", TESSEL_OK, 5 << 10);
    check_parse("77B", TESSEL_OK, 77);
    check_parse("0", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("12X", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("M", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("-5M", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("1.5G", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("99999999999999999999999", TESSEL_ERR_INVALID_ARGUMENT, 0);
    check_parse("99999999999T", TESSEL_ERR_INVALID_ARGUMENT, 0);
}

/* ----------------------------------------------------------------- OpenCL */

static tessel_context *opencl_context(const char *spec, const char *limit)
{
    if (limit) setenv("TESSEL_DEVICE_MEMORY_LIMIT", limit, 1);
    else unsetenv("TESSEL_DEVICE_MEMORY_LIMIT");
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = spec;
    tessel_context *ctx = NULL;
    tessel_status s = tessel_context_create(&o, &ctx);
    unsetenv("TESSEL_DEVICE_MEMORY_LIMIT");
    if (s != TESSEL_OK) tu_fail(spec, "context (limit %s) failed: %s", limit ? limit : "none", tessel_last_error());
    return ctx;
}

#define CL_LIMIT "48K"

/* Image sides with about 64 KiB of input (more than CL_LIMIT on its own):
 * wide and low when `wide`, so that not even 32 full-width rows fit. */
static void size_over_limit(tcase *tc, int wide)
{
    const int pixels = (64 << 10) / (tc->c * (int)tessel_dtype_size(tc->in));
    tc->w = wide ? pixels / 24 : (int)sqrt(pixels * 1.5);
    tc->h = pixels / tc->w + 1;
}

/* Direct and separable in every mode and border, tiles planned under the
 * limit; a few fft and fft-block cases. PoCL compiles each kernel variant
 * (types, channels) and each transform size for seconds, so the cases share
 * a few: the CPU matrix covers the other combinations of the core's tiler. */
static void opencl_matrix(runner *r, tu_rng *rng)
{
    static const struct { tessel_dtype in, out; int c; } variants[3] = {
        {TESSEL_U8, TESSEL_U8, 1}, {TESSEL_F32, TESSEL_F32, 3}, {TESSEL_U16, TESSEL_F32, 1}};
    int i = 0;
    for (int m = 0; m < 2; ++m)
        for (int mode = 0; mode < 3; ++mode)
            for (int b = 0; b < 5; ++b, ++i) {
                const int v = i % (m == 0 ? 3 : 2); /* u16 for direct only */
                tcase tc = {0};
                tc.method = METHODS[m];
                tc.in = variants[v].in;
                tc.out = variants[v].out;
                tc.c = variants[v].c;
                tc.kw = 3 + i % 4;
                tc.kh = 5 - i % 3;
                size_over_limit(&tc, i % 4 == 2);
                vary_options(&tc, i, (tessel_mode)mode, (tessel_border)b);
                if (i != 3) tc.o.stride_x = 1; /* one case of the strided kernel */
                if (tc.in != TESSEL_F32 && tc.o.cval != floor(tc.o.cval)) tc.o.cval = 9.0;
                describe(&tc, r->label);
                check_case(r, &tc, rng);
            }
    for (int b = 0; b < 5; ++b, ++i) { /* running sums: box-like kernels, integer and f32 */
        tcase tc = {0};
        tc.method = TESSEL_METHOD_RUNNING;
        tc.in = variants[b % 2].in;
        tc.out = variants[b % 2].out;
        tc.c = variants[b % 2].c;
        tc.kw = 3 + b;
        tc.kh = 5 - b % 3;
        size_over_limit(&tc, b == 2);
        vary_options(&tc, i, (tessel_mode)(b % 3), (tessel_border)b);
        if (tc.in != TESSEL_F32 && tc.o.cval != floor(tc.o.cval)) tc.o.cval = 9.0;
        describe(&tc, r->label);
        check_case(r, &tc, rng);
    }
    for (int m = 2; m < 4; ++m) /* one transform size per method */
        for (int b = 0; b < 5; b += 2, ++i) {
            tcase tc = {0};
            tc.method = METHODS[m];
            tc.in = TESSEL_F32;
            tc.out = TESSEL_F32;
            tc.c = 1;
            tc.kw = 9;
            tc.kh = 7;
            size_over_limit(&tc, 0);
            vary_options(&tc, i, TESSEL_MODE_SAME, (tessel_border)b);
            tc.o.stride_x = tc.o.stride_y = 1;
            tc.o.anchor_set = 0;
            describe(&tc, r->label);
            check_case(r, &tc, rng);
        }
}

static tessel_status fail_status(const char *what, tessel_status got, tessel_status want,
                                 const char *message, const char *needle)
{
    if (got != want)
        tu_fail(what, "gave %s, expected %s (%s)", tessel_status_string(got),
                tessel_status_string(want), message);
    else if (needle && !strstr(message, needle))
        tu_fail(what, "message \"%s\" does not mention \"%s\"", message, needle);
    return got;
}

/* A buffer over the limit; a tiled plan on buffers; a limit too small for
 * one output pixel; a malformed limit. */
static void opencl_errors(const char *spec, tessel_context *limited)
{
    tessel_buffer *big = NULL;
    tessel_status s = tessel_buffer_create(limited, 200, 200, 1, TESSEL_F32, &big);
    fail_status("buffer over the limit", s, TESSEL_ERR_OUT_OF_MEMORY,
                tessel_context_last_error(limited), "TESSEL_DEVICE_MEMORY_LIMIT");
    tessel_buffer_destroy(big);

    tessel_buffer *a = NULL, *b = NULL;
    tessel_kernel *k = NULL;
    tessel_plan *plan = NULL;
    tessel_image shape = {NULL, 180, 180, 1, TESSEL_U8, 0}; /* 32 KiB: fits, two do not */
    s = tessel_buffer_create(limited, 180, 180, 1, TESSEL_U8, &a);
    if (s == TESSEL_OK) s = tessel_buffer_create(limited, 180, 180, 1, TESSEL_U8, &b);
    if (s == TESSEL_OK) s = tessel_kernel_builtin("box:3", &k);
    if (s == TESSEL_OK) s = tessel_plan_create(limited, &shape, TESSEL_U8, k, NULL, &plan);
    if (s != TESSEL_OK) tu_fail("tiled plan on buffers", "setup failed: %s", tessel_last_error());
    else
        fail_status("tiled plan on buffers", tessel_plan_execute_buffers(plan, a, b),
                    TESSEL_ERR_UNSUPPORTED, tessel_context_last_error(limited), "tiles");
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
    tessel_buffer_destroy(a);
    tessel_buffer_destroy(b);

    tessel_context *tiny = opencl_context(spec, "1K");
    if (tiny) {
        float coeffs[31 * 31];
        for (int t = 0; t < 31 * 31; ++t) coeffs[t] = (float)((t * 7) % 11) - 5.0f;
        tessel_kernel_create(31, 31, coeffs, &k);
        shape = (tessel_image){NULL, 100, 100, 1, TESSEL_F32, 0};
        s = tessel_plan_create(tiny, &shape, TESSEL_F32, k, NULL, &plan);
        fail_status("limit below one output pixel", s, TESSEL_ERR_OUT_OF_MEMORY,
                    tessel_context_last_error(tiny), "one output pixel");
        tessel_plan_destroy(plan);
        tessel_kernel_destroy(k);
        tessel_context_destroy(tiny);
    }

    setenv("TESSEL_DEVICE_MEMORY_LIMIT", "12X", 1);
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_OPENCL;
    o.device = spec;
    tessel_context *bad = NULL;
    s = tessel_context_create(&o, &bad);
    unsetenv("TESSEL_DEVICE_MEMORY_LIMIT");
    fail_status("malformed limit", s, TESSEL_ERR_INVALID_ARGUMENT, tessel_last_error(),
                "TESSEL_DEVICE_MEMORY_LIMIT");
    tessel_context_destroy(bad);
}

static int run_opencl(const tessel_device_desc *dev, tu_rng *rng)
{
    runner r = {0};
    r.label = dev->spec;
    r.fft_ok = HAVE_CL_FFT;
    r.whole = opencl_context(dev->spec, NULL);
    r.tiled = opencl_context(dev->spec, CL_LIMIT);
    if (r.whole && r.tiled) {
        opencl_matrix(&r, rng);
        char label[64];
        snprintf(label, sizeof label, "%s (limit %s)", dev->spec, CL_LIMIT);
        /* The first two cases: kernel variants the matrix compiled already. */
        stream_cases(r.tiled, label, 4, 0, rng);
        stream_cases(r.whole, dev->spec, 4, 0, rng);
        opencl_errors(dev->spec, r.tiled);
    }
    printf("test_tiles: %s (%s): %d cases, %d skipped as unsupported\n", dev->spec, dev->name,
           r.cases, r.skipped);
    tessel_context_destroy(r.whole);
    tessel_context_destroy(r.tiled);
    return 1;
}

/* -------------------------------------------------------------------- CPU */

static void run_cpu(tu_rng *rng)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 2;
    runner r = {0};
    r.label = "cpu";
    r.fft_ok = HAVE_CPU_FFT;
    if (tessel_context_create(&o, &r.whole) != TESSEL_OK) {
        tu_fail("cpu", "context failed: %s", tessel_last_error());
        return;
    }
    cpu_matrix(&r, rng);
    stream_cases(r.whole, "cpu", SIZE_MAX, HAVE_CPU_FFT, rng);
    printf("test_tiles: cpu: %d cases, %d skipped as unsupported\n", r.cases, r.skipped);
    tessel_context_destroy(r.whole);
}

int main(void)
{
    uint64_t seed = 20240611;
    const char *seed_text = getenv("TESSEL_TEST_SEED");
    if (seed_text && *seed_text) seed = strtoull(seed_text, NULL, 10);
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    const clock_t start = clock();
    limit_syntax();
    run_cpu(&rng);
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) n = 0;
    int opencl = 0;
    for (int i = 0; i < n && i < 16; ++i)
        if (devices[i].backend == TESSEL_BACKEND_OPENCL) opencl += run_opencl(&devices[i], &rng);
    if (!opencl) printf("test_tiles: no OpenCL device: the OpenCL cases did not run\n");
    printf("test_tiles: %d failures, seed %llu, %.1f s of CPU\n", tu_failures(),
           (unsigned long long)seed, (double)(clock() - start) / CLOCKS_PER_SEC);
    return tu_failures() ? 1 : 0;
}
