/* The integer path's rule (integer_rule.h).
 *
 * The bound. Let M be the largest sample (255 or 65535); every virtual
 * sample, a CONSTANT border's cval included, lies in [0, M].
 *
 * direct: with d[k] = t[k] - K[k] * u (t the kernel's taps, u the unit),
 *   |sum t x - u V| = |sum d x| <= M * max(sum of d > 0, -(sum of d < 0)).
 *
 * separable: with column taps c, row taps r (their integer forms C, R and
 * units uc, ur), w[i] = sum_j c[j] x[j][i] the exact column sums and
 * w^[i] = uc 2^shift W'[i] what the integer column pass gives,
 *   |w^ - w| <= e1 = uc 2^(shift-1) (the rounding, when shift > 0)
 *                    + M * max(sum dc > 0, -(sum dc < 0)),
 *   |sum r w - ur sum R w^| <= sum |ur R| * e1 + sum |dr| * max |w|,
 * with max |w| <= M * max(sum c > 0, -(sum c < 0)); and since the kernel's
 * taps may differ from c[j] r[i] (by core/kernel.c's rank-1 tolerance),
 * M * kw * kh * 8 FLT_EPSILON * max |c| * max |r| more. `exact` there is
 * exactness for the factors' products.
 *
 * Both: the result is rounded exactly when round_shift says so; otherwise
 * it is computed as (float)((float)V * unit) then scale * v
 * + offset in float and + 1/2 before truncation: each rounding is at most
 * 2^-24 relative, together below 2^-22 (|scale| vmax + |offset| + 1),
 * plus the unit's own rounding to float (separable units are products).
 * bound = |scale| * (the sum's error) + that. */
#include "integer_rule.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "plan.h"
#include "running_rule.h"

#define S16_MAX 32767
#define I32_MAX 2147483647.0

/* Taps t[0..n) as integers k times unit. */
typedef struct quantized {
    int16_t *k;
    double unit;
    int exact;
    double pos, neg;         /* sum of k > 0, -(sum of k < 0) */
    double err_pos, err_neg; /* the same of t - k * unit */
} quantized;

static double sum_abs(const int16_t *k, int n)
{
    double s = 0.0;
    for (int i = 0; i < n; ++i) s += fabs((double)k[i]);
    return s;
}

/* k = t * 2^T rounded; 0 when a tap leaves int16 or sum |k| > max_sum. */
static int scaled(const float *t, int n, int T, double max_sum, int16_t *k)
{
    for (int i = 0; i < n; ++i) {
        const double v = rint(ldexp((double)t[i], T));
        if (fabs(v) > S16_MAX) return 0;
        k[i] = (int16_t)v;
    }
    return sum_abs(k, n) <= max_sum;
}

static int integral_at(const float *t, int n, int T)
{
    for (int i = 0; i < n; ++i) {
        const double v = ldexp((double)t[i], T);
        if (v != rint(v)) return 0;
    }
    return 1;
}

/* Taps that are integers times the smallest nonzero |tap|: 1 and k, unit. */
static int common_scale(const float *t, int n, double max_sum, int16_t *k, double *unit)
{
    double least = 0.0;
    for (int i = 0; i < n; ++i)
        if (t[i] != 0.0f && (least == 0.0 || fabs(t[i]) < least)) least = fabs(t[i]);
    for (int i = 0; i < n; ++i) {
        const double v = rint((double)t[i] / least);
        if (fabs(v) > S16_MAX || v * least != (double)t[i]) return 0;
        k[i] = (int16_t)v;
    }
    *unit = least;
    return sum_abs(k, n) <= max_sum;
}

/* t as integers k times unit: exactly when some power of two (the
 * smallest, for the smallest sums) or the smallest nonzero |tap| makes
 * integers of them that fit; otherwise rounded at the largest T for which
 * t * 2^T fits (16-bit taps, sum |k| <= max_sum). 0 when nothing fits. */
