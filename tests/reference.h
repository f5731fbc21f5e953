/* The double-precision reference: DESIGN.md's "Semantics" computed the
 * plainest way, sharing nothing with the library but its public types.
 * Every test compares the library against this (and this against SciPy,
 * see golden/). */
#ifndef TESSEL_TESTS_REFERENCE_H
#define TESSEL_TESTS_REFERENCE_H

#include "tessel/tessel.h"

/* Output size (after stride) of a kw x kh kernel on a w x h image.
 * o NULL = defaults (same, reflect, stride 1). Returns 0 on success, -1 when
 * the contract calls the request invalid: a size not positive, a negative
 * stride, valid mode with a kernel larger than the image, an explicit anchor
 * outside the kernel or outside same mode. */
int ref_output_size(int w, int h, int kw, int kh, const tessel_conv_options *o, int *ow,
                    int *oh);

/* in: h*w*c interleaved, packed; k: kh*kw row-major; out: oh*ow*c (the size
 * ref_output_size gives, which must have succeeded). Values are after
 * scale/offset/absolute (scale 0 means 1) and before any rounding or
 * saturation to an integer dtype. */
void ref_convolve2d(const double *in, int w, int h, int c, const double *k, int kw, int kh,
                    const tessel_conv_options *o, double *out);

/* Border rule b applied to position p of an axis of n samples (n >= 1): the
 * index in [0, n) it reads, or -1 for constant outside the axis. Derived by
 * repeated folding at the edges, literally the pictures of DESIGN.md. */
long long ref_border_index(tessel_border b, long long p, long long n);

#endif
