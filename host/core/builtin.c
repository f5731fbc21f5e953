/* The built-in kernel library: the table behind tessel_kernel_builtin and
 * tessel_builtin_get, and the coefficients of each kernel.
 *
 * Kernels are written for convolution (tessel flips the kernel), so the
 * derivative kernels respond positively where intensity rises towards +x
 * (right) or +y (down). Separable kernels are built from their row and
 * column factors so that they are exactly rank 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kernel.h"
#include "spec.h"

typedef tessel_status (*builtin_make_fn)(const tessel_spec *spec, tessel_kernel **out);

typedef struct builtin_entry {
    tessel_builtin_desc desc;
    const char *keys[TESSEL_SPEC_MAX_PARAMS + 1]; /* positional order, NULL-terminated */
    builtin_make_fn make;
} builtin_entry;

/* Upper bound of sharpen/unsharp amounts: beyond it the identity term is
 * lost to float rounding and the kernel is no longer a sharpening. */
#define AMOUNT_MAX 1e6
#define AMOUNT_MAX_TEXT "1000000"
/* Smallest LoG sigma: its coefficients grow as 1/sigma^2. */
#define LOG_SIGMA_MIN 1e-3
#define LOG_SIGMA_MIN_TEXT "0.001"

/* ------------------------------------------------------------ allocation */

