/* Shared test helpers: a seeded RNG, owned images (packed, padded rows or a
 * view into a larger buffer) filled with random samples or poison, sample
 * access as double, and the contract's output comparison.
 *
 * Allocation failures print a message and exit the test (status 2). */
#ifndef TESSEL_TESTS_TEST_UTIL_H
#define TESSEL_TESTS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "tessel/tessel.h"

/* ------------------------------------------------------------------ random */

/* xorshift64* generator; the same seed gives the same sequence everywhere. */
typedef struct tu_rng {
    uint64_t state;
} tu_rng;

void tu_rng_seed(tu_rng *rng, uint64_t seed); /* any seed, 0 included */
uint64_t tu_rng_next(tu_rng *rng);
int tu_rng_int(tu_rng *rng, int lo, int hi);             /* uniform in [lo, hi] */
double tu_rng_uniform(tu_rng *rng, double lo, double hi); /* uniform in [lo, hi) */
/* n floats uniform in [lo, hi). */
void tu_rng_floats(tu_rng *rng, float *v, size_t n, double lo, double hi);

/* ------------------------------------------------------------------ images */

typedef enum tu_layout {
    TU_PACKED = 0, /* stride 0 */
    TU_PADDED = 1, /* explicit stride a few samples longer than a row */
    TU_VIEW = 2,   /* a region in the middle of a larger image (margins on all sides) */
    TU_LAYOUT_COUNT = 3
} tu_layout;

/* An image the test owns. Pass &img.view to the library. Every byte of the
 * block outside the view is a guard byte (TU_GUARD_BYTE) from allocation on,
 * so reading it gives absurd values and writing it is detected. */
typedef struct tu_image {
    tessel_image view;
    unsigned char *block; /* the allocation that holds the view */
    size_t block_bytes;
    tu_layout layout;
} tu_image;

#define TU_GUARD_BYTE 0x7F     /* f32 0x7F7F7F7F is about 3.4e38 */
#define TU_POISON_U8 0xA5      /* sentinel of unwritten integer samples */
#define TU_POISON_U16 0xA5A5

/* Allocates a w x h x c image of dtype in the given layout; samples are
 * poisoned (call tu_image_fill_random for an input). */
void tu_image_alloc(tu_image *img, int w, int h, int c, tessel_dtype dtype, tu_layout layout);
void tu_image_free(tu_image *img); /* accepts a zeroed or freed image */

/* Random samples over the dtype's range: u8 0..255, u16 0..65535, f32 mostly
 * in [-1, 1) with about one sample in 16 in [-100, 100). */
void tu_image_fill_random(tu_image *img, tu_rng *rng);
/* NaN for f32, TU_POISON_U8/U16 for integers, over the view only. */
void tu_image_poison(tu_image *img);
/* 1 when no byte outside the view changed since allocation. */
int tu_image_guard_intact(const tu_image *img);

/* Row stride in bytes of a view (its stride, or packed). */
size_t tu_row_bytes(const tessel_image *img);
/* Sample (x, y, ch) as double. */
double tu_sample(const tessel_image *img, int x, int y, int ch);
/* All samples, packed h*w*c, as doubles (the reference's input form). */
void tu_image_to_doubles(const tessel_image *img, double *out);
/* count rows of from (from row from_y on) into to (from row to_y on); the
 * two have the same width, channels and dtype, strides of their own. */
void tu_copy_rows(const tessel_image *from, int from_y, const tessel_image *to, int to_y,
                  int count);

const char *tu_layout_name(tu_layout layout);

/* Prints "FAIL what: message" and counts it; safe to call from several
 * threads. tu_failures() is the count so far. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void tu_fail(const char *what, const char *fmt, ...);
int tu_failures(void);

/* ------------------------------------------------------------- comparison */

/* What the contract says a double becomes in dtype: round to nearest and
 * saturate for u8/u16, the nearest float for f32. */
double tu_round_saturate(double v, tessel_dtype dtype);

typedef struct tu_diff {
    double error;     /* f32: max-abs error / max-abs reference; u8/u16: levels */
    double limit;     /* the tolerance error was held to */
    int x, y, ch;     /* where the worst sample is */
    double got, want; /* its value and the reference (after round+saturate) */
} tu_diff;

/* Compares out against ref (packed h*w*c doubles, before rounding) with the
 * contract's tolerance: f32 max-abs error over max-abs reference <= 1e-5 (NaN
 * always fails); u8/u16 every sample within 1 of round+saturate(ref).
 * Returns 1 when within tolerance; diff (may be NULL) gets the worst sample. */
int tu_compare(const tessel_image *out, const double *ref, tu_diff *diff);
/* Same, with the f32 error's denominator at least f32_floor. For outputs
 * that cancel to almost nothing (a 1x1 image, an offset against the sum),
 * pass a fraction of the terms' magnitude (the reference of |in| and |k|),
 * so that float rounding of large terms is not judged against a tiny
 * result. tu_compare is tu_compare_floor with a floor of 0. */
int tu_compare_floor(const tessel_image *out, const double *ref, double f32_floor,
                     tu_diff *diff);

/* The integer path's guarantee (core/integer_rule.h) at scale 1 and
 * offset 0: every u8/u16 sample is round+saturate(ref) exactly. Returns 1
 * when it holds; diff (may be NULL) gets the first sample that does not. */
int tu_compare_rounded(const tessel_image *out, const double *ref, tu_diff *diff);

/* The frequency-domain (FFT) tolerance: for f32 the relative RMS error
 * sqrt(sum (got - want)^2) / sqrt(sum want^2) <= 1e-4, with the reference's
 * RMS replaced by f32_floor when that is larger (see tu_compare_floor; NaN
 * always fails); u8/u16 as tu_compare. diff's error is that ratio for f32,
 * and its sample the one with the largest absolute error. */
int tu_compare_rms(const tessel_image *out, const double *ref, double f32_floor, tu_diff *diff);

/* Allocation that exits the test on failure. */
void *tu_xmalloc(size_t bytes);

/* ------------------------------------------------------------------ files */

/* Lowers this process's file size limit to `bytes`, with SIGXFSZ ignored so
 * that a write past it fails (EFBIG) instead of ending the test: 0. -1 when
 * the limit cannot be lowered (nothing is changed). */
int tu_file_size_limit_lower(long bytes);
/* The limit and SIGXFSZ as they were before tu_file_size_limit_lower. */
void tu_file_size_limit_restore(void);

#endif
