/* Output sizes and border index maps: the math contract in one place.
 *
 * Every mode, anchor and correlate/convolve choice reduces to one form: with
 * taps = the kernel flipped for convolution (as is for correlation),
 *   out[r][c] = sum_t sum_i taps[t][i] * in[r*sy + origin_y + t][c*sx + origin_x + i]
 * where indices outside the image follow the border rule. */
#ifndef TESSEL_CORE_GEOMETRY_H
#define TESSEL_CORE_GEOMETRY_H

#include "tessel/tessel.h"

typedef struct tessel_geometry {
    int in_width, in_height;
    int kernel_width, kernel_height;
    int dense_width, dense_height; /* output before stride */
    int stride_x, stride_y;
    int out_width, out_height;     /* after stride */
    int origin_x, origin_y;        /* input position of tap (0,0) for output (0,0) */
} tessel_geometry;

/* Fills geo from the sizes and options (options already defaulted, see
 * tessel_options_resolve). On failure writes a message into err. */
tessel_status tessel_geometry_make(int width, int height, int kernel_width, int kernel_height,
                                   const tessel_conv_options *options, tessel_geometry *geo,
                                   char *err, size_t err_size);

/* Index in [0, n) that border rule b gives to position p (any integer), or
 * -1 for CONSTANT outside the image. n >= 1. */
int tessel_border_index(tessel_border b, long long p, int n);

/* Copies options (NULL = defaults) into out with every zero-means-default
 * field resolved (stride 0 -> 1, scale 0 -> 1) and checks enum ranges. */
tessel_status tessel_options_resolve(const tessel_conv_options *options, tessel_conv_options *out,
                                     char *err, size_t err_size);

#endif
