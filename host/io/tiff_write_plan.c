/* The TIFF writer's decisions: the options checked, strips or tiles, rows
 * per strip, and whether the file must be a BigTIFF. */
#include <string.h>

#include "formats.h"
#include "io.h"
#include "tiff_write_plan.h"

/* Uncompressed size aimed at for one strip: small enough to keep memory
 * low, large enough that per-strip overheads do not matter. */
#define STRIP_BYTES ((size_t)256 << 10)
/* Tiles larger than this on a side are a mistake more often than a need. */
#define MAX_TILE_SIDE 4096

/* options (NULL = defaults; an older, shorter struct read as far as it
 * goes) checked for a TIFF, with the defaults filled in. */
tessel_status tessel_tiff_resolve_options(const char *path, const tessel_write_options *options,
                                          tessel_write_options *out)
{
    tessel_write_options o;
    FORWARD_IF_ERROR(tessel_write_options_copy(options, &o));
    if (o.format != TESSEL_FORMAT_AUTO && o.format != TESSEL_FORMAT_TIFF)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "the TIFF writer writes TIFF, not format %d", (int)o.format);
    if ((unsigned)o.compression > TESSEL_COMPRESSION_LZW)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path, "unknown compression %d",
                              (int)o.compression);
    if (o.compression == TESSEL_COMPRESSION_DEFAULT) o.compression = TESSEL_COMPRESSION_DEFLATE;
    int tiled = o.tile_width != 0 || o.tile_height != 0;
    if (tiled && (o.tile_width <= 0 || o.tile_height <= 0 || o.tile_width % 16 != 0 ||
                  o.tile_height % 16 != 0 || o.tile_width > MAX_TILE_SIDE ||
                  o.tile_height > MAX_TILE_SIDE))
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "TIFF tiles of %dx%d: both sides must be multiples of 16 from 16 "
                              "to %d (or both 0 for strips)",
                              o.tile_width, o.tile_height, MAX_TILE_SIDE);
    if (o.bigtiff != 0 && o.bigtiff != 1)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, path,
                              "bigtiff is %d: 0 (when needed) or 1 (always)", o.bigtiff);
    *out = o;
    return TESSEL_OK;
}

/* How the file will be laid out: strips or tiles, and whether it must be a
 * BigTIFF. The estimate is the largest size the pixel data can take: LZW
 * may grow incompressible data by half, deflate by a fraction of a
 * percent; each strip or tile adds its offset and byte count. */
void tessel_tiff_plan_layout(const tessel_image *shape, const tessel_write_options *o,
                             tessel_tiff_write_plan *plan)
{
    size_t row_bytes =
        (size_t)shape->width * (size_t)shape->channels * tessel_dtype_size(shape->dtype);
    memset(plan, 0, sizeof *plan);
    plan->compression = o->compression;
    plan->tile_width = o->tile_width;
    plan->tile_height = o->tile_height;
    double chunks;
    if (o->tile_width) {
        chunks = ((double)shape->width / o->tile_width + 1) *
                 ((double)shape->height / o->tile_height + 1);
    } else {
        size_t rows = STRIP_BYTES / row_bytes;
        plan->rows_per_strip = rows < 1 ? 1 : rows > (size_t)shape->height ? shape->height
                                                                            : (int)rows;
        chunks = (double)shape->height / plan->rows_per_strip + 1;
    }
    double growth = o->compression == TESSEL_COMPRESSION_LZW       ? 1.5
                    : o->compression == TESSEL_COMPRESSION_DEFLATE ? 1.01
                                                                   : 1.0;
    plan->estimated_bytes =
        (double)row_bytes * shape->height * growth + chunks * 16.0 + (double)(1 << 20);
    plan->bigtiff = o->bigtiff || plan->estimated_bytes >= 4294967296.0;
}
