/* tessel_match_best (part of test_match):
 *   - against a brute-force reference here (every local maximum of at least
 *     min_score, best first and equal scores in row-major order, kept when
 *     at least min_distance (Chebyshev) from every one kept before, checked
 *     against all of them) on random maps whose scores take 8 values
 *     (plateaus and ties) with a few NaNs, padded rows, over sizes,
 *     distances, score floors and counts: the same list, exactly;
 *   - hand-made maps: a slope beside a peak is no match, peaks 3 apart are
 *     both kept at distance 3 and one at 4, ties come in row-major order, a
 *     plateau gives its first pixel, max_matches 0 gives none;
 *   - bad arguments: the status, a message, *count left as it was. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match_cases.h"

/* ---------------------------------------------------------- reference */

static int best_first(const void *a, const void *b)
{
    const tessel_match *p = a, *q = b;
    if (p->score != q->score) return p->score > q->score ? -1 : 1;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

static float map_at(const tessel_image *m, int x, int y)
{
    return (float)tu_sample(m, x, y, 0);
}

static int ref_best(const tessel_image *m, float min_score, int distance, int max,
                    tessel_match *out)
{
    tessel_match *all = tu_xmalloc((size_t)m->width * m->height * sizeof *all);
    int n = 0;
    for (int y = 0; y < m->height; ++y)
        for (int x = 0; x < m->width; ++x) {
            float v = map_at(m, x, y);
            int peak = v >= min_score;
            for (int dy = -1; dy <= 1 && peak; ++dy)
                for (int dx = -1; dx <= 1; ++dx) {
                    int nx = x + dx, ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < m->width && ny < m->height &&
                        map_at(m, nx, ny) > v)
                        peak = 0;
                }
            if (peak) all[n++] = (tessel_match){x, y, v};
        }
    qsort(all, (size_t)n, sizeof *all, best_first);
    int kept = 0;
    for (int i = 0; i < n && kept < max; ++i) {
        int far = 1;
        for (int j = 0; j < kept && far; ++j)
            far = abs(out[j].x - all[i].x) >= distance || abs(out[j].y - all[i].y) >= distance;
        if (far) out[kept++] = all[i];
    }
    free(all);
    return kept;
}

/* ------------------------------------------------------------ random */

static void fill_levels(tu_rng *rng, tu_image *m)
{
    float *row;
    for (int y = 0; y < m->view.height; ++y) {
        row = (float *)(void *)((unsigned char *)m->view.data + (size_t)y * tu_row_bytes(&m->view));
        for (int x = 0; x < m->view.width; ++x)
            row[x] = tu_rng_int(rng, 0, 49) == 0 ? NAN : (float)(tu_rng_int(rng, 0, 7) / 3.5 - 1.0);
    }
}

static void compare_lists(const char *what, const tessel_match *got, int n_got,
                          const tessel_match *want, int n_want)
{
    if (n_got != n_want) {
        tu_fail(what, "%d matches, want %d", n_got, n_want);
        return;
    }
    for (int i = 0; i < n_got; ++i)
        if (got[i].x != want[i].x || got[i].y != want[i].y || got[i].score != want[i].score) {
            tu_fail(what, "match %d is (%d, %d) %g, want (%d, %d) %g", i, got[i].x, got[i].y,
                    got[i].score, want[i].x, want[i].y, want[i].score);
            return;
        }
}

