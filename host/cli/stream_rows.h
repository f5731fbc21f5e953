/* The rows of a streamed `tessel filter` (filter_stream.h): the source and
 * sink that tessel_plan_execute_stream calls, between a TIFF reader and a
 * TIFF writer, with the alpha channel carried beside the plan and a
 * progress line on a terminal. */
#ifndef TESSEL_CLI_STREAM_ROWS_H
#define TESSEL_CLI_STREAM_ROWS_H

#include <stddef.h>

#include "tessel/tessel_io.h"

/* Memory that grows to the largest band asked of it. */
typedef struct stream_buffer {
    void *data;
    size_t size;
} stream_buffer;

typedef struct stream_job {
    const char *input, *output;
    tessel_tiff_reader *reader;
    tessel_tiff_writer *writer;
    tessel_image in_shape;  /* the file's rows (data NULL) */
    tessel_image out_shape; /* the output file's (data NULL), alpha included */
    /* Alpha carried through, in mode same with the output dtype the
     * input's: the plan gets the colour channels (the source leaves alpha
     * out), and the sink gives each output pixel the alpha of the input
     * pixel it lines up with (x * stride_x, y * stride_y), read again by a
     * reader of its own. */
    int carry_alpha;
    int stride_x, stride_y;
    tessel_tiff_reader *alpha_reader;
    stream_buffer rows_in, alpha_in, rows_out;
    int bands, band_rows; /* what the sink saw */
    int show_progress;    /* a line on the terminal, redrawn as bands are written */
    double started, drawn;
    char failure[512]; /* the reader's or writer's message: it says more to a user
                          than the stream's "row source failed" */
} stream_job;

/* tessel_row_source: rows from job->reader (colour only when carrying alpha). */
tessel_status stream_read_rows(void *job, int y0, int count, const tessel_image *rows);
/* tessel_row_sink: rows (alpha merged in when carrying it) to job->writer. */
tessel_status stream_write_rows(void *job, int y0, int count, const tessel_image *rows);

/* Erases the progress line if one was drawn. */
void stream_progress_clear(const stream_job *job);

/* Frees the buffers (the readers and writer are the caller's). */
void stream_buffers_free(stream_job *job);

#endif
