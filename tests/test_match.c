/* Template matching (tessel_match_template) on the CPU backend and on every
 * OpenCL device present:
 *   (a) scores against the definition computed directly in double precision
 *       here (ref_scores), on random u8, u16 and f32 images of 1 and 3
 *       channels, with templates small (5x4: direct numerator) and large
 *       (34x31: frequency domain), cut from the image and partly overwritten;
 *       also a u16 image at a high level with little variation, a template
 *       with one constant channel, and an image with a constant block (its
 *       windows score exactly 0), images of constant rows or columns, and
 *       one constant but for its first row and column. Every score within
 *       1e-4 of the reference (about 1e-6 is what they reach), finite, in
 *       [-1, 1]; the padding around views untouched.
 *   (b) OpenCV's matchTemplate(TM_CCOEFF_NORMED) on the golden files made by
 *       golden/make_match_golden.py: every score within 1e-4 (about 1e-5,
 *       OpenCV's own rounding, is what they reach).
 *   (c) crops of the sample photographs planted in noise are found by
 *       tessel_match_best exactly where they were put, one and several.
 *   (d) bad input: NULLs, a template larger than the image, channels that
 *       differ, scores of the wrong shape or dtype, a NaN in the template:
 *       the status, a message, and the scores left as they were.
 * tessel_match_best itself is checked in match_best_cases.c. Scores are
 * poisoned (NaN) before every run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "match_cases.h"
#include "tessel/tessel_io.h"

#define TOLERANCE 1e-4
/* Template sizes on either side of TESSEL_MATCH_FFT_MIN_AREA (1024): the small
 * one's numerator is direct, the large one's in the frequency domain. */
static const int TEMPLATE_SIZES[2][2] = {{5, 4}, {34, 31}};
#define MAX_DEVICES 8

/* ----------------------------------------------------------- helpers */

