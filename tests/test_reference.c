/* The reference checked against SciPy/NumPy: every golden array (see
 * golden/make_golden.py) within 1e-12, in one channel, in three interleaved
 * channels, and through scale/offset/absolute. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "golden/golden_data.h"
#include "reference.h"
#include "test_util.h"

#define TOLERANCE 1e-12
#define MAX_CHANNELS 3

/* Largest |got - want| over n samples; *where gets its index. */
static double worst_error(const double *got, const double *want, size_t n, size_t *where)
{
    double worst = 0.0;
    *where = 0;
    for (size_t i = 0; i < n; ++i) {
        double e = fabs(got[i] - want[i]);
        if (!(e <= worst)) { /* NaN counts as the worst */
            worst = isnan(e) ? INFINITY : e;
            *where = i;
        }
    }
    return worst;
}

static int report(const golden_case *g, const char *variant, const double *got,
                  const double *want, size_t n)
{
    size_t where;
    double e = worst_error(got, want, n, &where);
    if (e <= TOLERANCE) return 0;
    printf("FAIL %s [%s]: sample %zu is %.17g, expected %.17g\n", g->call, variant, where,
           got[where], want[where]);
    return 1;
}

static int check_size(const golden_case *g)
{
    int ow = -1, oh = -1;
    if (ref_output_size(g->w, g->h, g->kw, g->kh, &g->options, &ow, &oh) == 0 && ow == g->ow &&
        oh == g->oh)
        return 0;
    printf("FAIL %s: output size %dx%d, expected %dx%d\n", g->call, ow, oh, g->ow, g->oh);
    return 1;
}

/* Channel ch holds (ch+1) * image, so its result is (ch+1) * expected; only
 * linear when the border adds no constant. */
static int check_channels(const golden_case *g, double *in, double *out, double *want)
{
    size_t npix = (size_t)g->w * g->h, nout = (size_t)g->ow * g->oh;
    for (size_t p = 0; p < npix; ++p)
        for (int ch = 0; ch < MAX_CHANNELS; ++ch) in[p * MAX_CHANNELS + ch] = (ch + 1) * g->image[p];
    for (size_t p = 0; p < nout; ++p)
        for (int ch = 0; ch < MAX_CHANNELS; ++ch)
            want[p * MAX_CHANNELS + ch] = (ch + 1) * g->expected[p];
    ref_convolve2d(in, g->w, g->h, MAX_CHANNELS, g->kernel, g->kw, g->kh, &g->options, out);
    return report(g, "3 channels", out, want, nout * MAX_CHANNELS);
}

static int check_scale_offset(const golden_case *g, double *out, double *want)
{
    tessel_conv_options o = g->options;
    o.scale = -0.5;
    o.offset = 1.25;
    o.absolute = 1;
    size_t nout = (size_t)g->ow * g->oh;
    for (size_t p = 0; p < nout; ++p) want[p] = fabs(-0.5 * g->expected[p] + 1.25);
    ref_convolve2d(g->image, g->w, g->h, 1, g->kernel, g->kw, g->kh, &o, out);
    return report(g, "scale -0.5 offset 1.25 abs", out, want, nout);
}

static int check_case(const golden_case *g)
{
    if (check_size(g)) return 1;
    size_t nin = (size_t)g->w * g->h * MAX_CHANNELS, nout = (size_t)g->ow * g->oh * MAX_CHANNELS;
    double *in = tu_xmalloc(nin * sizeof *in);
    double *out = tu_xmalloc(nout * sizeof *out);
    double *want = tu_xmalloc(nout * sizeof *want);
    for (size_t i = 0; i < nout; ++i) out[i] = NAN;
    ref_convolve2d(g->image, g->w, g->h, 1, g->kernel, g->kw, g->kh, &g->options, out);
    int failures = report(g, "1 channel", out, g->expected, nout / MAX_CHANNELS);
    if (g->options.border != TESSEL_BORDER_CONSTANT || g->options.cval == 0.0)
        failures += check_channels(g, in, out, want);
    failures += check_scale_offset(g, out, want);
    free(in);
    free(out);
    free(want);
    return failures;
}

int main(void)
{
    int failures = 0;
    for (int i = 0; i < GOLDEN_CASE_COUNT; ++i) failures += check_case(&golden_cases[i]);
    printf("test_reference: %d golden cases, %d failures\n", GOLDEN_CASE_COUNT, failures);
    return failures ? 1 : 0;
}
