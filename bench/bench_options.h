/* The tessel-bench command line. */
#ifndef TESSEL_BENCH_OPTIONS_H
#define TESSEL_BENCH_OPTIONS_H

#include "tessel/tessel.h"

typedef struct bench_size {
    int width, height;
} bench_size;

typedef struct bench_options {
    bench_size *sizes;
    int size_count;
    char **kernels; /* specs: dense:K, sep:K or a built-in spec */
    int kernel_count;
    tessel_dtype dtype;
    int channels;
    tessel_method method;
    int threads; /* 0 = every core this process may run on */
    int repeat;
    int warmup;
    int resident;  /* --data resident: time buffer-to-buffer runs (no host transfers) */
    tessel_backend backend;
    const char *device; /* NULL = the backend's default; else "opencl:N", "gpu", a name */
    const char *print_kernel; /* set: print this kernel's coefficients and stop */
} bench_options;

typedef enum bench_parse_result {
    BENCH_PARSE_RUN = 0,
    BENCH_PARSE_HELP = 1, /* usage printed: exit 0 */
    BENCH_PARSE_ERROR = 2 /* message printed: exit 2 */
} bench_parse_result;

bench_parse_result bench_parse_options(int argc, char **argv, bench_options *o);
void bench_options_free(bench_options *o);

#endif
