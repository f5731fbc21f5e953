/* What methods fft and fft-block share on OpenCL: a batch of float planes of
 * one transform size, transformed forward (real to hermitian), multiplied by
 * the kernel's spectrum and transformed back, through clFFT. It owns the
 * clFFT plans, the planes, their spectra, the kernel's spectrum (made once
 * from the plan's taps) and the kernels of fft_spectrum.cl. A method fills
 * the planes before tessel_cl_fft_spectral_apply and reads its results from
 * them after; its own kernels launch with the same work-group shape.
 *
 * The 2-D transform is two batches of 1-D transforms, each out of place
 * (cl_fft_lib.h): every row of every plane, then, after a transpose, every
 * column as a row. A plane's spectrum therefore lies transposed: spec_w
 * rows of pad_h complex values (the kernel's spectrum alike). */
#ifndef TESSEL_OPENCL_CL_FFT_SPECTRAL_H
#define TESSEL_OPENCL_CL_FFT_SPECTRAL_H

#include "cl_common.h"
#include "cl_ndrange.h"
#include "cl_fft_plans.h"
#include "core/plan.h"

/* What the caller decides; sizes from its geometry, already checked. */
typedef struct tessel_cl_fft_spectral_size {
    const char *method;   /* "fft", "fft-block": for messages */
    size_t pad_w, pad_h;  /* the transform size */
    int batch;            /* planes per transform */
    size_t spec_w;        /* complex columns of a half spectrum */
    size_t real_bytes;    /* the planes (also the results) */
    size_t spec_bytes;    /* their half spectra (two such buffers) */
    size_t kernel_bytes;  /* the kernel's spectrum: one plane */
} tessel_cl_fft_spectral_size;

typedef struct tessel_cl_fft_spectral {
    tessel_cl_fft_spectral_size size;
    tessel_cl_fft_plans plans;
    clfftPlanHandle rows_forward, columns_forward, columns_backward, rows_backward;
    cl_mem scratch;          /* clFFT's temporary buffer (the plans own it), or NULL */
    cl_mem planes;           /* the real planes: a method's input, then its result */
    cl_mem spectra;          /* their spectra (transposed); in between, their rows' */
    cl_mem turned;           /* the rows' spectra transposed, and back */
    cl_mem kernel_spectrum;  /* conj(DFT(taps)) / N, one plane's spectrum (transposed) */
    cl_kernel make_spectrum; /* fft_spectrum.cl's kernel spectrum, product, transpose */
    cl_kernel multiply, transpose;
    cl_ulong spec_plane;     /* complex values in one plane's half spectrum */
    size_t group;            /* work-group width of its launches */
} tessel_cl_fft_spectral;

/* Bakes the transforms, builds the kernels, allocates the buffers and makes
 * the kernel's spectrum from plan's taps (the taps in the corner of zeroed
 * planes, transformed, the first conjugated and scaled by 1/N). The caller must be a clFFT user; s must be
 * zeroed. On failure, tessel_cl_fft_spectral_release frees what was made. */
tessel_status tessel_cl_fft_spectral_prepare(const tessel_plan *plan, tessel_cl_state *cl,
                                             const tessel_cl_fft_spectral_size *size,
                                             tessel_cl_fft_spectral *s);

/* Enqueues planes -> spectra, spectra *= the kernel's spectrum, spectra ->
 * planes. */
tessel_status tessel_cl_fft_spectral_apply(tessel_context *ctx, tessel_cl_state *cl,
                                           tessel_cl_fft_spectral *s);

/* Frees everything; the caller has waited for pending work. Accepts a
 * zeroed s. */
void tessel_cl_fft_spectral_release(tessel_cl_fft_spectral *s);

#endif
