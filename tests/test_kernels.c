/* The built-in kernel library and kernel objects: exact matrices, the
 * Gaussian-family formulas, separability flags, rank-1 detection,
 * derivative orientation on ramp images, spec errors and their messages,
 * and parsing under a decimal-comma locale. */
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tessel/tessel.h"

static int failures;

#define CHECK(cond, ...)                                        \
    do {                                                        \
        if (!(cond)) {                                          \
            ++failures;                                         \
            printf("FAIL (line %d): ", __LINE__);               \
            printf(__VA_ARGS__);                                \
            printf("\n");                                       \
        }                                                       \
    } while (0)

/* ------------------------------------------------------------- helpers */

/* xorshift64*: a fixed sequence, independent of the C library. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double uniform(double lo, double hi)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    uint64_t r = rng_state * 0x2545F4914F6CDD1Du;
    return lo + (hi - lo) * (double)(r >> 11) / 9007199254740992.0;
}

/* A kernel's size, flag and coefficients (poisoned with NaN before the read). */
typedef struct loaded {
    int width, height, separable;
    float *coeffs; /* NULL when the spec failed */
} loaded;

static loaded load(const char *spec)
{
    loaded l = {0, 0, 0, NULL};
    tessel_kernel *k = NULL;
    tessel_status s = tessel_kernel_builtin(spec, &k);
    CHECK(s == TESSEL_OK, "\"%s\" failed: %s", spec, tessel_last_error());
    if (s != TESSEL_OK) return l;
    l.width = tessel_kernel_width(k);
    l.height = tessel_kernel_height(k);
    l.separable = tessel_kernel_is_separable(k);
    size_t n = (size_t)l.width * l.height;
    l.coeffs = malloc(n * sizeof(float));
    if (!l.coeffs) {
        printf("out of memory\n");
        exit(2);
    }
    for (size_t t = 0; t < n; ++t) l.coeffs[t] = NAN;
    s = tessel_kernel_coefficients(k, l.coeffs, n);
    CHECK(s == TESSEL_OK, "\"%s\": coefficients failed: %s", spec, tessel_last_error());
    tessel_kernel_destroy(k);
    return l;
}

static void print_matrix(const char *label, const float *k, int w, int h)
{
    printf("  %s:\n", label);
    for (int j = 0; j < h; ++j) {
        printf("   ");
        for (int i = 0; i < w; ++i) printf(" %10.6g", k[j * w + i]);
        printf("\n");
    }
}

static void expect_exact(const char *spec, int w, int h, const float *expected)
{
    loaded l = load(spec);
    if (!l.coeffs) return;
    CHECK(l.width == w && l.height == h, "\"%s\" is %dx%d, expected %dx%d", spec, l.width,
          l.height, w, h);
    if (l.width == w && l.height == h) {
        int bad = -1;
        for (int t = 0; t < w * h && bad < 0; ++t)
            if (!(l.coeffs[t] == expected[t])) bad = t;
        CHECK(bad < 0, "\"%s\" differs at row %d, column %d", spec, bad / w, bad % w);
        if (bad >= 0) {
            print_matrix("got", l.coeffs, w, h);
            print_matrix("expected", expected, w, h);
        }
    }
    free(l.coeffs);
}

/* ------------------------------------------------------- exact matrices */

