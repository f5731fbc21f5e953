/* Shared test helpers (see test_util.h). */
#define _POSIX_C_SOURCE 200809L /* SIGXFSZ, setrlimit */

#include "test_util.h"

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define TU_F32_TOLERANCE 1e-5
#define TU_FFT_RMS_TOLERANCE 1e-4

/* ------------------------------------------------------------------ random */

void tu_rng_seed(tu_rng *rng, uint64_t seed)
{
    /* One splitmix64 step spreads small seeds; xorshift needs a non-zero state. */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    rng->state = z ? z : 0x2545F4914F6CDD1Dull;
}

uint64_t tu_rng_next(tu_rng *rng)
{
    uint64_t x = rng->state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng->state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

int tu_rng_int(tu_rng *rng, int lo, int hi)
{
    uint64_t span = (uint64_t)((long long)hi - lo + 1);
    return (int)(lo + (long long)(tu_rng_next(rng) % span));
}

double tu_rng_uniform(tu_rng *rng, double lo, double hi)
{
    double unit = (double)(tu_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
    return lo + (hi - lo) * unit;
}

void tu_rng_floats(tu_rng *rng, float *v, size_t n, double lo, double hi)
{
    for (size_t k = 0; k < n; ++k) v[k] = (float)tu_rng_uniform(rng, lo, hi);
}

/* ------------------------------------------------------------------ images */

void *tu_xmalloc(size_t bytes)
{
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "test: out of memory allocating %zu bytes\n", bytes);
        exit(2);
    }
    return p;
}

size_t tu_row_bytes(const tessel_image *img)
{
    if (img->stride) return img->stride;
    return (size_t)img->width * img->channels * tessel_dtype_size(img->dtype);
}

const char *tu_layout_name(tu_layout layout)
{
    switch (layout) {
    case TU_PACKED: return "packed";
    case TU_PADDED: return "padded";
    case TU_VIEW: return "view";
    default: return "?";
    }
}

/* Margins of a TU_VIEW region inside its larger image, in pixels / rows. */
enum { VIEW_LEFT = 3, VIEW_RIGHT = 2, VIEW_TOP = 2, VIEW_BOTTOM = 3, PAD_SAMPLES = 7 };

void tu_image_alloc(tu_image *img, int w, int h, int c, tessel_dtype dtype, tu_layout layout)
{
    const size_t sample = tessel_dtype_size(dtype);
    const size_t packed = (size_t)w * c * sample;
    size_t stride = packed, rows = (size_t)h, offset = 0;
    if (layout == TU_PADDED) stride = packed + PAD_SAMPLES * sample;
    if (layout == TU_VIEW) {
        stride = (size_t)(w + VIEW_LEFT + VIEW_RIGHT) * c * sample;
        rows = (size_t)h + VIEW_TOP + VIEW_BOTTOM;
        offset = VIEW_TOP * stride + (size_t)VIEW_LEFT * c * sample;
    }
    memset(img, 0, sizeof *img);
    img->block_bytes = rows * stride;
    img->block = tu_xmalloc(img->block_bytes);
    memset(img->block, TU_GUARD_BYTE, img->block_bytes);
    img->layout = layout;
    img->view.data = img->block + offset;
    img->view.width = w;
    img->view.height = h;
    img->view.channels = c;
    img->view.dtype = dtype;
    img->view.stride = layout == TU_PACKED ? 0 : stride;
    tu_image_poison(img);
}

void tu_image_free(tu_image *img)
{
    free(img->block);
    memset(img, 0, sizeof *img);
}

/* Address of sample (x, y, ch). */
static void *sample_at(const tessel_image *img, int x, int y, int ch)
{
    size_t index = (size_t)x * img->channels + ch;
    return (char *)img->data + (size_t)y * tu_row_bytes(img) +
           index * tessel_dtype_size(img->dtype);
}

static void store_sample(const tessel_image *img, int x, int y, int ch, double v)
{
    void *p = sample_at(img, x, y, ch);
    switch (img->dtype) {
    case TESSEL_U8: *(uint8_t *)p = (uint8_t)v; break;
    case TESSEL_U16: *(uint16_t *)p = (uint16_t)v; break;
    case TESSEL_F32: *(float *)p = (float)v; break;
    }
}