static tessel_status alloc_floats(size_t n, float **out)
{
    *out = calloc(n, sizeof(float));
    RETURN_ERROR_IF(!*out, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for %zu kernel taps", n);
    return TESSEL_OK;
}

/* Builds a rank-1 kernel column (x) row and frees both factors. */
static tessel_status build_factors(int width, float *row, int height, float *column,
                                   tessel_kernel **out)
{
    tessel_status s = tessel_kernel_build(width, height, NULL, row, column, out);
    free(row);
    free(column);
    return s;
}

static tessel_status alloc_factors(int width, int height, float **row, float **column)
{
    *row = *column = NULL;
    tessel_status s = alloc_floats((size_t)width, row);
    if (s == TESSEL_OK) s = alloc_floats((size_t)height, column);
    if (s != TESSEL_OK) free(*row);
    return s;
}

/* ------------------------------------------------------- shared readers */

static tessel_status read_sigma(const tessel_spec *spec, int param, double fallback, double *out)
{
    FORWARD_IF_ERROR(tessel_spec_real(spec, param, fallback, out));
    if (!(*out > 0)) return tessel_spec_fail_value(spec, param, "must be > 0");
    return TESSEL_OK;
}

static tessel_status read_amount(const tessel_spec *spec, int param, double *out)
{
    FORWARD_IF_ERROR(tessel_spec_real(spec, param, 1.0, out));
    if (*out < 0) return tessel_spec_fail_value(spec, param, "must be >= 0");
    if (*out > AMOUNT_MAX)
        return tessel_spec_fail_value(spec, param, "must be <= " AMOUNT_MAX_TEXT);
    return TESSEL_OK;
}

/* The default side of a Gaussian window, 2*ceil(3 sigma)+1 (odd, so that
 * the centre is a tap). sigma_param names the sigma in messages. */
static tessel_status gaussian_side(const tessel_spec *spec, double sigma, int sigma_param,
                                   int *side)
{
    double taps = 2.0 * ceil(3.0 * sigma) + 1.0;
    if (taps > TESSEL_MAX_KERNEL_SIDE) {
        size_t length = spec->value_length[sigma_param];
        int shown = length > 40 ? 40 : (int)length;
        return tessel_spec_fail(spec,
                                "%s=%.*s needs more than %d taps at the default size "
                                "2*ceil(3 sigma)+1; give a smaller value or size=",
                                spec->keys[sigma_param], shown, spec->value[sigma_param],
                                TESSEL_MAX_KERNEL_SIDE);
    }
    *side = (int)taps;
    return TESSEL_OK;
}

static tessel_status read_odd_size(const tessel_spec *spec, int param, tessel_spec_shape shape,
                                   int *width, int *height)
{
    FORWARD_IF_ERROR(tessel_spec_size(spec, param, shape, width, height));
    if (*width % 2 == 0 || *height % 2 == 0)
        return tessel_spec_fail_value(spec, param, "must be odd");
    return TESSEL_OK;
}

/* Square window of a Gaussian-based kernel: sigma at param 0, size at size_param. */
static tessel_status gaussian_square(const tessel_spec *spec, double sigma, int size_param,
                                     int *side)
{
    if (tessel_spec_given(spec, size_param))
        return read_odd_size(spec, size_param, TESSEL_SPEC_SQUARE, side, side);
    return gaussian_side(spec, sigma, 0, side);
}

/* n samples of exp(-x^2 / (2 sigma^2)), x centred, normalised to sum 1. */
static void gaussian_taps(double sigma, int n, double *taps)
{
    double sum = 0.0;
    for (int i = 0; i < n; ++i) {
        double u = (i - n / 2) / sigma;
        taps[i] = exp(-0.5 * u * u);
        sum += taps[i];
    }
    for (int i = 0; i < n; ++i) taps[i] /= sum;
}

/* ------------------------------------------------------ the simple ones */

static tessel_status make_identity(const tessel_spec *spec, tessel_kernel **out)
{
    int w = 1, h = 1;
    float *row, *column;
    FORWARD_IF_ERROR(tessel_spec_size(spec, 0, TESSEL_SPEC_RECT, &w, &h));
    FORWARD_IF_ERROR(alloc_factors(w, h, &row, &column));
    row[(w - 1) / 2] = 1.0f;
    column[(h - 1) / 2] = 1.0f;
    return build_factors(w, row, h, column, out);
}

static tessel_status make_box(const tessel_spec *spec, tessel_kernel **out)
{
    static const char *const norms[] = {"0", "1", NULL};
    int w = 3, h = 3, norm;
    float *row, *column;
    FORWARD_IF_ERROR(tessel_spec_size(spec, 0, TESSEL_SPEC_RECT, &w, &h));
    FORWARD_IF_ERROR(tessel_spec_choice(spec, 1, norms, 1, &norm));
    FORWARD_IF_ERROR(alloc_factors(w, h, &row, &column));
    /* The whole 1/(w*h) on the row and ones on the column: each product is
     * then exactly the float nearest 1/(w*h). */
    float weight = norm ? (float)(1.0 / ((double)w * h)) : 1.0f;
    for (int i = 0; i < w; ++i) row[i] = weight;
    for (int j = 0; j < h; ++j) column[j] = 1.0f;
    return build_factors(w, row, h, column, out);
}

static tessel_status make_dense(int width, int height, const float *coeffs, tessel_kernel **out)
{
    return tessel_kernel_build(width, height, coeffs, NULL, NULL, out);
}

static tessel_status make_laplacian(const tessel_spec *spec, tessel_kernel **out)
{
    static const char *const connectivities[] = {"4", "8", NULL};
    static const float four[9] = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    static const float eight[9] = {1, 1, 1, 1, -8, 1, 1, 1, 1};
    int c;
    FORWARD_IF_ERROR(tessel_spec_choice(spec, 0, connectivities, 0, &c));
    return make_dense(3, 3, c == 0 ? four : eight, out);
}

static tessel_status make_sharpen(const tessel_spec *spec, tessel_kernel **out)
{
    double a;
    FORWARD_IF_ERROR(read_amount(spec, 0, &a));
    float e = (float)-a, c = (float)(1.0 + 4.0 * a);
    const float k[9] = {0, e, 0, e, c, e, 0, e, 0};
    return make_dense(3, 3, k, out);
}

/* ---------------------------------------------------------- derivatives */

enum { DIR_X, DIR_Y, DIR_DIAG, DIR_ANTIDIAG };
static const char *const all_directions[] = {"x", "y", "diag", "antidiag", NULL};

/* Binomial smoothing of n taps and the derivative of the (n-1)-tap binomial
 * ([1,-1] convolved with it), in convolution order: [1,2,1] and [1,0,-1] for
 * n = 3, as OpenCV's getDerivKernels reversed. */
static void sobel_taps(int n, float *smooth, float *deriv)
{
    double b[8] = {1}; /* binomial row n-2, grown in place */
    for (int k = 1; k <= n - 2; ++k)
        for (int i = k; i > 0; --i) b[i] += b[i - 1];
    for (int i = 0; i < n; ++i) {
        double below = i < n - 1 ? b[i] : 0.0, left = i > 0 ? b[i - 1] : 0.0;
        deriv[i] = (float)(below - left);
        smooth[i] = (float)(below + left); /* row n-1 of Pascal's triangle */
    }
}

/* x: smoothing down the column, derivative along the row; y: transposed. */
static tessel_status make_axis(int n, const float *smooth, const float *deriv, int direction,
                               tessel_kernel **out)
{
    float *row, *column;
    FORWARD_IF_ERROR(alloc_factors(n, n, &row, &column));
    memcpy(row, direction == DIR_X ? deriv : smooth, (size_t)n * sizeof(float));
    memcpy(column, direction == DIR_X ? smooth : deriv, (size_t)n * sizeof(float));
    return build_factors(n, row, n, column, out);
}

/* Diagonal 3x3 kernels from corner weight and edge weight: positive towards
 * the top-left for diag, which convolution turns into a positive response
 * to intensity rising towards the bottom-right (antidiag: mirrored). */
static tessel_status make_diagonal(float corner, float edge, int direction, tessel_kernel **out)
{
    const float diag[9] = {corner, edge, 0, edge, 0, -edge, 0, -edge, -corner};
    float k[9];
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i)
            k[j * 3 + i] = diag[j * 3 + (direction == DIR_DIAG ? i : 2 - i)];
    return make_dense(3, 3, k, out);
}

