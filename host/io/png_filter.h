/* PNG's row filters, applied by the encoder (png_write.c). */
#ifndef TESSEL_IO_PNG_FILTER_H
#define TESSEL_IO_PNG_FILTER_H

#include <stddef.h>
#include <stdint.h>

typedef enum tessel_png_filter {
    TESSEL_PNG_FILTER_NONE = 0, /* the numbers PNG gives them */
    TESSEL_PNG_FILTER_SUB = 1,
    TESSEL_PNG_FILTER_UP = 2,
    TESSEL_PNG_FILTER_AVERAGE = 3,
    TESSEL_PNG_FILTER_PAETH = 4
} tessel_png_filter;

/* Filters row (n bytes of pixels of bpp bytes; up: the row above, all
 * zeros for the first row) into out. Returns the sum of the filtered bytes
 * read as signed magnitudes: the usual guess at how well they compress. */
unsigned long tessel_png_filter_row(tessel_png_filter type, const uint8_t *row, const uint8_t *up,
                               size_t n, size_t bpp, uint8_t *out);

#endif
