/* The scores of template matching from the numerators (match.h).
 *
 * For each window: sum I'^2 = S2 - sum_c S1_c^2 / n from integral images in
 * double precision of the centred samples, and whether the window is
 * exactly constant, from integer integral images of where a pixel differs
 * from its left and its upper neighbour (no rounding can make a constant
 * window look varied, or the reverse). The integral images keep only the
 * template's height + 1 rows (a ring), so the memory follows the template's
 * height rather than the image's. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/sizes.h"
#include "match.h"

/* Row r of the integral images: sums over rows < r and columns < x, for
 * x = 0..width. Counts wrap modulo 2^32, which keeps window differences exact. */
typedef struct prefix_row {
    double *s1;    /* (width+1) * channels: sum of (v - mean), per channel */
    double *s2;    /* width+1: sum of (v - mean)^2 over the channels */
    uint32_t *dx;  /* width+1: pixels that differ from their left neighbour */
    uint32_t *dy;  /* width+1: pixels that differ from the pixel above */
} prefix_row;

typedef struct window_ring {
    int width, channels, slots; /* slots = template height + 1 */
    double *s1, *s2;
    uint32_t *dx, *dy;
    double *cur, *prev; /* the image row being added and the one before, as doubles */
} window_ring;

static prefix_row ring_row(const window_ring *ring, int r)
{
    const size_t n = (size_t)ring->width + 1, slot = (size_t)(r % ring->slots);
    prefix_row p = {ring->s1 + slot * n * (size_t)ring->channels, ring->s2 + slot * n,
                    ring->dx + slot * n, ring->dy + slot * n};
    return p;
}

static void ring_free(window_ring *ring)
{
    free(ring->s1);
    free(ring->s2);
    free(ring->dx);
    free(ring->dy);
    free(ring->cur);
    free(ring->prev);
}

static tessel_status ring_alloc(tessel_context *ctx, window_ring *ring, int width, int channels,
                                int slots)
{
    memset(ring, 0, sizeof *ring);
    ring->width = width;
    ring->channels = channels;
    ring->slots = slots;
    const size_t n = ((size_t)width + 1) * (size_t)slots;
    const size_t row = (size_t)width * (size_t)channels;
    size_t bytes;
    RETURN_ERROR_IF(!tessel_size_product(n, sizeof(double), 5, &bytes), ctx,
                    TESSEL_ERR_OUT_OF_MEMORY,
                    "window sums for a %d-wide image overflow the address space", width);
    ring->s1 = malloc(n * (size_t)channels * sizeof *ring->s1);
    ring->s2 = malloc(n * sizeof *ring->s2);
    ring->dx = malloc(n * sizeof *ring->dx);
    ring->dy = malloc(n * sizeof *ring->dy);
    ring->cur = malloc(row * sizeof *ring->cur);
    ring->prev = malloc(row * sizeof *ring->prev);
    if (ring->s1 && ring->s2 && ring->dx && ring->dy && ring->cur && ring->prev) return TESSEL_OK;
    ring_free(ring);
    return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                       "out of memory for the window sums (%d rows of %d pixels)", slots, width);
}

static void zero_row(const window_ring *ring, int r)
{
    const size_t n = (size_t)ring->width + 1;
    prefix_row p = ring_row(ring, r);
    memset(p.s1, 0, n * (size_t)ring->channels * sizeof *p.s1);
    memset(p.s2, 0, n * sizeof *p.s2);
    memset(p.dx, 0, n * sizeof *p.dx);
    memset(p.dy, 0, n * sizeof *p.dy);
}

static uint32_t differs(const double *a, const double *b, int channels)
{
    for (int k = 0; k < channels; ++k)
        if (a[k] != b[k]) return 1;
    return 0;
}

/* Integral-image row r from row r-1 and image row r-1 (ring->cur; the row
 * above it in ring->prev). */