static double seconds_now(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void put_sample(tessel_image *img, int x, int y, int ch, double v)
{
    unsigned char *row = (unsigned char *)img->data + (size_t)y * tu_row_bytes(img);
    const size_t i = (size_t)x * img->channels + ch;
    if (img->dtype == TESSEL_U8)
        row[i] = (unsigned char)lround(v < 0 ? 0 : v > 255 ? 255 : v);
    else if (img->dtype == TESSEL_U16)
        ((uint16_t *)(void *)row)[i] = (uint16_t)lround(v < 0 ? 0 : v > 65535 ? 65535 : v);
    else
        ((float *)(void *)row)[i] = (float)v;
}

/* dst (w x h) = src's window at (x0, y0). */
static void copy_window(const tessel_image *src, int x0, int y0, tessel_image *dst)
{
    for (int y = 0; y < dst->height; ++y)
        for (int x = 0; x < dst->width; ++x)
            for (int ch = 0; ch < dst->channels; ++ch)
                put_sample(dst, x, y, ch, tu_sample(src, x0 + x, y0 + y, ch));
}

/* The definition, two-pass in double: a window or template without
 * variation scores 0. out is (W-tw+1) x (H-th+1), row-major. */
static void ref_scores(const tessel_image *src, const tessel_image *t, double *out)
{
    const int c = src->channels, tw = t->width, th = t->height;
    const int ow = src->width - tw + 1, oh = src->height - th + 1;
    const double n = (double)tw * th;
    double tmean[4] = {0}, tsum2 = 0.0;
    for (int y = 0; y < th; ++y)
        for (int x = 0; x < tw; ++x)
            for (int k = 0; k < c; ++k) tmean[k] += tu_sample(t, x, y, k) / n;
    for (int y = 0; y < th; ++y)
        for (int x = 0; x < tw; ++x)
            for (int k = 0; k < c; ++k) tsum2 += pow(tu_sample(t, x, y, k) - tmean[k], 2);
    for (int y0 = 0; y0 < oh; ++y0) {
        for (int x0 = 0; x0 < ow; ++x0) {
            double wmean[4] = {0}, num = 0.0, wsum2 = 0.0;
            for (int y = 0; y < th; ++y)
                for (int x = 0; x < tw; ++x)
                    for (int k = 0; k < c; ++k) wmean[k] += tu_sample(src, x0 + x, y0 + y, k) / n;
            for (int y = 0; y < th; ++y)
                for (int x = 0; x < tw; ++x)
                    for (int k = 0; k < c; ++k) {
                        double d = tu_sample(src, x0 + x, y0 + y, k) - wmean[k];
                        num += d * (tu_sample(t, x, y, k) - tmean[k]);
                        wsum2 += d * d;
                    }
            out[(size_t)y0 * ow + x0] = wsum2 > 0 && tsum2 > 0 ? num / sqrt(wsum2 * tsum2) : 0.0;
        }
    }
}

/* Worst |scores - want| (want packed, scores' size); NaN and values outside
 * [-1, 1] count as infinitely wrong. */
static double worst_error(const tessel_image *scores, const double *want, int *wx, int *wy)
{
    double worst = 0.0;
    for (int y = 0; y < scores->height; ++y)
        for (int x = 0; x < scores->width; ++x) {
            double got = tu_sample(scores, x, y, 0);
            double e = fabs(got - want[(size_t)y * scores->width + x]);
            if (!(got >= -1.0 && got <= 1.0)) e = INFINITY;
            if (e > worst) {
                worst = e;
                *wx = x;
                *wy = y;
            }
        }
    return worst;
}

/* The largest error of any case held to a reference so far (reported). */
static double worst_seen;

/* Runs the match into a poisoned scores image of the given layout and holds
 * it to `want`; returns 1 when it passed. */
static int check_scores(tessel_context *ctx, const char *what, const tessel_image *src,
                        const tessel_image *templ, tu_layout layout, const double *want)
{
    tu_image scores;
    tu_image_alloc(&scores, src->width - templ->width + 1, src->height - templ->height + 1, 1,
                   TESSEL_F32, layout);
    tu_image_poison(&scores);
    tessel_status s = tessel_match_template(ctx, src, templ, &scores.view);
    int wx = 0, wy = 0, ok = 0;
    if (s != TESSEL_OK) {
        tu_fail(what, "%s: %s", tessel_status_string(s), tessel_context_last_error(ctx));
    } else {
        double e = worst_error(&scores.view, want, &wx, &wy);
        if (e > worst_seen) worst_seen = e;
        if (e > TOLERANCE)
            tu_fail(what, "score at (%d, %d) is %.7g, want %.7g (error %.3g > %g)", wx, wy,
                    tu_sample(&scores.view, wx, wy, 0), want[(size_t)wy * scores.view.width + wx],
                    e, TOLERANCE);
        else if (!tu_image_guard_intact(&scores))
            tu_fail(what, "wrote outside the scores view");
        else
            ok = 1;
    }
    tu_image_free(&scores);
    return ok;
}

/* The image's bottom-right bw x bh block set, per channel, to the mean of
 * everything outside it (so the image's mean too): the block's windows have
 * neither spread nor a sum of squares about the mean, and the integral
 * images there carry the rounding of all the rows above. */
static void block_at_mean(tessel_image *img, int bw, int bh)
{
    const int x0 = img->width - bw, y0 = img->height - bh;
    double mean[4] = {0, 0, 0, 0};
    const double outside = (double)img->width * img->height - (double)bw * bh;
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x)
            for (int k = 0; k < img->channels && (x < x0 || y < y0); ++k)
                mean[k] += tu_sample(img, x, y, k) / outside;
    for (int y = y0; y < img->height; ++y)
        for (int x = x0; x < img->width; ++x)
            for (int k = 0; k < img->channels; ++k) put_sample(img, x, y, k, mean[k]);
}

/* ------------------------------------------------ (a) the reference */

typedef struct ref_case {
    tessel_dtype dtype;
    int channels, tw, th;
} ref_case;

/* The template: the image's window at a random place, a quarter of its
 * samples replaced by random ones (so the best score is high but not 1). */
static void cut_template(tu_rng *rng, const tessel_image *src, tu_image *t)
{
    const tessel_image *v = &t->view;
    copy_window(src, tu_rng_int(rng, 0, src->width - v->width),
                tu_rng_int(rng, 0, src->height - v->height), &t->view);
    tu_image noise;
    tu_image_alloc(&noise, v->width, v->height, v->channels, v->dtype, TU_PACKED);
    tu_image_fill_random(&noise, rng);
    for (int y = 0; y < v->height; ++y)
        for (int x = 0; x < v->width; ++x)
            if (tu_rng_int(rng, 0, 3) == 0)
                for (int k = 0; k < v->channels; ++k)
                    put_sample(&t->view, x, y, k, tu_sample(&noise.view, x, y, k));
    tu_image_free(&noise);
}

