/* Kernels from built-in specs or matrix files (see kernel_load.h). */
#include "kernel_load.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "tessel/tessel_io.h"

static int has_suffix(const char *text, const char *suffix)
{
    size_t n = strlen(text), m = strlen(suffix);
    return n >= m && strcasecmp(text + n - m, suffix) == 0;
}

int cli_kernel_is_file(const char *text)
{
    return strchr(text, '/') || has_suffix(text, ".npy") || has_suffix(text, ".csv") ||
           has_suffix(text, ".txt");
}

/* Sample i of a packed single-channel image as float. */
static float sample_as_float(const tessel_image *img, size_t i)
{
    switch (img->dtype) {
    case TESSEL_U8: return (float)((const uint8_t *)img->data)[i];
    case TESSEL_U16: return (float)((const uint16_t *)img->data)[i];
    default: return ((const float *)img->data)[i];
    }
}

/* Coefficients of the matrix in img; checks that every one is finite. */
static tessel_status matrix_coefficients(const char *path, const tessel_image *img, float **out)
{
    size_t count = (size_t)img->width * (size_t)img->height;
    float *coeffs = malloc(count * sizeof *coeffs);
    if (!coeffs) {
        cli_file_error(path, "out of memory for a %dx%d kernel", img->width, img->height);
        return TESSEL_ERR_OUT_OF_MEMORY;
    }
    for (size_t i = 0; i < count; ++i) {
        coeffs[i] = sample_as_float(img, i);
        if (!isfinite(coeffs[i])) {
            cli_file_error(path, "kernel coefficient at row %zu, column %zu is %s",
                           i / (size_t)img->width + 1, i % (size_t)img->width + 1,
                           isnan(coeffs[i]) ? "NaN" : "infinite");
            free(coeffs);
            return TESSEL_ERR_BAD_KERNEL;
        }
    }
    *out = coeffs;
    return TESSEL_OK;
}

static tessel_status load_file(const char *path, tessel_kernel **out)
{
    tessel_image img = {0};
    tessel_status s = tessel_image_read(path, &img);
    if (s != TESSEL_OK) {
        cli_file_status(path, s);
        return s;
    }
    float *coeffs = NULL;
    if (img.channels != 1) {
        cli_file_error(path, "a kernel file holds one 2-D matrix, not %d channels", img.channels);
        s = TESSEL_ERR_BAD_KERNEL;
    } else {
        s = matrix_coefficients(path, &img, &coeffs);
    }
    if (s == TESSEL_OK) {
        s = tessel_kernel_create(img.width, img.height, coeffs, out);
        if (s != TESSEL_OK) cli_file_error(path, "not a usable kernel: %s", cli_status_text(s));
    }
    free(coeffs);
    tessel_image_free(&img);
    return s;
}

tessel_status cli_load_kernel(const char *text, tessel_kernel **out)
{
    *out = NULL;
    if (cli_kernel_is_file(text)) return load_file(text, out);
    tessel_status s = tessel_kernel_builtin(text, out);
    if (s != TESSEL_OK) cli_error("-k: %s (see 'tessel kernels')", cli_status_text(s));
    return s;
}

float *cli_kernel_coefficients(const tessel_kernel *kernel)
{
    size_t count = (size_t)tessel_kernel_width(kernel) * (size_t)tessel_kernel_height(kernel);
    float *coeffs = malloc(count * sizeof *coeffs);
    if (!coeffs || tessel_kernel_coefficients(kernel, coeffs, count) != TESSEL_OK) {
        cli_error("out of memory for the kernel's %zu coefficients", count);
        free(coeffs);
        return NULL;
    }
    return coeffs;
}
