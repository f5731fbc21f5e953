/* clFFT discipline, in one place for the whole process:
 *   - clfftSetup / clfftTeardown are reference-counted: the first user sets
 *     the library up, the last one tears it down;
 *   - one mutex serialises setup, teardown and plan create / bake / destroy
 *     (baking is not thread-safe);
 *   - compiled FFT kernels are kept between runs: by the OpenCL driver
 *     where it caches programs itself (PoCL, NVIDIA, Intel's GPU runtime;
 *     clFFT's own cache stays off there: PoCL aborts on a binary that clFFT
 *     wrote damaged), else by clFFT, CLFFT_CACHE_PATH set to the "clfft"
 *     folder inside tessel's cache folder (cl_program.h) before clfftSetup
 *     reads it. A CLFFT_CACHE_PATH the user set is left alone.
 * A user is an OpenCL context that made an FFT plan (tessel_cl_state.clfft_user).
 * clFFT itself counts nothing: an application that also calls clfftSetup
 * shares one library state with tessel, which tears it down when tessel's
 * last user goes. */
#ifndef TESSEL_OPENCL_CL_FFT_LIB_H
#define TESSEL_OPENCL_CL_FFT_LIB_H

#include "cl_common.h"

#include <clFFT.h>

/* One batch of 1-D transforms of contiguous rows, always out of place
 * (clFFT's in-place kernels race between work-items for many lengths: 8,
 * 32, 72, 128, ...; its 2-D plans run their column pass in place),
 * unscaled both ways: `batch` real rows of `length` floats and their half
 * spectra (length/2 + 1 complex values a row), or `batch` complex rows of
 * `length` values. The kernels clFFT generates then depend on the length
 * alone, so few sizes compile (seconds each on PoCL). */
typedef struct tessel_cl_fft_shape {
    int complex; /* 0: real <-> hermitian; 1: complex <-> complex */
    int inverse; /* 0: forward (real -> hermitian), 1: backward */
    size_t length, batch;
} tessel_cl_fft_shape;

/* Makes ctx's OpenCL context a clFFT user (once; released by
 * tessel_clfft_release_user when the context goes). */
tessel_status tessel_clfft_acquire_user(tessel_context *ctx, tessel_cl_state *cl);
void tessel_clfft_release_user(tessel_cl_state *cl);

/* Creates and bakes a plan for shape on cl's context and queue; *scratch
 * receives the temporary buffer size it wants (0 for none). The caller must
 * be a user. */
tessel_status tessel_clfft_plan_bake(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_fft_shape *shape, clfftPlanHandle *out,
                                     size_t *scratch);
void tessel_clfft_plan_destroy(clfftPlanHandle *plan);

/* "CLFFT_NOTIMPLEMENTED", "CL_OUT_OF_RESOURCES", ... for messages. */
const char *tessel_clfft_status_name(clfftStatus status);

#endif