/* One case on fresh data; `shape` may change the image and template
 * before the run (NULL: as random). */
typedef void (*shape_fn)(tu_rng *rng, tu_image *src, tu_image *t);

static void run_ref_case(tessel_context *ctx, const char *device, tu_rng *rng, int w, int h,
                         const ref_case *rc, int layout, shape_fn shape, const char *label)
{
    char what[200];
    snprintf(what, sizeof what, "%s: %s %dx%dx%d %s, template %dx%d, %s", device, label, w, h,
             rc->channels, tessel_dtype_name(rc->dtype), rc->tw, rc->th,
             tu_layout_name((tu_layout)layout));
    tu_image src, t;
    tu_image_alloc(&src, w, h, rc->channels, rc->dtype, (tu_layout)layout);
    tu_image_alloc(&t, rc->tw, rc->th, rc->channels, rc->dtype,
                   (tu_layout)((layout + 1) % TU_LAYOUT_COUNT));
    tu_image_fill_random(&src, rng);
    cut_template(rng, &src.view, &t);
    if (shape) shape(rng, &src, &t);
    const int ow = w - rc->tw + 1, oh = h - rc->th + 1;
    double *want = tu_xmalloc((size_t)ow * oh * sizeof *want);
    ref_scores(&src.view, &t.view, want);
    check_scores(ctx, what, &src.view, &t.view, (tu_layout)((layout + 2) % TU_LAYOUT_COUNT), want);
    free(want);
    tu_image_free(&t);
    tu_image_free(&src);
}

/* u16 samples near 60000 that vary by 50 at most. */
static void high_level(tu_rng *rng, tu_image *src, tu_image *t)
{
    tu_image *both[2] = {src, t};
    for (int i = 0; i < 2; ++i) {
        tessel_image *v = &both[i]->view;
        for (int y = 0; y < v->height; ++y)
            for (int x = 0; x < v->width; ++x)
                for (int k = 0; k < v->channels; ++k)
                    put_sample(v, x, y, k, 60000 + tu_rng_int(rng, 0, 50));
    }
}

/* Channel 1 of the template constant. */
static void constant_channel(tu_rng *rng, tu_image *src, tu_image *t)
{
    (void)src;
    double v = tu_rng_int(rng, 0, 255);
    for (int y = 0; y < t->view.height; ++y)
        for (int x = 0; x < t->view.width; ++x) put_sample(&t->view, x, y, 1, v);
}

/* Each row of the image constant (horizontal stripes), or each column:
 * windows vary only across rows, or only across columns. */
static void stripes(tu_rng *rng, tu_image *src, int along_rows)
{
    tessel_image *v = &src->view;
    for (int y = 0; y < v->height; ++y)
        for (int x = 0; x < v->width; ++x)
            for (int k = 0; k < v->channels; ++k)
                put_sample(v, x, y, k, along_rows ? tu_sample(v, 0, y, k) : tu_sample(v, x, 0, k));
    (void)rng;
}

static void row_stripes(tu_rng *rng, tu_image *src, tu_image *t)
{
    stripes(rng, src, 1);
    cut_template(rng, &src->view, t);
}

static void column_stripes(tu_rng *rng, tu_image *src, tu_image *t)
{
    stripes(rng, src, 0);
    cut_template(rng, &src->view, t);
}

/* The image constant but for its first row and its first column, the
 * template its top-left window: the only changes a window can hold are
 * between the first two rows or columns. */
static void edge_lines(tu_rng *rng, tu_image *src, tu_image *t)
{
    tessel_image *v = &src->view;
    for (int y = 0; y < v->height; ++y)
        for (int x = 0; x < v->width; ++x)
            for (int k = 0; k < v->channels; ++k)
                put_sample(v, x, y, k, y == 0 ? 50 + 9 * k : x == 0 ? 200 - 7 * k : 120);
    copy_window(v, 0, 0, &t->view);
    (void)rng;
}

