/* Reading TIFF tiles by bands of rows: a whole row of tiles is decoded at a
 * time into one band buffer, which serves every later band that lies in
 * the same tiles. */
#include <stdio.h>
#include <string.h>

#include "core/plan.h"
#include "tiff_reader.h"

tessel_status tessel_tiff_tiles_prepare(tessel_tiff_reader *r)
{
    const tessel_tiff_layout *l = &r->layout;
    uint64_t step = (uint64_t)(l->planes == 1 ? l->channels : 1);
    uint64_t bytes =
        (uint64_t)l->tile_width * (uint64_t)l->tile_height * step * (uint64_t)l->file_bytes;
    uint64_t libtiff_bytes = TIFFTileSize64(r->handle.tif);
    r->band_row = -1;
    uint64_t tile = bytes > libtiff_bytes ? bytes : libtiff_bytes;
    FORWARD_IF_ERROR(tessel_tiff_allocate(r, &r->tile, tile, "a TIFF tile"));
    r->tile_bytes = (size_t)tile;
    return tessel_tiff_allocate(r, &r->band, (uint64_t)l->tile_height * (uint64_t)r->row_bytes,
                                "a row of TIFF tiles");
}

/* libtiff may call a damaged tile decoded without writing all of it (a
 * deflate stream that ends a byte early): what it leaves is zeros, never
 * the previous tile's or uninitialised memory. */
static tessel_status decode_tile(tessel_tiff_reader *r, int x, int y, int plane)
{
    tessel_tiff_clear_message(&r->handle);
    memset(r->tile, 0, r->tile_bytes);
    if (TIFFReadTile(r->handle.tif, r->tile, (uint32_t)x, (uint32_t)y, 0, (uint16_t)plane) >= 0)
        return TESSEL_OK;
    char what[96];
    snprintf(what, sizeof what, "cannot decode the TIFF tile at x %d, y %d", x, y);
    return tessel_tiff_fail(&r->handle, TESSEL_ERR_FORMAT, what);
}

/* Decodes every tile of tile row `index` into the band buffer. */
static tessel_status decode_tile_row(tessel_tiff_reader *r, int index)
{
    const tessel_tiff_layout *l = &r->layout;
    int y = index * l->tile_height;
    int rows = l->height - y < l->tile_height ? l->height - y : l->tile_height;
    int step = l->planes == 1 ? l->channels : 1;
    size_t tile_row_bytes = (size_t)l->tile_width * (size_t)step * (size_t)l->file_bytes;
    r->band_row = -1;
    for (int plane = 0; plane < l->planes; ++plane) {
        for (int x = 0; x < l->width; x += l->tile_width) {
            FORWARD_IF_ERROR(decode_tile(r, x, y, plane));
            int columns = l->width - x < l->tile_width ? l->width - x : l->tile_width;
            for (int i = 0; i < rows; ++i)
                tessel_tiff_place_samples(r->band + (size_t)i * r->row_bytes +
                                              (size_t)x * r->pixel_bytes,
                                          l->channels, plane, l->dtype,
                                          r->tile + (size_t)i * tile_row_bytes, step,
                                          l->file_bytes, (size_t)columns);
        }
    }
    r->band_row = index;
    return TESSEL_OK;
}

tessel_status tessel_tiff_tiles_read(tessel_tiff_reader *r, int y0, tessel_image *dst)
{
    size_t stride = tessel_image_row_bytes(dst);
    int tile_height = r->layout.tile_height;
    for (int i = 0; i < dst->height; ++i) {
        int y = y0 + i;
        if (y / tile_height != r->band_row) FORWARD_IF_ERROR(decode_tile_row(r, y / tile_height));
        memcpy((unsigned char *)dst->data + (size_t)i * stride,
               r->band + (size_t)(y % tile_height) * r->row_bytes, r->row_bytes);
    }
    return TESSEL_OK;
}
