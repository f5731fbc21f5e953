/* `tessel kernels [SPEC|FILE...]`: the built-in kernel library, or the
 * matrix of given kernels with their separable factors. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "kernel_load.h"
#include "report.h"
#include "wrap.h"

static int list_builtins(void)
{
    printf("Built-in kernels (-k NAME[:ARG,...]; 'tessel kernels SPEC' prints one):\n");
    for (int i = 0; i < tessel_builtin_count(); ++i) {
        const tessel_builtin_desc *d = tessel_builtin_get(i);
        printf("\n  %s:%s\n     ", d->name, d->params);
        cli_print_wrapped(d->description, 5, 79);
        printf("      e.g. %s\n", d->example);
    }
    printf("\nA kernel may also be a file: .npy (2-D), or .csv/.txt with one row per line.\n");
    return CLI_EXIT_OK;
}

/* Prints n values with %g, each right-aligned in `width` characters. */
static void print_values(const float *v, int n, int width)
{
    for (int i = 0; i < n; ++i) printf(" %*g", width, (double)v[i]);
}

static int widest(const float *v, size_t n)
{
    int w = 1;
    char buf[64];
    for (size_t i = 0; i < n; ++i) {
        int len = snprintf(buf, sizeof buf, "%g", (double)v[i]);
        if (len > w) w = len;
    }
    return w;
}

/* A rank-1 matrix as column x row: the row and column through its largest
 * entry, scaled so that the row is readable (for a matrix of whole numbers
 * its smallest non-zero entry is +-1, else it sums to 1 when it can) and the
 * first factor with a non-zero sum sums positive. */
static void factorise(const float *m, int w, int h, float *row, float *column)
{
    size_t best = 0, n = (size_t)w * (size_t)h;
    for (size_t i = 1; i < n; ++i)
        if (fabsf(m[i]) > fabsf(m[best])) best = i;
    int r = (int)(best / (size_t)w), c = (int)(best % (size_t)w);
    double pivot = m[best] != 0 ? m[best] : 1, row_sum = 0, col_sum = 0, row_min = INFINITY;
    int whole = 1;
    for (size_t i = 0; i < n; ++i) whole = whole && m[i] == floorf(m[i]);
    for (int i = 0; i < w; ++i) {
        double v = m[(size_t)r * (size_t)w + (size_t)i] / pivot;
        row_sum += v;
        if (v != 0 && fabs(v) < row_min) row_min = fabs(v);
    }
    for (int j = 0; j < h; ++j) col_sum += m[(size_t)j * (size_t)w + (size_t)c];
    double scale = whole && isfinite(row_min) ? 1 / row_min : row_sum != 0 ? 1 / row_sum : 1;
    if ((row_sum != 0 ? row_sum : col_sum) * scale < 0) scale = -scale;
    /* + 0.0f turns -0 into 0 for printing */
    for (int i = 0; i < w; ++i)
        row[i] = (float)(m[(size_t)r * (size_t)w + (size_t)i] / pivot * scale) + 0.0f;
    for (int j = 0; j < h; ++j)
        column[j] = (float)(m[(size_t)j * (size_t)w + (size_t)c] / scale) + 0.0f;
}

static void print_factors(const float *m, int w, int h)
{
    float *row = malloc((size_t)w * sizeof *row), *column = malloc((size_t)h * sizeof *column);
    if (!row || !column) {
        printf("separable (rank 1)\n");
    } else {
        factorise(m, w, h, row, column);
        printf("separable: column (%d tap%s) x row (%d tap%s)\n  column:", h, h == 1 ? "" : "s", w,
               w == 1 ? "" : "s");
        print_values(column, h, 1);
        printf("\n  row:   ");
        print_values(row, w, 1);
        printf("\n");
    }
    free(row);
    free(column);
}

static int show_kernel(const char *text)
{
    tessel_kernel *k = NULL;
    if (cli_load_kernel(text, &k) != TESSEL_OK) return CLI_EXIT_USAGE;
    int w = tessel_kernel_width(k), h = tessel_kernel_height(k);
    float *m = cli_kernel_coefficients(k);
    if (!m) {
        tessel_kernel_destroy(k);
        return CLI_EXIT_FAILED;
    }
    double sum = 0;
    for (size_t i = 0; i < (size_t)w * (size_t)h; ++i) sum += m[i];
    printf("%s: %dx%d (width x height), sum %g\n", text, w, h, sum);
    int width = widest(m, (size_t)w * (size_t)h);
    for (int j = 0; j < h; ++j) {
        print_values(m + (size_t)j * (size_t)w, w, width);
        printf("\n");
    }
    if (tessel_kernel_is_separable(k))
        print_factors(m, w, h);
    else
        printf("not separable (runs as a dense 2-D sum)\n");
    free(m);
    tessel_kernel_destroy(k);
    return CLI_EXIT_OK;
}

static int run_kernels(const cli_options *o)
{
    if (o->input_count == 0) return list_builtins();
    int status = CLI_EXIT_OK;
    for (int i = 0; i < o->input_count; ++i) {
        if (i > 0) printf("\n");
        int s = show_kernel(o->inputs[i]);
        if (s > status) status = s;
    }
    return status;
}

const cli_command cli_kernels_command = {
    "kernels",
    CLI_KERNELS,
    "list the built-in kernels, or print a kernel's matrix",
    "tessel kernels [SPEC|FILE...]",
    "Without arguments, lists the built-in kernels with their parameters. With\n"
    "kernel specs (or kernel files), prints each matrix as the filter uses it\n"
    "(rows top to bottom, convolution orientation), its sum, and whether it is\n"
    "separable, with the column and row factors when it is.",
    "  tessel kernels\n"
    "  tessel kernels sobel:x\n"
    "  tessel kernels gaussian:sigma=1.5 log:sigma=1.4\n"
    "  tessel kernels my_kernel.csv\n",
    run_kernels,
};
