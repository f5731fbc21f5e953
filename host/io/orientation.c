/* Turning an image upright by its EXIF orientation, as OpenCV and libvips
 * do when they read a JPEG: for each orientation, where the upright pixel
 * (x, y) comes from in the stored image of w x h pixels. */
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "metadata.h"

#define BLOCK 64 /* pixels: transposes go block by block, for the cache */

static void source_of(int orientation, int x, int y, int w, int h, int *sx, int *sy)
{
    switch (orientation) {
    case 2: *sx = w - 1 - x, *sy = y; break;         /* mirrored */
    case 3: *sx = w - 1 - x, *sy = h - 1 - y; break; /* upside down */
    case 4: *sx = x, *sy = h - 1 - y; break;         /* mirrored upside down */
    case 5: *sx = y, *sy = x; break;                 /* transposed */
    case 6: *sx = y, *sy = h - 1 - x; break;         /* turned a quarter left */
    case 7: *sx = w - 1 - y, *sy = h - 1 - x; break; /* transposed the other way */
    case 8: *sx = w - 1 - y, *sy = x; break;         /* turned a quarter right */
    default: *sx = x, *sy = y; break;
    }
}

static void copy_block(const tessel_image *src, unsigned char *dst, int dst_w, int dst_h, int x0,
                       int y0, int orientation, size_t pixel)
{
    size_t src_row = tessel_image_row_bytes(src);
    int x1 = x0 + BLOCK < dst_w ? x0 + BLOCK : dst_w, y1 = y0 + BLOCK < dst_h ? y0 + BLOCK : dst_h;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) {
            int sx, sy;
            source_of(orientation, x, y, src->width, src->height, &sx, &sy);
            memcpy(dst + ((size_t)y * (size_t)dst_w + (size_t)x) * pixel,
                   (const unsigned char *)src->data + (size_t)sy * src_row + (size_t)sx * pixel,
                   pixel);
        }
}

tessel_status tessel_orient_upright(const char *path, tessel_image *img, int orientation)
{
    if (orientation < 2 || orientation > 8) return TESSEL_OK;
    int swap = orientation >= 5; /* the quarter turns and transposes swap width and height */
    int w = swap ? img->height : img->width, h = swap ? img->width : img->height;
    size_t pixel = (size_t)img->channels * tessel_dtype_size(img->dtype);
    tessel_image upright;
    FORWARD_IF_ERROR(tessel_io_image_alloc(path, w, h, img->channels, img->dtype, &upright));
    for (int y = 0; y < h; y += BLOCK)
        for (int x = 0; x < w; x += BLOCK)
            copy_block(img, upright.data, w, h, x, y, orientation, pixel);
    free(img->data);
    *img = upright;
    return TESSEL_OK;
}