static int quantize(const float *t, int n, double max_sum, int16_t *k, quantized *q)
{
    double peak = 0.0;
    for (int i = 0; i < n; ++i) peak = fmax(peak, fabs(t[i]));
    q->k = k;
    q->exact = 1;
    q->unit = 1.0;
    if (peak == 0.0) {
        memset(k, 0, (size_t)n * sizeof *k);
    } else {
        int T = (int)floor(log2(S16_MAX / peak)) + 1;
        while (T >= -64 && !scaled(t, n, T, max_sum, k)) --T;
        if (T < -64) return 0;
        const int dyadic = integral_at(t, n, T);
        if (dyadic)
            while (T > -64 && integral_at(t, n, T - 1)) --T;
        if (dyadic || !common_scale(t, n, max_sum, k, &q->unit)) {
            q->exact = dyadic;
            q->unit = ldexp(1.0, -T);
            scaled(t, n, T, max_sum, k);
        }
    }
    q->pos = q->neg = q->err_pos = q->err_neg = 0.0;
    for (int i = 0; i < n; ++i) {
        const double d = (double)t[i] - k[i] * q->unit;
        if (k[i] > 0) q->pos += k[i];
        else q->neg -= k[i];
        if (d > 0) q->err_pos += d;
        else q->err_neg -= d;
    }
    return 1;
}

/* M * the larger side of an error's (or a factor's) signed parts. */
static double worst(double top, double pos, double neg)
{
    return top * fmax(pos, neg);
}

static double real_sides(const float *t, int n, double *neg)
{
    double pos = 0.0;
    *neg = 0.0;
    for (int i = 0; i < n; ++i) {
        if (t[i] > 0) pos += t[i];
        else *neg -= t[i];
    }
    return pos;
}

/* floor(W / 2^shift + 1/2), or W when shift is 0. */
static long long narrow(long long w, int shift)
{
    if (shift == 0) return w;
    const long long half = 1LL << (shift - 1);
    const long long v = w + half;
    return v >= 0 ? v >> shift : -((-v + (1LL << shift) - 1) >> shift);
}

/* The sums' most for the CPU's 16-bit lanes: u16 samples go in offset by
 * -32768, so a partial sum may reach 65536 * sum |K|. */
static double max_sum_abs(double top)
{
    return floor(I32_MAX / (top > 255.0 ? 65536.0 : 256.0));
}

/* The sum's worst error for method direct; *vmax the largest |V| * unit. */
static int direct_rule(const tessel_plan *plan, double top, tessel_integer_rule *r, double *error,
                       double *vmax)
{
    const int n = plan->geo.kernel_width * plan->geo.kernel_height;
    quantized q;
    if (!quantize(plan->taps, n, max_sum_abs(top), r->taps, &q)) return 0;
    r->exact = q.exact;
    r->unit = (float)q.unit;
    *error = worst(top, q.err_pos, q.err_neg);
    *vmax = worst(top, q.pos, q.neg) * q.unit;
    return 1;
}

/* The same for method separable; *unit_error the unit's relative rounding. */
static int separable_rule(const tessel_plan *plan, double top, tessel_integer_rule *r,
                          double *error, double *vmax, double *unit_error)
{
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    quantized qc, qr;
    if (!quantize(plan->column_taps, kh, max_sum_abs(top), r->column, &qc)) return 0;
    const long long wmax = (long long)(top * qc.pos), wmin = -(long long)(top * qc.neg);
    r->shift = 0;
    while (narrow(wmax, r->shift) > S16_MAX || narrow(wmin, r->shift) < -S16_MAX - 1) ++r->shift;
    const double wpeak = fmax((double)narrow(wmax, r->shift), -(double)narrow(wmin, r->shift));
    if (!quantize(plan->row_taps, kw, wpeak > 0 ? floor(I32_MAX / wpeak) : max_sum_abs(top),
                  r->row, &qr))
        return 0;
    /* The kernel's taps are the factors' products within 8 float epsilons
     * of the largest (core/kernel.c's rank-1 test; rounded products are
     * closer): a bound of the factors alone, so a tile's sub-plan, made
     * from the factors, decides as the whole plan does. */
    double c_peak = 0.0, r_peak = 0.0;
    for (int j = 0; j < kh; ++j) c_peak = fmax(c_peak, fabs(plan->column_taps[j]));
    for (int i = 0; i < kw; ++i) r_peak = fmax(r_peak, fabs(plan->row_taps[i]));
    const double mismatch = (double)kw * kh * 8.0 * FLT_EPSILON * c_peak * r_peak;
    double c_neg, r_neg;
    const double c_pos = real_sides(plan->column_taps, kh, &c_neg);
    (void)real_sides(plan->row_taps, kw, &r_neg);
    const double e1 = (r->shift ? qc.unit * ldexp(1.0, r->shift - 1) : 0.0) +
                      worst(top, qc.err_pos, qc.err_neg);
    double dr = 0.0;
    for (int i = 0; i < kw; ++i) dr += fabs((double)plan->row_taps[i] - r->row[i] * qr.unit);
    *error = (qr.pos + qr.neg) * qr.unit * e1 + dr * worst(top, c_pos, c_neg) + top * mismatch;
    const double unit = qr.unit * qc.unit * ldexp(1.0, r->shift);
    r->unit = (float)unit;
    *unit_error = fabs((double)r->unit - unit) / unit;
    *vmax = (qr.pos + qr.neg) * wpeak * unit;
    r->exact = qc.exact && qr.exact && r->shift == 0;
    return 1;
}

