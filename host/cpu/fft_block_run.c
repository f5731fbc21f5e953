/* One run of method fft-block: every worker of the pool takes whole
 * blocks; per block its window of the border-extended input goes into one
 * real plane per channel, and per channel: forward transform, product with
 * the kernel's spectrum, inverse transform. The kept samples are stored
 * through the same conversion as the other methods (scale, offset,
 * absolute value, rounding, saturation). */
#include "core/plan.h"
#include "fft_block_state.h"

static float *plane(const tessel_cpu_fft_block *fb, float *buffer, int channel)
{
    return buffer + (size_t)channel * fb->plane_floats;
}

static float *spectrum(const tessel_cpu_fft_block *fb, float *buffer, int channels)
{
    return buffer + (size_t)channels * fb->plane_floats;
}

static float *stage(const tessel_cpu_fft_block *fb, float *buffer, int channels)
{
    return spectrum(fb, buffer, channels) + fb->spectrum_floats;
}

/* Block (iy, ix)'s window of E: its first sample is the first E sample
 * its first output reads. */
static void load_block(const tessel_cpu_job *job, float *buffer, int iy, int ix)
{
    const tessel_cpu_fft_block *fb = job->cp->fft_block;
    const tessel_geometry *g = &job->plan->geo;
    const int c = job->plan->channels;
    const long long ey0 = (long long)iy * fb->y.outputs * g->stride_y;
    const long long ex0 = (long long)ix * fb->x.outputs * g->stride_x;
    float *row_stage = stage(fb, buffer, c);
    for (int i = 0; i < fb->y.size; ++i) {
        const long long e = ey0 + (long long)i * fb->y.step;
        const size_t at = (size_t)i * fb->real_row;
        float *into = c == 1 ? plane(fb, buffer, 0) + at : row_stage;
        tessel_cpu_fft_block_load_span(job, e, ex0, fb->x.size, fb->x.step, into);
        for (int ch = 0; ch < c && c > 1; ++ch) {
            float *row = plane(fb, buffer, ch) + at;
            for (int j = 0; j < fb->x.size; ++j) row[j] = row_stage[(size_t)j * c + ch];
        }
    }
}

/* The spectrum times the kernel's (conjugated and scaled already); a
 * kernel spectrum of one row or one column serves every row or column. */
static void multiply(const tessel_cpu_fft_block *fb, float *s)
{
    const size_t n = fb->complex_row;
    for (size_t r = 0; r < fb->complex_rows; ++r) {
        float *row = s + 2 * r * n;
        const float *k = fb->kernel_spectrum + 2 * (fb->kernel_rows == 1 ? 0 : r) * fb->kernel_cols;
        if (fb->kernel_cols == 1) {
            const float kr = k[0], ki = k[1];
            for (size_t j = 0; j < n; ++j) {
                const float re = row[2 * j], im = row[2 * j + 1];
                row[2 * j] = re * kr - im * ki;
                row[2 * j + 1] = re * ki + im * kr;
            }
            continue;
        }
        for (size_t j = 0; j < n; ++j) {
            const float re = row[2 * j], im = row[2 * j + 1];
            row[2 * j] = re * k[2 * j] - im * k[2 * j + 1];
            row[2 * j + 1] = re * k[2 * j + 1] + im * k[2 * j];
        }
    }
}

/* The block's outputs that exist (the last blocks may be partial), channels
 * interleaved again, converted into the destination. */
static void store_block(const tessel_cpu_job *job, float *buffer, int iy, int ix)
{
    const tessel_cpu_fft_block *fb = job->cp->fft_block;
    const tessel_plan *plan = job->plan;
    const int c = plan->channels;
    const int r0 = iy * fb->y.outputs, c0 = ix * fb->x.outputs;
    const int rows = plan->geo.out_height - r0 < fb->y.outputs ? plan->geo.out_height - r0
                                                               : fb->y.outputs;
    const int cols = plan->geo.out_width - c0 < fb->x.outputs ? plan->geo.out_width - c0
                                                              : fb->x.outputs;
    const size_t out_pixel = (size_t)c * tessel_dtype_size(plan->out_dtype);
    const size_t keep_x = (size_t)fb->x.keep;
    float *gathered = stage(fb, buffer, c);
    for (int i = 0; i < rows; ++i) {
        const size_t at = (size_t)i * fb->y.keep * fb->real_row;
        const float *src = plane(fb, buffer, 0) + at;
        if (c != 1 || keep_x != 1) {
            for (int ch = 0; ch < c; ++ch) {
                const float *row = plane(fb, buffer, ch) + at;
                for (int j = 0; j < cols; ++j) gathered[(size_t)j * c + ch] = row[j * keep_x];
            }
            src = gathered;
        }
        char *out = (char *)job->dst->data + (size_t)(r0 + i) * tessel_image_row_bytes(job->dst) +
                    (size_t)c0 * out_pixel;
        job->cp->convert.store[plan->out_dtype](src, out, (size_t)cols * c, &job->cp->store);
    }
}

static void run_block(const tessel_cpu_job *job, float *buffer, int iy, int ix)
{
    const tessel_cpu_fft_block *fb = job->cp->fft_block;
    const int c = job->plan->channels;
    load_block(job, buffer, iy, ix);
    fftwf_complex *s = (fftwf_complex *)spectrum(fb, buffer, c);
    for (int ch = 0; ch < c; ++ch) {
        fftwf_execute_dft_r2c(fb->forward, plane(fb, buffer, ch), s);
        multiply(fb, (float *)s);
        fftwf_execute_dft_c2r(fb->inverse, s, plane(fb, buffer, ch));
    }
    store_block(job, buffer, iy, ix);
}

/* Task `task`: blocks [task*per, (task+1)*per) in row-major order, so a
 * worker's consecutive blocks share input rows. */
static void run_blocks(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    const tessel_cpu_fft_block *fb = job->cp->fft_block;
    float *buffer = fb->buffers[worker];
    const long long first = (long long)task * fb->blocks_per_task;
    long long last = first + fb->blocks_per_task;
    if (last > fb->blocks) last = fb->blocks;
    for (long long b = first; b < last; ++b)
        run_block(job, buffer, (int)(b / fb->x.blocks), (int)(b % fb->x.blocks));
}

tessel_status tessel_cpu_fft_block_execute(tessel_pool *pool, tessel_cpu_job *job)
{
    tessel_pool_run(pool, job->cp->fft_block->tasks, run_blocks, job);
    return TESSEL_OK;
}
