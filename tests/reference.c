/* Double-precision reference convolution, written from DESIGN.md only.
 *
 * Every output is read off the *full* convolution (or full correlation) at
 * an index shifted by the mode's slice offset:
 *   full convolution   F[fy][fx] = sum_j sum_i k[j][i] * in[fy - j][fx - i]
 *   full correlation   F[fy][fx] = sum_j sum_i k[j][i] * in[fy - (kh-1) + j][fx - (kw-1) + i]
 *   full:  dense[y][x] = F[y][x]
 *   same:  dense[y][x] = F[y + oy][x + ox], oy = (kh-1)/2 (convolution) or kh/2 (correlation)
 *   valid: dense[y][x] = F[y + kh - 1][x + kw - 1]
 * and out[r][q] = dense[r*sy][q*sx]. Samples outside the image follow the
 * border rule at any distance. */
#include "reference.h"

#include <math.h>
#include <stddef.h>

long long ref_border_index(tessel_border b, long long p, long long n)
{
    switch (b) {
    case TESSEL_BORDER_CONSTANT: return p >= 0 && p < n ? p : -1;
    case TESSEL_BORDER_NEAREST: return p < 0 ? 0 : p >= n ? n - 1 : p;
    case TESSEL_BORDER_WRAP: return ((p % n) + n) % n;
    case TESSEL_BORDER_REFLECT: /* c b a | a b c d | d c b: fold about the edge itself */
        while (p < 0 || p >= n) p = p < 0 ? -1 - p : 2 * n - 1 - p;
        return p;
    case TESSEL_BORDER_MIRROR: /* d c b | a b c d | c b a: fold about the edge sample */
        if (n == 1) return 0;
        while (p < 0 || p >= n) p = p < 0 ? -p : 2 * n - 2 - p;
        return p;
    }
    return -1;
}

/* The options with every zero-means-default field resolved. */
static tessel_conv_options resolved(const tessel_conv_options *o)
{
    tessel_conv_options r = {0};
    if (o) r = *o;
    if (r.stride_x == 0) r.stride_x = 1;
    if (r.stride_y == 0) r.stride_y = 1;
    if (r.scale == 0.0) r.scale = 1.0;
    return r;
}

/* Dense (before stride) output length along one axis, or -1 when invalid. */
static long long dense_length(tessel_mode mode, long long n, long long k)
{
    switch (mode) {
    case TESSEL_MODE_FULL: return n + k - 1;
    case TESSEL_MODE_SAME: return n;
    case TESSEL_MODE_VALID: return k > n ? -1 : n - k + 1;
    }
    return -1;
}

int ref_output_size(int w, int h, int kw, int kh, const tessel_conv_options *o, int *ow,
                    int *oh)
{
    tessel_conv_options r = resolved(o);
    if (w <= 0 || h <= 0 || kw <= 0 || kh <= 0 || r.stride_x < 0 || r.stride_y < 0) return -1;
    if (r.anchor_set && (r.mode != TESSEL_MODE_SAME || r.anchor_x < 0 || r.anchor_x >= kw ||
                         r.anchor_y < 0 || r.anchor_y >= kh))
        return -1;
    long long dw = dense_length(r.mode, w, kw), dh = dense_length(r.mode, h, kh);
    if (dw < 0 || dh < 0) return -1;
    *ow = (int)((dw + r.stride_x - 1) / r.stride_x);
    *oh = (int)((dh + r.stride_y - 1) / r.stride_y);
    return 0;
}

/* Index into the full result of dense index 0 along one axis. An explicit
 * anchor a is the kernel element on the output pixel: convolution reads
 * in[y + a - j], i.e. F[y + a]; correlation reads in[y - a + j], i.e.
 * F[y + (k-1) - a]. */
static long long slice_offset(const tessel_conv_options *r, long long k, int anchor)
{
    if (r->mode == TESSEL_MODE_FULL) return 0;
    if (r->mode == TESSEL_MODE_VALID) return k - 1;
    if (r->anchor_set) return r->correlate ? k - 1 - anchor : anchor;
    return r->correlate ? k / 2 : (k - 1) / 2;
}

typedef struct ref_image {
    const double *data;
    long long w, h;
    int c;
    tessel_border border;
    double cval;
} ref_image;

/* Sample (x, y, ch) of the image extended without end by its border rule. */
static double extended(const ref_image *im, long long x, long long y, int ch)
{
    long long bx = ref_border_index(im->border, x, im->w);
    long long by = ref_border_index(im->border, y, im->h);
    if (bx < 0 || by < 0) return im->cval;
    return im->data[(by * im->w + bx) * im->c + ch];
}

/* F[fy][fx] for one channel, convolution or correlation. */
static double full_value(const ref_image *im, const double *k, int kw, int kh, int correlate,
                         long long fy, long long fx, int ch)
{
    double sum = 0.0;
    for (int j = 0; j < kh; ++j) {
        for (int i = 0; i < kw; ++i) {
            long long y = correlate ? fy - (kh - 1) + j : fy - j;
            long long x = correlate ? fx - (kw - 1) + i : fx - i;
            sum += k[(size_t)j * kw + i] * extended(im, x, y, ch);
        }
    }
    return sum;
}

void ref_convolve2d(const double *in, int w, int h, int c, const double *k, int kw, int kh,
                    const tessel_conv_options *o, double *out)
{
    tessel_conv_options r = resolved(o);
    int ow, oh;
    if (ref_output_size(w, h, kw, kh, &r, &ow, &oh) != 0) return;
    ref_image im = {in, w, h, c, r.border, r.cval};
    long long off_x = slice_offset(&r, kw, r.anchor_x);
    long long off_y = slice_offset(&r, kh, r.anchor_y);
    size_t n = 0;
    for (long long row = 0; row < oh; ++row) {
        for (long long col = 0; col < ow; ++col) {
            long long fy = row * r.stride_y + off_y, fx = col * r.stride_x + off_x;
            for (int ch = 0; ch < c; ++ch) {
                double v = r.scale * full_value(&im, k, kw, kh, r.correlate, fy, fx, ch) + r.offset;
                out[n++] = r.absolute ? fabs(v) : v;
            }
        }
    }
}