static void test_dense_exact(void)
{
    static const struct {
        const char *spec;
        int w, h;
        float k[9];
    } cases[] = {
        {"identity", 1, 1, {1}},
        {"identity:3", 3, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0}},
        {"identity:4x2", 4, 2, {0, 1, 0, 0, 0, 0, 0, 0}},
        {"identity:2x3", 2, 3, {0, 0, 1, 0, 0, 0}},
        {"box:4x2", 4, 2, {0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f, 0.125f}},
        {"box:2x3,norm=0", 2, 3, {1, 1, 1, 1, 1, 1}},
        {"box:1", 1, 1, {1}},
        {"sobel:diag", 3, 3, {2, 1, 0, 1, 0, -1, 0, -1, -2}},
        {"sobel:antidiag", 3, 3, {0, 1, 2, -1, 0, 1, -2, -1, 0}},
        {"prewitt:diag", 3, 3, {1, 1, 0, 1, 0, -1, 0, -1, -1}},
        {"prewitt:antidiag", 3, 3, {0, 1, 1, -1, 0, 1, -1, -1, 0}},
        {"laplacian", 3, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0}},
        {"laplacian:4", 3, 3, {0, 1, 0, 1, -4, 1, 0, 1, 0}},
        {"laplacian:8", 3, 3, {1, 1, 1, 1, -8, 1, 1, 1, 1}},
        {"sharpen", 3, 3, {0, -1, 0, -1, 5, -1, 0, -1, 0}},
        {"sharpen:amount=0.5", 3, 3, {0, -0.5f, 0, -0.5f, 3, -0.5f, 0, -0.5f, 0}},
        {"sharpen:0", 3, 3, {0, 0, 0, 0, 1, 0, 0, 0, 0}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c)
        expect_exact(cases[c].spec, cases[c].w, cases[c].h, cases[c].k);

    float ninth[9];
    for (int t = 0; t < 9; ++t) ninth[t] = (float)(1.0 / 9.0);
    expect_exact("box", 3, 3, ninth);
}

/* Rank-1 kernels given by their column (down) and row (across) factors. */
static void test_separable_exact(void)
{
    static const struct {
        const char *spec;
        int n;
        float column[7], row[7];
    } cases[] = {
        {"sobel:x", 3, {1, 2, 1}, {1, 0, -1}},
        {"sobel:y", 3, {1, 0, -1}, {1, 2, 1}},
        {"sobel:x,size=5", 5, {1, 4, 6, 4, 1}, {1, 2, 0, -2, -1}},
        {"sobel:y,size=5", 5, {1, 2, 0, -2, -1}, {1, 4, 6, 4, 1}},
        {"sobel:x,size=7", 7, {1, 6, 15, 20, 15, 6, 1}, {1, 4, 5, 0, -5, -4, -1}},
        {"sobel:y,size=7", 7, {1, 4, 5, 0, -5, -4, -1}, {1, 6, 15, 20, 15, 6, 1}},
        {"prewitt:x", 3, {1, 1, 1}, {1, 0, -1}},
        {"prewitt:y", 3, {1, 0, -1}, {1, 1, 1}},
        {"scharr:x", 3, {3, 10, 3}, {1, 0, -1}},
        {"scharr:y", 3, {1, 0, -1}, {3, 10, 3}},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        int n = cases[c].n;
        float k[49];
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) k[j * n + i] = cases[c].column[j] * cases[c].row[i];
        expect_exact(cases[c].spec, n, n, k);
    }
}

/* Different spellings of one kernel give identical coefficients. */
static void test_equivalent_spellings(void)
{
    static const char *const pairs[][2] = {
        {"gaussian:2", "gaussian:sigma=2"},
        {"GAUSSIAN:SIGMA=2", "gaussian:sigma=2"},
        {"gaussian:1.5", "gaussian:sigma=1.5,sigmay=1.5"},
        {"gaussian:sigma=.5", "gaussian:sigma=0.5"},
        {"gaussian:sigma=5e-1", "gaussian:sigma=+0.5"},
        {"gaussian:sigma=0.05E1", "gaussian:sigma=0.500000000000000000000001"},
        {"gaussian:sigma=1", "gaussian"},
        {"gaussian:1,0.5,size=7x5", "gaussian:size=7x5,sigmay=0.5"},
        {"unsharp:2,1.5", "unsharp:sigma=2,amount=1.5"},
        {"box:5,norm=0", "box:size=5,norm=0"},
        {"box:3x3,1", "box"},
        {"Sobel:X", "sobel:direction=x"},
        {"sobel:y,5", "sobel:size=5,direction=y"},
        {"laplacian:connectivity=8", "laplacian:8"},
        {"log:1.4,9", "log:size=9,sigma=1.4"},
        {"highpass:1", "highpass"},
        {"identity:1x1", "identity"},
    };
    for (size_t p = 0; p < sizeof pairs / sizeof pairs[0]; ++p) {
        loaded a = load(pairs[p][0]), b = load(pairs[p][1]);
        if (a.coeffs && b.coeffs) {
            int same = a.width == b.width && a.height == b.height &&
                       memcmp(a.coeffs, b.coeffs, (size_t)a.width * a.height * sizeof(float)) == 0;
            CHECK(same, "\"%s\" (%dx%d) differs from \"%s\" (%dx%d)", pairs[p][0], a.width,
                  a.height, pairs[p][1], b.width, b.height);
        }
        free(a.coeffs);
        free(b.coeffs);
    }
}

