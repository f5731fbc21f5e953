/* The per-worker ring of recent rows, shared by the direct and separable
 * band loops. */
#ifndef TESSEL_CPU_RING_H
#define TESSEL_CPU_RING_H

#include "cpu_plan.h"

/* Slot of virtual row y in the ring (y may be negative). Rows needed by one
 * call are consecutive, fewer than ring_rows, so they never share a slot. */
static inline float *ring_slot(const tessel_cpu_plan *cp, tessel_cpu_scratch *s, long long y,
                               int *fresh)
{
    long long m = y % cp->ring_rows;
    if (m < 0) m += cp->ring_rows;
    *fresh = s->ring_tag[m] != y;
    s->ring_tag[m] = y;
    return s->ring + (size_t)m * cp->ring_floats;
}

/* First virtual input row read by output row r. */
static inline long long first_input_row(const tessel_plan *plan, int r)
{
    return (long long)r * plan->geo.stride_y + plan->geo.origin_y;
}

#endif