static tessel_status make_sobel(const tessel_spec *spec, tessel_kernel **out)
{
    int direction, n = 3, unused = 3;
    float smooth[7], deriv[7];
    FORWARD_IF_ERROR(tessel_spec_choice(spec, 0, all_directions, -1, &direction));
    FORWARD_IF_ERROR(tessel_spec_size(spec, 1, TESSEL_SPEC_SQUARE, &n, &unused));
    if (n != 3 && n != 5 && n != 7) return tessel_spec_fail_value(spec, 1, "must be 3, 5 or 7");
    if (direction >= DIR_DIAG) {
        if (n != 3) return tessel_spec_fail_value(spec, 1, "must be 3 for diag and antidiag");
        return make_diagonal(2, 1, direction, out);
    }
    sobel_taps(n, smooth, deriv);
    return make_axis(n, smooth, deriv, direction, out);
}

static tessel_status make_prewitt(const tessel_spec *spec, tessel_kernel **out)
{
    static const float smooth[3] = {1, 1, 1}, deriv[3] = {1, 0, -1};
    int direction;
    FORWARD_IF_ERROR(tessel_spec_choice(spec, 0, all_directions, -1, &direction));
    if (direction >= DIR_DIAG) return make_diagonal(1, 1, direction, out);
    return make_axis(3, smooth, deriv, direction, out);
}

static tessel_status make_scharr(const tessel_spec *spec, tessel_kernel **out)
{
    static const char *const axes[] = {"x", "y", NULL};
    static const float smooth[3] = {3, 10, 3}, deriv[3] = {1, 0, -1};
    int direction;
    FORWARD_IF_ERROR(tessel_spec_choice(spec, 0, axes, -1, &direction));
    return make_axis(3, smooth, deriv, direction, out);
}

/* ------------------------------------------------------------ Gaussians */

static tessel_status make_gaussian(const tessel_spec *spec, tessel_kernel **out)
{
    double sx, sy;
    int w, h;
    FORWARD_IF_ERROR(read_sigma(spec, 0, 1.0, &sx));
    FORWARD_IF_ERROR(read_sigma(spec, 1, sx, &sy));
    if (tessel_spec_given(spec, 2)) {
        FORWARD_IF_ERROR(read_odd_size(spec, 2, TESSEL_SPEC_RECT, &w, &h));
    } else {
        FORWARD_IF_ERROR(gaussian_side(spec, sx, 0, &w));
        FORWARD_IF_ERROR(gaussian_side(spec, sy, tessel_spec_given(spec, 1) ? 1 : 0, &h));
    }
    double *taps = malloc((size_t)(w > h ? w : h) * sizeof(double));
    float *row = NULL, *column = NULL;
    tessel_status s = taps ? alloc_factors(w, h, &row, &column)
                           : tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY,
                                         "out of memory for a %dx%d Gaussian", w, h);
    if (s == TESSEL_OK) {
        gaussian_taps(sx, w, taps);
        for (int i = 0; i < w; ++i) row[i] = (float)taps[i];
        gaussian_taps(sy, h, taps);
        for (int j = 0; j < h; ++j) column[j] = (float)taps[j];
        s = build_factors(w, row, h, column, out);
    }
    free(taps);
    return s;
}