/* ------------------------------------------------------------ Gaussians */

/* The test's own normalised 1-D Gaussian, n taps, in double. */
static void reference_taps(double sigma, int n, double *t)
{
    double sum = 0;
    for (int i = 0; i < n; ++i) {
        double x = i - n / 2;
        t[i] = exp(-x * x / (2 * sigma * sigma));
        sum += t[i];
    }
    for (int i = 0; i < n; ++i) t[i] /= sum;
}

static int default_side(double sigma)
{
    return 2 * (int)ceil(3 * sigma) + 1;
}

/* sum, symmetry and the formula, to float rounding. */
static void check_gaussian(const char *spec, double sx, double sy, int w, int h)
{
    loaded l = load(spec);
    if (!l.coeffs) return;
    CHECK(l.width == w && l.height == h, "\"%s\" is %dx%d, expected %dx%d", spec, l.width,
          l.height, w, h);
    if (l.width == w && l.height == h) {
        double *tx = malloc(sizeof(double) * (size_t)w), *ty = malloc(sizeof(double) * (size_t)h);
        double sum = 0, worst = 0;
        int asymmetric = 0;
        reference_taps(sx, w, tx);
        reference_taps(sy, h, ty);
        for (int j = 0; j < h; ++j) {
            for (int i = 0; i < w; ++i) {
                float v = l.coeffs[j * w + i];
                double e = tx[i] * ty[j];
                sum += v;
                if (fabs(v - e) / e > worst) worst = fabs(v - e) / e;
                if (v != l.coeffs[(h - 1 - j) * w + i] || v != l.coeffs[j * w + (w - 1 - i)])
                    asymmetric = 1;
            }
        }
        CHECK(fabs(sum - 1) < 1e-5, "\"%s\" sums to %.9g", spec, sum);
        CHECK(!asymmetric, "\"%s\" is not symmetric", spec);
        CHECK(worst < 5e-7, "\"%s\" differs from the formula by %.3g relative", spec, worst);
        CHECK(l.separable, "\"%s\" is not flagged separable", spec);
        free(tx);
        free(ty);
    }
    free(l.coeffs);
}

static void test_gaussian(void)
{
    static const struct {
        const char *text;
        double value;
    } sigmas[] = {{"0.3", 0.3}, {"0.5", 0.5}, {"0.8", 0.8}, {"1", 1.0},
                  {"1.5", 1.5}, {"2.3", 2.3}, {"4", 4.0},   {"7.25", 7.25}};
    char spec[96];
    for (size_t s = 0; s < sizeof sigmas / sizeof sigmas[0]; ++s) {
        double v = sigmas[s].value;
        int n = default_side(v);
        snprintf(spec, sizeof spec, "gaussian:sigma=%s", sigmas[s].text);
        check_gaussian(spec, v, v, n, n);
        snprintf(spec, sizeof spec, "gaussian:sigma=%s,sigmay=0.7", sigmas[s].text);
        check_gaussian(spec, v, 0.7, n, default_side(0.7));
    }
    check_gaussian("gaussian", 1, 1, 7, 7);
    check_gaussian("gaussian:sigma=1.5,size=9", 1.5, 1.5, 9, 9);
    check_gaussian("gaussian:sigma=2,size=9x5", 2, 2, 9, 5);
    check_gaussian("gaussian:sigma=0.5,sigmay=3,size=1x15", 0.5, 3, 1, 15);
    check_gaussian("gaussian:sigma=682,sigmay=0.1", 682, 0.1, 4093, 3);
}

/* LoG reference: formula, then the mean removed. */
static void reference_log(double sigma, int n, double *k)
{
    double *t = malloc(sizeof(double) * (size_t)n), mean = 0;
    reference_taps(sigma, n, t);
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < n; ++i) {
            double x = i - n / 2, y = j - n / 2, s2 = sigma * sigma;
            k[j * n + i] = (x * x + y * y - 2 * s2) / (s2 * s2) * t[i] * t[j];
            mean += k[j * n + i] / (n * n);
        }
    }
    for (int q = 0; q < n * n; ++q) k[q] -= mean;
    free(t);
}