/* A constant block a little larger than the template (see block_at_mean). */
static void constant_block(tu_rng *rng, tu_image *src, tu_image *t)
{
    (void)rng;
    const tessel_image *v = &src->view;
    block_at_mean(&src->view, t->view.width + 5 < v->width ? t->view.width + 5 : v->width - 1,
                  t->view.height + 5 < v->height ? t->view.height + 5 : v->height - 1);
}

static int test_reference(tessel_context *ctx, const char *device, tu_rng *rng, int fixed_size)
{
    static const tessel_dtype dtypes[] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    const int(*sizes)[2] = TEMPLATE_SIZES;
    int cases = 0;
    for (int d = 0; d < 3; ++d)
        for (int c = 1; c <= 3; c += 2)
            for (int s = 0; s < 2; ++s) {
                ref_case rc = {dtypes[d], c, sizes[s][0], sizes[s][1]};
                int w = fixed_size ? 48 : tu_rng_int(rng, 40, 64);
                int h = fixed_size ? 40 : tu_rng_int(rng, 36, 52);
                run_ref_case(ctx, device, rng, w, h, &rc, cases % TU_LAYOUT_COUNT, NULL, "random");
                cases++;
            }
    for (int s = 0; s < 2; ++s) {
        ref_case high = {TESSEL_U16, 1, sizes[s][0], sizes[s][1]};
        run_ref_case(ctx, device, rng, 48, 40, &high, s, high_level, "u16 near 60000");
        ref_case rgb = {TESSEL_U8, 3, sizes[s][0], sizes[s][1]};
        run_ref_case(ctx, device, rng, 48, 40, &rgb, s, constant_channel, "constant channel");
        ref_case block = {TESSEL_F32, 1 + 2 * s, sizes[s][0], sizes[s][1]};
        run_ref_case(ctx, device, rng, 48, 40, &block, s, constant_block, "constant block");
        ref_case striped = {TESSEL_U8, 1 + 2 * s, sizes[s][0], sizes[s][1]};
        run_ref_case(ctx, device, rng, 48, 40, &striped, s, row_stripes, "row stripes");
        run_ref_case(ctx, device, rng, 48, 40, &striped, s, column_stripes, "column stripes");
        run_ref_case(ctx, device, rng, 48, 40, &striped, s, edge_lines, "edge lines");
        cases += 6;
    }
    return cases;
}

/* A template without variation: every score exactly 0. */
static int test_flat_template(tessel_context *ctx, const char *device, tu_rng *rng)
{
    char what[160];
    snprintf(what, sizeof what, "%s: constant template", device);
    tu_image src, t, scores;
    tu_image_alloc(&src, 40, 30, 3, TESSEL_U8, TU_PACKED);
    tu_image_alloc(&t, 12, 10, 3, TESSEL_U8, TU_PACKED);
    tu_image_alloc(&scores, 29, 21, 1, TESSEL_F32, TU_PADDED);
    tu_image_fill_random(&src, rng);
    for (int y = 0; y < 10; ++y)
        for (int x = 0; x < 12; ++x)
            for (int k = 0; k < 3; ++k) put_sample(&t.view, x, y, k, 10 + 40 * k);
    tu_image_poison(&scores);
    tessel_status s = tessel_match_template(ctx, &src.view, &t.view, &scores.view);
    int zeros = 0;
    for (int y = 0; y < 21; ++y)
        for (int x = 0; x < 29; ++x) zeros += tu_sample(&scores.view, x, y, 0) == 0.0;
    if (s != TESSEL_OK || zeros != 29 * 21)
        tu_fail(what, "%s, %d of %d scores 0", tessel_status_string(s), zeros, 29 * 21);
    tu_image_free(&scores);
    tu_image_free(&t);
    tu_image_free(&src);
    return 1;
}

/* Windows inside a constant block score exactly 0 (not merely close):
 * small and large templates, u8 and f32. */
