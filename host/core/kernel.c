/* Kernel objects: creation, validation, rank-1 detection, accessors. */
#include "kernel.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/* Both sides positive; up to TESSEL_MAX_KERNEL_SIDE each, or for a 1-D
 * kernel (one side 1) up to TESSEL_MAX_KERNEL_TAPS_1D taps. */
static tessel_status check_size(int width, int height)
{
    RETURN_ERROR_IF(width <= 0, NULL, TESSEL_ERR_BAD_SIZE, "kernel width %d is not positive",
                    width);
    RETURN_ERROR_IF(height <= 0, NULL, TESSEL_ERR_BAD_SIZE, "kernel height %d is not positive",
                    height);
    if (width == 1 || height == 1) {
        const int taps = width == 1 ? height : width;
        RETURN_ERROR_IF(taps > TESSEL_MAX_KERNEL_TAPS_1D, NULL, TESSEL_ERR_BAD_SIZE,
                        "1-D kernel of %d taps exceeds the limit of %d", taps,
                        TESSEL_MAX_KERNEL_TAPS_1D);
        return TESSEL_OK;
    }
    RETURN_ERROR_IF(width > TESSEL_MAX_KERNEL_SIDE || height > TESSEL_MAX_KERNEL_SIDE, NULL,
                    TESSEL_ERR_BAD_SIZE,
                    "kernel %dx%d exceeds the limit of %d per side of a 2-D kernel (a 1-D "
                    "kernel, 1xN or Nx1, may have up to %d taps)",
                    width, height, TESSEL_MAX_KERNEL_SIDE, TESSEL_MAX_KERNEL_TAPS_1D);
    return TESSEL_OK;
}

static tessel_status check_finite(const char *what, const float *v, size_t n, int width)
{
    for (size_t k = 0; k < n; ++k) {
        if (!isfinite(v[k])) {
            if (width > 0)
                return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL,
                                   "kernel coefficient at row %d, column %d is %s",
                                   (int)(k / (size_t)width), (int)(k % (size_t)width),
                                   isnan(v[k]) ? "NaN" : "infinite");
            return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL, "%s tap %d is %s", what, (int)k,
                               isnan(v[k]) ? "NaN" : "infinite");
        }
    }
    return TESSEL_OK;
}

/* Finds row/column factors with column (x) row == coeffs up to float rounding.
 * Returns 1 and fills row/column when the kernel is rank 1. */
static int find_rank1(int w, int h, const float *k, float *row, float *column)
{
    size_t n = (size_t)w * h, pivot = 0;
    for (size_t t = 1; t < n; ++t)
        if (fabsf(k[t]) > fabsf(k[pivot])) pivot = t;
    double peak = fabs(k[pivot]);
    if (peak == 0.0) return 0;
    int pr = (int)(pivot / (size_t)w), pc = (int)(pivot % (size_t)w);
    for (int i = 0; i < w; ++i) row[i] = k[(size_t)pr * w + i];
    for (int j = 0; j < h; ++j) column[j] = (float)((double)k[(size_t)j * w + pc] / k[pivot]);
    double tolerance = 8.0 * FLT_EPSILON * peak;
    for (int j = 0; j < h; ++j)
        for (int i = 0; i < w; ++i)
            if (fabs((double)column[j] * row[i] - k[(size_t)j * w + i]) > tolerance) return 0;
    return 1;
}

static int all_equal(const float *v, int n)
{
    for (int i = 1; i < n; ++i)
        if (v[i] != v[0]) return 0;
    return 1;
}

static void kernel_free(tessel_kernel *k)
{
    if (!k) return;
    free(k->coeffs);
    free(k->row);
    free(k->column);
    free(k);
}