/* unsharp (amount >= 0) or, with amount < 0, highpass: delta - g. */
static void reference_unsharp(double sigma, double amount, int n, double *k)
{
    double *t = malloc(sizeof(double) * (size_t)n);
    reference_taps(sigma, n, t);
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < n; ++i) {
            double delta = (i == n / 2 && j == n / 2), g = t[i] * t[j];
            k[j * n + i] = amount < 0 ? delta - g : (1 + amount) * delta - amount * g;
        }
    }
    free(t);
}

typedef enum { FAMILY_LOG, FAMILY_UNSHARP, FAMILY_HIGHPASS } family;

static void check_family(const char *spec, family f, double sigma, double amount, int n,
                         double expected_sum)
{
    loaded l = load(spec);
    if (!l.coeffs) return;
    CHECK(l.width == n && l.height == n, "\"%s\" is %dx%d, expected %dx%d", spec, l.width,
          l.height, n, n);
    if (l.width == n && l.height == n) {
        double *e = malloc(sizeof(double) * (size_t)n * n), sum = 0, mag = 0, worst = 0;
        if (f == FAMILY_LOG) reference_log(sigma, n, e);
        else reference_unsharp(sigma, f == FAMILY_UNSHARP ? amount : -1, n, e);
        for (int q = 0; q < n * n; ++q) mag = fmax(mag, fabs(e[q]));
        for (int q = 0; q < n * n; ++q) {
            sum += l.coeffs[q];
            worst = fmax(worst, fabs(l.coeffs[q] - e[q]) / mag);
        }
        CHECK(fabs(sum - expected_sum) < 1e-5 * mag * n, "\"%s\" sums to %.9g, expected %g",
              spec, sum, expected_sum);
        CHECK(worst < 1e-6, "\"%s\" differs from the formula by %.3g of its peak", spec, worst);
        CHECK(!l.separable, "\"%s\" is flagged separable", spec);
        if (f == FAMILY_LOG) {
            float centre = l.coeffs[(n / 2) * n + n / 2];
            int lowest = 1;
            for (int q = 0; q < n * n; ++q) lowest &= l.coeffs[q] >= centre;
            CHECK(centre < 0 && lowest, "\"%s\": centre %g is not the negative minimum", spec,
                  centre);
        }
        free(e);
    }
    free(l.coeffs);
}

static void test_gaussian_family(void)
{
    check_family("log", FAMILY_LOG, 1, 0, 7, 0);
    check_family("log:sigma=1.4", FAMILY_LOG, 1.4, 0, default_side(1.4), 0);
    check_family("log:sigma=2,size=9", FAMILY_LOG, 2, 0, 9, 0);
    check_family("log:0.6", FAMILY_LOG, 0.6, 0, default_side(0.6), 0);
    check_family("unsharp", FAMILY_UNSHARP, 1, 1, 7, 1);
    check_family("unsharp:sigma=2,amount=1.5", FAMILY_UNSHARP, 2, 1.5, 13, 1);
    check_family("unsharp:0.8,0.3,size=5", FAMILY_UNSHARP, 0.8, 0.3, 5, 1);
    check_family("highpass", FAMILY_HIGHPASS, 1, 0, 7, 0);
    check_family("highpass:sigma=3", FAMILY_HIGHPASS, 3, 0, 19, 0);
    check_family("highpass:sigma=1.2,size=5", FAMILY_HIGHPASS, 1.2, 0, 5, 0);
}

/* ---------------------------------------------------------- separability */

static void test_separable_flags(void)
{
    static const struct {
        const char *spec;
        int separable;
    } cases[] = {
        {"identity:5x3", 1},   {"box", 1},          {"box:5x3,norm=0", 1},
        {"gaussian", 1},       {"gaussian:sigma=2,sigmay=0.5", 1},
        {"sobel:x", 1},        {"sobel:y", 1},      {"sobel:x,size=7", 1},
        {"prewitt:x", 1},      {"prewitt:y", 1},    {"scharr:x", 1},
        {"scharr:y", 1},       {"sobel:diag", 0},   {"sobel:antidiag", 0},
        {"prewitt:diag", 0},   {"prewitt:antidiag", 0}, {"laplacian", 0},
        {"laplacian:8", 0},    {"log", 0},          {"log:sigma=2", 0},
        {"sharpen", 0},        {"unsharp", 0},      {"highpass", 0},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        loaded l = load(cases[c].spec);
        if (l.coeffs)
            CHECK(l.separable == cases[c].separable, "\"%s\" separable flag %d, expected %d",
                  cases[c].spec, l.separable, cases[c].separable);
        free(l.coeffs);
    }
}

