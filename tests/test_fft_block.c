/* Method fft-block on the CPU backend (overlap-save blocks, one FFTW
 * transform per block on each pool worker): every mode x border x
 * correlate with strides, anchors, scale/offset/absolute, dtypes, channels
 * and row layouts; images smaller than one block and images of several
 * blocks per axis with partial last blocks; 1xN, Nx1, even, non-square,
 * 31x31 and 63x63 kernels and kernels larger than the image; a long 1-D
 * signal with a long kernel, and a kernel beyond TESSEL_MAX_KERNEL_SIDE,
 * against double-precision sums; fft-block against fft on every output
 * sample; one worker and two; plan reuse; FFTW's default planner for
 * blocks; the 1-D kernel length limit. Outputs are poisoned before each
 * run, so a sample left unwritten fails. */
#define _POSIX_C_SOURCE 200809L /* setenv, unsetenv */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fft_kernels.h"
#include "grid_check.h"
#include "reference.h"
#include "test_util.h"

/* Reference multiply-adds per checked case: the reference runs on every
 * g-th output row and column, g chosen to stay near this. */
#define REFERENCE_BUDGET 3e6

/* ------------------------------------------------------------------ contexts */

/* The block shape of the last fft-block plan, from the library's debug log. */
typedef struct block_log {
    int blocks_x, blocks_y, outputs_x, outputs_y;
} block_log;

static void capture_log(void *user, tessel_log_level level, const char *message)
{
    (void)level;
    block_log *b = user;
    int sx, sy;
    if (strncmp(message, "fft-block:", 10) != 0) return;
    if (sscanf(message, "fft-block: blocks of %dx%d (%*[^)]), %dx%d outputs each, %dx%d blocks",
               &sx, &sy, &b->outputs_x, &b->outputs_y, &b->blocks_x, &b->blocks_y) != 6)
        tu_fail("log", "unexpected fft-block message: %s", message);
}

typedef struct contexts {
    tessel_context *ctx[2]; /* one worker, two workers */
    block_log log[2];
} contexts;

static void make_contexts(contexts *cs)
{
    memset(cs, 0, sizeof *cs);
    for (int i = 0; i < 2; ++i) {
        tessel_context_options o = {0};
        o.struct_size = sizeof o;
        o.backend = TESSEL_BACKEND_CPU;
        o.threads = i + 1;
        o.log = capture_log;
        o.log_user = &cs->log[i];
        if (tessel_context_create(&o, &cs->ctx[i]) != TESSEL_OK) {
            printf("cannot create a CPU context: %s\n", tessel_last_error());
            exit(1);
        }
    }
}

static void destroy_contexts(contexts *cs)
{
    for (int i = 0; i < 2; ++i) tessel_context_destroy(cs->ctx[i]);
}

/* ------------------------------------------------------------ 2-D cases */

typedef struct block_case {
    const char *part;
    int w, h, c, kw, kh, threads;
    tessel_dtype in_dtype, out_dtype;
    tu_layout in_layout, out_layout;
    tessel_conv_options o;
} block_case;

static void describe(const block_case *k, char *buf, size_t size)
{
    const tessel_conv_options *o = &k->o;
    snprintf(buf, size,
             "[%s] %dx%d c%d %s(%s) -> %s(%s), kernel %dx%d, %s, %s cval %g, %s, stride %dx%d, "
             "anchor %s%d,%d, scale %g offset %g%s, %d thread(s)",
             k->part, k->w, k->h, k->c, tessel_dtype_name(k->in_dtype),
             tu_layout_name(k->in_layout), tessel_dtype_name(k->out_dtype),
             tu_layout_name(k->out_layout), k->kw, k->kh, tessel_mode_name(o->mode),
             tessel_border_name(o->border), o->cval, o->correlate ? "correlate" : "convolve",
             o->stride_x, o->stride_y, o->anchor_set ? "" : "default ", o->anchor_x, o->anchor_y,
             o->scale, o->offset, o->absolute ? " abs" : "", k->threads);
}