tessel_status tessel_kernel_build(int width, int height, const float *coeffs, const float *row,
                                  const float *column, tessel_kernel **out)
{
    FORWARD_IF_ERROR(check_size(width, height));
    size_t n = (size_t)width * height;
    if (coeffs) FORWARD_IF_ERROR(check_finite("kernel", coeffs, n, width));
    if (row) FORWARD_IF_ERROR(check_finite("row", row, (size_t)width, 0));
    if (column) FORWARD_IF_ERROR(check_finite("column", column, (size_t)height, 0));

    tessel_kernel *k = calloc(1, sizeof *k);
    if (k) {
        k->coeffs = malloc(n * sizeof(float));
        k->row = malloc((size_t)width * sizeof(float));
        k->column = malloc((size_t)height * sizeof(float));
    }
    if (!k || !k->coeffs || !k->row || !k->column) {
        kernel_free(k);
        return tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a %dx%d kernel",
                           width, height);
    }
    k->width = width;
    k->height = height;
    if (row && column) {
        memcpy(k->row, row, (size_t)width * sizeof(float));
        memcpy(k->column, column, (size_t)height * sizeof(float));
        for (int j = 0; j < height; ++j)
            for (int i = 0; i < width; ++i) k->coeffs[(size_t)j * width + i] = column[j] * row[i];
        k->separable = 1;
    } else {
        memcpy(k->coeffs, coeffs, n * sizeof(float));
        k->separable = find_rank1(width, height, k->coeffs, k->row, k->column);
    }
    if (!k->separable) {
        free(k->row);
        free(k->column);
        k->row = k->column = NULL;
    } else {
        k->constant = (all_equal(k->row, width) ? TESSEL_ROW_CONSTANT : 0) |
                      (all_equal(k->column, height) ? TESSEL_COLUMN_CONSTANT : 0);
    }
    *out = k;
    return TESSEL_OK;
}

tessel_status tessel_kernel_create(int width, int height, const float *coeffs,
                                   tessel_kernel **out_kernel)
{
    RETURN_ERROR_IF(!out_kernel, NULL, TESSEL_ERR_NULL_POINTER, "out_kernel is NULL");
    *out_kernel = NULL;
    RETURN_ERROR_IF(!coeffs, NULL, TESSEL_ERR_NULL_POINTER, "kernel coefficients are NULL");
    return tessel_kernel_build(width, height, coeffs, NULL, NULL, out_kernel);
}

tessel_status tessel_kernel_create_separable(int width, const float *row, int height,
                                             const float *column, tessel_kernel **out_kernel)
{
    RETURN_ERROR_IF(!out_kernel, NULL, TESSEL_ERR_NULL_POINTER, "out_kernel is NULL");
    *out_kernel = NULL;
    RETURN_ERROR_IF(!row, NULL, TESSEL_ERR_NULL_POINTER, "row taps are NULL");
    RETURN_ERROR_IF(!column, NULL, TESSEL_ERR_NULL_POINTER, "column taps are NULL");
    return tessel_kernel_build(width, height, NULL, row, column, out_kernel);
}

float *tessel_pad_taps(const float *taps, int nrows, int ntaps, int block_rows)
{
    size_t pad = (size_t)(block_rows - 1) * ntaps, body = (size_t)nrows * ntaps;
    float *padded = calloc(body + 2 * pad, sizeof(float));
    if (padded) memcpy(padded + pad, taps, body * sizeof(float));
    return padded;
}

void tessel_kernel_destroy(tessel_kernel *kernel)
{
    kernel_free(kernel);
}

int tessel_kernel_width(const tessel_kernel *kernel)
{
    return kernel ? kernel->width : 0;
}

int tessel_kernel_height(const tessel_kernel *kernel)
{
    return kernel ? kernel->height : 0;
}

int tessel_kernel_is_separable(const tessel_kernel *kernel)
{
    return kernel ? kernel->separable : 0;
}

int tessel_kernel_box_like(const tessel_kernel *k)
{
    return k->separable && ((k->width > 1 && (k->constant & TESSEL_ROW_CONSTANT)) ||
                            (k->height > 1 && (k->constant & TESSEL_COLUMN_CONSTANT)));
}

int tessel_kernel_is_box_like(const tessel_kernel *kernel)
{
    return kernel ? tessel_kernel_box_like(kernel) : 0;
}

tessel_status tessel_kernel_coefficients(const tessel_kernel *kernel, float *out, size_t capacity)
{
    RETURN_ERROR_IF(!kernel, NULL, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    RETURN_ERROR_IF(!out, NULL, TESSEL_ERR_NULL_POINTER, "output array is NULL");
    size_t n = (size_t)kernel->width * kernel->height;
    RETURN_ERROR_IF(capacity < n, NULL, TESSEL_ERR_BAD_SIZE,
                    "output holds %zu floats but the %dx%d kernel has %zu", capacity,
                    kernel->width, kernel->height, n);
    memcpy(out, kernel->coeffs, n * sizeof(float));
    return TESSEL_OK;
}
