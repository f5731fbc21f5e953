/* The kernel object: dense coefficients, plus rank-1 factors when it has them. */
#ifndef TESSEL_CORE_KERNEL_H
#define TESSEL_CORE_KERNEL_H

#include "tessel/tessel.h"

struct tessel_kernel {
    int width, height;
    float *coeffs;   /* height*width, row-major */
    int separable;   /* 1 when coeffs == column (x) row up to float rounding */
    float *row;      /* width taps (NULL unless separable) */
    float *column;   /* height taps (NULL unless separable) */
    int constant;    /* TESSEL_ROW_CONSTANT | TESSEL_COLUMN_CONSTANT: the
                        separable factors whose taps are all equal */
};

/* Bits of tessel_kernel.constant. A factor of one tap counts as constant. */
#define TESSEL_ROW_CONSTANT 1
#define TESSEL_COLUMN_CONSTANT 2

/* 1 when method RUNNING applies: a constant factor of two or more taps. */
int tessel_kernel_box_like(const tessel_kernel *k);


/* Builds a kernel from dense coefficients and known factors (either may be
 * NULL: the dense form is derived from the factors, the factors are searched
 * for in the dense form). Validates finiteness and size. */
tessel_status tessel_kernel_build(int width, int height, const float *coeffs, const float *row,
                                  const float *column, tessel_kernel **out);

/* Tap rows with block_rows - 1 zero rows added before and after (malloc'ed,
 * NULL when out of memory): a loop computing block_rows output rows at once
 * from shared input rows then needs no bounds tests (CPU correlate.h and
 * kernels_cl/conv_vector.cl). */
float *tessel_pad_taps(const float *taps, int nrows, int ntaps, int block_rows);

#endif
