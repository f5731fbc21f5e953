/* Method AUTO's cost model: profiles written and read back, corrupt or
 * foreign profiles ignored with a warning, the choice following the
 * constants (fabricated profiles make each method win), method_reason
 * naming the choice and the estimates, auto results equal to the
 * reference, and the fit recovering known constants. CPU backend; every
 * profile lives in a fresh TESSEL_CACHE_DIR. */
#define _POSIX_C_SOURCE 200809L /* setenv, mkdtemp */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cost_fit.h"
#include "core/cost_profile.h"
#include "reference.h"
#include "tessel/tessel.h"
#include "test_util.h"

#define THREADS 2

/* ------------------------------------------------------------ the log */

static char warnings[4096];

static void keep_warnings(void *user, tessel_log_level level, const char *message)
{
    (void)user;
    if (level != TESSEL_LOG_WARN) return;
    size_t used = strlen(warnings);
    snprintf(warnings + used, sizeof warnings - used, "%s\n", message);
}

static tessel_context *tessel_cpu_context(void)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = THREADS;
    o.log = keep_warnings;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        fprintf(stderr, "FAIL context: %s\n", tessel_last_error());
        exit(1);
    }
    return ctx;
}

/* --------------------------------------------------------- profile files */

static void write_file(const char *path, const char *text, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "FAIL cannot write %s\n", path);
        exit(2);
    }
}

/* Every method's every constant `others`, the target method's `mine`. */
static tessel_cost_constants fabricated(tessel_method target, double mine, double others)
{
    tessel_cost_constants k;
    for (int m = 0; m < TESSEL_COST_METHODS; ++m)
        for (int t = 0; t < TESSEL_COST_TERMS; ++t)
            k.c[m][t] = m == tessel_cost_index(target) ? mine : others;
    return k;
}

static int same_constants(const tessel_cost_constants *a, const tessel_cost_constants *b)
{
    for (int m = 0; m < TESSEL_COST_METHODS; ++m)
        for (int t = 0; t < TESSEL_COST_TERMS; ++t)
            if (fabs(a->c[m][t] - b->c[m][t]) > 1e-8 * fabs(b->c[m][t])) return 0;
    return 1;
}

static void test_round_trip(tessel_context *ctx)
{
    tessel_cost_constants k, back;
    tu_rng rng;
    tu_rng_seed(&rng, 11);
    for (int m = 0; m < TESSEL_COST_METHODS; ++m)
        for (int t = 0; t < TESSEL_COST_TERMS; ++t)
            k.c[m][t] = tu_rng_uniform(&rng, 0.0, 1.0) * pow(10.0, -tu_rng_int(&rng, 3, 12));
    char path[1024];
    if (tessel_cost_profile_save(ctx, &k, path, sizeof path) != TESSEL_OK) {
        tu_fail("round trip", "save: %s", tessel_context_last_error(ctx));
        return;
    }
    char expected[1024];
    if (!tessel_cost_profile_path(ctx, expected, sizeof expected) || strcmp(path, expected) != 0)
        tu_fail("round trip", "saved to %s, the context's profile is %s", path, expected);
    const char *origin = tessel_cost_profile_get(ctx, &back);
    if (strcmp(origin, "tuned profile") != 0 || !same_constants(&back, &k))
        tu_fail("round trip", "read back from %s: origin \"%s\", constants %s", path, origin,
                same_constants(&back, &k) ? "equal" : "differ");
    /* The text alone, too: every digit that matters survives. */
    const tessel_cost_key key = tessel_cost_key_of(ctx);
    char text[4096], why[160];
    size_t n = tessel_cost_profile_format(&key, &k, text, sizeof text);
    if (!n || !tessel_cost_profile_parse(&key, text, n, &back, why, sizeof why) ||
        !same_constants(&back, &k))
        tu_fail("round trip", "format/parse: %s", n ? why : "did not fit");
}

/* The checksum of the text before "checksum ", recomputed, so that a
 * well-formed but wrong profile reaches the checks after the checksum's. */
