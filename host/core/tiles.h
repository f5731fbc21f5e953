/* Tiled execution: a plan over an image larger than its device runs as a
 * grid of output tiles, each from its own border-extended input window.
 *
 * A tile is a rectangle of output pixels. The input it reads (its window,
 * halo included) follows from the plan's one-form contract (geometry.h):
 * rows tile_y0*sy + origin_y .. + (tile_h-1)*sy + kh - 1, the columns alike,
 * with indices outside the image given by the border rule. Filled on the
 * host with the border applied, the window is convolved by a sub-plan in
 * mode valid with the plan's oriented taps (correlate, so nothing flips
 * twice), same stride, scale, offset, absolute value, output dtype and
 * method: exactly the parent's sums, so direct and separable results are
 * bit-identical to an untiled run.
 *
 * All tiles have one size: the last tile of a row or column is moved back
 * to end at the image's edge (it recomputes a few outputs of its
 * neighbour), so one sub-plan serves every tile, and its workspace and
 * compiled kernels exist once.
 *
 * Band streaming (tessel_plan_stream) runs a plan over bands of output
 * rows with input rows pulled from a callback and output rows pushed to
 * another, holding only a band and its halo: the building block for images
 * that do not fit host memory either (file readers and writers). Its band
 * sub-plan is cached on the plan (plan->band_plan), apart from the tiling. */
#ifndef TESSEL_CORE_TILES_H
#define TESSEL_CORE_TILES_H

#include "plan.h"

/* How a tiled plan runs (plan->tiling). */
typedef struct tessel_tiling {
    int tile_w, tile_h;       /* output pixels per tile */
    int cols, rows;           /* the grid */
    tessel_plan *tile_plan;   /* sub-plan of one tile's window */
    tessel_dtype window_dtype; /* the input's, or f32 when cval does not fit it */
    char how[224];            /* "tiled 4x3 in tiles of ... (why)" */
    char reason[384];         /* the parent's method_reason, "; ", how */
} tessel_tiling;

/* A rectangle in output or (virtual, unbounded) input coordinates. */
typedef struct tessel_rect {
    int x, y, w, h;
} tessel_rect;

/* Tiles in flight in a backend's pipelined executor: the input and output
 * staging it keeps per tile, counted when a tile size is chosen. */
#define TESSEL_TILES_IN_FLIGHT 2

/* Called while a plan is created, before its backend prepares it: when the
 * backend reports device memory (plan_memory) and the plan does not fit,
 * chooses a tile size whose working set does, and makes plan->tiling with
 * its sub-plan. Fails with a message naming the limit when not even one
 * output pixel's window fits. */
tessel_status tessel_tiles_plan(tessel_plan *plan);

/* Makes a created plan run in tiles of at most tile_w x tile_h outputs,
 * whether it fits or not (tests; the CPU backend never tiles by itself).
 * The plan keeps its whole-image state for buffer runs. */
tessel_status tessel_tiles_force(tessel_plan *plan, int tile_w, int tile_h);

/* Runs a tiled plan on host images (validated against the plan): through
 * the backend's tiles_execute when it has one, else tile after tile. */
tessel_status tessel_tiles_execute(tessel_plan *plan, const tessel_image *src,
                                   const tessel_image *dst);

/* Accepts NULL. Destroys the sub-plan. */
void tessel_tiling_destroy(tessel_tiling *tiling);

/* ---- pieces for executors (a backend's tiles_execute uses them) */

/* Output rectangle of tile index (row-major over the grid). */
tessel_rect tessel_tiles_tile(const tessel_plan *plan, int index);
/* The input window an output rectangle reads, in input coordinates (may
 * reach outside the image). */
tessel_rect tessel_tiles_window(const tessel_plan *plan, tessel_rect out);
/* 1 when the window lies inside the image and needs no border samples. */
int tessel_tiles_window_inside(const tessel_plan *plan, tessel_rect window);
/* A view of the rectangle r (inside img) of img, img's row stride kept. */
tessel_image tessel_image_region(const tessel_image *img, tessel_rect r);
/* One window row of `width` samples starting at input column x0, from the
 * input row in_row (the plan's input width, dtype in_dtype; NULL: a row
 * outside the image under the constant border, all cval). */
void tessel_tiles_fill_row(const tessel_plan *plan, const void *in_row, tessel_dtype in_dtype,
                           int x0, int width, void *out_row, tessel_dtype out_dtype);
/* Fills win (window.w x window.h, the plan's channels, dtype
 * tiling->window_dtype or the input's) with the border-extended input. */
void tessel_tiles_fill_window(const tessel_plan *plan, const tessel_image *src,
                              tessel_rect window, const tessel_image *win);

/* What a sub-plan of plan is made of: its taps as a kernel (destroy it)
 * and the options of mode valid, correlation (the taps are oriented
 * already), the plan's stride, scale, offset, absolute value and method.
 * Applied to windows of the border-extended input, it computes exactly the
 * plan's sums. */
tessel_status tessel_tiles_subplan_spec(const tessel_plan *plan, tessel_kernel **kernel,
                                        tessel_conv_options *options);
/* The dtype windows of this plan hold: the input's, or f32 when the border
 * is constant and cval is not a value of the input dtype. */
tessel_dtype tessel_tiles_window_dtype(const tessel_plan *plan);

/* ---- band streaming */

/* Fills rows (count rows of the plan's input width, channels and dtype,
 * with its own row stride) with input rows y0 .. y0+count-1. (The public
 * tessel_row_source is the same, behind plan_stream.c's messages.) */
typedef tessel_status (*tessel_band_source)(void *user, int y0, int count,
                                            const tessel_image *rows);
/* Takes output rows y0 .. y0+count-1 from rows (valid during the call). */
typedef tessel_status (*tessel_band_sink)(void *user, int y0, int count,
                                          const tessel_image *rows);

/*
 * Runs the plan over bands of band_rows output rows (0 = chosen: the tile
 * height of a plan tiled in full-width bands, else about 16 MiB of window).
 * The sink gets every output row exactly once, bands in increasing order.
 * The source is asked for input rows mostly in increasing order, each row
 * about once; the rows a border rule brings in from elsewhere (wrap at the
 * first band asks for the last rows; a kernel taller than the image) may be
 * asked for out of order or again. Memory: a band's window of input rows
 * (twice, to keep the halo), its output rows and the sub-plan. A callback's
 * failure stops the run and its status is returned (the callback records
 * its message, e.g. with tessel_fail on the plan's context).
 */
tessel_status tessel_plan_stream(tessel_plan *plan, tessel_band_source source, void *source_user,
                                 tessel_band_sink sink, void *sink_user, int band_rows);

#endif
