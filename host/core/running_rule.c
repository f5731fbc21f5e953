/* The rule of method running (running_rule.h). */
#include "running_rule.h"

#include <math.h>
#include <stdint.h>

static int all_equal(const float *t, int n)
{
    for (int i = 1; i < n; ++i)
        if (t[i] != t[0]) return 0;
    return 1;
}

void tessel_running_rule_of(const tessel_plan *plan, tessel_running_rule *out)
{
    const tessel_geometry *g = &plan->geo;
    out->vertical = all_equal(plan->column_taps, g->kernel_height);
    out->horizontal = all_equal(plan->row_taps, g->kernel_width);
    out->factor = (out->vertical ? plan->column_taps[0] : 1.0f) *
                  (out->horizontal ? plan->row_taps[0] : 1.0f);
    const double taps = (out->vertical ? (double)g->kernel_height : 1.0) *
                        (out->horizontal ? (double)g->kernel_width : 1.0);
    out->integer = 0;
    if (plan->in_dtype == TESSEL_F32) return;
    const double top = plan->in_dtype == TESSEL_U8 ? 255.0 : 65535.0, cval = plan->cval;
    if (plan->border == TESSEL_BORDER_CONSTANT && (cval != floor(cval) || cval < 0 || cval > top))
        return;
    out->integer = top * taps <= (double)INT32_MAX;
}
