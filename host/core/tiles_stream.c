/* Band streaming (see tiles.h): output rows in bands, input rows from a
 * source callback, results to a sink callback.
 *
 * Each band reads a window of input rows (band and halo). The window's rows
 * are kept as the source gave them (full input width) in slots, one per
 * window row; the next band copies the rows both windows share from the
 * previous slots and asks the source only for the others. The window proper
 * (border-extended along the row, the columns the band reads) is then
 * filled from the slots and convolved by a valid-mode sub-plan. The last
 * band is moved up to end at the last output row, so every band has one
 * shape; the sink still gets each row once. */
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "tiles.h"

#define STREAM_WINDOW_BYTES ((size_t)16 << 20) /* default band: about this much window */
#define STREAM_MIN_BAND 16

enum { SLOT_CVAL = -1, SLOT_PENDING = -2 };

typedef struct stream {
    tessel_plan *plan;
    tessel_band_source source;
    void *source_user;
    size_t row_bytes;          /* one input row as the source gives it */
    tessel_rect win, old;      /* this band's window and the previous one */
    int have_old;
    unsigned char *slots[2];   /* window rows: this band's, the previous band's */
    int *slot_row[2];          /* the input row each slot holds, or SLOT_* */
    int cur;
    tessel_image window, out;  /* the border-extended window, the band's outputs */
} stream;

static tessel_status callback_failed(tessel_context *ctx, tessel_status s, const char *what, int y0,
                                     int count)
{
    if (ctx->last_error[0] == '\0')
        tessel_fail(ctx, s, "the row %s failed for rows %d..%d", what, y0, y0 + count - 1);
    return s;
}

/* Asks the source for input rows y0.. into slots j.. of this band. */
static tessel_status read_rows(stream *st, int j, int y0, int count)
{
    const tessel_plan *plan = st->plan;
    tessel_image rows = {st->slots[st->cur] + (size_t)j * st->row_bytes, plan->geo.in_width,
                         count, plan->channels, plan->in_dtype, st->row_bytes};
    tessel_status s = st->source(st->source_user, y0, count, &rows);
    if (s != TESSEL_OK) return callback_failed(plan->ctx, s, "source", y0, count);
    for (int k = 0; k < count; ++k) st->slot_row[st->cur][j + k] = y0 + k;
    return TESSEL_OK;
}

static void copy_slot(stream *st, int to, int from_buffer, int from)
{
    memcpy(st->slots[st->cur] + (size_t)to * st->row_bytes,
           st->slots[from_buffer] + (size_t)from * st->row_bytes, st->row_bytes);
    st->slot_row[st->cur][to] = st->slot_row[from_buffer][from];
}

/* Rows the previous window held at their own place (not by a border rule). */
static void reuse_previous(stream *st)
{
    const tessel_plan *plan = st->plan;
    for (int j = 0; j < st->win.h; ++j) {
        const int r = tessel_border_index(plan->border, (long long)st->win.y + j, plan->geo.in_height);
        st->slot_row[st->cur][j] = r < 0 ? SLOT_CVAL : SLOT_PENDING;
        if (r >= 0 && st->have_old && r >= st->old.y && r < st->old.y + st->old.h)
            copy_slot(st, j, st->cur ^ 1, r - st->old.y);
    }
}

/* Pending rows inside the image, in runs of consecutive rows per call. */
static tessel_status read_interior(stream *st)
{
    const int *have = st->slot_row[st->cur];
    const int H = st->plan->geo.in_height;
    for (int j = 0; j < st->win.h;) {
        const long long v = (long long)st->win.y + j;
        if (have[j] != SLOT_PENDING || v < 0 || v >= H) {
            ++j;
            continue;
        }
        int n = 1;
        while (j + n < st->win.h && have[j + n] == SLOT_PENDING && v + n < H) ++n;
        FORWARD_IF_ERROR(read_rows(st, j, (int)v, n));
        j += n;
    }
    return TESSEL_OK;
}

/* Rows a border rule brings in: from this window when it holds them, else
 * from the source. */
static tessel_status read_border(stream *st)
{
    const tessel_plan *plan = st->plan;
    for (int j = 0; j < st->win.h; ++j) {
        if (st->slot_row[st->cur][j] != SLOT_PENDING) continue;
        const int r = tessel_border_index(plan->border, (long long)st->win.y + j, plan->geo.in_height);
        const long long at = (long long)r - st->win.y;
        if (at >= 0 && at < st->win.h && st->slot_row[st->cur][at] == r)
            copy_slot(st, j, st->cur, (int)at);
        else
            FORWARD_IF_ERROR(read_rows(st, j, r, 1));
    }
    return TESSEL_OK;
}

static void fill_window(stream *st)
{
    const tessel_plan *plan = st->plan;
    const size_t pitch = tessel_image_row_bytes(&st->window);
    for (int j = 0; j < st->win.h; ++j) {
        const int held = st->slot_row[st->cur][j];
        const void *row = held >= 0 ? st->slots[st->cur] + (size_t)j * st->row_bytes : NULL;
        tessel_tiles_fill_row(plan, row, plan->in_dtype, st->win.x, st->win.w,
                              (unsigned char *)st->window.data + (size_t)j * pitch,
                              st->window.dtype);
    }
}

