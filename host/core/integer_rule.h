/* The integer path of methods direct and separable: which plans take it,
 * and the integer taps they sum with.
 *
 * Every backend's float path computes the same bits for direct and
 * separable (README: kernel families), so the integer path only runs where
 * it gives those bits too: where the float sums are exact. A plan takes it
 * when its input and output are u8 or u16, its kernel is small (direct: up
 * to TESSEL_INTEGER_MAX_TAPS taps; separable: up to that many per factor),
 * a CONSTANT border's cval is a sample value, and its taps (separable: each
 * factor's) are 16-bit integers K times a power of two 2^-T (Sobel, Scharr,
 * Laplacian, binomials, box sums, boxes of power-of-two area) whose sums
 * stay below 2^23 units:
 *
 *   direct     V = sum_k K[k] * x[k]                       (int32)
 *   separable  W = sum_j C[j] * x[j] down each column      (int16: the rule
 *                                                            makes sure)
 *              V = sum_i R[i] * W[i] along the row         (int32)
 *
 * x the virtual input samples (the border rule applied). V * 2^-T is then
 * the exact sum of products, which every float path also computes exactly
 * (every partial sum has at most 23 significant bits), and it is converted
 * as the float path converts its sum: with scale 1, offset 0 and no
 * absolute value, clamp(floor((V + 2^(T-1)) / 2^T)), which is what the
 * float conversion (clamp, + 1/2, truncation) gives on an exact sum below
 * 2^23 units; otherwise (float)V * 2^-T, exact, through the float store. */
#ifndef TESSEL_CORE_INTEGER_RULE_H
#define TESSEL_CORE_INTEGER_RULE_H

#include <stdint.h>

#include "tessel/tessel.h"

/* Most taps of a direct kernel, and of each separable factor. */
#define TESSEL_INTEGER_MAX_TAPS 25

typedef struct tessel_integer_rule {
    int active;    /* 1: the plan runs the integer path */
    int separable; /* 1: column pass then row pass (method separable) */
    int16_t taps[TESSEL_INTEGER_MAX_TAPS];   /* direct: kh x kw, correlation orientation */
    int16_t column[TESSEL_INTEGER_MAX_TAPS]; /* separable: C, kh taps */
    int16_t row[TESSEL_INTEGER_MAX_TAPS];    /* separable: R, kw taps */
    float unit;      /* 2^-T: the sum of products is V * unit, exactly */
    int round_shift; /* T when scale is 1, offset 0 and no absolute value (the
                        result is rounded from V in integers), else -1 */
    const char *why_not; /* when not active: the reason */
} tessel_integer_rule;

/* The rule of a plan whose method, taps, dtypes and options are set. */
void tessel_integer_rule_of(const tessel_plan *plan, tessel_integer_rule *out);

/* Plan info's integer_path: 1 when the plan sums u8/u16 samples in
 * integers (this rule's, or method running's int32 sums, running_rule.h). */
int tessel_integer_report(const tessel_plan *plan);

#endif