static int test_flat_windows(tessel_context *ctx, const char *device, tu_rng *rng)
{
    static const tessel_dtype dtypes[2] = {TESSEL_U8, TESSEL_F32};
    for (int i = 0; i < 4; ++i) {
        const int tw = TEMPLATE_SIZES[i % 2][0], th = TEMPLATE_SIZES[i % 2][1], w = 48, h = 40;
        const int bw = 2 * tw < w - 4 ? 2 * tw : w - 4, bh = 2 * th < h - 4 ? 2 * th : h - 4;
        char what[160];
        snprintf(what, sizeof what, "%s: constant block, %s, template %dx%d", device,
                 tessel_dtype_name(dtypes[i / 2]), tw, th);
        tu_image src, t, scores;
        tu_image_alloc(&src, w, h, 3, dtypes[i / 2], TU_PACKED);
        tu_image_alloc(&t, tw, th, 3, dtypes[i / 2], TU_PACKED);
        tu_image_alloc(&scores, w - tw + 1, h - th + 1, 1, TESSEL_F32, TU_PACKED);
        tu_image_fill_random(&src, rng);
        block_at_mean(&src.view, bw, bh);
        copy_window(&src.view, 3, 2, &t.view);
        tu_image_poison(&scores);
        tessel_status s = tessel_match_template(ctx, &src.view, &t.view, &scores.view);
        int zeros = 0;
        const int inside = (bw - tw + 1) * (bh - th + 1);
        for (int y = h - bh; y <= h - th; ++y)
            for (int x = w - bw; x <= w - tw; ++x) zeros += tu_sample(&scores.view, x, y, 0) == 0.0;
        if (s != TESSEL_OK || zeros != inside)
            tu_fail(what, "%s, %d of the block's %d windows score 0", tessel_status_string(s),
                    zeros, inside);
        tu_image_free(&scores);
        tu_image_free(&t);
        tu_image_free(&src);
    }
    return 4;
}

/* ------------------------------------------------- (b) OpenCV goldens */

static int test_goldens(tessel_context *ctx, const char *device)
{
    static const char *const names[] = {"u8_c1", "u8_c3", "f32_c1", "f32_c3"};
    int cases = 0;
    for (int i = 0; i < 4; ++i) {
        char path[3][128], what[160];
        static const char *const parts[] = {"image", "templ", "scores"};
        tessel_image img[3] = {{0}};
        snprintf(what, sizeof what, "%s: OpenCV golden %s", device, names[i]);
        int read = 1;
        for (int p = 0; p < 3; ++p) {
            snprintf(path[p], sizeof path[p], "golden/match_%s_%s.npy", names[i], parts[p]);
            if (read && tessel_image_read(path[p], &img[p]) != TESSEL_OK) {
                tu_fail(what, "%s", tessel_last_error());
                read = 0;
            }
        }
        if (read) {
            const size_t n = (size_t)img[2].width * img[2].height;
            double *want = tu_xmalloc(n * sizeof *want);
            for (size_t k = 0; k < n; ++k) want[k] = ((const float *)img[2].data)[k];
            check_scores(ctx, what, &img[0], &img[1], TU_PADDED, want);
            free(want);
            cases++;
        }
        for (int p = 0; p < 3; ++p) tessel_image_free(&img[p]);
    }
    return cases;
}

/* ---------------------------------------------- (c) planted templates */

/* A packed copy of the w x h crop at (x0, y0) of a sample photograph. */
static int read_crop(const char *path, int x0, int y0, int w, int h, tu_image *out)
{
    tessel_image photo = {0};
    if (tessel_image_read(path, &photo) != TESSEL_OK) {
        tu_fail(path, "%s", tessel_last_error());
        return 0;
    }
    tu_image_alloc(out, w, h, photo.channels, photo.dtype, TU_PACKED);
    copy_window(&photo, x0, y0, &out->view);
    tessel_image_free(&photo);
    return 1;
}

static void plant(tessel_image *dst, const tessel_image *t, int x0, int y0)
{
    for (int y = 0; y < t->height; ++y)
        for (int x = 0; x < t->width; ++x)
            for (int k = 0; k < t->channels; ++k)
                put_sample(dst, x0 + x, y0 + y, k, tu_sample(t, x, y, k));
}

static void add_noise(tu_rng *rng, tessel_image *img, double amplitude)
{
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x)
            for (int k = 0; k < img->channels; ++k)
                put_sample(img, x, y, k,
                           tu_sample(img, x, y, k) + tu_rng_uniform(rng, -amplitude, amplitude));
}