static void reseal(char *text, size_t size)
{
    char *at = strstr(text, "checksum ");
    if (!at) return;
    const size_t body = (size_t)(at - text);
    snprintf(at, size - body, "checksum %016llx\n",
             (unsigned long long)tessel_cost_checksum(text, body));
}

typedef struct corruption {
    const char *name;
    const char *from, *to; /* replace the first `from` with `to` */
    int reseal;            /* fix the checksum afterwards */
} corruption;

static void test_corrupt(tessel_context *ctx)
{
    static const corruption cases[] = {
        {"a digit changed", "direct ", "direct 9", 0},
        {"another device", "device cpu", "device gpu", 1},
        {"another thread count", "threads 2", "threads 3", 1},
        {"another backend", "backend cpu", "backend opencl", 1},
        {"a negative constant", "separable ", "separable -", 1},
        {"not a number", "fft ", "fft nan ", 1},
        {"a constant missing", "fft-block ", "fft-block\n", 1},
        {"another version", "profile 2", "profile 3", 1},
        {"truncated", "checksum", "", 0},
        {"text after the checksum", NULL, "extra\n", 0},
        {"empty", "tessel", "", 0},
    };
    const tessel_cost_key key = tessel_cost_key_of(ctx);
    const tessel_cost_constants k = fabricated(TESSEL_METHOD_FFT, 1e-12, 1.0);
    char path[1024];
    tessel_cost_profile_path(ctx, path, sizeof path);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        const corruption *c = &cases[i];
        char text[4096], bad[4096];
        tessel_cost_profile_format(&key, &k, text, sizeof text);
        if (!c->from) {
            snprintf(bad, sizeof bad, "%s%s", text, c->to);
        } else {
            char *at = strstr(text, c->from);
            if (!at) {
                tu_fail(c->name, "\"%s\" not in the profile", c->from);
                continue;
            }
            *at = '\0';
            /* "truncated" and "empty" drop everything from there on. */
            const int cut = c->to[0] == '\0';
            snprintf(bad, sizeof bad, "%s%s%s", text, c->to, cut ? "" : at + strlen(c->from));
        }
        if (c->reseal) reseal(bad, sizeof bad);
        write_file(path, bad, strlen(bad));
        warnings[0] = '\0';
        tessel_cost_constants got;
        const char *origin = tessel_cost_profile_get(ctx, &got);
        if (strcmp(origin, "tuned profile") == 0)
            tu_fail(c->name, "the profile was used:\n%s", bad);
        if (!strstr(warnings, "ignored"))
            tu_fail(c->name, "no warning in the log (got \"%s\")", warnings);
        /* Read once: asking again neither rereads nor warns again. */
        warnings[0] = '\0';
        tessel_cost_profile_get(ctx, &got);
        if (warnings[0]) tu_fail(c->name, "warned twice: %s", warnings);
    }
    unlink(path);
}

/* -------------------------------------------------------- auto's choice */

enum { W = 97, H = 83 };

/* Random dense coefficients (not rank 1), or an outer product. */
static tessel_kernel *make_kernel(tu_rng *rng, int kw, int kh, int rank1)
{
    float *v = tu_xmalloc(((size_t)kw * kh + (size_t)kw + (size_t)kh) * sizeof(float));
    tu_rng_floats(rng, v, (size_t)kw * kh + (size_t)kw + (size_t)kh, 0.1, 1.0);
    tessel_kernel *k = NULL;
    tessel_status s = rank1 ? tessel_kernel_create_separable(kw, v, kh, v + kw, &k)
                            : tessel_kernel_create(kw, kh, v, &k);
    if (s != TESSEL_OK) {
        fprintf(stderr, "FAIL kernel %dx%d: %s\n", kw, kh, tessel_last_error());
        exit(1);
    }
    free(v);
    return k;
}

/* Runs an AUTO plan, checks it chose `want` and that its reason says so
 * (and prices the others), and compares the output with the reference. */