/* kind 0: outer product (rank 1); 1: random dense; 2: outer product with
 * one tap moved by 1e-3 of the peak. */
static int created_separable(int kind, int w, int h)
{
    float row[16], column[16], k[256], peak = 0;
    for (int i = 0; i < w; ++i) row[i] = (float)(uniform(0.1, 2) * (uniform(0, 1) < 0.5 ? -1 : 1));
    for (int j = 0; j < h; ++j)
        column[j] = (float)(uniform(0.1, 2) * (uniform(0, 1) < 0.5 ? -1 : 1));
    for (int j = 0; j < h; ++j) {
        for (int i = 0; i < w; ++i) {
            k[j * w + i] = kind == 1 ? (float)uniform(-1, 1) : column[j] * row[i];
            peak = fmaxf(peak, fabsf(k[j * w + i]));
        }
    }
    if (kind == 2) k[(int)uniform(0, w * h)] += 1e-3f * peak;
    tessel_kernel *kernel = NULL;
    tessel_status s = tessel_kernel_create(w, h, k, &kernel);
    CHECK(s == TESSEL_OK, "tessel_kernel_create %dx%d failed: %s", w, h, tessel_last_error());
    int separable = tessel_kernel_is_separable(kernel);
    tessel_kernel_destroy(kernel);
    return separable;
}

static void test_rank1_detection(void)
{
    static const char *const kinds[] = {"outer product", "random dense", "perturbed product"};
    for (int trial = 0; trial < 60; ++trial) {
        int kind = trial % 3, w = (int)uniform(2, 16), h = (int)uniform(2, 16);
        int expected = kind == 0;
        int got = created_separable(kind, w, h);
        CHECK(got == expected, "%s %dx%d (trial %d): separable %d, expected %d", kinds[kind], w, h,
              trial, got, expected);
    }
}

/* ----------------------------------------------------------- orientation */

enum { RAMP_W = 24, RAMP_H = 20 };

/* A ramp rising to the right (or downwards) in random positive steps. */
static void make_ramp(float *img, int downwards)
{
    float profile[RAMP_W > RAMP_H ? RAMP_W : RAMP_H];
    double level = uniform(-5, 5);
    for (int t = 0; t < (downwards ? RAMP_H : RAMP_W); ++t) {
        level += uniform(0.5, 1.5);
        profile[t] = (float)level;
    }
    for (int y = 0; y < RAMP_H; ++y)
        for (int x = 0; x < RAMP_W; ++x) img[y * RAMP_W + x] = profile[downwards ? y : x];
}

/* Rounding bound of a convolution of `in` with k: a tiny fraction of the
 * largest possible sum. */
static float rounding_bound(const tessel_kernel *k, const float *in)
{
    float coeffs[49], sum_abs = 0, in_max = 0;
    tessel_kernel_coefficients(k, coeffs, 49);
    for (int t = 0; t < tessel_kernel_width(k) * tessel_kernel_height(k); ++t)
        sum_abs += fabsf(coeffs[t]);
    for (int t = 0; t < RAMP_W * RAMP_H; ++t) in_max = fmaxf(in_max, fabsf(in[t]));
    return 1e-5f * sum_abs * in_max;
}

/* Sign of the interior response: 1, -1, 0 (every interior value within
 * rounding of zero) or 2 (mixed, or a pixel left unwritten). */
