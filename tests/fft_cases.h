/* What the OpenCL frequency-domain tests (test_fft_opencl,
 * test_fft_block_opencl) share: a convolution case with its random
 * options, run one-shot, through a plan or between buffers and checked
 * against the double-precision reference with the FFT tolerance
 * (tu_compare_rms); and main's loop over the OpenCL devices. */
#ifndef TESSEL_TESTS_FFT_CASES_H
#define TESSEL_TESTS_FFT_CASES_H

#include "test_util.h"

typedef struct fft_case {
    char name[220]; /* fc_describe's */
    int w, h, c, kw, kh;
    tessel_dtype in_dtype, out_dtype;
    tu_layout in_layout, out_layout;
    tessel_conv_options o; /* its method too */
} fft_case;

/* Writes the case's description into fc->name. */
void fc_describe(fft_case *fc);

/* 255, 65535 or 1: the dtype's range of values. */
double fc_dtype_range(tessel_dtype d);

/* The mode (index / 10 % 3), border (index / 2 % 5) and correlate
 * (index % 2) of case `index` of a matrix; cval and strides (mostly 1) at
 * random. */
void fc_random_options(tu_rng *rng, fft_case *fc, int index);
/* An anchor inside the kernel, one time in four in same mode. */
void fc_random_anchor(tu_rng *rng, fft_case *fc);
/* One time in four: a scale into the output dtype's range, an offset and
 * perhaps |.|. */
void fc_random_scaling(tu_rng *rng, fft_case *fc);

/* Runs fc through plan (the one-shot call when NULL) on fresh random input
 * and checks the poisoned output against the reference. */
void fc_run(tessel_context *ctx, tessel_plan *plan, tu_rng *rng, const fft_case *fc,
            const float *coeffs);
/* Describes fc, then runs it one-shot with fresh coefficients
 * (fk_random_coeffs). */
void fc_run_random(tessel_context *ctx, tu_rng *rng, fft_case *fc);

/* One plan for fc (described), several runs with fresh inputs in every row
 * layout; its info names fc's method. Returns the cases run. */
int fc_test_plan_reuse(tessel_context *ctx, tu_rng *rng, fft_case fc);
/* For fc (described): two runs of one plan between buffers queued back to back (they share the
 * plan's work buffers), then the one-shot buffer call. Returns 3. */
int fc_test_buffers(tessel_context *ctx, tu_rng *rng, fft_case fc);

/* A build without clFFT must say so for method, naming it. */
void fc_check_no_clfft(tessel_context *ctx, tessel_method method);

/* Prints how long a group took since *since (cold runs compile FFT
 * kernels) and moves *since on; returns cases. fc_seconds: now. */
double fc_seconds(void);
int fc_timed(const char *group, int cases, double *since);

/* $TESSEL_TEST_SEED, else fallback. */
uint64_t fc_seed(uint64_t fallback);

/* One device's cases on ctx, a context on it that run destroys when it
 * chooses; returns the cases run. */
typedef int (*fc_device_run)(tessel_context *ctx, const char *device, uint64_t seed,
                             const void *user);

/* main's loop: for every OpenCL device, a context, then run on it (with
 * clFFT) or fc_check_no_clfft (without). Prints a line per device and a
 * summary under the name `test`; returns the exit status: 77 (CTest:
 * skipped) when no OpenCL device exists, 1 on failures, else 0. */
int fc_run_devices(const char *test, tessel_method method, int have_clfft, uint64_t seed,
                   fc_device_run run, const void *user);

#endif
