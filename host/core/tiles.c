/* Whether a plan runs in tiles, their size, their sub-plan, and the plain
 * tile-after-tile executor (see tiles.h). */
#include "tiles.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "context.h"
#include "kernel.h"
#include "memory_limit.h"
#include "plan_build.h"
#include "sizes.h"

static size_t image_bytes(int w, int h, int c, tessel_dtype d)
{
    return tessel_size_mul_sat(tessel_size_mul_sat((size_t)w, (size_t)h),
                               (size_t)c * tessel_dtype_size(d));
}

tessel_dtype tessel_tiles_window_dtype(const tessel_plan *plan)
{
    if (plan->border != TESSEL_BORDER_CONSTANT || plan->in_dtype == TESSEL_F32)
        return plan->in_dtype;
    const float top = plan->in_dtype == TESSEL_U8 ? 255.0f : 65535.0f;
    const float v = plan->cval;
    const int exact = v >= 0.0f && v <= top && v == (float)(long)v;
    return exact ? plan->in_dtype : TESSEL_F32;
}

/* The valid-mode geometry of a window of w x h (the plan's kernel, stride). */
static tessel_status window_geometry(const tessel_plan *plan, int w, int h, tessel_geometry *geo)
{
    tessel_conv_options o = {0};
    o.mode = TESSEL_MODE_VALID;
    o.correlate = 1;
    o.stride_x = plan->geo.stride_x;
    o.stride_y = plan->geo.stride_y;
    o.scale = 1.0;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_geometry_make(w, h, plan->geo.kernel_width, plan->geo.kernel_height,
                                           &o, geo, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, plan->ctx, s, "tile window: %s", err);
    return TESSEL_OK;
}

/* Device memory a run needs: the backend's workspace, plus `sets` copies of
 * the input and output (the whole run's, or a tile's window and outputs). */
typedef struct working_set {
    tessel_plan_memory m;
    size_t need, largest;
} working_set;

static tessel_status measure(const tessel_plan *plan, int tile_w, int tile_h, int sets,
                             working_set *ws)
{
    tessel_plan probe = *plan; /* never prepared: the backend only reads sizes */
    probe.backend_state = NULL;
    probe.tiling = NULL;
    probe.band_plan = NULL;
    if (tile_w > 0) {
        tessel_rect out = {0, 0, tile_w, tile_h};
        tessel_rect win = tessel_tiles_window(plan, out);
        FORWARD_IF_ERROR(window_geometry(plan, win.w, win.h, &probe.geo));
        probe.in_dtype = tessel_tiles_window_dtype(plan);
        probe.staged_by_caller = 1;
    }
    FORWARD_IF_ERROR(plan->ctx->ops->plan_memory(&probe, &ws->m));
    const tessel_geometry *g = &probe.geo;
    const size_t in = image_bytes(g->in_width, g->in_height, plan->channels, probe.in_dtype);
    const size_t out = image_bytes(g->out_width, g->out_height, plan->channels, plan->out_dtype);
    ws->need = tessel_size_add_sat(ws->m.workspace_bytes,
                                   tessel_size_mul_sat((size_t)sets, tessel_size_add_sat(in, out)));
    ws->largest = ws->m.largest_bytes;
    if (in > ws->largest) ws->largest = in;
    if (out > ws->largest) ws->largest = out;
    return TESSEL_OK;
}

static int fits(const working_set *ws)
{
    return ws->need <= ws->m.device_bytes && ws->largest <= ws->m.alloc_bytes;
}

/* Tiles are kept to this working set even on devices with room for more:
 * larger ones run no faster, and the rest of the device stays free. */
#define TILE_WORKING_SET_MAX ((size_t)1 << 30)

/* Does a tile of w x h outputs fit with TESSEL_TILES_IN_FLIGHT in flight,
 * in at most budget bytes? */
static tessel_status tile_fits(const tessel_plan *plan, int w, int h, size_t budget, int *ok)
{
    working_set ws;
    FORWARD_IF_ERROR(measure(plan, w, h, TESSEL_TILES_IN_FLIGHT, &ws));
    *ok = fits(&ws) && ws.need <= budget;
    return TESSEL_OK;
}

/* What a tile may be: at most max_w x max_h outputs, its working set
 * within budget (and the device). */
