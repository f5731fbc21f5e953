/* tessel_tune: times every method on a few shapes, fits the cost model's
 * constants (cost_fit.h) and stores them as the context's profile
 * (cost_profile.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "context.h"
#include "cost_fit.h"
#include "cost_profile.h"
#include "plan.h"
#include "versioned.h"

/* One timed shape: a random f32 image of one channel, a random kernel
 * (rank 1 for separable; box-like for running: a box, or a constant row
 * and random column taps when the kernel is taller than wide; dense
 * otherwise), method forced. */
typedef struct tune_case {
    tessel_method method;
    int width, height, kernel_width, kernel_height;
} tune_case;

/* Shapes that move each term of the model (cost_model.h): images from
 * 64x32 (where the fixed cost of a run shows) up, kernels from 3 to 127
 * taps a side, a 1-D kernel, transforms from 256^2 (in cache)
 * to 4096^2 (far out of it), of powers of 2 and of lengths with factors
 * 3, 5 and 7 (the extended input of a 512 image and a 5x5 kernel is 516,
 * padded to 525). */
static const tune_case full_cases[] = {
    {TESSEL_METHOD_DIRECT, 64, 32, 3, 3},          {TESSEL_METHOD_DIRECT, 256, 256, 3, 3},
    {TESSEL_METHOD_DIRECT, 1024, 512, 3, 3},       {TESSEL_METHOD_DIRECT, 1024, 512, 7, 7},
    {TESSEL_METHOD_DIRECT, 1024, 512, 15, 15},     {TESSEL_METHOD_DIRECT, 512, 512, 25, 25},
    {TESSEL_METHOD_DIRECT, 1024, 512, 31, 1},      {TESSEL_METHOD_SEPARABLE, 64, 32, 3, 3},
    {TESSEL_METHOD_SEPARABLE, 256, 256, 5, 5},     {TESSEL_METHOD_SEPARABLE, 1024, 512, 5, 5},
    {TESSEL_METHOD_SEPARABLE, 1024, 512, 15, 15},  {TESSEL_METHOD_SEPARABLE, 1024, 512, 41, 41},
    {TESSEL_METHOD_FFT, 60, 60, 5, 5},             {TESSEL_METHOD_FFT, 252, 252, 5, 5},
    {TESSEL_METHOD_FFT, 512, 512, 5, 5},           {TESSEL_METHOD_FFT, 1020, 1020, 5, 5},
    {TESSEL_METHOD_FFT, 2048, 2048, 5, 5},         {TESSEL_METHOD_FFT, 4092, 4092, 5, 5},
    {TESSEL_METHOD_FFT_BLOCK, 64, 64, 9, 9},       {TESSEL_METHOD_FFT_BLOCK, 256, 256, 9, 9},
    {TESSEL_METHOD_FFT_BLOCK, 512, 512, 15, 15},   {TESSEL_METHOD_FFT_BLOCK, 1024, 1024, 31, 31},
    {TESSEL_METHOD_FFT_BLOCK, 1024, 1024, 63, 63}, {TESSEL_METHOD_FFT_BLOCK, 2048, 2048, 127, 127},
    {TESSEL_METHOD_RUNNING, 64, 32, 3, 3},         {TESSEL_METHOD_RUNNING, 1024, 512, 3, 3},
    {TESSEL_METHOD_RUNNING, 1024, 512, 31, 31},    {TESSEL_METHOD_RUNNING, 1024, 512, 101, 101},
    {TESSEL_METHOD_RUNNING, 1024, 512, 5, 15},     {TESSEL_METHOD_RUNNING, 1024, 512, 9, 31},
};

/* The same terms on smaller images: a few seconds. Transforms stay within
 * 2^18 points, in the cache (the spill term keeps its default). */
