/* What `tessel filter` does to one image shape, made once and reused for
 * the inputs of that width, height, channels and dtype (each device worker
 * keeps a few, filter_image.c):
 *
 *   - one plan per -k kernel; with one kernel it writes the output dtype
 *     directly (exactly the library's result), with several each writes f32
 *     and a last plan (1x1 identity with --scale/--offset/--abs) turns their
 *     magnitude sqrt(sum of squares) into the output dtype;
 *   - for 2- and 4-channel images (unless --filter-alpha) the colour channels
 *     are filtered from a packed copy and the alpha plane is carried through
 *     (alpha.h), then both are interleaved again.
 *
 * The pipeline owns every plan and scratch buffer it needs; it belongs to
 * the thread of its context. */
#ifndef TESSEL_CLI_PIPELINE_H
#define TESSEL_CLI_PIPELINE_H

#include "options.h"
#include "tessel/tessel.h"

typedef struct pipeline_stage {
    tessel_plan *plan;
    tessel_image out; /* owned output buffer, unless it is the final output */
} pipeline_stage;

typedef struct pipeline {
    /* the input shape and output dtype it was made for */
    int width, height, channels;
    tessel_dtype in_dtype, out_dtype;
    int out_width, out_height;
    int split_alpha; /* colour and alpha handled apart */

    tessel_image colour_in, alpha_in; /* split copies of the input (split_alpha) */
    pipeline_stage kernels[CLI_MAX_KERNELS];
    int kernel_count;
    pipeline_stage finish; /* magnitude -> output dtype (kernel_count > 1) */
    pipeline_stage alpha;  /* alpha carried through (split_alpha) */
} pipeline;

/* 1 when p was made for img's shape and out_dtype. */
int pipeline_matches(const pipeline *p, const tessel_image *img, tessel_dtype out_dtype);

/* Makes p for img's shape. On failure p is empty and the status returned:
 * TESSEL_ERR_OUT_OF_MEMORY for its own buffers, else that of the library
 * call that failed (its message is tessel_last_error()). Prints nothing:
 * it runs on the batch engine's workers. */
tessel_status pipeline_create(pipeline *p, tessel_context *ctx, const tessel_image *img,
                              tessel_dtype out_dtype, tessel_kernel *const *kernels,
                              int kernel_count, const cli_options *o);

/* Filters src (of p's shape) into dst, a packed image of p's output size,
 * src's channel count and p's output dtype. A failure is the status of the
 * library call that failed. */
tessel_status pipeline_run(pipeline *p, const tessel_image *src, tessel_image *dst);

/* Frees everything; p may be empty (zeroed). */
void pipeline_destroy(pipeline *p);

/* A packed w x h x c image of dtype, freshly allocated (sizes checked
 * against overflow). Returns NULL data on failure. */
tessel_image pipeline_alloc_image(int w, int h, int c, tessel_dtype dtype);

#endif
