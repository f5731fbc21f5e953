/* Where tiles lie and what input they read: the grid, each tile's window,
 * and the window filled on the host by the border rule (see tiles.h). */
#include <string.h>

#include "tiles.h"

tessel_rect tessel_tiles_tile(const tessel_plan *plan, int index)
{
    const tessel_tiling *t = plan->tiling;
    const int col = index % t->cols, row = index / t->cols;
    int x = col * t->tile_w, y = row * t->tile_h;
    /* The last tile moves back to end at the edge: every tile has one size. */
    if (x > plan->geo.out_width - t->tile_w) x = plan->geo.out_width - t->tile_w;
    if (y > plan->geo.out_height - t->tile_h) y = plan->geo.out_height - t->tile_h;
    tessel_rect r = {x, y, t->tile_w, t->tile_h};
    return r;
}

tessel_rect tessel_tiles_window(const tessel_plan *plan, tessel_rect out)
{
    const tessel_geometry *g = &plan->geo;
    tessel_rect w;
    w.x = out.x * g->stride_x + g->origin_x;
    w.y = out.y * g->stride_y + g->origin_y;
    w.w = (out.w - 1) * g->stride_x + g->kernel_width;
    w.h = (out.h - 1) * g->stride_y + g->kernel_height;
    return w;
}

int tessel_tiles_window_inside(const tessel_plan *plan, tessel_rect w)
{
    const tessel_geometry *g = &plan->geo;
    return w.x >= 0 && w.y >= 0 && (long long)w.x + w.w <= g->in_width &&
           (long long)w.y + w.h <= g->in_height;
}

tessel_image tessel_image_region(const tessel_image *img, tessel_rect r)
{
    const size_t pixel = (size_t)img->channels * tessel_dtype_size(img->dtype);
    const size_t pitch = tessel_image_row_bytes(img);
    tessel_image v = *img;
    v.data = (unsigned char *)img->data + (size_t)r.y * pitch + (size_t)r.x * pixel;
    v.width = r.w;
    v.height = r.h;
    v.stride = pitch;
    return v;
}

/* Sample n of a row of dtype d as float (exact for u8 and u16). */
static float sample_at(const void *row, tessel_dtype d, size_t n)
{
    if (d == TESSEL_U8) return ((const unsigned char *)row)[n];
    if (d == TESSEL_U16) return ((const uint16_t *)row)[n];
    return ((const float *)row)[n];
}

/* Pixel `to` of out (dtype od) from pixel `from` of in (dtype id), c samples. */
static void copy_pixel(const void *in, tessel_dtype id, size_t from, void *out, tessel_dtype od,
                       size_t to, int c)
{
    if (id == od) {
        const size_t bytes = (size_t)c * tessel_dtype_size(id);
        memcpy((unsigned char *)out + to * bytes, (const unsigned char *)in + from * bytes, bytes);
        return;
    }
    /* Only u8/u16 into f32 windows (a cval the input dtype cannot hold). */
    for (int k = 0; k < c; ++k)
        ((float *)out)[to * c + k] = sample_at(in, id, from * c + k);
}

/* n pixels of cval; it is a value of od (tessel_tiles_window_dtype). */
static void fill_cval(void *out, tessel_dtype od, size_t n, int c, float cval)
{
    const size_t samples = n * (size_t)c;
    for (size_t k = 0; k < samples; ++k) {
        if (od == TESSEL_U8) ((unsigned char *)out)[k] = (unsigned char)cval;
        else if (od == TESSEL_U16) ((uint16_t *)out)[k] = (uint16_t)cval;
        else ((float *)out)[k] = cval;
    }
}

/* Window columns [j0, j1) that lie outside the row: the border rule. */
static void fill_border_columns(const tessel_plan *plan, const void *in_row, tessel_dtype in_dtype,
                                int x0, int j0, int j1, void *out_row, tessel_dtype out_dtype)
{
    const int c = plan->channels;
    const size_t pixel = (size_t)c * tessel_dtype_size(out_dtype);
    for (int j = j0; j < j1; ++j) {
        const int from = tessel_border_index(plan->border, (long long)x0 + j, plan->geo.in_width);
        if (from < 0)
            fill_cval((unsigned char *)out_row + (size_t)j * pixel, out_dtype, 1, c, plan->cval);
        else
            copy_pixel(in_row, in_dtype, (size_t)from, out_row, out_dtype, (size_t)j, c);
    }
}

void tessel_tiles_fill_row(const tessel_plan *plan, const void *in_row, tessel_dtype in_dtype,
                           int x0, int width, void *out_row, tessel_dtype out_dtype)
{
    const int c = plan->channels;
    if (!in_row) { /* a row outside the image under the constant border */
        fill_cval(out_row, out_dtype, (size_t)width, c, plan->cval);
        return;
    }
    /* Window columns [lo, hi) map one to one onto the row's. */
    long long lo = -(long long)x0, hi = (long long)plan->geo.in_width - x0;
    lo = lo < 0 ? 0 : lo > width ? width : lo;
    hi = hi < lo ? lo : hi > width ? width : hi;
    fill_border_columns(plan, in_row, in_dtype, x0, 0, (int)lo, out_row, out_dtype);
    if (in_dtype == out_dtype) {
        const size_t pixel = (size_t)c * tessel_dtype_size(in_dtype);
        memcpy((unsigned char *)out_row + (size_t)lo * pixel,
               (const unsigned char *)in_row + (size_t)(lo + x0) * pixel, (size_t)(hi - lo) * pixel);
    } else {
        for (long long j = lo; j < hi; ++j)
            copy_pixel(in_row, in_dtype, (size_t)(j + x0), out_row, out_dtype, (size_t)j, c);
    }
    fill_border_columns(plan, in_row, in_dtype, x0, (int)hi, width, out_row, out_dtype);
}

void tessel_tiles_fill_window(const tessel_plan *plan, const tessel_image *src,
                              tessel_rect window, const tessel_image *win)
{
    const size_t src_pitch = tessel_image_row_bytes(src), win_pitch = tessel_image_row_bytes(win);
    for (int j = 0; j < window.h; ++j) {
        const int r = tessel_border_index(plan->border, (long long)window.y + j, src->height);
        const void *in_row = r < 0 ? NULL : (const unsigned char *)src->data + (size_t)r * src_pitch;
        tessel_tiles_fill_row(plan, in_row, src->dtype, window.x, window.w,
                              (unsigned char *)win->data + (size_t)j * win_pitch, win->dtype);
    }
}