/* Output rows per band when the caller leaves it to tessel. */
static int default_band(const tessel_plan *plan)
{
    const tessel_geometry *g = &plan->geo;
    const tessel_tiling *t = plan->tiling;
    int band;
    if (t && t->tile_w == g->out_width) {
        band = t->tile_h; /* the tiles are full-width bands already: one fits */
    } else {
        const size_t row = ((size_t)(g->out_width - 1) * g->stride_x + g->kernel_width) *
                           (size_t)plan->channels * sizeof(float);
        const size_t rows = STREAM_WINDOW_BYTES / row;
        band = rows > (size_t)g->kernel_height
                   ? (int)((rows - (size_t)g->kernel_height) / (size_t)g->stride_y) + 1
                   : 1;
        if (band < STREAM_MIN_BAND) band = STREAM_MIN_BAND;
    }
    return band < g->out_height ? band : g->out_height;
}

/* The cached sub-plan for bands of `band` rows (made when the shape
 * changes): a whole plan, tiled itself when a band does not fit the device. */
static tessel_status band_plan(tessel_plan *plan, int band, tessel_rect win, tessel_plan **out)
{
    if (!plan->band_plan || plan->band_rows != band) {
        tessel_plan_destroy(plan->band_plan);
        plan->band_plan = NULL;
        tessel_kernel *k = NULL;
        tessel_conv_options o;
        FORWARD_IF_ERROR(tessel_tiles_subplan_spec(plan, &k, &o));
        const tessel_image shape = {NULL, win.w, win.h, plan->channels,
                                    tessel_tiles_window_dtype(plan), 0};
        tessel_status s =
            tessel_plan_create(plan->ctx, &shape, plan->out_dtype, k, &o, &plan->band_plan);
        tessel_kernel_destroy(k);
        FORWARD_IF_ERROR(s);
        plan->band_rows = band;
    }
    *out = plan->band_plan;
    return TESSEL_OK;
}

static tessel_status stream_alloc(stream *st, int band)
{
    const tessel_plan *plan = st->plan;
    const int c = plan->channels;
    const size_t slots = st->row_bytes * (size_t)st->win.h;
    const tessel_dtype wd = tessel_tiles_window_dtype(plan);
    st->window = (tessel_image){NULL, st->win.w, st->win.h, c, wd, 0};
    st->out = (tessel_image){NULL, plan->geo.out_width, band, c, plan->out_dtype, 0};
    for (int b = 0; b < 2; ++b) {
        st->slots[b] = malloc(slots);
        st->slot_row[b] = malloc((size_t)st->win.h * sizeof(int));
    }
    st->window.data = malloc(tessel_image_row_bytes(&st->window) * (size_t)st->win.h);
    st->out.data = malloc(tessel_image_row_bytes(&st->out) * (size_t)band);
    const int ok = st->slots[0] && st->slots[1] && st->slot_row[0] && st->slot_row[1] &&
                   st->window.data && st->out.data;
    RETURN_ERROR_IF(!ok, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a stream band of %d rows (window %dx%d)", band, st->win.w,
                    st->win.h);
    return TESSEL_OK;
}

static void stream_free(stream *st)
{
    for (int b = 0; b < 2; ++b) {
        free(st->slots[b]);
        free(st->slot_row[b]);
    }
    free(st->window.data);
    free(st->out.data);
}

static tessel_status run_bands(stream *st, tessel_plan *sub, int band, tessel_band_sink sink,
                               void *sink_user)
{
    tessel_plan *plan = st->plan;
    const int H = plan->geo.out_height;
    for (int done = 0; done < H;) {
        const int r0 = done < H - band ? done : H - band;
        const tessel_rect rows = {0, r0, plan->geo.out_width, band};
        st->win = tessel_tiles_window(plan, rows);
        reuse_previous(st);
        FORWARD_IF_ERROR(read_interior(st));
        FORWARD_IF_ERROR(read_border(st));
        fill_window(st);
        FORWARD_IF_ERROR(tessel_plan_execute(sub, &st->window, &st->out));
        /* Only rows the sink has not had (the moved-up last band repeats some). */
        const tessel_rect fresh = {0, done - r0, plan->geo.out_width, r0 + band - done};
        const tessel_image part = tessel_image_region(&st->out, fresh);
        tessel_status s = sink(sink_user, done, fresh.h, &part);
        if (s != TESSEL_OK) return callback_failed(plan->ctx, s, "sink", done, fresh.h);
        done = r0 + band;
        st->old = st->win;
        st->have_old = 1;
        st->cur ^= 1;
    }
    return TESSEL_OK;
}

tessel_status tessel_plan_stream(tessel_plan *plan, tessel_band_source source, void *source_user,
                                 tessel_band_sink sink, void *sink_user, int band_rows)
{
    RETURN_ERROR_IF(!plan, NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL");
    tessel_context *ctx = plan->ctx;
    tessel_clear_error(ctx);
    RETURN_ERROR_IF(!source || !sink, ctx, TESSEL_ERR_NULL_POINTER,
                    "row source or sink callback is NULL");
    RETURN_ERROR_IF(band_rows < 0, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "band of %d rows is negative (0 lets tessel choose)", band_rows);
    int band = band_rows ? band_rows : default_band(plan);
    if (band > plan->geo.out_height) band = plan->geo.out_height;
    const tessel_rect first = {0, 0, plan->geo.out_width, band};
    stream st = {0};
    st.plan = plan;
    st.source = source;
    st.source_user = source_user;
    st.row_bytes = (size_t)plan->geo.in_width * plan->channels * tessel_dtype_size(plan->in_dtype);
    st.win = tessel_tiles_window(plan, first);
    tessel_plan *sub = NULL;
    tessel_status s = band_plan(plan, band, st.win, &sub);
    if (s == TESSEL_OK) s = stream_alloc(&st, band);
    if (s == TESSEL_OK) s = run_bands(&st, sub, band, sink, sink_user);
    stream_free(&st);
    return s;
}
