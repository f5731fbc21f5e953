/* The block shape of method fft-block (no FFTW needed to choose it).
 *
 * The output is cut into blocks of outputs.y x outputs.x samples. A block
 * reads a window of the border-extended input E (fft_state.h: the dense
 * output is a valid-mode correlation of E with the taps). Along an axis on
 * which the kernel spans several samples the block is transformed: `size`
 * is a 7-smooth transform length, consecutive E samples are read, and
 * every stride-th sample of the valid part is kept (overlap-save). Along an
 * axis on which the kernel has one tap (a 1xN kernel's y, an Nx1 kernel's
 * x) nothing is transformed: the block is a batch of `size` independent
 * lines, one per output, reading every stride-th E line. */
#ifndef TESSEL_CPU_FFT_BLOCK_SIZE_H
#define TESSEL_CPU_FFT_BLOCK_SIZE_H

#include "core/geometry.h"

typedef struct tessel_cpu_fft_block_axis {
    int transformed; /* 1: FFT along this axis */
    int size;        /* block samples: transform length, or lines in the batch */
    int step;        /* E samples between consecutive block samples (1 or the stride) */
    int keep;        /* block samples between consecutive outputs (the stride or 1) */
    int outputs;     /* outputs per block */
    int blocks;      /* blocks along the axis (the last may be partial) */
    long long extent; /* E's samples along the axis; block samples past it are zeros */
} tessel_cpu_fft_block_axis;

/* Block shape for geometry g shared by `workers` threads: per output the
 * least modelled cost (transform work, per-sample passes, per-block
 * overhead, idle workers on the last round), each real block plane within
 * about 256 KiB (so a worker's block stays in its L2 cache) unless the
 * kernel needs more (blocks of up to 4x its side). Returns 0 when no
 * transform length fits in an int. */
int tessel_cpu_fft_block_choose(const tessel_geometry *g, int workers, tessel_cpu_fft_block_axis *y,
                                tessel_cpu_fft_block_axis *x);

#endif