static int random_maps(tessel_context *ctx, const char *device, tu_rng *rng)
{
    static const int sizes[][2] = {{1, 1}, {3, 2}, {7, 5}, {64, 48}, {131, 97}};
    static const int distances[] = {0, 1, 2, 3, 5, 9, 40};
    static const float floors[] = {-1.0f, 0.0f, 0.5f};
    static const int maxes[] = {1, 3, 50, 20000};
    int cases = 0;
    tessel_match *got = tu_xmalloc(20000 * sizeof *got), *want = tu_xmalloc(20000 * sizeof *want);
    for (int s = 0; s < 5; ++s) {
        tu_image m;
        tu_image_alloc(&m, sizes[s][0], sizes[s][1], 1, TESSEL_F32, (tu_layout)(s % 2));
        fill_levels(rng, &m);
        for (int d = 0; d < 7; ++d)
            for (int f = 0; f < 3; ++f)
                for (int k = 0; k < 4; ++k) {
                    char what[160];
                    snprintf(what, sizeof what, "%s: best of %dx%d, min %g, distance %d, max %d",
                             device, sizes[s][0], sizes[s][1], floors[f], distances[d], maxes[k]);
                    int n = -1;
                    tessel_status st = tessel_match_best(ctx, &m.view, floors[f], distances[d],
                                                         maxes[k], got, &n);
                    if (st != TESSEL_OK) {
                        tu_fail(what, "%s: %s", tessel_status_string(st),
                                tessel_context_last_error(ctx));
                        continue;
                    }
                    int n_want = ref_best(&m.view, floors[f], distances[d], maxes[k], want);
                    compare_lists(what, got, n, want, n_want);
                    cases++;
                }
        tu_image_free(&m);
    }
    free(want);
    free(got);
    return cases;
}

/* --------------------------------------------------------- hand-made */

typedef struct hand_case {
    const char *what;
    float min_score;
    int distance, max;
    int points;            /* how many of (x, y, score) below are set on a 0 map */
    float set[6][3];
    int count;             /* the matches wanted, in order */
    int want[4][2];
} hand_case;

static const hand_case HAND[] = {
    {"a slope beside a peak", 0.5f, 0, 10, 3, {{4, 3, 0.9f}, {5, 3, 0.8f}, {6, 3, 0.7f}},
     1, {{4, 3}}},
    {"peaks 3 apart, distance 3", 0.1f, 3, 10, 2, {{2, 2, 0.9f}, {5, 2, 0.8f}},
     2, {{2, 2}, {5, 2}}},
    {"peaks 3 apart, distance 4", 0.1f, 4, 10, 2, {{2, 2, 0.9f}, {5, 2, 0.8f}}, 1, {{2, 2}}},
    {"ties in row-major order", 0.1f, 2, 10, 3, {{1, 4, 0.7f}, {6, 1, 0.7f}, {3, 4, 0.7f}},
     3, {{6, 1}, {1, 4}, {3, 4}}},
    {"a plateau, distance 2", 0.1f, 2, 10, 4,
     {{3, 3, 0.6f}, {4, 3, 0.6f}, {3, 4, 0.6f}, {4, 4, 0.6f}}, 1, {{3, 3}}},
    {"a plateau, distance 0", 0.1f, 0, 10, 4,
     {{3, 3, 0.6f}, {4, 3, 0.6f}, {3, 4, 0.6f}, {4, 4, 0.6f}}, 4, {{3, 3}, {4, 3}, {3, 4}, {4, 4}}},
    {"max_matches 1 of 3", 0.1f, 2, 1, 3, {{1, 4, 0.7f}, {6, 1, 0.75f}, {3, 4, 0.7f}}, 1, {{6, 1}}},
    {"below min_score", 0.95f, 0, 10, 2, {{2, 2, 0.9f}, {5, 2, 0.8f}}, 0, {{0, 0}}},
};