static int response_sign(const char *spec, const float *in, tessel_method method,
                         tessel_context *ctx)
{
    tessel_kernel *k = NULL;
    float out[RAMP_W * RAMP_H];
    for (int t = 0; t < RAMP_W * RAMP_H; ++t) out[t] = NAN;
    if (tessel_kernel_builtin(spec, &k) != TESSEL_OK) return 3;
    float tolerance = rounding_bound(k, in);
    tessel_image src = tessel_image_view((void *)in, RAMP_W, RAMP_H, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, RAMP_W, RAMP_H, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.method = method;
    tessel_status s = tessel_convolve2d(ctx, &src, k, &o, &dst);
    int rx = (tessel_kernel_width(k) - 1) / 2, ry = (tessel_kernel_height(k) - 1) / 2;
    tessel_kernel_destroy(k);
    if (s != TESSEL_OK) return 3;
    int positive = 0, negative = 0, unwritten = 0;
    for (int t = 0; t < RAMP_W * RAMP_H; ++t) unwritten |= isnan(out[t]);
    for (int y = ry; y < RAMP_H - ry; ++y) {
        for (int x = rx; x < RAMP_W - rx; ++x) {
            float v = out[y * RAMP_W + x];
            positive += v > tolerance;
            negative += v < -tolerance;
        }
    }
    if (unwritten || (positive && negative)) return 2;
    return positive ? 1 : negative ? -1 : 0;
}

static void test_orientation(void)
{
    static const struct {
        const char *spec;
        int right, down; /* expected response sign to each ramp */
    } cases[] = {
        {"sobel:x", 1, 0},          {"sobel:y", 0, 1},         {"sobel:diag", 1, 1},
        {"sobel:antidiag", -1, 1},  {"sobel:x,size=5", 1, 0},  {"sobel:y,size=7", 0, 1},
        {"prewitt:x", 1, 0},        {"prewitt:y", 0, 1},       {"prewitt:diag", 1, 1},
        {"prewitt:antidiag", -1, 1}, {"scharr:x", 1, 0},       {"scharr:y", 0, 1},
    };
    static const tessel_method methods[] = {TESSEL_METHOD_AUTO, TESSEL_METHOD_DIRECT};
    tessel_context_options co = {0};
    co.backend = TESSEL_BACKEND_CPU;
    co.threads = 1;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) {
        CHECK(0, "no CPU context: %s", tessel_last_error());
        return;
    }
    float right[RAMP_W * RAMP_H], down[RAMP_W * RAMP_H];
    make_ramp(right, 0);
    make_ramp(down, 1);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        for (int m = 0; m < 2; ++m) {
            int r = response_sign(cases[c].spec, right, methods[m], ctx);
            int d = response_sign(cases[c].spec, down, methods[m], ctx);
            CHECK(r == cases[c].right && d == cases[c].down,
                  "%s (%s): response to a rightward ramp %d, downward %d; expected %d, %d "
                  "(2 = mixed or unwritten, 3 = call failed: %s)",
                  cases[c].spec, tessel_method_name(methods[m]), r, d, cases[c].right,
                  cases[c].down, tessel_context_last_error(ctx));
        }
    }
    tessel_context_destroy(ctx);
}

/* -------------------------------------------------------------- catalogue */

static void test_catalogue(void)
{
    static const char *const order[] = {"identity", "box",     "gaussian", "sobel",
                                        "prewitt",  "scharr",  "laplacian", "log",
                                        "sharpen",  "unsharp", "highpass"};
    int count = tessel_builtin_count();
    CHECK(count == 11, "tessel_builtin_count() = %d, expected 11", count);
    CHECK(!tessel_builtin_get(-1) && !tessel_builtin_get(count), "out-of-range entries not NULL");
    for (int e = 0; e < count && e < 11; ++e) {
        const tessel_builtin_desc *d = tessel_builtin_get(e);
        if (!d || !d->name || !d->params || !d->description || !d->example) {
            CHECK(0, "entry %d has a NULL field", e);
            continue;
        }
        CHECK(strcmp(d->name, order[e]) == 0, "entry %d is \"%s\", expected \"%s\"", e, d->name,
              order[e]);
        CHECK(d->params[0] && d->description[0], "entry %s has empty text", d->name);
        size_t n = strlen(d->name);
        CHECK(strncmp(d->example, d->name, n) == 0 && (!d->example[n] || d->example[n] == ':'),
              "example \"%s\" is not for %s", d->example, d->name);
        tessel_kernel *k = NULL;
        tessel_status s = tessel_kernel_builtin(d->example, &k);
        CHECK(s == TESSEL_OK && k, "example \"%s\" fails: %s", d->example, tessel_last_error());
        tessel_kernel_destroy(k);
    }
}