/* Where and how a template is planted: in a w x h image of random samples,
 * at count places, then noise of the given amplitude over everything. */
typedef struct planting {
    int w, h, count;
    int at[3][2];
    double noise;
    float min_good; /* the least score each planted place must get */
} planting;

/* Plants t as p says and asks tessel_match_best for up to count + 2
 * matches of at least 0.5: exactly the planted places must come back. */
static void find_planted(tessel_context *ctx, const char *what, tu_rng *rng, const tu_image *t,
                         const planting *p)
{
    const tessel_image *tv = &t->view;
    const int count = p->count;
    const int(*at)[2] = p->at;
    const float min_good = p->min_good;
    tu_image src, scores;
    tu_image_alloc(&src, p->w, p->h, tv->channels, tv->dtype, TU_PADDED);
    tu_image_fill_random(&src, rng);
    for (int i = 0; i < count; ++i) plant(&src.view, tv, at[i][0], at[i][1]);
    add_noise(rng, &src.view, p->noise);
    tu_image_alloc(&scores, p->w - tv->width + 1, p->h - tv->height + 1, 1, TESSEL_F32, TU_PACKED);
    tu_image_poison(&scores);
    tessel_match found[8];
    int n = -1;
    tessel_status s = tessel_match_template(ctx, &src.view, tv, &scores.view);
    if (s == TESSEL_OK)
        s = tessel_match_best(ctx, &scores.view, 0.5f,
                              (tv->width < tv->height ? tv->width : tv->height) / 2, count + 2,
                              found, &n);
    if (s != TESSEL_OK) {
        tu_fail(what, "%s: %s", tessel_status_string(s), tessel_context_last_error(ctx));
    } else if (n != count) {
        tu_fail(what, "%d matches of at least 0.5, planted %d (best (%d, %d) %.4f)", n, count,
                n > 0 ? found[0].x : -1, n > 0 ? found[0].y : -1, n > 0 ? found[0].score : 0.0);
    } else {
        for (int i = 0; i < count; ++i) {
            int hit = 0;
            for (int j = 0; j < n; ++j)
                hit |= found[j].x == at[i][0] && found[j].y == at[i][1] &&
                       found[j].score >= min_good;
            if (!hit)
                tu_fail(what, "planted at (%d, %d) not found with a score >= %.3f (best: (%d, %d) "
                              "%.4f)",
                        at[i][0], at[i][1], min_good, found[0].x, found[0].y, found[0].score);
        }
    }
    tu_image_free(&scores);
    tu_image_free(&src);
}

/* Small crops go into a 200x150 image once and three times; the large one
 * (frequency domain) into a 64x64 image, the transform size the other
 * large cases use, so that OpenCL compiles no other. */
static int test_planted(tessel_context *ctx, const char *device, tu_rng *rng)
{
    static const planting small[2] = {{200, 150, 1, {{117, 41}}, 0.0, 0.9999f},
                                      {200, 150, 3, {{9, 101}, {83, 7}, {151, 88}}, 20.0, 0.7f}};
    static const planting large[2] = {{64, 64, 1, {{17, 9}}, 0.0, 0.9999f},
                                      {64, 64, 1, {{5, 21}}, 20.0, 0.7f}};
    struct {
        const char *path;
        int x, y, w, h;
        const planting *plantings;
    } crops[] = {
        {"../examples/data/camera.pgm", 210, 95, 21, 17, small},   /* direct */
        {"../examples/data/camera.pgm", 300, 330, 40, 36, large},  /* frequency domain */
        {"../examples/data/astronaut.png", 180, 60, 24, 30, small}, /* colour */
    };
    int cases = 0;
    for (int i = 0; i < 3; ++i) {
        tu_image t;
        if (!read_crop(crops[i].path, crops[i].x, crops[i].y, crops[i].w, crops[i].h, &t))
            continue;
        for (int k = 0; k < 2; ++k) {
            const planting *p = &crops[i].plantings[k];
            char what[200];
            snprintf(what, sizeof what, "%s: %s crop %dx%d planted %d times in %dx%d, noise %g",
                     device, crops[i].path, crops[i].w, crops[i].h, p->count, p->w, p->h,
                     p->noise);
            find_planted(ctx, what, rng, &t, p);
            cases++;
        }
        tu_image_free(&t);
    }
    return cases;
}

