/* The inner loops of method running (running.c), compiled per instruction
 * set like the correlations and picked by the same name.
 *
 * Sums run in one of two accumulator types: int32 for u8 and u16 inputs
 * whose every window sum fits (exact), double otherwise (exact for integer
 * inputs too, and for f32 inputs far within the contract over any length).
 * Arrays are of the accumulator type; `in` arrays of the input dtype. */
#ifndef TESSEL_CPU_RUNNING_SUMS_H
#define TESSEL_CPU_RUNNING_SUMS_H

#include <stddef.h>

#include "convert.h"
#include "tessel/tessel.h"

typedef enum tessel_running_acc {
    TESSEL_RUNNING_INT32 = 0,
    TESSEL_RUNNING_DOUBLE = 1
} tessel_running_acc;

/* acc[k] += in[k]; acc[k] -= in[k]; acc[k] += plus[k] - minus[k] (k < n). */
typedef void (*tessel_running_add_fn)(void *acc, const void *in, size_t n);
typedef void (*tessel_running_add_sub_fn)(void *acc, const void *plus, const void *minus,
                                          size_t n);

typedef struct tessel_running_rows {
    tessel_running_add_fn add, sub;
    tessel_running_add_sub_fn add_sub;
} tessel_running_rows;

typedef struct tessel_running_sums {
    tessel_running_rows rows[4][2]; /* [input dtype][accumulator]; NULL where unused */
    /* out[e] = factor * sum_{i < taps} acc[e + i*step] (e < n), through
     * prefix sums when the window is long; prefix holds n + taps*step
     * accumulators. int32: the sum exact, then (float)sum * factor. out is
     * floats as they are (kind 0, store may be NULL), or of dtype kind
     * converted by store's parameters as convert.h's store does. */
    void (*window[2])(const void *acc, size_t n, int taps, int step, float factor, void *prefix,
                      int kind, void *out, const tessel_store_params *store);
    /* out[k] = (float)acc[k] * factor. */
    void (*to_float[2])(const void *acc, size_t n, float factor, float *out);
    /* acc[k] += v (k < n). */
    void (*add_value[2])(void *acc, double v, size_t n);
} tessel_running_sums;

/* The variants for this CPU; isa is the name tessel_correlate_select gave. */
void tessel_running_sums_select(const char *isa, tessel_running_sums *out);

/* Bytes of one accumulator. */
static inline size_t tessel_running_acc_size(tessel_running_acc a)
{
    return a == TESSEL_RUNNING_INT32 ? 4 : 8;
}

#endif
