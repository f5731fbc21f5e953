/* tessel_match_best (tessel_fourier.h): the local maxima of a score map of
 * at least min_score, best first (equal scores in row-major order), each
 * kept only when it lies at least min_distance (Chebyshev) from every
 * better one kept. The kept matches are filed in a grid of cells at least
 * min_distance wide, so a candidate looks only at those in its own cell and
 * the 8 around it. */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/plan.h"
#include "match.h"

typedef struct candidate {
    float score;
    int x, y;
} candidate;

/* Best first; equal scores in row-major order, so the result is the same
 * whatever qsort does with ties. */
static int best_first(const void *a, const void *b)
{
    const candidate *p = a, *q = b;
    if (p->score != q->score) return p->score > q->score ? -1 : 1;
    if (p->y != q->y) return p->y < q->y ? -1 : 1;
    return (p->x > q->x) - (p->x < q->x);
}

static const float *score_row(const tessel_image *m, int y)
{
    return (const float *)(const void *)((const unsigned char *)m->data +
                                         (size_t)y * tessel_image_row_bytes(m));
}

/* No neighbour scores higher (NaN neighbours are not compared). */
static int is_local_max(const tessel_image *m, int x, int y, float v)
{
    for (int ny = y > 0 ? y - 1 : y; ny <= y + 1 && ny < m->height; ++ny) {
        const float *row = score_row(m, ny);
        for (int nx = x > 0 ? x - 1 : x; nx <= x + 1 && nx < m->width; ++nx)
            if (row[nx] > v) return 0;
    }
    return 1;
}

typedef struct candidates {
    candidate *at;
    size_t count, capacity;
} candidates;

/* Appends a candidate: 1, or 0 when out of memory. */
static int push(candidates *list, float score, int x, int y)
{
    if (list->count == list->capacity) {
        size_t grown = list->capacity ? 2 * list->capacity : 1024;
        candidate *more = realloc(list->at, grown * sizeof *more);
        if (!more) return 0;
        list->at = more;
        list->capacity = grown;
    }
    list->at[list->count].score = score;
    list->at[list->count].x = x;
    list->at[list->count].y = y;
    list->count++;
    return 1;
}

/* The local maxima of at least min_score, sorted best first. */
static tessel_status collect(tessel_context *ctx, const tessel_image *m, float min_score,
                             candidates *list)
{
    for (int y = 0; y < m->height; ++y) {
        const float *row = score_row(m, y);
        for (int x = 0; x < m->width; ++x) {
            const float v = row[x];
            if (!(v >= min_score) || !is_local_max(m, x, y, v)) continue;
            if (push(list, v, x, y)) continue;
            return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                               "out of memory for the local maxima of a %dx%d score map",
                               m->width, m->height);
        }
    }
    if (list->count > 1) qsort(list->at, list->count, sizeof *list->at, best_first);
    return TESSEL_OK;
}

/* The kept matches by cell: head[cell] is the first kept in it, next[i]
 * the one after match i (-1 ends both). */
typedef struct kept_grid {
    int cell, columns, rows, distance;
    int *head, *next;
} kept_grid;