static void check_auto(tessel_context *ctx, const char *what, tessel_kernel *k, tu_rng *rng,
                       tessel_method want, const char *origin)
{
    tu_image in, out;
    tu_image_alloc(&in, W, H, 1, TESSEL_F32, TU_PACKED);
    tu_image_alloc(&out, W, H, 1, TESSEL_F32, TU_PACKED);
    tu_image_fill_random(&in, rng);
    tu_image_poison(&out);
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (tessel_plan_create(ctx, &in.view, TESSEL_F32, k, NULL, &plan) != TESSEL_OK ||
        tessel_plan_info(plan, &info) != TESSEL_OK ||
        tessel_plan_execute(plan, &in.view, &out.view) != TESSEL_OK) {
        tu_fail(what, "auto plan failed: %s", tessel_context_last_error(ctx));
    } else {
        char prefix[128];
        snprintf(prefix, sizeof prefix, "cost model (%s): %s ", origin,
                 tessel_method_name(want));
        if (info.method != want)
            tu_fail(what, "auto chose %s, not %s (%s)", info.method_name,
                    tessel_method_name(want), info.method_reason);
        /* The other candidates are priced too: direct always, separable for
         * a rank-1 kernel, the frequency domain with FFTW. */
        int others = tessel_kernel_is_separable(k);
#ifdef TESSEL_TEST_FFTW
        others = 1;
#endif
        const int listed = strstr(info.method_reason, " < ") || strstr(info.method_reason, " ~ ");
        if (strncmp(info.method_reason, prefix, strlen(prefix)) != 0 || listed != others ||
            !strstr(info.method_reason, "direct"))
            tu_fail(what, "method_reason \"%s\" does not start with \"%s\" and list %s",
                    info.method_reason, prefix, others ? "the others" : "direct alone");
        const int kw = tessel_kernel_width(k), kh = tessel_kernel_height(k);
        double *src = tu_xmalloc((size_t)W * H * sizeof(double));
        double *ref = tu_xmalloc((size_t)W * H * sizeof(double));
        double *taps = tu_xmalloc((size_t)kw * kh * sizeof(double));
        float *coeffs = tu_xmalloc((size_t)kw * kh * sizeof(float));
        tessel_kernel_coefficients(k, coeffs, (size_t)kw * kh);
        for (int i = 0; i < kw * kh; ++i) taps[i] = coeffs[i];
        tu_image_to_doubles(&in.view, src);
        ref_convolve2d(src, W, H, 1, taps, kw, kh, NULL, ref);
        tu_diff d;
        const int fft = info.method == TESSEL_METHOD_FFT || info.method == TESSEL_METHOD_FFT_BLOCK;
        if (!(fft ? tu_compare_rms(&out.view, ref, 0.0, &d) : tu_compare(&out.view, ref, &d)))
            tu_fail(what, "%s output differs from the reference: error %.3g > %.3g at (%d,%d): "
                    "%.6g, want %.6g",
                    info.method_name, d.error, d.limit, d.x, d.y, d.got, d.want);
        free(src);
        free(ref);
        free(taps);
        free(coeffs);
    }
    tessel_plan_destroy(plan);
    tu_image_free(&in);
    tu_image_free(&out);
}

static void test_fabricated(tessel_context *ctx, tu_rng *rng)
{
    tessel_kernel *dense = make_kernel(rng, 7, 5, 0), *rank1 = make_kernel(rng, 7, 5, 1);
    tessel_method targets[] = {TESSEL_METHOD_DIRECT, TESSEL_METHOD_SEPARABLE,
#ifdef TESSEL_TEST_FFTW
                               TESSEL_METHOD_FFT, TESSEL_METHOD_FFT_BLOCK
#endif
    };
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; ++i) {
        char path[1024], what[96];
        tessel_cost_constants k = fabricated(targets[i], 1e-12, 1.0);
        /* For a dense kernel, direct is the runner-up of separable's profile. */
        const int direct = tessel_cost_index(TESSEL_METHOD_DIRECT);
        if (targets[i] == TESSEL_METHOD_SEPARABLE)
            for (int t = 0; t < TESSEL_COST_TERMS; ++t) k.c[direct][t] = 1e-9;
        if (tessel_cost_profile_save(ctx, &k, path, sizeof path) != TESSEL_OK) {
            tu_fail("fabricated", "save: %s", tessel_context_last_error(ctx));
            continue;
        }
        snprintf(what, sizeof what, "profile favouring %s, rank-1 kernel",
                 tessel_method_name(targets[i]));
        check_auto(ctx, what, rank1, rng, targets[i], "tuned profile");
        /* A dense kernel cannot run separable: the next cheapest wins. */
        const tessel_method dense_want =
            targets[i] == TESSEL_METHOD_SEPARABLE ? TESSEL_METHOD_DIRECT : targets[i];
        snprintf(what, sizeof what, "profile favouring %s, dense kernel",
                 tessel_method_name(targets[i]));
        check_auto(ctx, what, dense, rng, dense_want, "tuned profile");
    }
    tessel_kernel_destroy(dense);
    tessel_kernel_destroy(rank1);
}

