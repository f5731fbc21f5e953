/* The conformance matrix, written once against the public API so that every
 * backend runs the same cases: each mode x border x correlate x stride x
 * kernel shape x image shape, rotating dtypes, channels, row layouts and
 * methods, plus explicit anchors, scale/offset/absolute, the 1-D calls and
 * the NumPy golden arrays. Every result is compared with the reference
 * (reference.h) under the contract's tolerance (for method fft: relative
 * RMS error). A backend that declines method fft is reported in one line
 * and counted as a failure, unless $TESSEL_SUITE_ALLOW_NO_FFT is 1. */
#ifndef TESSEL_TESTS_CONV_SUITE_H
#define TESSEL_TESTS_CONV_SUITE_H

#include <stdio.h>

#include "tessel/tessel.h"

/* Runs every case on a context made from ctx_options (NULL = defaults).
 * Prints each failure (first ones in full) and a summary line that starts
 * with label and says how many cases ran. Returns the number of failures.
 * The random seed is fixed; $TESSEL_TEST_SEED replaces it. */
int conv_suite_run(const tessel_context_options *ctx_options, const char *label);

/* From now on, every case also writes a line with a checksum of its output
 * bytes to out (NULL: none): two builds whose lines are equal computed the
 * same bits (tests/bit_identity.sh). */
void conv_suite_digest_to(FILE *out);

#endif