static int hand_made(tessel_context *ctx, const char *device)
{
    const int count = (int)(sizeof HAND / sizeof HAND[0]);
    float map[7 * 9];
    tessel_image m = tessel_image_view(map, 9, 7, 1, TESSEL_F32);
    for (int i = 0; i < count; ++i) {
        const hand_case *h = &HAND[i];
        char what[160];
        snprintf(what, sizeof what, "%s: best: %s", device, h->what);
        memset(map, 0, sizeof map);
        for (int p = 0; p < h->points; ++p)
            map[(int)h->set[p][1] * 9 + (int)h->set[p][0]] = h->set[p][2];
        tessel_match got[10];
        int n = -1;
        tessel_status s = tessel_match_best(ctx, &m, h->min_score, h->distance, h->max, got, &n);
        if (s != TESSEL_OK || n != h->count) {
            tu_fail(what, "%s, %d matches, want %d", tessel_status_string(s), n, h->count);
            continue;
        }
        for (int j = 0; j < n; ++j)
            if (got[j].x != h->want[j][0] || got[j].y != h->want[j][1])
                tu_fail(what, "match %d at (%d, %d), want (%d, %d)", j, got[j].x, got[j].y,
                        h->want[j][0], h->want[j][1]);
    }
    int n = -1;
    if (tessel_match_best(ctx, &m, 0.0f, 0, 0, NULL, &n) != TESSEL_OK || n != 0)
        tu_fail(device, "best: max_matches 0 with NULL matches gives %d", n);
    return count + 1;
}

/* ------------------------------------------------------------ errors */

static void expect(tessel_context *ctx, const char *device, const char *what, tessel_status got,
                   tessel_status want, int count)
{
    if (got != want)
        tu_fail(device, "best: %s: %s, want %s", what, tessel_status_string(got),
                tessel_status_string(want));
    else if (ctx && !*tessel_context_last_error(ctx))
        tu_fail(device, "best: %s: no message", what);
    else if (count != -7)
        tu_fail(device, "best: %s: count written (%d) by a failing call", what, count);
}

static int bad_arguments(tessel_context *ctx, const char *device)
{
    float map[12] = {0.5f};
    uint8_t bytes[12] = {0};
    tessel_image m = tessel_image_view(map, 4, 3, 1, TESSEL_F32);
    tessel_image m8 = tessel_image_view(bytes, 4, 3, 1, TESSEL_U8);
    tessel_image m2 = tessel_image_view(map, 2, 3, 2, TESSEL_F32);
    tessel_match out[4];
    int n = -7;
    expect(NULL, device, "NULL context", tessel_match_best(NULL, &m, 0, 0, 4, out, &n),
           TESSEL_ERR_NULL_POINTER, n);
    expect(ctx, device, "NULL scores", tessel_match_best(ctx, NULL, 0, 0, 4, out, &n),
           TESSEL_ERR_NULL_POINTER, n);
    expect(ctx, device, "NULL count", tessel_match_best(ctx, &m, 0, 0, 4, out, NULL),
           TESSEL_ERR_NULL_POINTER, n);
    expect(ctx, device, "NULL matches", tessel_match_best(ctx, &m, 0, 0, 4, NULL, &n),
           TESSEL_ERR_NULL_POINTER, n);
    expect(ctx, device, "u8 scores", tessel_match_best(ctx, &m8, 0, 0, 4, out, &n),
           TESSEL_ERR_INVALID_ARGUMENT, n);
    expect(ctx, device, "2-channel scores", tessel_match_best(ctx, &m2, 0, 0, 4, out, &n),
           TESSEL_ERR_INVALID_ARGUMENT, n);
    expect(ctx, device, "max_matches -1", tessel_match_best(ctx, &m, 0, 0, -1, out, &n),
           TESSEL_ERR_INVALID_ARGUMENT, n);
    expect(ctx, device, "min_distance -1", tessel_match_best(ctx, &m, 0, -1, 4, out, &n),
           TESSEL_ERR_INVALID_ARGUMENT, n);
    expect(ctx, device, "min_score NaN", tessel_match_best(ctx, &m, NAN, 0, 4, out, &n),
           TESSEL_ERR_INVALID_ARGUMENT, n);
    return 9;
}

int test_match_best(tessel_context *ctx, const char *device, tu_rng *rng)
{
    return random_maps(ctx, device, rng) + hand_made(ctx, device) + bad_arguments(ctx, device);
}
