/* Byte counts of images and buffers, with overflow handled in one place:
 * a size that does not fit in size_t is either refused (tessel_size_product)
 * or held as SIZE_MAX, more than any memory or device has (the saturating
 * forms, for estimates compared against a limit). */
#ifndef TESSEL_CORE_SIZES_H
#define TESSEL_CORE_SIZES_H

#include <stddef.h>
#include <stdint.h>

/* a * b * c into *bytes: 1 when the product fits in size_t, else 0 (and
 * *bytes is SIZE_MAX). */
static inline int tessel_size_product(size_t a, size_t b, size_t c, size_t *bytes)
{
    *bytes = SIZE_MAX;
    if (a != 0 && b > SIZE_MAX / a) return 0;
    const size_t ab = a * b;
    if (ab != 0 && c > SIZE_MAX / ab) return 0;
    *bytes = ab * c;
    return 1;
}

/* a * b, or SIZE_MAX when that overflows. */
static inline size_t tessel_size_mul_sat(size_t a, size_t b)
{
    size_t product;
    tessel_size_product(a, b, 1, &product);
    return product;
}

/* a + b, or SIZE_MAX when that overflows. */
static inline size_t tessel_size_add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

#endif
