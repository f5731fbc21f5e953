/* Sample conversions at both ends of the pipeline, compiled per instruction
 * set like the correlations (they bound the speed of 8- and 16-bit images).
 *   load:  n samples of u8/u16/f32 -> float
 *   store: n floats -> dtype of  scale*v + offset  (|.| when absolute), with
 *          round to nearest and saturation for integers (NaN becomes 0). */
#ifndef TESSEL_CPU_CONVERT_H
#define TESSEL_CPU_CONVERT_H

#include <stddef.h>

#include "tessel/tessel.h"

typedef struct tessel_store_params {
    float scale, offset;
    int absolute;
} tessel_store_params;

typedef void (*tessel_load_fn)(const void *src, float *dst, size_t n);
typedef void (*tessel_store_fn)(const float *src, void *dst, size_t n,
                                const tessel_store_params *params);

typedef struct tessel_converters {
    tessel_load_fn load[4];   /* indexed by tessel_dtype */
    tessel_store_fn store[4]; /* indexed by tessel_dtype */
} tessel_converters;

/* The variants for this CPU; isa is the name tessel_correlate_select gave. */
void tessel_converters_select(const char *isa, tessel_converters *out);

#endif
