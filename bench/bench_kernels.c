/* Benchmark kernels (see bench_kernels.h). */
#include "bench_kernels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"

#define KERNEL_SEED 0x7E55E1u
#define MAX_SIDE 1024
#define DENSE_ATTEMPTS 8

/* Positive taps summing to 1: 8-bit outputs stay in range, like a blur. */
static void random_taps(bench_rng *rng, float *taps, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; ++i) {
        taps[i] = bench_rng_float(rng, 0.1f, 1.0f);
        sum += taps[i];
    }
    for (size_t i = 0; i < n; ++i) taps[i] = (float)(taps[i] / sum);
}

static tessel_kernel *dense_kernel(int k)
{
    float *coeffs = malloc((size_t)k * k * sizeof(float));
    if (!coeffs) return NULL;
    bench_rng rng = {KERNEL_SEED + (unsigned)k};
    tessel_kernel *kernel = NULL;
    /* A random matrix is rank 1 with probability zero; redraw anyway so the
     * case is guaranteed to time the dense path. */
    for (int attempt = 0; attempt < DENSE_ATTEMPTS && !kernel; ++attempt) {
        random_taps(&rng, coeffs, (size_t)k * k);
        if (tessel_kernel_create(k, k, coeffs, &kernel) != TESSEL_OK) break;
        if (tessel_kernel_is_separable(kernel)) {
            tessel_kernel_destroy(kernel);
            kernel = NULL;
        }
    }
    free(coeffs);
    return kernel;
}

static tessel_kernel *separable_kernel(int k)
{
    float *taps = malloc(2 * (size_t)k * sizeof(float));
    if (!taps) return NULL;
    bench_rng rng = {KERNEL_SEED ^ ((unsigned)k << 16)};
    random_taps(&rng, taps, (size_t)k);
    random_taps(&rng, taps + k, (size_t)k);
    tessel_kernel *kernel = NULL;
    if (tessel_kernel_create_separable(k, taps, k, taps + k, &kernel) != TESSEL_OK) kernel = NULL;
    free(taps);
    return kernel;
}

/* "dense:K" / "sep:K": K in [lo, MAX_SIDE]; 1 when spec has that prefix. */
static int random_spec(const char *spec, const char *prefix, int lo, int *k)
{
    size_t n = strlen(prefix);
    if (strncmp(spec, prefix, n) != 0) return 0;
    char *end = NULL;
    long v = strtol(spec + n, &end, 10);
    *k = (end == spec + n || *end || v < lo || v > MAX_SIDE) ? -1 : (int)v;
    return 1;
}

tessel_kernel *bench_kernel_from_spec(const char *spec)
{
    int k = 0;
    tessel_kernel *kernel = NULL;
    if (random_spec(spec, "dense:", 2, &k)) {
        if (k < 0) {
            fprintf(stderr, "tessel-bench: \"%s\": dense:K needs K in [2, %d] (1x1 is rank 1)\n",
                    spec, MAX_SIDE);
            return NULL;
        }
        kernel = dense_kernel(k);
    } else if (random_spec(spec, "sep:", 1, &k)) {
        if (k < 0) {
            fprintf(stderr, "tessel-bench: \"%s\": sep:K needs K in [1, %d]\n", spec, MAX_SIDE);
            return NULL;
        }
        kernel = separable_kernel(k);
    } else if (tessel_kernel_builtin(spec, &kernel) != TESSEL_OK) {
        kernel = NULL;
    }
    if (!kernel)
        fprintf(stderr, "tessel-bench: cannot make kernel \"%s\": %s\n", spec,
                *tessel_last_error() ? tessel_last_error() : "out of memory");
    return kernel;
}

int bench_print_kernel(const char *spec)
{
    tessel_kernel *kernel = bench_kernel_from_spec(spec);
    if (!kernel) return 1;
    int kw = tessel_kernel_width(kernel), kh = tessel_kernel_height(kernel);
    size_t n = (size_t)kw * kh;
    float *coeffs = malloc(n * sizeof(float));
    int ok = coeffs && tessel_kernel_coefficients(kernel, coeffs, n) == TESSEL_OK;
    if (ok) {
        printf("{\"kernel\":");
        bench_json_string(stdout, spec);
        printf(",\"kw\":%d,\"kh\":%d,\"separable\":%d,\"coeffs\":[", kw, kh,
               tessel_kernel_is_separable(kernel));
        for (size_t i = 0; i < n; ++i) printf("%s%.9g", i ? "," : "", coeffs[i]);
        printf("]}\n");
    } else {
        fprintf(stderr, "tessel-bench: cannot read the coefficients of \"%s\": %s\n", spec,
                tessel_last_error());
    }
    free(coeffs);
    tessel_kernel_destroy(kernel);
    return ok ? 0 : 1;
}