double tu_sample(const tessel_image *img, int x, int y, int ch)
{
    const void *p = sample_at(img, x, y, ch);
    switch (img->dtype) {
    case TESSEL_U8: return *(const uint8_t *)p;
    case TESSEL_U16: return *(const uint16_t *)p;
    case TESSEL_F32: return *(const float *)p;
    }
    return NAN;
}

static double random_sample(tu_rng *rng, tessel_dtype dtype)
{
    switch (dtype) {
    case TESSEL_U8: return tu_rng_int(rng, 0, 255);
    case TESSEL_U16: return tu_rng_int(rng, 0, 65535);
    case TESSEL_F32:
        if (tu_rng_int(rng, 0, 15) == 0) return tu_rng_uniform(rng, -100.0, 100.0);
        return tu_rng_uniform(rng, -1.0, 1.0);
    }
    return 0.0;
}

static double poison_value(tessel_dtype dtype)
{
    switch (dtype) {
    case TESSEL_U8: return TU_POISON_U8;
    case TESSEL_U16: return TU_POISON_U16;
    case TESSEL_F32: return NAN;
    }
    return 0.0;
}

/* Writes poison or random samples into every sample of the view. */
static void for_each_sample(const tessel_image *img, tu_rng *rng, int poison)
{
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x)
            for (int ch = 0; ch < img->channels; ++ch)
                store_sample(img, x, y, ch,
                             poison ? poison_value(img->dtype) : random_sample(rng, img->dtype));
}

void tu_image_fill_random(tu_image *img, tu_rng *rng)
{
    for_each_sample(&img->view, rng, 0);
}

void tu_image_poison(tu_image *img)
{
    for_each_sample(&img->view, NULL, 1);
}

int tu_image_guard_intact(const tu_image *img)
{
    const tessel_image *v = &img->view;
    const size_t stride = tu_row_bytes(v);
    const size_t packed = (size_t)v->width * v->channels * tessel_dtype_size(v->dtype);
    const size_t offset = (size_t)((unsigned char *)v->data - img->block);
    for (size_t b = 0; b < img->block_bytes; ++b) {
        int inside = b >= offset && (b - offset) / stride < (size_t)v->height &&
                     (b - offset) % stride < packed;
        if (!inside && img->block[b] != TU_GUARD_BYTE) return 0;
    }
    return 1;
}

void tu_image_to_doubles(const tessel_image *img, double *out)
{
    size_t n = 0;
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x)
            for (int ch = 0; ch < img->channels; ++ch) out[n++] = tu_sample(img, x, y, ch);
}

void tu_copy_rows(const tessel_image *from, int from_y, const tessel_image *to, int to_y,
                  int count)
{
    const size_t row = (size_t)from->width * from->channels * tessel_dtype_size(from->dtype);
    for (int k = 0; k < count; ++k)
        memcpy((unsigned char *)to->data + (size_t)(to_y + k) * tu_row_bytes(to),
               (const unsigned char *)from->data + (size_t)(from_y + k) * tu_row_bytes(from), row);
}

/* ------------------------------------------------------------- comparison */

double tu_round_saturate(double v, tessel_dtype dtype)
{
    double hi = dtype == TESSEL_U8 ? 255.0 : 65535.0;
    if (dtype == TESSEL_F32) return (float)v;
    if (!(v > 0.0)) return 0.0; /* NaN too */
    if (v >= hi) return hi;
    return floor(v + 0.5);
}

static void note_worst(tu_diff *d, double error, int x, int y, int ch, double got, double want)
{
    d->error = error;
    d->x = x;
    d->y = y;
    d->ch = ch;
    d->got = got;
    d->want = want;
}

int tu_compare(const tessel_image *out, const double *ref, tu_diff *diff)
{
    return tu_compare_floor(out, ref, 0.0, diff);
}