static const tune_case quick_cases[] = {
    {TESSEL_METHOD_DIRECT, 64, 32, 3, 3},         {TESSEL_METHOD_DIRECT, 256, 128, 7, 7},
    {TESSEL_METHOD_DIRECT, 512, 256, 3, 3},       {TESSEL_METHOD_DIRECT, 512, 256, 15, 15},
    {TESSEL_METHOD_SEPARABLE, 64, 32, 3, 3},      {TESSEL_METHOD_SEPARABLE, 256, 128, 5, 5},
    {TESSEL_METHOD_SEPARABLE, 512, 256, 5, 5},    {TESSEL_METHOD_SEPARABLE, 512, 256, 31, 31},
    {TESSEL_METHOD_FFT, 60, 60, 5, 5},            {TESSEL_METHOD_FFT, 124, 124, 5, 5},
    {TESSEL_METHOD_FFT, 252, 252, 5, 5},          {TESSEL_METHOD_FFT, 380, 380, 5, 5},
    {TESSEL_METHOD_FFT, 508, 508, 5, 5},          {TESSEL_METHOD_FFT_BLOCK, 64, 64, 9, 9},
    {TESSEL_METHOD_FFT_BLOCK, 256, 256, 9, 9},    {TESSEL_METHOD_FFT_BLOCK, 512, 512, 15, 15},
    {TESSEL_METHOD_FFT_BLOCK, 512, 512, 63, 63},  {TESSEL_METHOD_FFT_BLOCK, 1024, 1024, 31, 31},
    {TESSEL_METHOD_RUNNING, 64, 32, 3, 3},        {TESSEL_METHOD_RUNNING, 512, 256, 3, 3},
    {TESSEL_METHOD_RUNNING, 512, 256, 31, 31},    {TESSEL_METHOD_RUNNING, 512, 256, 5, 15},
};

/* How long each case is timed: at least min_runs runs and min_seconds in
 * all (after one untimed run), at most max_runs; the fastest run counts
 * (other work on the machine only ever adds time). */
typedef struct tune_effort {
    int min_runs, max_runs;
    double min_seconds;
} tune_effort;

static const tune_effort full_effort = {3, 20, 0.5};
static const tune_effort quick_effort = {2, 5, 0.05};

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Uniform in [0.25, 1.25): never zero, so no work is skipped on zeros. */
static float next_random(unsigned long long *state)
{
    *state = *state * 6364136223846793005ull + 1442695040888963407ull;
    return 0.25f + (float)(*state >> 40) * (1.0f / 16777216.0f);
}

static tessel_kernel *random_kernel(const tune_case *c, unsigned long long *rng)
{
    const int w = c->kernel_width, h = c->kernel_height;
    float *v = malloc(((size_t)w * h + (size_t)w + (size_t)h) * sizeof(float));
    if (!v) return NULL;
    for (size_t i = 0; i < (size_t)w * h + (size_t)w + (size_t)h; ++i) v[i] = next_random(rng);
    tessel_kernel *k = NULL;
    if (c->method == TESSEL_METHOD_RUNNING) {
        for (int i = 0; i < w; ++i) v[i] = 1.0f / (float)w;
        for (int j = 0; h <= w && j < h; ++j) v[w + j] = 1.0f / (float)h;
    }
    if (c->method == TESSEL_METHOD_SEPARABLE || c->method == TESSEL_METHOD_RUNNING)
        tessel_kernel_create_separable(w, v, h, v + w, &k);
    else
        tessel_kernel_create(w, h, v, &k);
    free(v);
    return k;
}

/* The fastest of the timed runs of plan on src -> dst; < 0 on failure. */
static double time_runs(tessel_plan *plan, const tessel_image *src, tessel_image *dst,
                        const tune_effort *e)
{
    if (tessel_plan_execute(plan, src, dst) != TESSEL_OK) return -1.0;
    double best = INFINITY, total = 0.0;
    for (int run = 0; run < e->max_runs; ++run) {
        if (run >= e->min_runs && total >= e->min_seconds) break;
        const double t0 = now_seconds();
        if (tessel_plan_execute(plan, src, dst) != TESSEL_OK) return -1.0;
        const double t = now_seconds() - t0;
        total += t;
        if (t < best) best = t;
    }
    return best;
}

typedef enum case_outcome { CASE_TIMED, CASE_FAILED, CASE_UNSUPPORTED } case_outcome;

