/* The built-in filter of a batch: one kernel and conv options, a plan per
 * input shape on each worker. A worker keeps the plans of its last few
 * shapes, so a folder of mixed sizes does not replan at every change. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/sizes.h"
#include "run.h"

#define SHAPES_KEPT 4

typedef struct shape_plan {
    int width, height, channels;
    tessel_dtype dtype;
    tessel_plan *plan; /* NULL: an empty entry */
    int out_width, out_height;
    unsigned long used; /* the worker's clock when last used */
} shape_plan;

typedef struct filter_state {
    shape_plan shapes[SHAPES_KEPT];
    unsigned long clock;
} filter_state;

static int same_shape(const shape_plan *e, const tessel_image *img)
{
    return e->plan && e->width == img->width && e->height == img->height &&
           e->channels == img->channels && e->dtype == img->dtype;
}

/* The entry to fill: an empty one, else the least recently used. */
static shape_plan *free_entry(filter_state *st)
{
    shape_plan *oldest = &st->shapes[0];
    for (int i = 0; i < SHAPES_KEPT; ++i) {
        if (!st->shapes[i].plan) return &st->shapes[i];
        if (st->shapes[i].used < oldest->used) oldest = &st->shapes[i];
    }
    tessel_plan_destroy(oldest->plan);
    memset(oldest, 0, sizeof *oldest);
    return oldest;
}

static tessel_status make_plan(const tessel_batch_filter *f, tessel_context *ctx,
                               const tessel_image *img, shape_plan *e)
{
    tessel_dtype out = f->out_dtype ? f->out_dtype : img->dtype;
    FORWARD_IF_ERROR(tessel_plan_create(ctx, img, out, f->kernel, &f->conv, &e->plan));
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_status s = tessel_plan_info(e->plan, &info);
    if (s != TESSEL_OK) {
        tessel_plan_destroy(e->plan);
        e->plan = NULL;
        return s;
    }
    e->width = img->width;
    e->height = img->height;
    e->channels = img->channels;
    e->dtype = img->dtype;
    e->out_width = info.out_width;
    e->out_height = info.out_height;
    return TESSEL_OK;
}

/* The plan for img's shape, made when this worker has none. */
static tessel_status find_plan(const tessel_batch_filter *f, tessel_batch_work *w,
                               shape_plan **found)
{
    filter_state *st = *w->state;
    if (!st) {
        st = calloc(1, sizeof *st);
        RETURN_ERROR_IF(!st, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for plans");
        *w->state = st;
    }
    shape_plan *e = NULL;
    for (int i = 0; i < SHAPES_KEPT && !e; ++i)
        if (same_shape(&st->shapes[i], w->src)) e = &st->shapes[i];
    if (!e) {
        e = free_entry(st);
        FORWARD_IF_ERROR(make_plan(f, w->context, w->src, e));
    }
    e->used = ++st->clock;
    *found = e;
    return TESSEL_OK;
}

tessel_status tessel_batch_filter_process(const tessel_batch_filter *f, tessel_batch_work *w)
{
    shape_plan *e = NULL;
    FORWARD_IF_ERROR(find_plan(f, w, &e));
    tessel_dtype dtype = f->out_dtype ? f->out_dtype : w->src->dtype;
    size_t row = (size_t)e->out_width * (size_t)w->src->channels * tessel_dtype_size(dtype);
    size_t bytes;
    void *data = tessel_size_product(row, (size_t)e->out_height, 1, &bytes) ? malloc(bytes) : NULL;
    RETURN_ERROR_IF(!data, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for the %dx%d output",
                    e->out_width, e->out_height);
    tessel_image dst =
        tessel_image_view(data, e->out_width, e->out_height, w->src->channels, dtype);
    tessel_status s = tessel_plan_execute(e->plan, w->src, &dst);
    if (s != TESSEL_OK) {
        free(data);
        return s;
    }
    w->dst = dst;
    return TESSEL_OK;
}

void tessel_batch_filter_release(void *state)
{
    filter_state *st = state;
    if (!st) return;
    for (int i = 0; i < SHAPES_KEPT; ++i) tessel_plan_destroy(st->shapes[i].plan);
    free(st);
}
