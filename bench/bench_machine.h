/* The machine a benchmark run is measured against: the host's limits, and
 * for an OpenCL context also the device's, measured once per run and printed
 * as the first JSON line. */
#ifndef TESSEL_BENCH_MACHINE_H
#define TESSEL_BENCH_MACHINE_H

#include "bench_case.h"
#include "bench_options.h"
#include "tessel/tessel.h"

typedef struct bench_machine {
    int threads;          /* host threads of the host measurements */
    const char *fma_isa;  /* host FMA loop measured */
    double host_fma_per_s;
    double *host_copy;    /* bytes/s per image size (o->sizes order) */
    /* OpenCL contexts only (device_kind[0] == '\0' otherwise). */
    char device_kind[16]; /* "cpu", "gpu", "accelerator", "other" */
    int compute_units;
    double device_fma_per_s;
    double *device_copy;  /* bytes/s per image size */
    int limits_from_device;
    /* Per image size: what every case is measured against. */
    bench_machine_limits *limits;
} bench_machine;

/* Every core this process may run on (what the library means by "all"). */
int bench_available_cores(void);

/* Measures the limits for the context's device. Returns 0 after printing
 * why when a measurement failed; bench_machine_free is due either way. */
int bench_machine_measure(const bench_options *o, const tessel_context *ctx, int threads,
                          bench_machine *m);
void bench_machine_print(const bench_options *o, const tessel_context *ctx,
                         const bench_machine *m);
void bench_machine_free(bench_machine *m);

#endif
