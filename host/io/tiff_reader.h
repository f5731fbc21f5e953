/* The TIFF band reader's state, shared by its parts: opening and the
 * public calls (tiff_reader.c), strips (tiff_strips.c) and tiles
 * (tiff_tiles.c). */
#ifndef TESSEL_IO_TIFF_READER_H
#define TESSEL_IO_TIFF_READER_H

#include "tiff_io.h"

struct tessel_tiff_reader {
    char *path;
    tessel_io_file file;
    int owns_file;
    tessel_tiff_handle handle;
    tessel_tiff_layout layout;
    size_t pixel_bytes; /* of a tessel pixel: channels x sample size */
    size_t row_bytes;   /* of a packed tessel row */

    /* strips */
    size_t line_bytes;        /* one row of one plane as libtiff decodes it */
    unsigned char *scanline;  /* one such row */
    int direct;               /* a line is a tessel row: decoded in place */
    int next_row, next_plane; /* what libtiff decodes next without a restart; -1: unknown */
    unsigned char *recent;    /* the lines decoded last, a ring of recent_rows lines */
    int recent_rows;          /* 0: no ring (uncompressed or separate planes) */
    int recent_count;         /* lines next_row - recent_count .. next_row - 1 are in it */

    /* tiles */
    unsigned char *tile; /* one decoded tile */
    size_t tile_bytes;   /* its size */
    unsigned char *band; /* one row of tiles over the image's width, as tessel rows */
    int band_row;        /* the tile row in band, -1 for none */
};

/* Allocates what reading strips or tiles needs. */
tessel_status tessel_tiff_strips_prepare(tessel_tiff_reader *r);
tessel_status tessel_tiff_tiles_prepare(tessel_tiff_reader *r);
/* Rows y0 .. y0 + dst->height - 1 into dst (checked by the caller). */
tessel_status tessel_tiff_strips_read(tessel_tiff_reader *r, int y0, tessel_image *dst);
tessel_status tessel_tiff_tiles_read(tessel_tiff_reader *r, int y0, tessel_image *dst);
/* Allocation of n bytes that names what failed. */
tessel_status tessel_tiff_allocate(const tessel_tiff_reader *r, unsigned char **buf, uint64_t n,
                                   const char *what);

/* A reader over a file the caller opened and closes (after the reader). */
tessel_status tessel_tiff_reader_open_file(const tessel_io_file *file, tessel_tiff_reader **out);

#endif
