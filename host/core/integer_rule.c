/* The integer path's rule (integer_rule.h). */
#include "integer_rule.h"

#include <math.h>
#include <string.h>

#include "plan.h"
#include "running_rule.h"

#define S16_MAX 32767
/* The most units a sum may reach: every float partial sum is then exact,
 * and so is the float conversion's sum + 1/2. */
#define FLOAT_EXACT_UNITS 8388607.0 /* 2^23 - 1 */

/* t as 16-bit integers k times 2^-T, T the smallest that works (the
 * smallest sums): 1 and *T, else 0 (some tap is not such a multiple). */
static int dyadic(const float *t, int n, int16_t *k, int *T)
{
    double peak = 0.0;
    for (int i = 0; i < n; ++i) peak = fmax(peak, fabs((double)t[i]));
    if (peak == 0.0) return 0; /* a zero kernel: nothing to gain */
    for (int e = -30; e <= 30; ++e) {
        if (ldexp(peak, e) > S16_MAX) return 0;
        int ok = 1;
        for (int i = 0; i < n && ok; ++i) {
            const double v = ldexp((double)t[i], e);
            ok = v == rint(v);
        }
        if (!ok) continue;
        for (int i = 0; i < n; ++i) k[i] = (int16_t)ldexp((double)t[i], e);
        *T = e;
        return 1;
    }
    return 0;
}

static double sum_abs(const int16_t *k, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; ++i) s += fabs((double)k[i]);
    return s;
}

static const char *direct_rule(const tessel_plan *plan, double top, tessel_integer_rule *r, int *T)
{
    const int n = plan->geo.kernel_width * plan->geo.kernel_height;
    if (n > TESSEL_INTEGER_MAX_TAPS) return "more than 25 taps";
    if (!dyadic(plan->taps, n, r->taps, T)) return "taps not integers times a power of two";
    if (top * sum_abs(r->taps, n) > FLOAT_EXACT_UNITS) return "sums too large for exact floats";
    return NULL;
}

static const char *separable_rule(const tessel_plan *plan, double top, tessel_integer_rule *r,
                                  int *T)
{
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    int tc = 0, tr = 0;
    if (kw > TESSEL_INTEGER_MAX_TAPS || kh > TESSEL_INTEGER_MAX_TAPS)
        return "a factor of more than 25 taps";
    if (!dyadic(plan->column_taps, kh, r->column, &tc) || !dyadic(plan->row_taps, kw, r->row, &tr))
        return "taps not integers times a power of two";
    const double column_peak = top * sum_abs(r->column, kh);
    /* The column sums travel in 16-bit lanes (u16 samples offset by -32768
     * there: the same range). */
    if (column_peak > S16_MAX) return "column sums beyond 16 bits";
    if (column_peak * sum_abs(r->row, kw) > FLOAT_EXACT_UNITS)
        return "sums too large for exact floats";
    *T = tc + tr;
    return NULL;
}

static int is_integer_dtype(tessel_dtype d)
{
    return d == TESSEL_U8 || d == TESSEL_U16;
}

void tessel_integer_rule_of(const tessel_plan *plan, tessel_integer_rule *out)
{
    memset(out, 0, sizeof *out);
    out->round_shift = -1;
    const int separable = plan->method == TESSEL_METHOD_SEPARABLE;
    if (plan->method != TESSEL_METHOD_DIRECT && !separable) {
        out->why_not = "only methods direct and separable have one";
        return;
    }
    if (!is_integer_dtype(plan->in_dtype) || !is_integer_dtype(plan->out_dtype)) {
        out->why_not = "f32 input or output";
        return;
    }
    const double top = plan->in_dtype == TESSEL_U8 ? 255.0 : 65535.0, cval = plan->cval;
    if (plan->border == TESSEL_BORDER_CONSTANT && (cval != floor(cval) || cval < 0 || cval > top)) {
        out->why_not = "cval is not a sample value";
        return;
    }
    int T = 0;
    out->separable = separable;
    out->why_not = separable ? separable_rule(plan, top, out, &T) : direct_rule(plan, top, out, &T);
    if (out->why_not) return;
    out->active = 1;
    out->unit = ldexpf(1.0f, -T);
    if (plan->scale == 1.0f && plan->offset == 0.0f && !plan->absolute && T >= 0)
        out->round_shift = T;
}

int tessel_integer_report(const tessel_plan *plan)
{
    if (plan->integer.active) return 1;
    if (plan->method != TESSEL_METHOD_RUNNING) return 0;
    tessel_running_rule rule;
    tessel_running_rule_of(plan, &rule);
    return rule.integer && rule.vertical && rule.horizontal;
}