static tessel_status grid_make(tessel_context *ctx, kept_grid *g, const tessel_image *m,
                               int distance, size_t most)
{
    g->distance = distance;
    g->cell = distance > 8 ? distance : 8;
    g->columns = (m->width - 1) / g->cell + 1;
    g->rows = (m->height - 1) / g->cell + 1;
    const size_t cells = (size_t)g->columns * (size_t)g->rows;
    /* Freed by the caller, also on failure. */
    g->head = malloc(cells * sizeof *g->head);
    g->next = malloc((most ? most : 1) * sizeof *g->next);
    RETURN_ERROR_IF(!g->head || !g->next, ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for the match grid");
    for (size_t i = 0; i < cells; ++i) g->head[i] = -1;
    return TESSEL_OK;
}

/* 1 when a kept match lies closer than the distance to (x, y). */
static int too_close(const kept_grid *g, const tessel_match *kept, int x, int y)
{
    const int cx = x / g->cell, cy = y / g->cell;
    for (int gy = cy > 0 ? cy - 1 : 0; gy <= cy + 1 && gy < g->rows; ++gy)
        for (int gx = cx > 0 ? cx - 1 : 0; gx <= cx + 1 && gx < g->columns; ++gx)
            for (int i = g->head[(size_t)gy * g->columns + gx]; i >= 0; i = g->next[i])
                if (abs(kept[i].x - x) < g->distance && abs(kept[i].y - y) < g->distance)
                    return 1;
    return 0;
}

static void file_match(kept_grid *g, int i, int x, int y)
{
    const size_t cell = (size_t)(y / g->cell) * g->columns + x / g->cell;
    g->next[i] = g->head[cell];
    g->head[cell] = i;
}

/* Greedy suppression over the sorted candidates into matches. */
static int keep_best(const candidates *list, int distance, int max_matches,
                     kept_grid *g, tessel_match *matches)
{
    int kept = 0;
    for (size_t i = 0; i < list->count && kept < max_matches; ++i) {
        const int x = list->at[i].x, y = list->at[i].y;
        /* Two pixels are always at least 1 apart: distances 0 and 1 keep all. */
        if (distance > 1 && too_close(g, matches, x, y)) continue;
        matches[kept].x = x;
        matches[kept].y = y;
        matches[kept].score = list->at[i].score;
        if (distance > 1) file_match(g, kept, x, y);
        kept++;
    }
    return kept;
}

static tessel_status check_arguments(tessel_context *ctx, const tessel_image *scores,
                                     float min_score, int min_distance, int max_matches,
                                     const tessel_match *matches, const int *count)
{
    FORWARD_IF_ERROR(tessel_image_check(ctx, "scores", scores, 1));
    RETURN_ERROR_IF(scores->dtype != TESSEL_F32 || scores->channels != 1, ctx,
                    TESSEL_ERR_INVALID_ARGUMENT,
                    "a score map is f32 with 1 channel, not %s with %d",
                    tessel_dtype_name(scores->dtype), scores->channels);
    RETURN_ERROR_IF(!count, ctx, TESSEL_ERR_NULL_POINTER, "count is NULL");
    RETURN_ERROR_IF(!matches && max_matches > 0, ctx, TESSEL_ERR_NULL_POINTER, "matches is NULL");
    RETURN_ERROR_IF(max_matches < 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "max_matches is %d; it must be 0 or more", max_matches);
    RETURN_ERROR_IF(min_distance < 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "min_distance is %d; it must be 0 or more", min_distance);
    RETURN_ERROR_IF(isnan(min_score), ctx, TESSEL_ERR_INVALID_ARGUMENT, "min_score is NaN");
    return TESSEL_OK;
}

tessel_status tessel_match_best(tessel_context *context, const tessel_image *scores,
                                float min_score, int min_distance, int max_matches,
                                tessel_match *matches, int *count)
{
    RETURN_ERROR_IF(!context, NULL, TESSEL_ERR_NULL_POINTER, "context is NULL");
    tessel_clear_error(context);
    FORWARD_IF_ERROR(check_arguments(context, scores, min_score, min_distance, max_matches,
                                     matches, count));
    candidates list = {0};
    kept_grid grid = {0};
    tessel_status s = max_matches > 0 ? collect(context, scores, min_score, &list) : TESSEL_OK;
    const size_t most = list.count < (size_t)max_matches ? list.count : (size_t)max_matches;
    if (s == TESSEL_OK && min_distance > 1 && most > 0)
        s = grid_make(context, &grid, scores, min_distance, most);
    if (s == TESSEL_OK)
        *count = keep_best(&list, min_distance, (int)most, &grid, matches);
    free(grid.head);
    free(grid.next);
    free(list.at);
    return s;
}