typedef struct tile_bounds {
    int max_w, max_h;
    size_t budget;
} tile_bounds;

/* Method fft transforms a tile's window at once: past a side of
 * max(FFT_WINDOW_SIDE, 8 kernel sides) a larger window saves little halo
 * (under an eighth of the outputs) and takes long to plan (clFFT bakes and
 * compiles each size). */
#define FFT_WINDOW_SIDE 1024

static int fft_tile_side(int k, int stride, int n)
{
    const int side = 8 * k > FFT_WINDOW_SIDE ? 8 * k : FFT_WINDOW_SIDE;
    const int t = (side - k) / stride + 1;
    return t < n ? t : n;
}

static tile_bounds bounds(const tessel_plan *plan, size_t budget)
{
    const tessel_geometry *g = &plan->geo;
    tile_bounds b = {g->out_width, g->out_height, budget};
    if (plan->method == TESSEL_METHOD_FFT) {
        b.max_w = fft_tile_side(g->kernel_width, g->stride_x, g->out_width);
        b.max_h = fft_tile_side(g->kernel_height, g->stride_y, g->out_height);
    }
    return b;
}

/* The largest t with tile (tw(t), th(t)) fitting, 0 when none: full-width
 * bands of t rows, or tiles of t x t within the bounds. The working set
 * grows with the tile, so a binary search finds it. */
static tessel_status largest_fit(const tessel_plan *plan, const tile_bounds *b, int full_width,
                                 int *best)
{
    const int n = full_width || b->max_h > b->max_w ? b->max_h : b->max_w;
    int lo = 0, hi = n; /* lo fits (0 standing for none), above hi does not */
    while (lo < hi) {
        const int t = lo + (hi - lo + 1) / 2;
        const int tw = full_width ? plan->geo.out_width : t < b->max_w ? t : b->max_w;
        const int th = t < b->max_h ? t : b->max_h;
        int ok = 0;
        FORWARD_IF_ERROR(tile_fits(plan, tw, th, b->budget, &ok));
        if (ok) lo = t;
        else hi = t - 1;
    }
    *best = lo;
    return TESSEL_OK;
}

/* The same number of tiles as size t makes, each as small as that allows. */
static int balanced(int n, int t)
{
    const int count = (n + t - 1) / t;
    return (n + count - 1) / count;
}

#define MIN_BAND_ROWS 32 /* full-width bands at least this tall, else squares */

static tessel_status no_tile_fits(const tessel_plan *plan, const working_set *whole)
{
    working_set one;
    FORWARD_IF_ERROR(measure(plan, 1, 1, TESSEL_TILES_IN_FLIGHT, &one));
    char need[32], largest[32], cap[32];
    return tessel_fail(plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                       "method %s with a %dx%d kernel needs %s of device memory even in tiles "
                       "of one output pixel (largest buffer %s), more than the %s tessel may "
                       "use on this device%s",
                       tessel_method_name(plan->method), plan->geo.kernel_width,
                       plan->geo.kernel_height, tessel_bytes_text(one.need, need, sizeof need),
                       tessel_bytes_text(one.largest, largest, sizeof largest),
                       tessel_bytes_text(whole->m.device_bytes, cap, sizeof cap),
                       whole->m.limit_bytes ? " (TESSEL_DEVICE_MEMORY_LIMIT)" : "");
}

static tessel_status choose_tile(const tessel_plan *plan, const working_set *whole, int *tw,
                                 int *th)
{
    const int W = plan->geo.out_width, H = plan->geo.out_height;
    tile_bounds b = bounds(plan, TILE_WORKING_SET_MAX);
    int rows = 0;
    if (b.max_w == W) FORWARD_IF_ERROR(largest_fit(plan, &b, 1, &rows));
    if (rows > 0 && rows >= (H < MIN_BAND_ROWS ? H : MIN_BAND_ROWS)) {
        *tw = W;
        *th = balanced(H, rows);
        return TESSEL_OK;
    }
    int side = 0;
    FORWARD_IF_ERROR(largest_fit(plan, &b, 0, &side));
    if (side == 0) { /* a huge kernel's window may need more than the cap */
        b.budget = SIZE_MAX;
        FORWARD_IF_ERROR(largest_fit(plan, &b, 0, &side));
    }
    if (side == 0) return no_tile_fits(plan, whole);
    *tw = balanced(W, side < b.max_w ? side : b.max_w);
    *th = balanced(H, side < b.max_h ? side : b.max_h);
    return TESSEL_OK;
}

