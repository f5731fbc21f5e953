/* The TIFF writer's decisions, apart so that tests can check them without
 * writing gigabytes. */
#ifndef TESSEL_IO_TIFF_WRITE_PLAN_H
#define TESSEL_IO_TIFF_WRITE_PLAN_H

#include "tessel/tessel_io.h"

typedef struct tessel_tiff_write_plan {
    tessel_compression compression; /* never DEFAULT */
    int tile_width, tile_height;    /* 0: strips */
    int rows_per_strip;             /* strips only */
    int bigtiff;
    double estimated_bytes; /* the most the file can take */
} tessel_tiff_write_plan;

/* options (may be NULL) checked for a TIFF, with the defaults filled in. */
tessel_status tessel_tiff_resolve_options(const char *path, const tessel_write_options *options,
                                          tessel_write_options *out);
/* The layout of a TIFF of shape's size written with resolved options o. */
void tessel_tiff_plan_layout(const tessel_image *shape, const tessel_write_options *o,
                             tessel_tiff_write_plan *plan);

#endif
