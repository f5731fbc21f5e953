/* Checking large outputs on a grid: the reference costs kw * kh per output,
 * so with large kernels it runs only on every gx-th column and gy-th row of
 * the output, and the library's output is sampled on the same grid. */
#ifndef TESSEL_TESTS_GRID_CHECK_H
#define TESSEL_TESTS_GRID_CHECK_H

#include "test_util.h"

/* The reference of src convolved with coeffs (kh x kw) under o, on the
 * grid: *gw x *gh x channels doubles (malloc'ed), or NULL when the
 * reference calls the case invalid. A stride of 0 counts as 1. */
double *grid_reference(const tessel_image *src, const double *coeffs, int kw, int kh,
                       const tessel_conv_options *o, int gx, int gy, int *gw, int *gh);

/* out's samples on the grid, as a packed gw x gh image of out's dtype. */
void grid_sample(const tessel_image *out, int gx, int gy, int gw, int gh, tu_image *grid);

#endif