/* ------------------------------------------------------- (d) errors */

typedef struct error_case {
    const char *what;
    tessel_status want;
    int sw, sh, sc;    /* source */
    int tw, th, tc;    /* template */
    int ow, oh, oc;    /* scores */
    tessel_dtype odtype;
} error_case;

static void expect_failure(tessel_context *ctx, const char *what, tessel_status got,
                           tessel_status want, const tu_image *scores)
{
    if (got != want)
        tu_fail(what, "status %s, want %s", tessel_status_string(got), tessel_status_string(want));
    else if (!*tessel_context_last_error(ctx))
        tu_fail(what, "no message");
    if (scores) {
        const tessel_image *v = &scores->view;
        for (int y = 0; y < v->height; ++y)
            for (int x = 0; x < v->width; ++x)
                if (v->dtype == TESSEL_F32 && !isnan(tu_sample(v, x, y, 0))) {
                    tu_fail(what, "scores written at (%d, %d) by a failing call", x, y);
                    return;
                }
    }
}

static int test_errors(tessel_context *ctx, const char *device, tu_rng *rng)
{
    static const error_case cases[] = {
        {"template wider than the image", TESSEL_ERR_KERNEL_TOO_LARGE,
         20, 20, 1, 21, 5, 1, 1, 16, 1, TESSEL_F32},
        {"template taller than the image", TESSEL_ERR_KERNEL_TOO_LARGE,
         20, 20, 1, 5, 21, 1, 16, 1, 1, TESSEL_F32},
        {"channels differ", TESSEL_ERR_BAD_SIZE, 20, 20, 3, 5, 5, 1, 16, 16, 1, TESSEL_F32},
        {"scores too small", TESSEL_ERR_BAD_SIZE, 20, 20, 1, 5, 5, 1, 15, 16, 1, TESSEL_F32},
        {"scores too large", TESSEL_ERR_BAD_SIZE, 20, 20, 1, 5, 5, 1, 16, 17, 1, TESSEL_F32},
        {"scores with 3 channels", TESSEL_ERR_BAD_SIZE, 20, 20, 3, 5, 5, 3, 16, 16, 3, TESSEL_F32},
        {"scores u8", TESSEL_ERR_INVALID_ARGUMENT, 20, 20, 1, 5, 5, 1, 16, 16, 1, TESSEL_U8},
        {"scores u16", TESSEL_ERR_INVALID_ARGUMENT, 20, 20, 1, 5, 5, 1, 16, 16, 1, TESSEL_U16},
    };
    const int count = (int)(sizeof cases / sizeof cases[0]);
    char what[200];
    for (int i = 0; i < count; ++i) {
        const error_case *e = &cases[i];
        snprintf(what, sizeof what, "%s: error: %s", device, e->what);
        tu_image src, t, scores;
        tu_image_alloc(&src, e->sw, e->sh, e->sc, TESSEL_U8, TU_PACKED);
        tu_image_alloc(&t, e->tw, e->th, e->tc, TESSEL_U8, TU_PACKED);
        tu_image_alloc(&scores, e->ow, e->oh, e->oc, e->odtype, TU_PACKED);
        tu_image_fill_random(&src, rng);
        tu_image_fill_random(&t, rng);
        tu_image_poison(&scores);
        expect_failure(ctx, what, tessel_match_template(ctx, &src.view, &t.view, &scores.view),
                       e->want, &scores);
        tu_image_free(&scores);
        tu_image_free(&t);
        tu_image_free(&src);
    }
    /* NULLs and non-finite samples. */
    tu_image src, t, scores;
    tu_image_alloc(&src, 20, 20, 1, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&t, 5, 5, 1, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&scores, 16, 16, 1, TESSEL_F32, TU_PACKED);
    tu_image_fill_random(&src, rng);
    tu_image_fill_random(&t, rng);
    tu_image_poison(&scores);
    if (tessel_match_template(NULL, &src.view, &t.view, &scores.view) != TESSEL_ERR_NULL_POINTER)
        tu_fail(device, "error: a NULL context is not TESSEL_ERR_NULL_POINTER");
    snprintf(what, sizeof what, "%s: error: NULL source", device);
    expect_failure(ctx, what, tessel_match_template(ctx, NULL, &t.view, &scores.view),
                   TESSEL_ERR_NULL_POINTER, &scores);
    snprintf(what, sizeof what, "%s: error: NULL template", device);
    expect_failure(ctx, what, tessel_match_template(ctx, &src.view, NULL, &scores.view),
                   TESSEL_ERR_NULL_POINTER, &scores);
    snprintf(what, sizeof what, "%s: error: NULL scores", device);
    expect_failure(ctx, what, tessel_match_template(ctx, &src.view, &t.view, NULL),
                   TESSEL_ERR_NULL_POINTER, NULL);
    tessel_image no_data = t.view;
    no_data.data = NULL;
    snprintf(what, sizeof what, "%s: error: template data NULL", device);
    expect_failure(ctx, what, tessel_match_template(ctx, &src.view, &no_data, &scores.view),
                   TESSEL_ERR_NULL_POINTER, &scores);
    put_sample(&t.view, 2, 3, 0, NAN);
    snprintf(what, sizeof what, "%s: error: NaN in the template", device);
    expect_failure(ctx, what, tessel_match_template(ctx, &src.view, &t.view, &scores.view),
                   TESSEL_ERR_INVALID_ARGUMENT, &scores);
    put_sample(&t.view, 2, 3, 0, 0.5);
    put_sample(&src.view, 7, 9, 0, INFINITY);
    snprintf(what, sizeof what, "%s: error: infinity in the source", device);
    expect_failure(ctx, what, tessel_match_template(ctx, &src.view, &t.view, &scores.view),
                   TESSEL_ERR_INVALID_ARGUMENT, &scores);
    tu_image_free(&scores);
    tu_image_free(&t);
    tu_image_free(&src);
    return count + 7;
}

