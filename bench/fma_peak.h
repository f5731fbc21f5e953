/* The multiply-add peak of one core: a register-only loop of independent
 * vector multiply-adds, compiled for AVX-512 and AVX2+FMA and picked at run
 * time the same way the library picks its inner loop. */
#ifndef TESSEL_BENCH_FMA_PEAK_H
#define TESSEL_BENCH_FMA_PEAK_H

/* Independent accumulator chains per loop iteration: enough to cover the
 * FMA latency on two FMA ports. */
#define BENCH_FMA_CHAINS 12

typedef float (*bench_fma_loop_fn)(long iterations, float seed);

typedef struct bench_fma_variant {
    bench_fma_loop_fn loop; /* returns a sum of the accumulators (keeps the work alive) */
    int lanes;              /* floats per vector */
    const char *isa;        /* "avx512f", "avx2", "baseline" */
} bench_fma_variant;

/* The widest variant this CPU runs. */
bench_fma_variant bench_fma_select(void);

#endif