tessel_status tessel_tiles_subplan_spec(const tessel_plan *plan, tessel_kernel **kernel,
                                        tessel_conv_options *options)
{
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    *kernel = NULL;
    const int factors =
        plan->method == TESSEL_METHOD_SEPARABLE || plan->method == TESSEL_METHOD_RUNNING;
    tessel_status s = factors
                          ? tessel_kernel_build(kw, kh, NULL, plan->row_taps, plan->column_taps,
                                                kernel)
                          : tessel_kernel_build(kw, kh, plan->taps, NULL, NULL, kernel);
    RETURN_ERROR_IF(s != TESSEL_OK, plan->ctx, s, "tile kernel: %s", tessel_last_error());
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = TESSEL_MODE_VALID;
    o.correlate = 1; /* plan->taps are already in correlation orientation */
    o.stride_x = plan->geo.stride_x;
    o.stride_y = plan->geo.stride_y;
    o.method = plan->method;
    /* A scale that rounded to 0 in float stays 0 (0 in the options means 1). */
    o.scale = plan->scale != 0.0f ? plan->scale : 1e-300;
    o.offset = plan->offset;
    o.absolute = plan->absolute;
    *options = o;
    return TESSEL_OK;
}

/* The sub-plan of a tile's window (w x h samples of the window dtype),
 * built below the choice of tiles (plan_build.h): run only by the tiler,
 * between the buffers it stages. */
static tessel_status tile_subplan(const tessel_plan *plan, int w, int h, tessel_dtype dtype,
                                  tessel_plan **out)
{
    tessel_kernel *k = NULL;
    tessel_conv_options o;
    FORWARD_IF_ERROR(tessel_tiles_subplan_spec(plan, &k, &o));
    tessel_image shape = {NULL, w, h, plan->channels, dtype, 0};
    tessel_status s = tessel_plan_define(plan->ctx, &shape, plan->out_dtype, k, &o, NULL, out);
    tessel_kernel_destroy(k);
    if (s != TESSEL_OK) return s;
    (*out)->staged_by_caller = 1;
    s = tessel_plan_prepare(*out);
    if (s == TESSEL_OK) tessel_plan_log_ready(*out);
    if (s != TESSEL_OK) {
        tessel_plan_free(*out);
        *out = NULL;
    }
    return s;
}

