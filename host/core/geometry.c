/* Output sizes, window origins and border index maps (see geometry.h). */
#include "geometry.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "versioned.h"

static long long floor_mod(long long a, long long m)
{
    long long r = a % m;
    return r < 0 ? r + m : r;
}

int tessel_border_index(tessel_border b, long long p, int n)
{
    if (p >= 0 && p < n) return (int)p;
    switch (b) {
    case TESSEL_BORDER_CONSTANT: return -1;
    case TESSEL_BORDER_NEAREST: return p < 0 ? 0 : n - 1;
    case TESSEL_BORDER_WRAP: return (int)floor_mod(p, n);
    case TESSEL_BORDER_REFLECT: { /* period 2n: the edge sample repeats */
        long long m = floor_mod(p, 2LL * n);
        return (int)(m < n ? m : 2LL * n - 1 - m);
    }
    case TESSEL_BORDER_MIRROR: { /* period 2n-2: the edge sample does not repeat */
        if (n == 1) return 0;
        long long m = floor_mod(p, 2LL * n - 2);
        return (int)(m < n ? m : 2LL * n - 2 - m);
    }
    }
    return -1;
}

tessel_status tessel_options_resolve(const tessel_conv_options *options, tessel_conv_options *out,
                                     char *err, size_t err_size)
{
    tessel_conv_options o;
    if (tessel_struct_read(NULL, &tessel_conv_options_kind, options, &o) != TESSEL_OK) {
        snprintf(err, err_size, "%s", tessel_last_error());
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    if (o.stride_x == 0) o.stride_x = 1;
    if (o.stride_y == 0) o.stride_y = 1;
    if (o.scale == 0.0) o.scale = 1.0;
    if ((unsigned)o.mode > TESSEL_MODE_VALID) {
        snprintf(err, err_size, "unknown mode %d (expected same, full or valid)", (int)o.mode);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    if ((unsigned)o.border > TESSEL_BORDER_WRAP) {
        snprintf(err, err_size,
                 "unknown border %d (expected reflect, constant, nearest, mirror or wrap)",
                 (int)o.border);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    if ((unsigned)o.method > TESSEL_METHOD_RUNNING) {
        snprintf(err, err_size, "unknown method %d (expected auto, direct, separable, fft, fft-block or running)",
                 (int)o.method);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    if (o.stride_x < 0 || o.stride_y < 0) {
        snprintf(err, err_size, "stride %d,%d is negative (strides are 1 or more)", o.stride_x,
                 o.stride_y);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    /* Named rather than printed: %g would follow the caller's locale. */
    const char *bad = !isfinite(o.cval) ? "cval" : !isfinite(o.scale) ? "scale"
                      : !isfinite(o.offset) ? "offset" : NULL;
    if (bad) {
        snprintf(err, err_size, "%s must be finite (it is NaN or infinite)", bad);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    *out = o;
    return TESSEL_OK;
}

/* Input offset of kernel element 0 (of the taps) for output 0 along one axis. */
static int axis_origin(tessel_mode mode, int correlate, int k, int anchor_set, int anchor)
{
    /* The anchor is the kernel element that lines up with the output pixel.
     * Correlation reads in[y - anchor + t]; convolution reads
     * in[y + anchor - j] = in[y + anchor - (k-1) + t] with t = k-1-j. */
    if (mode == TESSEL_MODE_SAME || anchor_set) {
        int a = anchor_set ? anchor : (k - 1) / 2;
        return correlate ? -a : a - (k - 1);
    }
    if (mode == TESSEL_MODE_FULL) return -(k - 1);
    return 0; /* valid */
}

tessel_status tessel_geometry_make(int width, int height, int kernel_width, int kernel_height,
                                   const tessel_conv_options *o, tessel_geometry *geo, char *err,
                                   size_t err_size)
{
    if (width <= 0 || height <= 0) {
        snprintf(err, err_size, "image size %dx%d is not positive", width, height);
        return TESSEL_ERR_BAD_SIZE;
    }
    if (o->anchor_set) {
        if (o->mode != TESSEL_MODE_SAME) {
            snprintf(err, err_size, "an explicit anchor needs mode same (got %s)",
                     tessel_mode_name(o->mode));
            return TESSEL_ERR_INVALID_ARGUMENT;
        }
        if (o->anchor_x < 0 || o->anchor_x >= kernel_width || o->anchor_y < 0 ||
            o->anchor_y >= kernel_height) {
            snprintf(err, err_size, "anchor %d,%d is outside the %dx%d kernel", o->anchor_x,
                     o->anchor_y, kernel_width, kernel_height);
            return TESSEL_ERR_INVALID_ARGUMENT;
        }
    }
    tessel_geometry g = {0};
    g.in_width = width;
    g.in_height = height;
    g.kernel_width = kernel_width;
    g.kernel_height = kernel_height;
    g.stride_x = o->stride_x;
    g.stride_y = o->stride_y;
    long long dw = width, dh = height;
    if (o->mode == TESSEL_MODE_FULL) {
        dw = (long long)width + kernel_width - 1;
        dh = (long long)height + kernel_height - 1;
    } else if (o->mode == TESSEL_MODE_VALID) {
        if (kernel_width > width || kernel_height > height) {
            snprintf(err, err_size, "kernel %dx%d is larger than the %dx%d image in valid mode",
                     kernel_width, kernel_height, width, height);
            return TESSEL_ERR_KERNEL_TOO_LARGE;
        }
        dw = (long long)width - kernel_width + 1;
        dh = (long long)height - kernel_height + 1;
    }
    /* Backends index the border-extended span (dense + kernel - 1) with int. */
    if (dw + kernel_width - 1 > INT_MAX || dh + kernel_height - 1 > INT_MAX) {
        snprintf(err, err_size, "output size %lldx%lld with a %dx%d kernel overflows", dw, dh,
                 kernel_width, kernel_height);
        return TESSEL_ERR_BAD_SIZE;
    }
    g.dense_width = (int)dw;
    g.dense_height = (int)dh;
    g.out_width = (int)((dw + g.stride_x - 1) / g.stride_x);
    g.out_height = (int)((dh + g.stride_y - 1) / g.stride_y);
    g.origin_x = axis_origin(o->mode, o->correlate, kernel_width, o->anchor_set, o->anchor_x);
    g.origin_y = axis_origin(o->mode, o->correlate, kernel_height, o->anchor_set, o->anchor_y);
    *geo = g;
    return TESSEL_OK;
}