static void add_row(const window_ring *ring, int r, const double *mean)
{
    const int c = ring->channels;
    prefix_row up = ring_row(ring, r - 1), out = ring_row(ring, r);
    double run1[4] = {0, 0, 0, 0}, run2 = 0.0;
    uint32_t run_dx = 0, run_dy = 0;
    for (int k = 0; k < c; ++k) out.s1[k] = 0.0;
    out.s2[0] = 0.0;
    out.dx[0] = out.dy[0] = 0;
    for (int x = 0; x < ring->width; ++x) {
        const double *p = ring->cur + (size_t)x * c;
        const size_t at = (size_t)x + 1;
        for (int k = 0; k < c; ++k) {
            const double d = p[k] - mean[k];
            run1[k] += d;
            run2 += d * d;
            out.s1[at * c + k] = up.s1[at * c + k] + run1[k];
        }
        run_dx += x > 0 ? differs(p, p - c, c) : 0;
        run_dy += r > 1 ? differs(p, ring->prev + (size_t)x * c, c) : 0;
        out.s2[at] = up.s2[at] + run2;
        out.dx[at] = up.dx[at] + run_dx;
        out.dy[at] = up.dy[at] + run_dy;
    }
}

/* The score of a window from its numerator, its sum of squared deviations
 * diff2, its sum of squares about the image mean s2, and the template's. */
static float score_of(double num, double diff2, double s2, double templ_sum2)
{
    if (!(diff2 > TESSEL_MATCH_FLAT_VARIANCE * s2)) return 0.0f;
    const double r = num / sqrt(diff2 * templ_sum2);
    if (fabs(r) <= 1.0) return (float)r;
    /* Past 1 by rounding: +-1. Far past it, the numerator's rounding swamps
     * a window of almost no variation: 0 (OpenCV's rule, the same bound). */
    if (fabs(r) < 1.125) return r > 0 ? 1.0f : -1.0f;
    return 0.0f;
}

/* Output row y: num_row holds its numerators and receives its scores. */
static void score_row(const window_ring *ring, int y, const tessel_match_centred *t, float *num_row)
{
    const int c = ring->channels, tw = t->width, out_w = ring->width - tw + 1;
    const prefix_row a = ring_row(ring, y), a1 = ring_row(ring, y + 1),
                     b = ring_row(ring, y + t->height);
    const double n = (double)tw * (double)t->height;
    for (int x = 0; x < out_w; ++x) {
        const int xr = x + tw;
        /* Changes inside the window: left-neighbour ones in columns x+1..xr-1
         * of rows y..y+th-1, upper-neighbour ones in columns x..xr-1 of rows
         * y+1..y+th-1. */
        uint32_t changes = (b.dx[xr] - a.dx[xr]) - (b.dx[x + 1] - a.dx[x + 1]);
        changes |= (b.dy[xr] - a1.dy[xr]) - (b.dy[x] - a1.dy[x]);
        if (changes == 0) {
            num_row[x] = 0.0f;
            continue;
        }
        const double s2 = b.s2[xr] - a.s2[xr] - b.s2[x] + a.s2[x];
        double diff2 = s2;
        for (int k = 0; k < c; ++k) {
            const double s1 = b.s1[(size_t)xr * c + k] - a.s1[(size_t)xr * c + k] -
                              b.s1[(size_t)x * c + k] + a.s1[(size_t)x * c + k];
            diff2 -= s1 * s1 / n;
        }
        num_row[x] = score_of(num_row[x], diff2, s2, t->sum2);
    }
}

tessel_status tessel_match_scores(tessel_context *ctx, const tessel_image *src, const double *mean,
                                  const tessel_match_centred *t, float *num)
{
    window_ring ring;
    FORWARD_IF_ERROR(ring_alloc(ctx, &ring, src->width, src->channels, t->height + 1));
    const size_t out_w = (size_t)(src->width - t->width + 1);
    zero_row(&ring, 0);
    for (int r = 1; r <= src->height; ++r) {
        double *swap = ring.prev;
        ring.prev = ring.cur;
        ring.cur = swap;
        tessel_match_row_to_doubles(src, r - 1, ring.cur);
        add_row(&ring, r, mean);
        const int y = r - t->height; /* the output row whose windows end at row r - 1 */
        if (y >= 0) score_row(&ring, y, t, num + (size_t)y * out_w);
    }
    ring_free(&ring);
    return TESSEL_OK;
}