/* The dense kernels derived from a normalised 2-D Gaussian g (n x n). */
typedef enum { DERIVED_LOG, DERIVED_UNSHARP, DERIVED_HIGHPASS } derived_kind;

/* LoG at offset (x, y): (x^2+y^2-2 sigma^2)/sigma^4 * g, before the mean is removed. */
static double log_value(int x, int y, double sigma, double g)
{
    double u = x / sigma, v = y / sigma;
    return (u * u + v * v - 2.0) / (sigma * sigma) * g;
}

static void fill_derived(derived_kind kind, double sigma, double amount, int n,
                         const double *taps, float *k)
{
    int r = n / 2;
    double mean = 0.0;
    if (kind == DERIVED_LOG) {
        for (int j = 0; j < n; ++j)
            for (int i = 0; i < n; ++i) mean += log_value(i - r, j - r, sigma, taps[j] * taps[i]);
        mean /= (double)n * n;
    }
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < n; ++i) {
            double g = taps[j] * taps[i], delta = (i == r && j == r) ? 1.0 : 0.0, v;
            if (kind == DERIVED_LOG) v = log_value(i - r, j - r, sigma, g) - mean;
            else if (kind == DERIVED_UNSHARP) v = (1.0 + amount) * delta - amount * g;
            else v = delta - g;
            k[(size_t)j * n + i] = (float)v;
        }
    }
}

static tessel_status make_derived(derived_kind kind, double sigma, double amount, int n,
                                  tessel_kernel **out)
{
    double *taps = malloc((size_t)n * sizeof(double));
    float *k = NULL;
    tessel_status s = taps ? alloc_floats((size_t)n * n, &k)
                           : tessel_fail(NULL, TESSEL_ERR_OUT_OF_MEMORY,
                                         "out of memory for a %d-tap Gaussian", n);
    if (s == TESSEL_OK) {
        gaussian_taps(sigma, n, taps);
        fill_derived(kind, sigma, amount, n, taps, k);
        s = make_dense(n, n, k, out);
    }
    free(k);
    free(taps);
    return s;
}

static tessel_status make_log(const tessel_spec *spec, tessel_kernel **out)
{
    double sigma;
    int n;
    FORWARD_IF_ERROR(read_sigma(spec, 0, 1.0, &sigma));
    if (sigma < LOG_SIGMA_MIN)
        return tessel_spec_fail_value(spec, 0, "must be >= " LOG_SIGMA_MIN_TEXT);
    FORWARD_IF_ERROR(gaussian_square(spec, sigma, 1, &n));
    return make_derived(DERIVED_LOG, sigma, 0.0, n, out);
}

static tessel_status make_unsharp(const tessel_spec *spec, tessel_kernel **out)
{
    double sigma, amount;
    int n;
    FORWARD_IF_ERROR(read_sigma(spec, 0, 1.0, &sigma));
    FORWARD_IF_ERROR(read_amount(spec, 1, &amount));
    FORWARD_IF_ERROR(gaussian_square(spec, sigma, 2, &n));
    return make_derived(DERIVED_UNSHARP, sigma, amount, n, out);
}

static tessel_status make_highpass(const tessel_spec *spec, tessel_kernel **out)
{
    double sigma;
    int n;
    FORWARD_IF_ERROR(read_sigma(spec, 0, 1.0, &sigma));
    FORWARD_IF_ERROR(gaussian_square(spec, sigma, 1, &n));
    return make_derived(DERIVED_HIGHPASS, sigma, 0.0, n, out);
}

/* ---------------------------------------------------------------- table */