/* Runs the case with `method` into dst (allocated here, poisoned). */
static tessel_status run_method(const contexts *cs, const block_case *k, const tu_image *src,
                                const tessel_kernel *kernel, tessel_method method, int ow,
                                int oh, tu_layout layout, tu_image *dst)
{
    tessel_conv_options o = k->o;
    o.method = method;
    tu_image_alloc(dst, ow, oh, k->c, k->out_dtype, layout); /* poisoned */
    return tessel_convolve2d(cs->ctx[k->threads - 1], &src->view, kernel, &o, &dst->view);
}

static int grid_step(const block_case *k, int ow, int oh)
{
    double work = (double)ow * oh * k->c * k->kw * k->kh;
    int g = (int)ceil(sqrt(work / REFERENCE_BUDGET));
    return g < 1 ? 1 : g;
}

/* fft-block against the reference on the grid. */
static void check_reference(const block_case *k, const char *what, const tu_image *got,
                            const tu_image *src, const double *coeffs)
{
    const int g = grid_step(k, got->view.width, got->view.height);
    int gw, gh;
    double *ref = grid_reference(&src->view, coeffs, k->kw, k->kh, &k->o, g, g, &gw, &gh);
    tu_image grid = {0};
    tu_diff d;
    grid_sample(&got->view, g, g, gw, gh, &grid);
    if (!tu_compare_rms(&grid.view, ref, 0.0, &d))
        tu_fail(what, "against the reference (every %d-th sample): error %.3g over %g; worst at "
                "grid x %d, y %d, channel %d: got %.9g, expected %.9g",
                g, d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
    free(ref);
    tu_image_free(&grid);
}

/* fft-block against fft on every sample (each within the FFT tolerance of
 * the truth, so of each other): an unwritten sample shows here. */
static void check_same(const char *what, const char *versus, const tu_image *got,
                       const tu_image *other)
{
    const tessel_image *o = &other->view;
    double *as_ref = tu_xmalloc((size_t)o->width * o->height * o->channels * sizeof *as_ref);
    tu_image_to_doubles(o, as_ref);
    tu_diff d;
    if (!tu_compare_rms(&got->view, as_ref, 0.0, &d))
        tu_fail(what, "against %s on every sample: error %.3g over %g; worst at x %d, y %d, "
                "channel %d: got %.9g, %s gave %.9g",
                versus, d.error, d.limit, d.x, d.y, d.ch, d.got, versus, d.want);
    free(as_ref);
}

/* Counts of what the matrix covered, checked at the end. */
typedef struct coverage {
    int cases, many_blocks, one_block, rejected;
} coverage;

static void note_blocks(coverage *cov, const block_log *b, int ow, int oh)
{
    int partial = ow % b->outputs_x != 0 && oh % b->outputs_y != 0;
    if (b->blocks_x >= 3 && b->blocks_y >= 3 && partial) ++cov->many_blocks;
    if (b->blocks_x == 1 && b->blocks_y == 1) ++cov->one_block;
}

static void run_case(const contexts *cs, const block_case *k, tu_rng *rng, coverage *cov)
{
    char what[512];
    describe(k, what, sizeof what);
    tu_image src, got = {0}, fft = {0};
    tu_image_alloc(&src, k->w, k->h, k->c, k->in_dtype, k->in_layout);
    tu_image_fill_random(&src, rng);
    double *coeffs = tu_xmalloc((size_t)k->kw * k->kh * sizeof *coeffs);
    tessel_kernel *kernel = fk_random_kernel(rng, k->kw, k->kh, coeffs);
    int ow = 1, oh = 1;
    const int valid = ref_output_size(k->w, k->h, k->kw, k->kh, &k->o, &ow, &oh) == 0;
    tessel_status st =
        run_method(cs, k, &src, kernel, TESSEL_METHOD_FFT_BLOCK, ow, oh, k->out_layout, &got);
    ++cov->cases;
    if (!valid) {
        ++cov->rejected;
        if (st != TESSEL_ERR_KERNEL_TOO_LARGE)
            tu_fail(what, "%s, expected TESSEL_ERR_KERNEL_TOO_LARGE", tessel_status_string(st));
    } else if (st != TESSEL_OK) {
        tu_fail(what, "%s: %s", tessel_status_string(st), tessel_last_error());
    } else {
        note_blocks(cov, &cs->log[k->threads - 1], ow, oh);
        check_reference(k, what, &got, &src, coeffs);
        if (!tu_image_guard_intact(&got)) tu_fail(what, "bytes outside the output were written");
        if (!tu_image_guard_intact(&src)) tu_fail(what, "bytes outside the input were written");
        st = run_method(cs, k, &src, kernel, TESSEL_METHOD_FFT, ow, oh, TU_PACKED, &fft);
        if (st != TESSEL_OK)
            tu_fail(what, "method fft: %s: %s", tessel_status_string(st), tessel_last_error());
        else
            check_same(what, "method fft", &got, &fft);
    }
    tessel_kernel_destroy(kernel);
    free(coeffs);
    tu_image_free(&src);
    tu_image_free(&got);
    tu_image_free(&fft);
}

/* ------------------------------------------------------------ the matrix */

typedef enum shape { ROW, COLUMN, EVEN, K31, LARGER, K63, SHAPES } shape;

/* Kernel and image of a shape; `big` asks for several blocks per axis. */
static void pick_sizes(tu_rng *rng, shape s, int big, block_case *k)
{
    static const int even[3][2] = {{4, 6}, {8, 2}, {6, 9}};
    const int *e = even[tu_rng_int(rng, 0, 2)];
    switch (s) {
    case ROW: k->kw = tu_rng_int(rng, 2, 40), k->kh = 1; break;
    case COLUMN: k->kw = 1, k->kh = tu_rng_int(rng, 2, 40); break;
    case EVEN: k->kw = e[0], k->kh = e[1]; break;
    case K31: k->kw = k->kh = 31; break;
    case K63: k->kw = k->kh = 63; break;
    case LARGER: k->kw = tu_rng_int(rng, 9, 24), k->kh = tu_rng_int(rng, 9, 24); break;
    case SHAPES: break;
    }
    if (s == LARGER) { /* larger than the image along at least one axis */
        k->w = tu_rng_int(rng, 1, k->kw + 2);
        k->h = tu_rng_int(rng, 1, k->kh - 1);
    } else if (big) {
        k->w = tu_rng_int(rng, 700, 860);
        k->h = tu_rng_int(rng, 700, 800);
    } else {
        k->w = tu_rng_int(rng, 1, 70);
        k->h = tu_rng_int(rng, 1, 50);
    }
}

static tessel_dtype random_dtype(tu_rng *rng)
{
    static const tessel_dtype dtypes[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    return dtypes[tu_rng_int(rng, 0, 2)];
}

/* Strides, anchors, cval and the output conversion at random. */
static void pick_options(tu_rng *rng, block_case *k)
{
    tessel_conv_options *o = &k->o;
    o->stride_x = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 4);
    o->stride_y = tu_rng_int(rng, 0, 2) ? 1 : tu_rng_int(rng, 2, 4);
    o->cval = k->in_dtype == TESSEL_F32 ? 0.75 : k->in_dtype == TESSEL_U8 ? 200.0 : 40000.0;
    o->anchor_set = o->mode == TESSEL_MODE_SAME && tu_rng_int(rng, 0, 3) == 0;
    o->anchor_x = o->anchor_set ? tu_rng_int(rng, 0, k->kw - 1) : 0;
    o->anchor_y = o->anchor_set ? tu_rng_int(rng, 0, k->kh - 1) : 0;
    o->scale = 1.0;
    if (tu_rng_int(rng, 0, 3) == 0) { /* inputs mapped onto the output's range */
        static const double range[4] = {0, 255.0, 65535.0, 1.0};
        o->scale = (k->out_dtype == TESSEL_F32 ? 0.5 : range[k->out_dtype]) / range[k->in_dtype];
        o->offset = k->out_dtype == TESSEL_F32 ? 0.25 : 0.1 * range[k->out_dtype];
        o->absolute = tu_rng_int(rng, 0, 1);
    }
}

/* Every mode x border x correlate with each kernel shape: small images and
 * large ones alternately (63x63 on large ones, on a third of the combos). */
static void test_matrix(const contexts *cs, tu_rng *rng)
{
    coverage cov = {0};
    for (int n = 0; n < 3 * 5 * 2 * SHAPES; ++n) {
        const shape s = (shape)(n % SHAPES);
        const int combo = n / SHAPES;
        if (s == K63 && combo % 3 != 0) continue;
        block_case k = {0};
        k.part = "matrix";
        k.o.mode = (tessel_mode)(combo / 10);
        k.o.border = (tessel_border)(combo / 2 % 5);
        k.o.correlate = combo % 2;
        const int big = s == K63 || (s != LARGER && (combo + s) % 2 == 0);
        pick_sizes(rng, s, big, &k);
        k.c = tu_rng_int(rng, 1, big ? 2 : 4);
        k.in_dtype = random_dtype(rng);
        k.out_dtype = random_dtype(rng);
        k.in_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
        k.out_layout = (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1);
        k.threads = 1 + n % 2;
        pick_options(rng, &k);
        run_case(cs, &k, rng, &cov);
    }
    if (cov.many_blocks < 5 || cov.one_block < 5 || cov.rejected < 1)
        tu_fail("matrix coverage",
                "%d cases: %d with 3 or more blocks per axis and partial last blocks, %d in one "
                "block, %d rejected (valid mode, kernel larger than the image)",
                cov.cases, cov.many_blocks, cov.one_block, cov.rejected);
    printf("matrix: %d cases, %d of several blocks per axis, %d of one block\n", cov.cases,
           cov.many_blocks, cov.one_block);
}

/* ------------------------------------------------------------ 1-D signals */

/* The contract's modes written out for one axis of `taps` taps (checked
 * against the reference below): output x (dense) of a convolution reads
 * in[x + o - j], of a correlation in[x + j - o], with this o. */
static long long tap_origin(const tessel_conv_options *o, int taps)
{
    if (o->mode == TESSEL_MODE_SAME) return (taps - 1) / 2;
    return (o->mode == TESSEL_MODE_FULL) == (o->correlate != 0) ? taps - 1 : 0;
}

static double direct_sum(const float *in, int n, const double *k, int taps,
                         const tessel_conv_options *o, long long x)
{
    const long long base = x * (o->stride_x ? o->stride_x : 1);
    const long long origin = tap_origin(o, taps);
    double sum = 0.0;
    for (int j = 0; j < taps; ++j) {
        long long p = o->correlate ? base + j - origin : base + origin - j;
        long long i = ref_border_index(o->border, p, n);
        sum += k[j] * (i < 0 ? o->cval : (double)in[i]);
    }
    return sum;
}

/* The sums above equal the reference on a short signal (every mode,
 * border, correlate, stride), so the long checks rest on the contract. */
static void test_direct_sum(tu_rng *rng)
{
    enum { N = 40 };
    float in[N];
    double in_d[N], k[9], out[2 * N];
    tu_rng_floats(rng, in, N, -1.0, 1.0);
    for (int i = 0; i < N; ++i) in_d[i] = in[i];
    for (int n = 0; n < 3 * 5 * 2 * 2; ++n) {
        tessel_conv_options o = {0};
        o.mode = (tessel_mode)(n / 20);
        o.border = (tessel_border)(n / 4 % 5);
        o.correlate = n / 2 % 2;
        o.stride_x = 1 + n % 2 * 2;
        o.stride_y = 1;
        o.cval = 0.5;
        const int taps = 4 + n % 6;
        for (int j = 0; j < taps; ++j) k[j] = tu_rng_uniform(rng, -1.0, 1.0);
        int ow, oh;
        ref_output_size(N, 1, taps, 1, &o, &ow, &oh);
        ref_convolve2d(in_d, N, 1, 1, k, taps, 1, &o, out);
        for (int x = 0; x < ow; ++x)
            if (fabs(direct_sum(in, N, k, taps, &o, x) - out[x]) > 1e-12)
                tu_fail("1-D sums", "%s %s %s stride %d, %d taps: output %d differs",
                        tessel_mode_name(o.mode), tessel_border_name(o.border),
                        o.correlate ? "correlate" : "convolve", o.stride_x, taps, x);
    }
}

/* A 1-D run: one signal (or one row of several), checked on sampled
 * positions: both ends, and random ones between. */
typedef struct long_check {
    const char *what;
    const float *in;
    int n, taps;
    const double *k;
    tessel_conv_options o;
} long_check;

static void check_positions(const long_check *c, const tu_image *out, int row, tu_rng *rng)
{
    enum { ENDS = 40, MIDDLE = 160 };
    const int ow = out->view.width;
    double err = 0.0, norm = 0.0;
    int worst = -1;
    double worst_abs = -1.0, worst_got = 0.0, worst_want = 0.0;
    for (int s = 0; s < 2 * ENDS + MIDDLE; ++s) {
        int x = s < ENDS ? s : s < 2 * ENDS ? ow - 1 - (s - ENDS) : tu_rng_int(rng, 0, ow - 1);
        if (x < 0 || x >= ow) continue;
        double want = c->o.scale * direct_sum(c->in, c->n, c->k, c->taps, &c->o, x) + c->o.offset;
        if (c->o.absolute) want = fabs(want);
        const double got = tu_sample(&out->view, x, row, 0);
        const tessel_dtype d = out->view.dtype;
        const double e = d == TESSEL_F32 ? got - want : got - tu_round_saturate(want, d);
        if (d != TESSEL_F32 && fabs(e) > 1.0)
            tu_fail(c->what, "row %d, output %d: got %.9g, expected %.9g", row, x, got, want);
        err += e * e;
        norm += want * want;
        if (!(fabs(e) <= worst_abs)) { /* NaN counts as worst */
            worst = x;
            worst_abs = fabs(e);
            worst_got = got;
            worst_want = want;
        }
    }
    if (out->view.dtype == TESSEL_F32 && !(sqrt(err) <= 1e-4 * sqrt(norm)))
        tu_fail(c->what, "row %d: relative RMS error %.3g on sampled outputs; worst at %d: got "
                "%.9g, expected %.9g",
                row, sqrt(err / norm), worst, worst_got, worst_want);
}

/* The kernel may be a column: the size is the 1-D one, of a row of taps. */
static tessel_status run_1d(tessel_context *ctx, const tu_image *src, const tessel_kernel *k,
                            tessel_conv_options o, tessel_method method, tessel_dtype out,
                            tu_image *dst)
{
    int ow, oh;
    const int taps = tessel_kernel_width(k) * tessel_kernel_height(k);
    o.method = method;
    if (ref_output_size(src->view.width, 1, taps, 1, &o, &ow, &oh) != 0)
        return TESSEL_ERR_KERNEL_TOO_LARGE;
    tu_image_alloc(dst, ow, src->view.height, 1, out, TU_VIEW); /* poisoned */
    return src->view.height == 1 ? tessel_convolve1d(ctx, &src->view, k, &o, &dst->view)
                                 : tessel_convolve1d_rows(ctx, &src->view, k, &o, &dst->view);
}

/* 1e6 samples, 20001 taps: fft-block on one worker and on two, and fft,
 * in three modes; each against sampled double sums, and all three
 * against each other on every sample. */
static void test_long_signal(const contexts *cs, tu_rng *rng)
{
    enum { N = 1000000, TAPS = 20001 };
    static const tessel_mode modes[3] = {TESSEL_MODE_SAME, TESSEL_MODE_FULL, TESSEL_MODE_VALID};
    static const tessel_border borders[3] = {TESSEL_BORDER_REFLECT, TESSEL_BORDER_CONSTANT,
                                             TESSEL_BORDER_WRAP};
    tu_image src;
    tu_image_alloc(&src, N, 1, 1, TESSEL_F32, TU_PACKED);
    tu_image_fill_random(&src, rng);
    double *k = tu_xmalloc(TAPS * sizeof *k);
    for (int m = 0; m < 3; ++m) {
        tessel_kernel *kernel = fk_random_kernel(rng, m == 1 ? 1 : TAPS, m == 1 ? TAPS : 1, k);
        long_check c = {"long signal", src.view.data, N, TAPS, k, {0}};
        c.o.mode = modes[m];
        c.o.border = borders[m];
        c.o.cval = 0.5;
        c.o.correlate = m == 2;
        c.o.stride_x = m == 1 ? 3 : 1;
        c.o.scale = 1.0;
        tu_image out[3];
        memset(out, 0, sizeof out);
        const char *names[3] = {"fft-block, 1 thread", "fft-block, 2 threads", "fft"};
        for (int r = 0; r < 3; ++r) {
            tessel_status st =
                run_1d(cs->ctx[r == 0 ? 0 : 1], &src, kernel, c.o,
                       r < 2 ? TESSEL_METHOD_FFT_BLOCK : TESSEL_METHOD_FFT, TESSEL_F32, &out[r]);
            char what[160];
            snprintf(what, sizeof what, "long signal, %s, %s %s", names[r],
                     tessel_mode_name(c.o.mode), tessel_border_name(c.o.border));
            c.what = what;
            if (st != TESSEL_OK)
                tu_fail(what, "%s: %s", tessel_status_string(st), tessel_last_error());
            else
                check_positions(&c, &out[r], 0, rng);
        }
        if (out[0].block && out[1].block && out[2].block) {
            check_same("long signal, fft-block 1 thread", "2 threads", &out[0], &out[1]);
            check_same("long signal, fft-block", "method fft", &out[1], &out[2]);
        }
        for (int r = 0; r < 3; ++r) tu_image_free(&out[r]);
        tessel_kernel_destroy(kernel);
    }
    free(k);
    tu_image_free(&src);
}

/* Past TESSEL_MAX_KERNEL_SIDE: 100001 taps on 400000 samples; and batched
 * rows (u16, a column kernel) through tessel_convolve1d_rows. */
static void test_long_kernels(const contexts *cs, tu_rng *rng)
{
    enum { N = 400000, TAPS = 100001, ROWS = 3, RN = 30000, RTAPS = 3001 };
    tu_image src, out = {0};
    tu_image_alloc(&src, N, 1, 1, TESSEL_F32, TU_VIEW);
    tu_image_fill_random(&src, rng);
    double *k = tu_xmalloc(TAPS * sizeof *k);
    tessel_kernel *kernel = fk_random_kernel(rng, TAPS, 1, k);
    long_check c = {"100001 taps", src.view.data, N, TAPS, k, {0}};
    c.o.border = TESSEL_BORDER_MIRROR;
    c.o.scale = 1.0;
    tessel_status st =
        run_1d(cs->ctx[1], &src, kernel, c.o, TESSEL_METHOD_FFT_BLOCK, TESSEL_F32, &out);
    if (st != TESSEL_OK) tu_fail(c.what, "%s: %s", tessel_status_string(st), tessel_last_error());
    else check_positions(&c, &out, 0, rng);
    tessel_kernel_destroy(kernel);
    tu_image_free(&out);
    tu_image_free(&src);

    tu_image_alloc(&src, RN, ROWS, 1, TESSEL_U16, TU_PADDED);
    tu_image_fill_random(&src, rng);
    kernel = fk_random_kernel(rng, 1, RTAPS, k);
    float *row = tu_xmalloc((size_t)RN * sizeof *row);
    long_check r = {"rows, 3001 taps", row, RN, RTAPS, k, {0}};
    r.o.mode = TESSEL_MODE_FULL;
    r.o.border = TESSEL_BORDER_NEAREST;
    r.o.correlate = 1;
    r.o.stride_x = 2;
    r.o.scale = 0.5;
    r.o.offset = 100.0;
    st = run_1d(cs->ctx[0], &src, kernel, r.o, TESSEL_METHOD_FFT_BLOCK, TESSEL_U16, &out);
    if (st != TESSEL_OK) tu_fail(r.what, "%s: %s", tessel_status_string(st), tessel_last_error());
    for (int y = 0; y < ROWS && st == TESSEL_OK; ++y) {
        for (int x = 0; x < RN; ++x) row[x] = (float)tu_sample(&src.view, x, y, 0);
        check_positions(&r, &out, y, rng);
    }
    free(row);
    tessel_kernel_destroy(kernel);
    tu_image_free(&out);
    tu_image_free(&src);
    free(k);
}

/* ------------------------------------------------------------ plans */

static int same_bytes(const tu_image *a, const tu_image *b)
{
    return a->block_bytes == b->block_bytes && memcmp(a->block, b->block, a->block_bytes) == 0;
}

/* One plan run on A, B, then A again: the runs on A agree bit for bit (no
 * state of B is left), the plan says fft-block, and B matches fft. */
static void test_plan_reuse(const contexts *cs, tu_rng *rng)
{
    block_case k = {"plan reuse", 700, 650, 3, 21, 17, 2, TESSEL_U8, TESSEL_F32,
                    TU_VIEW, TU_PACKED, {0}};
    k.o.border = TESSEL_BORDER_WRAP;
    k.o.method = TESSEL_METHOD_FFT_BLOCK;
    k.o.scale = 1.0;
    tu_image a, b, out_a, out_b, again, fft = {0};
    tu_image_alloc(&a, k.w, k.h, k.c, k.in_dtype, TU_VIEW);
    tu_image_alloc(&b, k.w, k.h, k.c, k.in_dtype, TU_PADDED);
    tu_image_fill_random(&a, rng);
    tu_image_fill_random(&b, rng);
    double *coeffs = tu_xmalloc((size_t)k.kw * k.kh * sizeof *coeffs);
    tessel_kernel *kernel = fk_random_kernel(rng, k.kw, k.kh, coeffs);
    tessel_plan *plan = NULL;
    if (tessel_plan_create(cs->ctx[1], &a.view, TESSEL_F32, kernel, &k.o, &plan) != TESSEL_OK) {
        tu_fail("plan reuse", "%s", tessel_last_error());
    } else {
        tu_image *outs[3] = {&out_a, &out_b, &again};
        const tu_image *ins[3] = {&a, &b, &a};
        for (int i = 0; i < 3; ++i) {
            tu_image_alloc(outs[i], k.w, k.h, k.c, TESSEL_F32, TU_PACKED); /* poisoned */
            if (tessel_plan_execute(plan, &ins[i]->view, &outs[i]->view) != TESSEL_OK)
                tu_fail("plan reuse", "run %d: %s", i, tessel_last_error());
        }
        if (!same_bytes(&out_a, &again)) tu_fail("plan reuse", "two runs on A differ");
        tessel_plan_properties info = {0};
        info.struct_size = sizeof info;
        if (tessel_plan_info(plan, &info) != TESSEL_OK ||
            info.method != TESSEL_METHOD_FFT_BLOCK || strcmp(info.method_name, "fft-block") != 0)
            tu_fail("plan reuse", "plan info says method %s", info.method_name);
        if (run_method(cs, &k, &b, kernel, TESSEL_METHOD_FFT, k.w, k.h, TU_PACKED, &fft) ==
            TESSEL_OK)
            check_same("plan reuse, input B", "method fft", &out_b, &fft);
        tu_image_free(&out_a);
        tu_image_free(&out_b);
        tu_image_free(&again);
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    free(coeffs);
    tu_image_free(&a);
    tu_image_free(&b);
    tu_image_free(&fft);
}

/* FFTW's default planning for blocks (measured, within a time limit): a
 * few cases with $TESSEL_FFTW_PLANNER unset, and one with "measure" asked
 * for on a small block. */
static void test_default_planner(const contexts *cs, tu_rng *rng)
{
    static const int kernels[3][2] = {{31, 31}, {63, 63}, {5, 3}};
    coverage cov = {0};
    for (int n = 0; n < 4; ++n) {
        if (n < 3) unsetenv("TESSEL_FFTW_PLANNER");
        else setenv("TESSEL_FFTW_PLANNER", "measure", 1);
        block_case k = {0};
        k.part = n < 3 ? "default planner" : "measure planner";
        k.kw = kernels[n % 3][0];
        k.kh = kernels[n % 3][1];
        k.w = n < 2 ? 1000 : 60;
        k.h = n < 2 ? 900 : 40;
        k.c = 1 + n % 2;
        k.in_dtype = k.out_dtype = TESSEL_F32;
        k.threads = 2;
        k.o.border = (tessel_border)n;
        k.o.stride_x = k.o.stride_y = 1;
        k.o.scale = 1.0;
        run_case(cs, &k, rng, &cov);
    }
    setenv("TESSEL_FFTW_PLANNER", "estimate", 1);
}

/* ------------------------------------------------------------ limits */

static void expect_kernel(int w, int h, tessel_status want, const char *message)
{
    size_t n = (size_t)w * h;
    float *c = tu_xmalloc(n * sizeof *c);
    for (size_t i = 0; i < n; ++i) c[i] = (float)(i % 7) - 3.0f;
    tessel_kernel *k = NULL;
    tessel_status st = tessel_kernel_create(w, h, c, &k);
    if (st != want || (want == TESSEL_OK) != (k != NULL) ||
        (message && !strstr(tessel_last_error(), message)))
        tu_fail("kernel limits", "%dx%d: %s (\"%s\"), expected %s", w, h,
                tessel_status_string(st), st ? tessel_last_error() : "",
                tessel_status_string(want));
    if (k && (tessel_kernel_width(k) != w || tessel_kernel_height(k) != h))
        tu_fail("kernel limits", "%dx%d kernel reports %dx%d", w, h, tessel_kernel_width(k),
                tessel_kernel_height(k));
    tessel_kernel_destroy(k);
    free(c);
}

/* 1-D kernels up to TESSEL_MAX_KERNEL_TAPS_1D in either orientation; 2-D
 * kernels still up to TESSEL_MAX_KERNEL_SIDE per side. */
static void test_kernel_limits(void)
{
    const int most = TESSEL_MAX_KERNEL_TAPS_1D, side = TESSEL_MAX_KERNEL_SIDE;
    expect_kernel(most, 1, TESSEL_OK, NULL);
    expect_kernel(1, most, TESSEL_OK, NULL);
    expect_kernel(most + 1, 1, TESSEL_ERR_BAD_SIZE, "limit");
    expect_kernel(1, most + 1, TESSEL_ERR_BAD_SIZE, "limit");
    expect_kernel(side, 2, TESSEL_OK, NULL);
    expect_kernel(side + 1, 2, TESSEL_ERR_BAD_SIZE, "limit");
    expect_kernel(2, side + 1, TESSEL_ERR_BAD_SIZE, "limit");
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 4242);
    /* Most cases plan by estimate: measuring every new block size would
     * cost more than the cases; test_default_planner measures. */
    setenv("TESSEL_FFTW_PLANNER", "estimate", 1);
    contexts cs;
    make_contexts(&cs);
    test_kernel_limits();
    test_direct_sum(&rng);
    test_matrix(&cs, &rng);
    test_long_signal(&cs, &rng);
    test_long_kernels(&cs, &rng);
    test_plan_reuse(&cs, &rng);
    test_default_planner(&cs, &rng);
    destroy_contexts(&cs);
    unsetenv("TESSEL_FFTW_PLANNER");
    printf("test_fft_block: %d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
