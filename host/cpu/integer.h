/* Methods direct and separable on u8 and u16 images through the integer
 * path (core/integer_rule.h: when it runs, and what it computes).
 *
 * Each output row is made from pair rows (integer_loops.h): the border-
 * extended row in 16-bit form, each sample paired with the one a pixel to
 * its right, so that one vector multiply-add applies two taps. Direct keeps
 * a ring of the pair rows of its kh input rows; separable first sums kh
 * input rows down each column (sums of 16 bits, which the rule makes
 * sure of), then extends and pairs that one row for the row taps. The int32
 * sums are rounded to the output in integers, or become floats times the
 * rule's unit stored by the output conversion of every method (convert.h). */
#ifndef TESSEL_CPU_INTEGER_H
#define TESSEL_CPU_INTEGER_H

#include "cpu_plan.h"

/* Prepares cp for the integer path (after its column map). */
tessel_status tessel_cpu_integer_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int threads);
tessel_status tessel_cpu_integer_execute(tessel_pool *pool, const tessel_cpu_job *job);
void tessel_cpu_integer_release(tessel_cpu_integer *x);

#endif