/* Times one case into *sample. */
static case_outcome measure_case(tessel_context *ctx, const tune_case *c, const tune_effort *e,
                                 unsigned long long *rng, tessel_cost_sample *sample)
{
    const size_t n = (size_t)c->width * c->height;
    float *in = malloc(n * sizeof(float)), *out = malloc(n * sizeof(float));
    tessel_kernel *k = random_kernel(c, rng);
    tessel_plan *plan = NULL;
    int ok = in && out && k;
    for (size_t i = 0; ok && i < n; ++i) in[i] = next_random(rng);
    tessel_image src = tessel_image_view(in, c->width, c->height, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, c->width, c->height, 1, TESSEL_F32);
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.method = c->method;
    const tessel_status made = ok ? tessel_plan_create(ctx, &src, TESSEL_F32, k, &o, &plan)
                                  : TESSEL_ERR_OUT_OF_MEMORY;
    ok = made == TESSEL_OK;
    double seconds = ok ? time_runs(plan, &src, &dst, e) : -1.0;
    if (ok) {
        tessel_cost_work work;
        tessel_cost_work_of(plan, c->method, &work);
        ok = work.available && seconds > 0.0;
        tessel_cost_features(&work, sample->features);
        sample->seconds = seconds;
        tessel_log(ctx, TESSEL_LOG_DEBUG,
                   "tune: %s on %dx%d with a %dx%d kernel: %.4g ms (features %.3g %.3g %.3g %.3g)",
                   tessel_method_name(c->method), c->width, c->height, c->kernel_width,
                   c->kernel_height, 1e3 * seconds, sample->features[0], sample->features[1],
                   sample->features[2], sample->features[3]);
    }
    const case_outcome outcome = ok                                ? CASE_TIMED
                                 : made == TESSEL_ERR_UNSUPPORTED ? CASE_UNSUPPORTED
                                                                   : CASE_FAILED;
    if (outcome == CASE_UNSUPPORTED)
        tessel_log(ctx, TESSEL_LOG_INFO, "tune: method %s is not available here: %s",
                   tessel_method_name(c->method), ctx->last_error);
    else if (outcome == CASE_FAILED)
        tessel_log(ctx, TESSEL_LOG_WARN, "tune: %s on %dx%d with a %dx%d kernel not timed: %s",
                   tessel_method_name(c->method), c->width, c->height, c->kernel_width,
                   c->kernel_height, ctx->last_error[0] ? ctx->last_error : "no estimate");
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
    free(in);
    free(out);
    return outcome;
}

typedef struct tune_fit {
    tessel_cost_sample samples[sizeof full_cases / sizeof full_cases[0]];
    int count[TESSEL_COST_METHODS];
    int first[TESSEL_COST_METHODS]; /* index of each method's first sample */
    int total;
} tune_fit;

