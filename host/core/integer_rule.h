/* The integer path of methods direct and separable, the same on every
 * backend: which plans take it, the integer taps they sum with, and what
 * the result is.
 *
 * A plan of u8 or u16 input and output takes it when its kernel is small
 * (direct: up to TESSEL_INTEGER_MAX_TAPS taps; separable: up to that many
 * per factor), a CONSTANT border's cval is a sample value (an integer in
 * range) and the error bound below is at most half a level. Then
 *
 *   direct     V = sum_k K[k] * x[k]                          (int32, exact)
 *   separable  W = sum_j C[j] * x[j]  down each column        (int32, exact)
 *              W' = W, or (W + 2^(shift-1)) >> shift, floor:  (int16)
 *              V = sum_i R[i] * W'[i] along the row           (int32, exact)
 *   result     with scale 1, offset 0, no absolute value and a unit 2^-T
 *              (T >= 0): clamp(floor((V + 2^(T-1)) / 2^T)), V * unit
 *              rounded to nearest (half up) exactly and saturated;
 *              otherwise (float)V * unit, then scale, offset, |.|,
 *              rounding and saturation as every method converts its
 *              float sums.
 *
 * where x are the virtual input samples (the border rule applied to the
 * image; a column outside under the CONSTANT border has W = cval * sum C).
 * The taps are the kernel's (or each factor's) times a power of two, or
 * divided by a common scale, when that gives integers of 16 bits: then V *
 * unit is the exact sum and the path is exact (Sobel, Scharr, Laplacian,
 * binomials, boxes). Otherwise each factor is rounded to 16-bit integers
 * times 2^-T with T as large as the int32 sums allow, and `bound` is the
 * worst case over every input of |result - float64 reference| in output
 * levels, before the output's rounding; the rule only takes the path when
 * bound <= 1/2, so the output is within 1 level of the reference. The
 * ranges are checked so that no partial sum leaves int32, also with u16
 * samples offset by -32768 into 16-bit lanes (the CPU's SIMD form). */
#ifndef TESSEL_CORE_INTEGER_RULE_H
#define TESSEL_CORE_INTEGER_RULE_H

#include <stdint.h>

#include "tessel/tessel.h"

/* Most taps of a direct kernel, and of each separable factor. */
#define TESSEL_INTEGER_MAX_TAPS 25

typedef struct tessel_integer_rule {
    int active;     /* 1: the plan runs the integer path */
    int separable;  /* 1: column pass then row pass (method separable) */
    int exact;      /* 1: V * unit is the exact sum of the products of the kernel's
                       taps (separable: of its factors' taps) */
    int16_t taps[TESSEL_INTEGER_MAX_TAPS];   /* direct: kh x kw, correlation orientation */
    int16_t column[TESSEL_INTEGER_MAX_TAPS]; /* separable: C, kh taps */
    int16_t row[TESSEL_INTEGER_MAX_TAPS];    /* separable: R, kw taps */
    int shift;      /* separable: the column sums' rounding shift (0: none) */
    float unit;     /* the result is V * unit, rounded ... */
    int round_shift; /* ... exactly, as (V + 2^(T-1)) >> T with T = round_shift,
                        when >= 0; else through (float)V * unit */
    double bound;   /* worst-case error in output levels before rounding */
    const char *why_not; /* when not active: the reason, for plan info */
} tessel_integer_rule;

/* The rule of a plan whose method, taps, dtypes and options are set. */
void tessel_integer_rule_of(const tessel_plan *plan, tessel_integer_rule *out);

/* What plan info says of the integer paths (tessel_plan_properties): this
 * rule's, or, for method running, its exact int32 box sums
 * (running_rule.h) converted alike. */
void tessel_integer_report(const tessel_plan *plan, int *path, int *exact, double *bound);

#endif
