/* What method running computes for a plan, the same on every backend:
 * which axes are summed as running sums (the constant factors), the factor
 * the sums are multiplied by, and whether they are exact int32 sums. */
#ifndef TESSEL_CORE_RUNNING_RULE_H
#define TESSEL_CORE_RUNNING_RULE_H

#include "plan.h"

typedef struct tessel_running_rule {
    int vertical;   /* 1: the column factor is constant: running sums down columns */
    int horizontal; /* 1: the row factor is constant: running sums along rows */
    int integer;    /* 1: int32 sums, exact: an integer input, a constant border's
                       value a sample value, and every window's sum within int32 */
    float factor;   /* the constant factors' product; the sums are multiplied by it
                       as (float)sum * factor (int32) or (float)(sum * factor) */
} tessel_running_rule;

/* The rule of a plan whose kernel is box-like (row_taps and column_taps set). */
void tessel_running_rule_of(const tessel_plan *plan, tessel_running_rule *out);

#endif