/* ----------------------------------------------------------- driver */

static int run_context(tessel_context *ctx, const char *device, uint64_t seed, int opencl)
{
    tu_rng rng;
    tu_rng_seed(&rng, seed);
    double started = seconds_now();
    int cases = test_reference(ctx, device, &rng, opencl);
    cases += test_flat_template(ctx, device, &rng);
    cases += test_flat_windows(ctx, device, &rng);
    cases += test_goldens(ctx, device);
    cases += test_planted(ctx, device, &rng);
    cases += test_errors(ctx, device, &rng);
    cases += test_match_best(ctx, device, &rng);
    printf("test_match: %s: %d cases, largest score error %.2g, %.1f s\n", device, cases,
           worst_seen, seconds_now() - started);
    worst_seen = 0.0;
    return cases;
}

static tessel_context *open_context(tessel_backend backend, const char *spec)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = backend;
    o.device = spec;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        tu_fail(spec, "context: %s", tessel_last_error());
        return NULL;
    }
    return ctx;
}

int main(void)
{
    uint64_t seed = 20240612;
    const char *seed_text = getenv("TESSEL_TEST_SEED");
    if (seed_text && *seed_text) seed = strtoull(seed_text, NULL, 10);
    tessel_context *cpu = open_context(TESSEL_BACKEND_CPU, "cpu");
    if (cpu) run_context(cpu, "cpu", seed, 0);
    tessel_context_destroy(cpu);
    tessel_device_desc devices[MAX_DEVICES];
    int n = 0;
    if (tessel_devices_list(devices, MAX_DEVICES, &n) != TESSEL_OK)
        tu_fail("devices", "%s", tessel_last_error());
    int opencl = 0;
    for (int i = 0; i < n && i < MAX_DEVICES; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        tessel_context *ctx = open_context(TESSEL_BACKEND_OPENCL, devices[i].spec);
        char name[220];
        snprintf(name, sizeof name, "%s (%s)", devices[i].spec, devices[i].name);
        if (ctx) run_context(ctx, name, seed, 1);
        tessel_context_destroy(ctx);
        opencl++;
    }
    if (!opencl) printf("test_match: no OpenCL device: the CPU backend only\n");
    printf("test_match: %d failures, seed %llu\n", tu_failures(), (unsigned long long)seed);
    return tu_failures() ? 1 : 0;
}
