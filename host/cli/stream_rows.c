/* Source, sink and progress of a streamed `tessel filter` (see
 * stream_rows.h). */
#include "stream_rows.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "report.h"

#define PROGRESS_REDRAW 0.25 /* seconds between redraws (and the last one) */

static size_t row_bytes(const tessel_image *img)
{
    return img->stride ? img->stride
                       : (size_t)img->width * (size_t)img->channels * tessel_dtype_size(img->dtype);
}

/* Keeps the message of a failed reader or writer call. */
static tessel_status kept(stream_job *job, tessel_status s)
{
    if (s != TESSEL_OK) snprintf(job->failure, sizeof job->failure, "%s", cli_status_text(s));
    return s;
}

/* A packed band of `rows` rows of shape in b (grown as needed); NULL data
 * after a message when out of memory. */
static tessel_image band_in(stream_job *job, stream_buffer *b, const tessel_image *shape,
                            int rows)
{
    tessel_image band = *shape;
    band.height = rows;
    band.stride = 0;
    const size_t need = row_bytes(&band) * (size_t)rows;
    if (need > b->size) {
        void *grown = realloc(b->data, need);
        if (!grown) {
            snprintf(job->failure, sizeof job->failure,
                     "out of memory for a band of %d rows of %d pixels", rows, band.width);
            band.data = NULL;
            return band;
        }
        b->data = grown;
        b->size = need;
    }
    band.data = b->data;
    return band;
}

/* The first channels of each pixel of from (all of them but alpha) into to. */
static void copy_colour(const tessel_image *from, const tessel_image *to)
{
    const size_t sample = tessel_dtype_size(from->dtype);
    const size_t in_pixel = (size_t)from->channels * sample;
    const size_t out_pixel = (size_t)to->channels * sample;
    for (int y = 0; y < from->height; ++y) {
        const unsigned char *in = (const unsigned char *)from->data + (size_t)y * row_bytes(from);
        unsigned char *out = (unsigned char *)to->data + (size_t)y * row_bytes(to);
        for (int x = 0; x < from->width; ++x)
            memcpy(out + x * out_pixel, in + x * in_pixel, out_pixel);
    }
}

tessel_status stream_read_rows(void *user, int y0, int count, const tessel_image *rows)
{
    stream_job *job = user;
    if (!job->carry_alpha) {
        tessel_image band = *rows; /* count rows */
        return kept(job, tessel_tiff_reader_read_rows(job->reader, y0, &band));
    }
    tessel_image all = band_in(job, &job->rows_in, &job->in_shape, count);
    if (!all.data) return TESSEL_ERR_OUT_OF_MEMORY;
    tessel_status s = kept(job, tessel_tiff_reader_read_rows(job->reader, y0, &all));
    if (s == TESSEL_OK) copy_colour(&all, rows);
    return s;
}

/* out = the colour rows with, after each pixel's colour, the alpha of the
 * input pixel it lines up with. */
static tessel_status merge_alpha(stream_job *job, int y0, int count, const tessel_image *colour,
                                 tessel_image *out)
{
    const int sx = job->stride_x, sy = job->stride_y;
    tessel_image in = band_in(job, &job->alpha_in, &job->in_shape, (count - 1) * sy + 1);
    *out = band_in(job, &job->rows_out, &job->out_shape, count);
    if (!in.data || !out->data) return TESSEL_ERR_OUT_OF_MEMORY;
    tessel_status s = kept(job, tessel_tiff_reader_read_rows(job->alpha_reader, y0 * sy, &in));
    if (s != TESSEL_OK) return s;
    const size_t sample = tessel_dtype_size(out->dtype);
    const size_t colour_bytes = (size_t)colour->channels * sample;
    const size_t in_pixel = (size_t)in.channels * sample, out_pixel = colour_bytes + sample;
    for (int y = 0; y < count; ++y) {
        const unsigned char *c =
            (const unsigned char *)colour->data + (size_t)y * row_bytes(colour);
        const unsigned char *a = (const unsigned char *)in.data + (size_t)y * sy * row_bytes(&in);
        unsigned char *o = (unsigned char *)out->data + (size_t)y * row_bytes(out);
        for (int x = 0; x < out->width; ++x) {
            memcpy(o + x * out_pixel, c + x * colour_bytes, colour_bytes);
            memcpy(o + x * out_pixel + colour_bytes, a + (size_t)x * sx * in_pixel + colour_bytes,
                   sample);
        }
    }
    return TESSEL_OK;
}

/* `"in.tif": 45% of 20000 rows, 123.4 Mpix/s, 0:12 left` on a terminal. */
static void show_progress(stream_job *job, int rows_done)
{
    const int height = job->out_shape.height;
    const double now = cli_seconds();
    if (!job->show_progress || (rows_done < height && now - job->drawn < PROGRESS_REDRAW)) return;
    job->drawn = now;
    const double elapsed = now - job->started;
    const double fraction = (double)rows_done / height;
    const double pixels = (double)rows_done * job->out_shape.width;
    const double rate = elapsed > 0 ? pixels / elapsed : 0;
    const long left = fraction > 0 ? (long)(elapsed * (1 - fraction) / fraction + 0.5) : 0;
    fprintf(stderr, "\r\033[Ktessel: \"%s\": %d%% of %d rows, %.1f Mpix/s, %ld:%02ld left",
            job->input, (int)(100 * fraction), height, rate / 1e6, left / 60, left % 60);
    fflush(stderr);
}

void stream_progress_clear(const stream_job *job)
{
    if (!job->show_progress || job->drawn == job->started) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
}

tessel_status stream_write_rows(void *user, int y0, int count, const tessel_image *rows)
{
    stream_job *job = user;
    if (job->bands++ == 0) job->band_rows = count;
    tessel_image merged;
    tessel_status s = job->carry_alpha ? merge_alpha(job, y0, count, rows, &merged) : TESSEL_OK;
    if (s == TESSEL_OK)
        s = kept(job, tessel_tiff_writer_write_rows(job->writer, y0,
                                                    job->carry_alpha ? &merged : rows));
    if (s == TESSEL_OK) show_progress(job, y0 + count);
    return s;
}

void stream_buffers_free(stream_job *job)
{
    stream_buffer *all[3] = {&job->rows_in, &job->alpha_in, &job->rows_out};
    for (int i = 0; i < 3; ++i) {
        free(all[i]->data);
        *all[i] = (stream_buffer){NULL, 0};
    }
}