/* No profile: the defaults, and the choices they must make. */
static void test_defaults(tessel_context *ctx, tu_rng *rng)
{
    char path[1024];
    tessel_cost_profile_path(ctx, path, sizeof path);
    unlink(path);
    tessel_kernel *small = make_kernel(rng, 3, 3, 0), *gauss = make_kernel(rng, 9, 9, 1);
    check_auto(ctx, "defaults, dense 3x3", small, rng, TESSEL_METHOD_DIRECT, "default constants");
    check_auto(ctx, "defaults, rank-1 9x9", gauss, rng, TESSEL_METHOD_SEPARABLE,
               "default constants");
    tessel_kernel_destroy(small);
    tessel_kernel_destroy(gauss);
#ifdef TESSEL_TEST_FFTW
    /* A large dense kernel on a large image goes to the frequency domain. */
    tessel_kernel *big = make_kernel(rng, 63, 63, 0);
    tessel_image shape = tessel_image_view(NULL, 2048, 2048, 1, TESSEL_F32);
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    if (tessel_plan_create(ctx, &shape, TESSEL_F32, big, NULL, &plan) != TESSEL_OK ||
        tessel_plan_info(plan, &info) != TESSEL_OK)
        tu_fail("defaults, dense 63x63", "plan: %s", tessel_context_last_error(ctx));
    else if (info.method == TESSEL_METHOD_DIRECT)
        tu_fail("defaults, dense 63x63", "2048x2048 with 63x63 taps runs direct (%s)",
                info.method_reason);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(big);
#endif
}

/* Estimates within 5% are a tie: separable (for a rank-1 kernel), then
 * direct, win it, and the reason marks it with "~". */
static void test_tie(tessel_context *ctx, tu_rng *rng)
{
    tessel_cost_constants k = fabricated(TESSEL_METHOD_FFT, 1.0, 1.0);
    const int direct = tessel_cost_index(TESSEL_METHOD_DIRECT);
    const int separable = tessel_cost_index(TESSEL_METHOD_SEPARABLE);
    for (int t = 0; t < TESSEL_COST_TERMS; ++t) k.c[direct][t] = k.c[separable][t] = 0.0;
    /* Only the fixed cost of a run, the same pool run for both: 1 s and 1.02 s. */
    k.c[direct][0] = 1.0 / THREADS;
    k.c[separable][0] = 1.02 / THREADS;
    char path[1024];
    tessel_cost_profile_save(ctx, &k, path, sizeof path);
    tessel_kernel *rank1 = make_kernel(rng, 5, 5, 1);
    check_auto(ctx, "tie", rank1, rng, TESSEL_METHOD_SEPARABLE, "tuned profile");
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_image shape = tessel_image_view(NULL, W, H, 1, TESSEL_F32);
    if (tessel_plan_create(ctx, &shape, TESSEL_F32, rank1, NULL, &plan) == TESSEL_OK &&
        tessel_plan_info(plan, &info) == TESSEL_OK &&
        !strstr(info.method_reason, "separable 1.02 s ~ direct 1 s"))
        tu_fail("tie", "reason \"%s\" does not mark the tie", info.method_reason);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(rank1);
    unlink(path);
}