/* ----------------------------------------------------------------- errors */

static void expect_error(const char *spec, const char *needle)
{
    tessel_kernel *k = (tessel_kernel *)&failures; /* must come back NULL */
    tessel_status s = tessel_kernel_builtin(spec, &k);
    const char *msg = tessel_last_error();
    CHECK(s == TESSEL_ERR_BAD_KERNEL, "\"%s\": status %s, expected TESSEL_ERR_BAD_KERNEL", spec,
          tessel_status_string(s));
    CHECK(k == NULL, "\"%s\": out_kernel not cleared", spec);
    CHECK(strstr(msg, needle) != NULL, "\"%s\": message \"%s\" lacks \"%s\"", spec, msg, needle);
    if (spec[0]) {
        char quoted[256];
        snprintf(quoted, sizeof quoted, "\"%s\"", spec);
        CHECK(strstr(msg, quoted) != NULL, "\"%s\": message \"%s\" does not quote the spec",
              spec, msg);
    }
    if (s == TESSEL_OK) tessel_kernel_destroy(k);
}

static void test_errors(void)
{
    static const char *const cases[][2] = {
        {"", "empty kernel spec"},
        {"gausian:sigma=2", "unknown kernel \"gausian\""},
        {"gausian:sigma=2", "known: identity, box, gaussian"},
        {"gaussian sigma=2", "unknown kernel"},
        {":3", "missing kernel name"},
        {"gaussian:", "nothing after ':'"},
        {"gaussian:sigma=-1", "gaussian: sigma must be > 0 (got -1)"},
        {"gaussian:sigma=0", "sigma must be > 0 (got 0)"},
        {"gaussian:sigma=1e-400", "sigma must be > 0 (got 1e-400)"},
        {"gaussian:sigma=abc", "sigma is not a number (got abc)"},
        {"gaussian:sigma=1.5x", "(got 1.5x)"},
        {"gaussian:sigma=1.5.2", "(got 1.5.2)"},
        {"gaussian:sigma=0x10", "(got 0x10)"},
        {"gaussian:sigma=1e", "(got 1e)"},
        {"gaussian:sigma=-", "(got -)"},
        {"gaussian:sigma=inf", "sigma must be finite (got inf)"},
        {"gaussian:sigma=-Infinity", "must be finite"},
        {"gaussian:sigma=nan", "must be finite (got nan)"},
        {"gaussian:sigma=1e999", "must be finite (got 1e999)"},
        {"gaussian:sigma=1,sigma=2", "sigma given twice"},
        {"gaussian:2,sigma=3", "sigma given twice"},
        {"gaussian:sigma=1,5", "positional argument \"5\" after key=value"},
        {"gaussian:sigmax=2", "unknown key \"sigmax\" (keys: sigma, sigmay, size)"},
        {"gaussian: sigma=2", "unknown key \" sigma\""},
        {"gaussian:size=4", "size must be odd (got 4)"},
        {"gaussian:size=9x4", "size must be odd (got 9x4)"},
        {"gaussian:sigma=683,sigmay=0.1", "sigma=683 needs more than 4096 taps"},
        {"gaussian:sigma=1,sigmay=700", "sigmay=700 needs more than 4096 taps"},
        {"gaussian:sigma=1,,size=5", "empty argument"},
        {"gaussian:sigma=1,", "empty argument"},
        {"gaussian:,sigma=1", "empty argument"},
        {"gaussian:=2", "argument \"=2\" has no key"},
        {"gaussian:sigma=", "argument \"sigma=\" has no value"},
        {"gaussian:1,1,9,4", "too many arguments at \"4\""},
        {"box:0", "size must be between 1 and 4096 per side (got 0)"},
        {"box:4097", "(got 4097)"},
        {"box:3x4097", "(got 3x4097)"},
        {"box:99999999999999999999999", "between 1 and 4096"},
        {"box:5x", "size must be N or WxH"},
        {"box:x5", "(got x5)"},
        {"box:5x3x2", "(got 5x3x2)"},
        {"box:-3", "(got -3)"},
        {"box:3.0", "(got 3.0)"},
        {"box:5,norm=2", "norm must be one of 0, 1 (got 2)"},
        {"identity:3;", "(got 3;)"},
        {"identity:1:2", "(got 1:2)"},
        {"sobel", "missing direction (one of x, y, diag, antidiag)"},
        {"sobel:z", "direction must be one of x, y, diag, antidiag (got z)"},
        {"sobel:x,size=9", "size must be 3, 5 or 7 (got 9)"},
        {"sobel:diag,size=5", "size must be 3 for diag and antidiag (got 5)"},
        {"sobel:x,size=5x5", "takes one number N"},
        {"scharr:diag", "direction must be one of x, y (got diag)"},
        {"prewitt:x,size=5", "unknown key \"size\" (keys: direction)"},
        {"prewitt:x,y", "too many arguments"},
        {"laplacian:6", "connectivity must be one of 4, 8 (got 6)"},
        {"log:sigma=0.0001", "sigma must be >= 0.001"},
        {"log:size=8", "size must be odd"},
        {"log:size=9x9", "takes one number N"},
        {"sharpen:amount=-1", "amount must be >= 0 (got -1)"},
        {"sharpen:amount=1e7", "amount must be <= 1000000"},
        {"unsharp:amount=nan", "amount must be finite"},
        {"unsharp:sigma=1,amount=2,size=4", "size must be odd"},
        {"highpass:sigma=-2", "sigma must be > 0 (got -2)"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c)
        expect_error(cases[c][0], cases[c][1]);

    tessel_kernel *k = NULL;
    CHECK(tessel_kernel_builtin(NULL, &k) == TESSEL_ERR_NULL_POINTER && !k, "NULL spec");
    CHECK(tessel_kernel_builtin("box", NULL) == TESSEL_ERR_NULL_POINTER, "NULL out_kernel");

    /* A long spec is cut in the message, which stays within its buffer. */
    char spec[1200] = "gaussian:sigma=";
    memset(spec + strlen(spec), '7', 1000);
    spec[1015] = '\0';
    CHECK(tessel_kernel_builtin(spec, &k) == TESSEL_ERR_BAD_KERNEL, "1000-digit sigma accepted");
    CHECK(strstr(tessel_last_error(), "...") && strlen(tessel_last_error()) < 512,
          "long spec message: \"%s\"", tessel_last_error());
}

/* ----------------------------------------------------------------- locale */

static void test_decimal_comma_locale(void)
{
    static const char *const names[] = {"de_DE.UTF-8", "de_DE.utf8", "de_DE", "fr_FR.UTF-8",
                                        "fr_FR.utf8"};
    const char *chosen = NULL;
    loaded reference = load("gaussian:sigma=1.5");
    for (size_t n = 0; n < sizeof names / sizeof names[0] && !chosen; ++n)
        if (setlocale(LC_NUMERIC, names[n]) && strcmp(localeconv()->decimal_point, ",") == 0)
            chosen = names[n];
    if (!chosen) {
        printf("note: no decimal-comma locale installed (tried de_DE, fr_FR); "
               "locale check skipped\n");
    } else {
        loaded l = load("gaussian:sigma=1.5");
        int same = reference.coeffs && l.coeffs && l.width == 11 && l.height == 11 &&
                   reference.width == 11 &&
                   memcmp(l.coeffs, reference.coeffs, 121 * sizeof(float)) == 0;
        CHECK(same, "under %s \"gaussian:sigma=1.5\" gives %dx%d, not the C locale's 11x11", chosen,
              l.width, l.height);
        free(l.coeffs);
        expect_error("gaussian:sigma=1,5", "positional argument \"5\"");
        printf("locale check ran under %s\n", chosen);
    }
    setlocale(LC_NUMERIC, "C");
    free(reference.coeffs);
}

int main(void)
{
    test_dense_exact();
    test_separable_exact();
    test_equivalent_spellings();
    test_gaussian();
    test_gaussian_family();
    test_separable_flags();
    test_rank1_detection();
    test_orientation();
    test_catalogue();
    test_errors();
    test_decimal_comma_locale();
    if (failures) {
        printf("test_kernels: %d check(s) failed\n", failures);
        return 1;
    }
    printf("test_kernels: all checks passed\n");
    return 0;
}