static const builtin_entry builtins[] = {
    {{"identity", "[N|WxH]", "impulse at ((w-1)/2, (h-1)/2): copies the image; default 1x1",
      "identity:3"},
     {"size"}, make_identity},
    {{"box", "[N|WxH][,norm=0|1]",
      "mean filter: all ones divided by w*h (norm=0: plain sum); default 3x3", "box:5x3"},
     {"size", "norm"}, make_box},
    {{"gaussian", "[sigma=S][,sigmay=S][,size=N|WxH]",
      "separable Gaussian blur, each axis summing to 1; default sigma 1, sigmay = sigma, "
      "side 2*ceil(3 sigma)+1 (explicit sizes odd)",
      "gaussian:sigma=2"},
     {"sigma", "sigmay", "size"}, make_gaussian},
    {{"sobel", "x|y|diag|antidiag[,size=3|5|7]",
      "Sobel derivative, positive where intensity rises to the right (x), downwards (y), "
      "to the bottom-right (diag) or bottom-left (antidiag); diagonals 3x3 only",
      "sobel:x"},
     {"direction", "size"}, make_sobel},
    {{"prewitt", "x|y|diag|antidiag", "Prewitt derivative (smoothing 1,1,1), signs as sobel",
      "prewitt:y"},
     {"direction"}, make_prewitt},
    {{"scharr", "x|y", "Scharr derivative (smoothing 3,10,3), signs as sobel", "scharr:x"},
     {"direction"}, make_scharr},
    {{"laplacian", "[4|8]", "3x3 Laplacian over 4 or 8 neighbours, negative centre; default 4",
      "laplacian:8"},
     {"connectivity"}, make_laplacian},
    {{"log", "[sigma=S][,size=N]",
      "Laplacian of Gaussian with zero sum, negative centre; default sigma 1, "
      "side 2*ceil(3 sigma)+1 (explicit size odd)",
      "log:sigma=1.4"},
     {"sigma", "size"}, make_log},
    {{"sharpen", "[amount=A]",
      "identity minus amount times the 4-neighbour Laplacian: centre 1+4A, neighbours -A; "
      "default amount 1",
      "sharpen:amount=0.5"},
     {"amount"}, make_sharpen},
    {{"unsharp", "[sigma=S][,amount=A][,size=N]",
      "unsharp mask (1+amount) identity - amount gaussian(sigma), sum 1; default sigma 1, "
      "amount 1",
      "unsharp:sigma=2,amount=1.5"},
     {"sigma", "amount", "size"}, make_unsharp},
    {{"highpass", "[sigma=S][,size=N]",
      "identity minus gaussian(sigma): removes the local mean, sum 0; default sigma 1",
      "highpass:sigma=3"},
     {"sigma", "size"}, make_highpass},
};

#define BUILTIN_COUNT ((int)(sizeof builtins / sizeof builtins[0]))

int tessel_builtin_count(void)
{
    return BUILTIN_COUNT;
}

const tessel_builtin_desc *tessel_builtin_get(int index)
{
    return index >= 0 && index < BUILTIN_COUNT ? &builtins[index].desc : NULL;
}

static void known_names(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int e = 0; e < BUILTIN_COUNT && used < size; ++e) {
        int n = snprintf(buf + used, size - used, "%s%s", e ? ", " : "", builtins[e].desc.name);
        if (n < 0) break;
        used += (size_t)n;
    }
}

static tessel_status fail_unknown(const char *spec, size_t name_length)
{
    char known[160], name[160], whole[160];
    known_names(known, sizeof known);
    tessel_spec_quote(whole, sizeof whole, spec, strlen(spec));
    if (name_length == 0)
        return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL, "missing kernel name in %s (known: %s)",
                           whole, known);
    tessel_spec_quote(name, sizeof name, spec, name_length);
    return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL, "unknown kernel %s in %s (known: %s)", name,
                       whole, known);
}

tessel_status tessel_kernel_builtin(const char *spec, tessel_kernel **out_kernel)
{
    RETURN_ERROR_IF(!out_kernel, NULL, TESSEL_ERR_NULL_POINTER, "out_kernel is NULL");
    *out_kernel = NULL;
    RETURN_ERROR_IF(!spec, NULL, TESSEL_ERR_NULL_POINTER, "kernel spec is NULL");
    if (*spec == '\0') {
        char known[160];
        known_names(known, sizeof known);
        return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL, "empty kernel spec (known: %s)", known);
    }
    size_t name_length = strcspn(spec, ":");
    for (int e = 0; e < BUILTIN_COUNT; ++e) {
        const builtin_entry *entry = &builtins[e];
        if (!tessel_spec_equals(spec, name_length, entry->desc.name)) continue;
        tessel_spec bound;
        FORWARD_IF_ERROR(tessel_spec_bind(&bound, spec, name_length, entry->desc.name,
                                          entry->keys));
        return entry->make(&bound, out_kernel);
    }
    return fail_unknown(spec, name_length);
}
