/* The parts of test_match that live in their own files. */
#ifndef TESSEL_TESTS_MATCH_CASES_H
#define TESSEL_TESTS_MATCH_CASES_H

#include "tessel/tessel_fourier.h"
#include "test_util.h"

/* tessel_match_best against a brute-force reference, hand-made maps and
 * bad arguments (match_best_cases.c). Returns the number of cases. */
int test_match_best(tessel_context *ctx, const char *device, tu_rng *rng);

#endif