/* plan->tiling, replaced by one of tiles of tw x th and its sub-plan. */
static tessel_status make_tiles(tessel_plan *plan, int tw, int th)
{
    const long long count = (long long)((plan->geo.out_width + tw - 1) / tw) *
                            ((plan->geo.out_height + th - 1) / th);
    RETURN_ERROR_IF(count > INT_MAX, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "%lld tiles of %dx%d outputs are too many to run (raise the device memory "
                    "limit)",
                    count, tw, th);
    tessel_tiling *t = calloc(1, sizeof *t);
    RETURN_ERROR_IF(!t, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for tiles");
    t->tile_w = tw;
    t->tile_h = th;
    t->cols = (plan->geo.out_width + tw - 1) / tw;
    t->rows = (plan->geo.out_height + th - 1) / th;
    t->window_dtype = tessel_tiles_window_dtype(plan);
    const tessel_rect first = {0, 0, tw, th}; /* every tile has this size */
    const tessel_rect win = tessel_tiles_window(plan, first);
    tessel_status s = tile_subplan(plan, win.w, win.h, t->window_dtype, &t->tile_plan);
    if (s != TESSEL_OK) {
        free(t);
        return s;
    }
    tessel_tiling_destroy(plan->tiling);
    plan->tiling = t;
    return TESSEL_OK;
}

tessel_status tessel_tiles_plan(tessel_plan *plan)
{
    if (!plan->ctx->ops->plan_memory) return TESSEL_OK; /* host memory: no device limit */
    working_set whole;
    FORWARD_IF_ERROR(measure(plan, 0, 0, 1, &whole));
    if (fits(&whole)) return TESSEL_OK;
    int tw = 0, th = 0;
    FORWARD_IF_ERROR(choose_tile(plan, &whole, &tw, &th));
    FORWARD_IF_ERROR(make_tiles(plan, tw, th));
    tessel_tiling *t = plan->tiling;
    /* Name what was exceeded: the memory, else the largest buffer. */
    const int by_memory = whole.need > whole.m.device_bytes;
    char need[32], cap[32], detail[128];
    tessel_bytes_text(by_memory ? whole.need : whole.largest, need, sizeof need);
    tessel_bytes_text(by_memory ? whole.m.device_bytes : whole.m.alloc_bytes, cap, sizeof cap);
    if (by_memory)
        snprintf(detail, sizeof detail, "%s, %s %s", need,
                 whole.m.limit_bytes ? "device memory limit" : "usable device memory", cap);
    else
        snprintf(detail, sizeof detail, "a buffer of %s, the device's largest being %s", need, cap);
    snprintf(t->how, sizeof t->how, "tiled %dx%d in tiles of %dx%d (the whole needs %s)", t->cols,
             t->rows, tw, th, detail);
    snprintf(t->reason, sizeof t->reason, "%s; %s", plan->method_reason, t->how);
    tessel_log(plan->ctx, TESSEL_LOG_INFO, "plan %dx%d -> %dx%d runs tiled: %s",
               plan->geo.in_width, plan->geo.in_height, plan->geo.out_width,
               plan->geo.out_height, t->how);
    return TESSEL_OK;
}

tessel_status tessel_tiles_force(tessel_plan *plan, int tile_w, int tile_h)
{
    RETURN_ERROR_IF(tile_w < 1 || tile_h < 1, plan->ctx, TESSEL_ERR_INVALID_ARGUMENT,
                    "tile size %dx%d is not positive", tile_w, tile_h);
    const int tw = tile_w < plan->geo.out_width ? tile_w : plan->geo.out_width;
    const int th = tile_h < plan->geo.out_height ? tile_h : plan->geo.out_height;
    FORWARD_IF_ERROR(make_tiles(plan, tw, th));
    tessel_tiling *t = plan->tiling;
    snprintf(t->how, sizeof t->how, "tiled %dx%d in tiles of %dx%d (forced)", t->cols, t->rows,
             tw, th);
    snprintf(t->reason, sizeof t->reason, "%s; %s", plan->method_reason, t->how);
    return TESSEL_OK;
}

/* One tile after another: windows inside the image are views of src, the
 * others are filled into one host buffer. */
static tessel_status run_serial(tessel_plan *plan, const tessel_image *src, const tessel_image *dst)
{
    const tessel_tiling *t = plan->tiling;
    const tessel_backend_ops *ops = plan->ctx->ops;
    void *buffer = NULL;
    tessel_status s = TESSEL_OK;
    for (int i = 0; s == TESSEL_OK && i < t->cols * t->rows; ++i) {
        const tessel_rect out = tessel_tiles_tile(plan, i);
        const tessel_rect w = tessel_tiles_window(plan, out);
        tessel_image win;
        if (tessel_tiles_window_inside(plan, w) && t->window_dtype == src->dtype) {
            win = tessel_image_region(src, w);
        } else {
            if (!buffer) buffer = malloc(image_bytes(w.w, w.h, plan->channels, t->window_dtype));
            if (!buffer) {
                s = tessel_fail(plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                                "out of memory for a %dx%d tile window", w.w, w.h);
                break;
            }
            win = (tessel_image){buffer, w.w, w.h, plan->channels, t->window_dtype, 0};
            tessel_tiles_fill_window(plan, src, w, &win);
        }
        const tessel_image part = tessel_image_region(dst, out);
        s = ops->plan_execute(t->tile_plan, &win, &part);
    }
    free(buffer);
    return s;
}

tessel_status tessel_tiles_execute(tessel_plan *plan, const tessel_image *src,
                                   const tessel_image *dst)
{
    const tessel_backend_ops *ops = plan->ctx->ops;
    if (ops->tiles_execute) return ops->tiles_execute(plan, src, dst);
    return run_serial(plan, src, dst);
}

void tessel_tiling_destroy(tessel_tiling *tiling)
{
    if (!tiling) return;
    tessel_plan_free(tiling->tile_plan); /* never tiled nor streamed itself */
    free(tiling);
}