/* A rewritten profile is read again (the file changed on disk). */
static void test_rewrite(tessel_context *ctx, tu_rng *rng)
{
    tessel_kernel *k = make_kernel(rng, 5, 5, 0);
    char path[1024];
    tessel_cost_constants a = fabricated(TESSEL_METHOD_DIRECT, 1e-12, 1.0);
    tessel_cost_profile_save(ctx, &a, path, sizeof path);
    check_auto(ctx, "first profile", k, rng, TESSEL_METHOD_DIRECT, "tuned profile");
#ifdef TESSEL_TEST_FFTW
    tessel_cost_constants b = fabricated(TESSEL_METHOD_FFT_BLOCK, 1e-12, 1.0);
    tessel_cost_profile_save(ctx, &b, path, sizeof path);
    check_auto(ctx, "rewritten profile", k, rng, TESSEL_METHOD_FFT_BLOCK, "tuned profile");
#endif
    unlink(path);
    tessel_kernel_destroy(k);
}

/* ------------------------------------------------------------ the fit */

static void test_fit(void)
{
    const double truth[TESSEL_COST_TERMS] = {2e-6, 3e-10, 1.5e-11, 0.0};
    tessel_cost_sample s[6];
    tu_rng rng;
    tu_rng_seed(&rng, 5);
    for (int i = 0; i < 6; ++i) {
        s[i].features[0] = 1.0;
        s[i].features[1] = tu_rng_uniform(&rng, 1e4, 1e6);
        s[i].features[2] = s[i].features[1] * tu_rng_int(&rng, 9, 4000);
        s[i].features[3] = 0.0; /* never measured: keeps its value */
        s[i].seconds = 0.0;
        for (int t = 0; t < TESSEL_COST_TERMS; ++t) s[i].seconds += truth[t] * s[i].features[t];
    }
    double c[TESSEL_COST_TERMS] = {1, 1, 1, 7e-9};
    if (!tessel_cost_fit(s, 6, c)) {
        tu_fail("fit", "no fit of exact samples");
        return;
    }
    for (int t = 0; t < 3; ++t)
        if (fabs(c[t] - truth[t]) > 1e-6 * truth[t])
            tu_fail("fit", "term %d: %.6g, want %.6g", t, c[t], truth[t]);
    if (c[3] != 7e-9) tu_fail("fit", "unmeasured term changed to %.6g", c[3]);
    for (int i = 0; i < 6; ++i)
        if (tessel_cost_fit_error(&s[i], c) > 1e-6)
            tu_fail("fit", "sample %d off by %.3g", i, tessel_cost_fit_error(&s[i], c));
    /* Constants never go negative, even when the data would like them to. */
    s[0].seconds *= 50.0;
    double d[TESSEL_COST_TERMS] = {1, 1, 1, 1};
    if (!tessel_cost_fit(s, 6, d)) tu_fail("fit", "no fit of noisy samples");
    for (int t = 0; t < TESSEL_COST_TERMS; ++t)
        if (d[t] < 0.0) tu_fail("fit", "term %d negative: %.3g", t, d[t]);
    if (tessel_cost_fit(s, 2, d)) tu_fail("fit", "3 terms fitted from 2 samples");
}

int main(void)
{
    char dir[] = "/tmp/tessel-cost-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    char cache[64];
    snprintf(cache, sizeof cache, "%s/cache", dir); /* made by the first save */
    setenv("TESSEL_CACHE_DIR", cache, 1);
    tessel_context *ctx = tessel_cpu_context();
    tu_rng rng;
    tu_rng_seed(&rng, 2024);
    test_fit();
    test_round_trip(ctx);
    test_corrupt(ctx);
    test_fabricated(ctx, &rng);
    test_defaults(ctx, &rng);
    test_rewrite(ctx, &rng);
    test_tie(ctx, &rng);
    tessel_context_destroy(ctx);
    char path[128];
    snprintf(path, sizeof path, "%s/cache", dir);
    rmdir(path);
    rmdir(dir);
    if (tu_failures()) {
        fprintf(stderr, "%d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_cost_model: all passed\n");
    return 0;
}
