/* Reading TIFF strips by bands of rows.
 *
 * Strips are read a scanline at a time, so libtiff holds only a window of
 * the compressed strip however tall it is, and straight into the caller's
 * rows when the file's samples are the image's. libtiff decodes compressed
 * strips only forward from a strip's first row: a band that starts behind
 * the decoder restarts its strip there. To spare that for bands that
 * overlap the one before (a filter's halo), the last lines decoded are kept
 * in a ring of at most one strip and RECENT_BYTES. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/plan.h"
#include "tiff_reader.h"

#define RECENT_BYTES ((size_t)16 << 20)

tessel_status tessel_tiff_strips_prepare(tessel_tiff_reader *r)
{
    const tessel_tiff_layout *l = &r->layout;
    uint64_t step = (uint64_t)(l->planes == 1 ? l->channels : 1);
    uint64_t bytes = (uint64_t)l->width * step * (uint64_t)l->file_bytes;
    uint64_t libtiff_bytes = TIFFScanlineSize64(r->handle.tif);
    uint64_t line = bytes > libtiff_bytes ? bytes : libtiff_bytes;
    FORWARD_IF_ERROR(tessel_tiff_allocate(r, &r->scanline, line, "a TIFF row"));
    r->line_bytes = (size_t)line;
    r->direct = l->planes == 1 && (size_t)l->file_bytes == tessel_dtype_size(l->dtype) &&
                libtiff_bytes == r->row_bytes;
    r->next_row = -1;
    if (l->random_access || l->planes != 1 || l->rows_per_strip < 2) return TESSEL_OK;
    size_t rows = RECENT_BYTES / r->line_bytes;
    if (rows > (size_t)l->rows_per_strip) rows = (size_t)l->rows_per_strip;
    if (rows < 2) return TESSEL_OK;
    r->recent = malloc(rows * r->line_bytes);
    r->recent_rows = r->recent ? (int)rows : 0; /* without it, only slower */
    return TESSEL_OK;
}

/* Keeps line y, just decoded, in the ring. */
static void remember(tessel_tiff_reader *r, int y, const void *line)
{
    int follows = y == r->next_row;
    r->recent_count = follows && r->recent_count < r->recent_rows ? r->recent_count + 1
                      : follows                                   ? r->recent_rows
                                                                  : 1;
    memcpy(r->recent + (size_t)(y % r->recent_rows) * r->line_bytes, line, r->line_bytes);
}

/* Line y from the ring, or NULL. */
static const unsigned char *recall(const tessel_tiff_reader *r, int y)
{
    if (!r->recent_rows || y >= r->next_row || y < r->next_row - r->recent_count) return NULL;
    return r->recent + (size_t)(y % r->recent_rows) * r->line_bytes;
}

/* buf is cleared first: libtiff may call a damaged line decoded without
 * writing all of it, and what it leaves must be zeros, never earlier rows
 * or uninitialised memory. */
static tessel_status read_scanline(tessel_tiff_reader *r, int y, int plane, void *buf)
{
    tessel_tiff_clear_message(&r->handle);
    memset(buf, 0, r->line_bytes);
    if (TIFFReadScanline(r->handle.tif, buf, (uint32_t)y, (uint16_t)plane) < 0) {
        r->next_row = -1; /* where the decoder stands is unknown now */
        r->recent_count = 0;
        char what[80];
        snprintf(what, sizeof what, "cannot decode row %d of the TIFF", y);
        return tessel_tiff_fail(&r->handle, TESSEL_ERR_FORMAT, what);
    }
    if (r->recent_rows) remember(r, y, buf);
    r->next_row = y + 1;
    r->next_plane = plane;
    return TESSEL_OK;
}

/* Brings the decoder to row y of plane: through the rows before it in its
 * strip, from where the decoder stands when that is on the way. */
static tessel_status seek_row(tessel_tiff_reader *r, int y, int plane)
{
    const tessel_tiff_layout *l = &r->layout;
    if (l->random_access || (y == r->next_row && plane == r->next_plane)) return TESSEL_OK;
    int first = y - y % l->rows_per_strip;
    int on_the_way = plane == r->next_plane && r->next_row > first && r->next_row < y;
    for (int row = on_the_way ? r->next_row : first; row < y; ++row)
        FORWARD_IF_ERROR(read_scanline(r, row, plane, r->scanline));
    return TESSEL_OK;
}

/* Row y of plane into the tessel row `row`. */
static tessel_status strip_row(tessel_tiff_reader *r, int y, int plane, unsigned char *row)
{
    const tessel_tiff_layout *l = &r->layout;
    const unsigned char *line = recall(r, y);
    if (!line) {
        FORWARD_IF_ERROR(seek_row(r, y, plane));
        FORWARD_IF_ERROR(read_scanline(r, y, plane, r->direct ? row : r->scanline));
        if (r->direct) return TESSEL_OK;
        line = r->scanline;
    }
    int step = l->planes == 1 ? l->channels : 1;
    tessel_tiff_place_samples(row, l->channels, plane, l->dtype, line, step, l->file_bytes,
                              (size_t)l->width);
    return TESSEL_OK;
}

tessel_status tessel_tiff_strips_read(tessel_tiff_reader *r, int y0, tessel_image *dst)
{
    size_t stride = tessel_image_row_bytes(dst);
    for (int plane = 0; plane < r->layout.planes; ++plane)
        for (int i = 0; i < dst->height; ++i)
            FORWARD_IF_ERROR(
                strip_row(r, y0 + i, plane, (unsigned char *)dst->data + (size_t)i * stride));
    return TESSEL_OK;
}
