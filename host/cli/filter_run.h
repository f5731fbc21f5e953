/* The state of one `tessel filter` run and the work on one input file. */
#ifndef TESSEL_CLI_FILTER_RUN_H
#define TESSEL_CLI_FILTER_RUN_H

#include "options.h"
#include "pipeline.h"
#include "tessel/tessel.h"

typedef struct filter_run {
    const cli_options *o;
    tessel_context *ctx;
    tessel_kernel *kernels[CLI_MAX_KERNELS];
    int kernel_count;
    int folder;     /* -o is a folder */
    pipeline pipe;  /* plans of the last input shape */
    char **written; /* outputs of this run, to refuse writing one twice */
    int written_count;
} filter_run;

/* Filters input `index` of the run into its output; a batch_step. Returns 0,
 * or 1 after printing a message naming the file. */
int filter_file(void *run, int index);

#endif
