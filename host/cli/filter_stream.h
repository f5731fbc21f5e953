/* `tessel filter` on one TIFF into a TIFF, streamed: rows are read band by
 * band (tessel_tiff_reader), filtered (tessel_plan_execute_stream) and
 * written as they come (tessel_tiff_writer), so the image never has to fit
 * in memory. The output equals the whole-image path's and appears only
 * when complete.
 *
 * It streams when there is one input, the output is a TIFF (by --format or
 * its extension), the input is a TIFF tessel reads, and the work is one
 * plan: a single -k kernel; an alpha channel is carried through beside the
 * plan in mode same into the input's dtype (where each output pixel's
 * alpha is its input pixel's), else it needs --filter-alpha. Otherwise the
 * image is read whole, and --verbose says why when input and output are
 * both TIFF. */
#ifndef TESSEL_CLI_FILTER_STREAM_H
#define TESSEL_CLI_FILTER_STREAM_H

#include "filter_run.h"

/* Streams run's input when it qualifies (*streamed = 1; the return value is
 * the exit status, failures reported in run->failures). When it does not,
 * *streamed = 0 and it returns CLI_EXIT_OK: filter the image whole. */
int filter_stream_try(filter_run *run, int *streamed);

#endif