/* The float conversion's error of results up to vmax in magnitude (see
 * the top), unit_error the relative rounding of the unit. */
static double conversion_error(const tessel_plan *plan, double vmax, double unit_error)
{
    const double scale = fabs(plan->scale), offset = fabs(plan->offset);
    return ldexp(scale * vmax + offset + 1.0, -22) + scale * vmax * unit_error;
}

static int is_integer_dtype(tessel_dtype d)
{
    return d == TESSEL_U8 || d == TESSEL_U16;
}

void tessel_integer_rule_of(const tessel_plan *plan, tessel_integer_rule *out)
{
    const tessel_geometry *g = &plan->geo;
    memset(out, 0, sizeof *out);
    const int separable = plan->method == TESSEL_METHOD_SEPARABLE;
    if (plan->method != TESSEL_METHOD_DIRECT && !separable) {
        out->why_not = "only methods direct and separable have one";
        return;
    }
    if (!is_integer_dtype(plan->in_dtype) || !is_integer_dtype(plan->out_dtype)) {
        out->why_not = "f32 input or output";
        return;
    }
    const int too_many = separable ? g->kernel_width > TESSEL_INTEGER_MAX_TAPS ||
                                         g->kernel_height > TESSEL_INTEGER_MAX_TAPS
                                   : g->kernel_width * g->kernel_height > TESSEL_INTEGER_MAX_TAPS;
    if (too_many) {
        out->why_not = separable ? "a factor of more than 25 taps" : "more than 25 taps";
        return;
    }
    const double top = plan->in_dtype == TESSEL_U8 ? 255.0 : 65535.0, cval = plan->cval;
    if (plan->border == TESSEL_BORDER_CONSTANT && (cval != floor(cval) || cval < 0 || cval > top)) {
        out->why_not = "cval is not a sample value";
        return;
    }
    double error = 0.0, vmax = 0.0, unit_error = 0.0;
    out->separable = separable;
    const int fits = separable ? separable_rule(plan, top, out, &error, &vmax, &unit_error)
                               : direct_rule(plan, top, out, &error, &vmax);
    if (!fits) {
        out->why_not = "its sums would leave int32";
        return;
    }
    out->bound = fabs(plan->scale) * error * (1.0 + ldexp(1.0, -30)) +
                 conversion_error(plan, vmax, unit_error);
    out->round_shift = -1;
    const int T = -ilogbf(out->unit);
    if (plan->scale == 1.0f && plan->offset == 0.0f && !plan->absolute && T >= 0 && T <= 30 &&
        out->unit == ldexpf(1.0f, -T))
        out->round_shift = T;
    out->active = out->bound <= 0.5;
    if (!out->active) out->why_not = "its error bound exceeds half a level";
}

void tessel_integer_report(const tessel_plan *plan, int *path, int *exact, double *bound)
{
    const int active = plan->integer.active;
    *path = active;
    *exact = active ? plan->integer.exact : 0;
    *bound = active ? plan->integer.bound : 0.0;
    if (plan->method != TESSEL_METHOD_RUNNING) return;
    tessel_running_rule rule;
    tessel_running_rule_of(plan, &rule);
    if (!rule.integer || !rule.vertical || !rule.horizontal) return;
    const double top = plan->in_dtype == TESSEL_U8 ? 255.0 : 65535.0;
    const double taps = (double)plan->geo.kernel_width * plan->geo.kernel_height;
    *path = *exact = 1;
    *bound = conversion_error(plan, top * taps * fabs(rule.factor), 0.0);
}
