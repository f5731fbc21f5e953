/* Non-negative least squares on relative errors, by trying every set of
 * terms (four terms: fifteen sets): the best fit among the sets whose
 * plain least-squares solution is positive is the constrained optimum. */
#include "cost_fit.h"

#include <math.h>

#define T TESSEL_COST_TERMS

typedef struct fit_rows {
    const tessel_cost_sample *s;
    int count;
    double scale[T]; /* the largest feature of each term: columns of size 1 */
} fit_rows;

/* Row i, column t of the scaled system: feature / (scale * seconds). */
static double at(const fit_rows *r, int i, int t)
{
    return r->s[i].features[t] / (r->scale[t] * r->s[i].seconds);
}

/* Solves n x n system a x = b in place (Gaussian elimination, partial
 * pivoting); 0 when it is singular. */
static int solve(double a[T][T], double b[T], int n, double x[T])
{
    for (int col = 0; col < n; ++col) {
        int pivot = col;
        for (int r = col + 1; r < n; ++r)
            if (fabs(a[r][col]) > fabs(a[pivot][col])) pivot = r;
        if (fabs(a[pivot][col]) < 1e-12) return 0;
        for (int k = 0; k < n; ++k) {
            double tmp = a[col][k];
            a[col][k] = a[pivot][k];
            a[pivot][k] = tmp;
        }
        double tb = b[col];
        b[col] = b[pivot];
        b[pivot] = tb;
        for (int r = col + 1; r < n; ++r) {
            const double f = a[r][col] / a[col][col];
            for (int k = col; k < n; ++k) a[r][k] -= f * a[col][k];
            b[r] -= f * b[col];
        }
    }
    for (int r = n - 1; r >= 0; --r) {
        double v = b[r];
        for (int k = r + 1; k < n; ++k) v -= a[r][k] * x[k];
        x[r] = v / a[r][r];
    }
    return 1;
}

/* Least squares on the terms in `set` (n of them, listed in idx): 1 with
 * the solution in x and its residual when every coefficient is > 0. */
static int fit_set(const fit_rows *r, const int *idx, int n, double x[T], double *residual)
{
    double a[T][T] = {{0}}, b[T] = {0};
    for (int i = 0; i < r->count; ++i)
        for (int p = 0; p < n; ++p) {
            const double v = at(r, i, idx[p]);
            b[p] += v;
            for (int q = 0; q < n; ++q) a[p][q] += v * at(r, i, idx[q]);
        }
    if (!solve(a, b, n, x)) return 0;
    for (int p = 0; p < n; ++p)
        if (!(x[p] > 0.0)) return 0;
    *residual = 0.0;
    for (int i = 0; i < r->count; ++i) {
        double e = -1.0;
        for (int p = 0; p < n; ++p) e += at(r, i, idx[p]) * x[p];
        *residual += e * e;
    }
    return 1;
}

int tessel_cost_fit(const tessel_cost_sample *samples, int count, double c[T])
{
    fit_rows r = {samples, count, {0}};
    unsigned measured = 0;
    int terms = 0;
    for (int t = 0; t < T; ++t) {
        for (int i = 0; i < count; ++i)
            if (samples[i].features[t] > r.scale[t]) r.scale[t] = samples[i].features[t];
        if (r.scale[t] > 0.0) measured |= 1u << t, ++terms;
    }
    if (terms == 0 || count < terms) return 0;
    double best[T] = {0}, best_residual = INFINITY;
    unsigned best_set = 0;
    for (unsigned set = 1; set < 1u << T; ++set) {
        if (set & ~measured) continue;
        int idx[T], n = 0;
        for (int t = 0; t < T; ++t)
            if (set & (1u << t)) idx[n++] = t;
        double x[T], residual;
        if (!fit_set(&r, idx, n, x, &residual) || residual >= best_residual) continue;
        best_residual = residual;
        best_set = set;
        for (int p = 0; p < n; ++p) best[idx[p]] = x[p];
    }
    if (!best_set) return 0;
    for (int t = 0; t < T; ++t)
        if (measured & (1u << t)) c[t] = best_set & (1u << t) ? best[t] / r.scale[t] : 0.0;
    return 1;
}

double tessel_cost_fit_error(const tessel_cost_sample *sample, const double c[T])
{
    double estimate = 0.0;
    for (int t = 0; t < T; ++t) estimate += c[t] * sample->features[t];
    return fabs(estimate - sample->seconds) / sample->seconds;
}