int tu_compare_floor(const tessel_image *out, const double *ref, double f32_floor,
                     tu_diff *diff)
{
    const int is_float = out->dtype == TESSEL_F32;
    tu_diff d = {0};
    d.error = -1.0;
    d.limit = is_float ? TU_F32_TOLERANCE : 1.0;
    double peak = f32_floor; /* max-abs reference, the f32 error's denominator */
    size_t n = 0;
    for (int y = 0; y < out->height; ++y) {
        for (int x = 0; x < out->width; ++x) {
            for (int ch = 0; ch < out->channels; ++ch, ++n) {
                double got = tu_sample(out, x, y, ch);
                double want = is_float ? ref[n] : tu_round_saturate(ref[n], out->dtype);
                double error = isfinite(got) ? fabs(got - want) : INFINITY;
                if (fabs(want) > peak) peak = fabs(want);
                if (error > d.error) note_worst(&d, error, x, y, ch, got, want);
            }
        }
    }
    if (is_float && isfinite(d.error)) d.error /= peak > 0.0 ? peak : 1e-300;
    if (diff) *diff = d;
    return d.error <= d.limit;
}

int tu_compare_rounded(const tessel_image *out, const double *ref, tu_diff *diff)
{
    size_t n = 0;
    for (int y = 0; y < out->height; ++y)
        for (int x = 0; x < out->width; ++x)
            for (int ch = 0; ch < out->channels; ++ch, ++n) {
                const double want = tu_round_saturate(ref[n], out->dtype);
                const double got = tu_sample(out, x, y, ch);
                if (got == want) continue;
                if (diff) {
                    *diff = (tu_diff){0};
                    note_worst(diff, fabs(got - want), x, y, ch, got, want);
                }
                return 0;
            }
    return 1;
}

int tu_compare_rms(const tessel_image *out, const double *ref, double f32_floor, tu_diff *diff)
{
    if (out->dtype != TESSEL_F32) return tu_compare_floor(out, ref, 0.0, diff);
    tu_diff d = {0};
    d.error = -1.0;
    d.limit = TU_FFT_RMS_TOLERANCE;
    double error_squares = 0.0, ref_squares = 0.0;
    size_t n = 0;
    for (int y = 0; y < out->height; ++y) {
        for (int x = 0; x < out->width; ++x) {
            for (int ch = 0; ch < out->channels; ++ch, ++n) {
                double got = tu_sample(out, x, y, ch);
                double error = isfinite(got) ? fabs(got - ref[n]) : INFINITY;
                error_squares += error * error;
                ref_squares += ref[n] * ref[n];
                if (error > d.error) note_worst(&d, error, x, y, ch, got, ref[n]);
            }
        }
    }
    double ref_rms = sqrt(ref_squares / (double)n);
    double denominator = ref_rms > f32_floor ? ref_rms : f32_floor;
    d.error = sqrt(error_squares / (double)n) / (denominator > 0.0 ? denominator : 1e-300);
    if (diff) *diff = d;
    return d.error <= d.limit;
}

static int failure_count;
static pthread_mutex_t failure_lock = PTHREAD_MUTEX_INITIALIZER;

void tu_fail(const char *what, const char *fmt, ...)
{
    pthread_mutex_lock(&failure_lock);
    va_list args;
    va_start(args, fmt);
    printf("FAIL %s: ", what);
    vprintf(fmt, args);
    printf("\n");
    va_end(args);
    ++failure_count;
    pthread_mutex_unlock(&failure_lock);
}

int tu_failures(void)
{
    pthread_mutex_lock(&failure_lock);
    int n = failure_count;
    pthread_mutex_unlock(&failure_lock);
    return n;
}

/* ------------------------------------------------------------------ files */

static struct rlimit saved_file_size_limit;

int tu_file_size_limit_lower(long bytes)
{
    struct rlimit small;
    if (getrlimit(RLIMIT_FSIZE, &saved_file_size_limit) != 0) return -1;
    small = saved_file_size_limit;
    small.rlim_cur = (rlim_t)bytes;
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &small) == 0) return 0;
    signal(SIGXFSZ, SIG_DFL);
    return -1;
}

void tu_file_size_limit_restore(void)
{
    setrlimit(RLIMIT_FSIZE, &saved_file_size_limit);
    signal(SIGXFSZ, SIG_DFL);
}