/* One line of the summary: the constants, or why the defaults stayed. */
static void describe_method(const tessel_context *ctx, int m, const double *c, int fitted,
                            int cases, double median, char *out, size_t size)
{
    const tessel_method method = tessel_cost_method(m);
    size_t used = (size_t)snprintf(out, size, "%-10s", tessel_method_name(method));
    if (!fitted) {
        snprintf(out + used, size - used, " defaults kept (%s)\n",
                 cases ? "too few cases for a fit" : "not available here");
        return;
    }
    for (int t = 0; t < TESSEL_COST_TERMS && used < size; ++t) {
        const char *term = tessel_cost_term_name(ctx, method, t);
        if (term) used += (size_t)snprintf(out + used, size - used, " %.3g s/%s", c[t], term);
    }
    if (used < size)
        snprintf(out + used, size - used, " (%d cases, median error %.0f%%)\n", cases,
                 100.0 * median);
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_of(double *v, int n)
{
    if (n == 0) return 0.0;
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* Fits each method's constants (the defaults stay where nothing was
 * fitted) and writes the summary and the errors into r. */
static void fit_all(const tessel_context *ctx, tune_fit *f, tessel_cost_constants *k,
                    tessel_tune_result *r)
{
    double errors[sizeof full_cases / sizeof full_cases[0]];
    int all = 0;
    size_t used = 0;
    for (int m = 0; m < TESSEL_COST_METHODS; ++m) {
        const tessel_cost_sample *s = f->samples + f->first[m];
        const int fitted = tessel_cost_fit(s, f->count[m], k->c[m]);
        double mine[sizeof full_cases / sizeof full_cases[0]];
        for (int i = 0; i < f->count[m]; ++i) {
            mine[i] = tessel_cost_fit_error(&s[i], k->c[m]);
            errors[all++] = mine[i];
            if (mine[i] > r->max_error) r->max_error = mine[i];
        }
        char line[256];
        describe_method(ctx, m, k->c[m], fitted, f->count[m], median_of(mine, f->count[m]),
                        line, sizeof line);
        used += (size_t)snprintf(r->summary + used, used < sizeof r->summary
                                                        ? sizeof r->summary - used : 0,
                                 "%s", line);
        if (used >= sizeof r->summary) used = sizeof r->summary;
    }
    r->median_error = median_of(errors, all);
}

/* Times every case of the list, grouped by method (the lists are). */
static void measure_all(tessel_context *ctx, int quick, tune_fit *f)
{
    const tune_case *cases = quick ? quick_cases : full_cases;
    const int n = quick ? (int)(sizeof quick_cases / sizeof quick_cases[0])
                        : (int)(sizeof full_cases / sizeof full_cases[0]);
    const tune_effort *e = quick ? &quick_effort : &full_effort;
    unsigned long long rng = 0x7e55e1ull;
    int unsupported[TESSEL_COST_METHODS] = {0};
    memset(f, 0, sizeof *f);
    for (int i = 0; i < n; ++i) {
        const int m = tessel_cost_index(cases[i].method);
        if (unsupported[m]) continue; /* said once */
        if (f->count[m] == 0) f->first[m] = f->total;
        const case_outcome o = measure_case(ctx, &cases[i], e, &rng, &f->samples[f->total]);
        unsupported[m] = o == CASE_UNSUPPORTED;
        if (o == CASE_TIMED) {
            ++f->count[m];
            ++f->total;
        }
    }
}

/* r into the caller's struct (its size was checked on entry). */
static void give_result(const tessel_tune_result *r, tessel_tune_result *result)
{
    if (result) tessel_struct_write(NULL, &tessel_tune_result_kind, r, result);
}

tessel_status tessel_tune(tessel_context *context, const tessel_tune_options *options,
                          tessel_tune_result *result)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    tessel_tune_options o;
    FORWARD_IF_ERROR(tessel_struct_read(context, &tessel_tune_options_kind, options, &o));
    tessel_tune_result r = {0};
    if (result) /* its size checked before anything is measured */
        FORWARD_IF_ERROR(tessel_struct_write(context, &tessel_tune_result_kind, &r, result));
    char path[sizeof r.profile_path];
    if (!tessel_cost_profile_path(context, path, sizeof path)) {
        /* Nowhere to store the result: said before measuring anything. */
        give_result(&r, result);
        return tessel_fail(context, TESSEL_ERR_IO,
                           "no cache folder to store the cost profile in (TESSEL_CACHE_DIR is "
                           "empty, or neither XDG_CACHE_HOME nor HOME is set)");
    }
    tune_fit *f = calloc(1, sizeof *f);
    RETURN_ERROR_IF(!f, context, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for tuning");
    /* What earlier tunes left for the backend (FFTW's wisdom, say). */
    if (context->ops->tune_begin) context->ops->tune_begin(context);
    const double t0 = now_seconds();
    measure_all(context, o.quick, f);
    r.seconds = now_seconds() - t0;
    r.cases = f->total;
    tessel_cost_constants k;
    tessel_cost_defaults(context, &k);
    fit_all(context, f, &k, &r);
    free(f);
    tessel_clear_error(context); /* cases that could not run were logged, not failures */
    tessel_status s = tessel_cost_profile_save(context, &k, r.profile_path,
                                               sizeof r.profile_path);
    if (s == TESSEL_OK)
        tessel_log(context, TESSEL_LOG_INFO, "tune: %d cases in %.1f s, profile %s", r.cases,
                   r.seconds, r.profile_path);
    if (s == TESSEL_OK && context->ops->tune_end) context->ops->tune_end(context);
    give_result(&r, result);
    return s;
}
