/* One run of the frequency-domain method: the border-extended input into
 * one plane per channel, forward transforms, the product with the kernel's
 * spectrum, inverse transforms, and the kept samples stored through the
 * same conversion as the other methods (scale, offset, absolute value,
 * rounding, saturation). The steps around the transforms are cut into
 * parts for the worker pool; FFTW runs its own threads. */
#include <string.h>

#include "core/plan.h"
#include "fft_state.h"

/* Parts a step over `count` items is cut into, and part `task`'s range. */
static int task_count(const tessel_cpu_fft *f, size_t count)
{
    return count < (size_t)f->tasks ? (int)count : f->tasks;
}

static void task_range(const tessel_cpu_fft *f, size_t count, int task, size_t *lo, size_t *hi)
{
    size_t tasks = (size_t)task_count(f, count);
    size_t chunk = count / tasks + (count % tasks != 0);
    *lo = chunk * (size_t)task;
    *hi = *lo + chunk;
    if (*lo > count) *lo = count;
    if (*hi > count) *hi = count;
}

static float *plane_row(const tessel_cpu_fft *f, int ch, size_t y)
{
    return f->planes + (size_t)ch * f->plane_floats + y * f->row_floats;
}

/* Row y of every plane: E's row y split into channels, zeros past E. */
static void fill_row(const tessel_cpu_job *job, float *ext, size_t y)
{
    const tessel_cpu_fft *f = job->cp->fft;
    const int c = job->plan->channels;
    size_t width = 0;
    if (y < (size_t)f->ext_height) {
        width = (size_t)f->ext_width;
        /* One channel: loaded in place when the row has room for it. */
        int in_place = c == 1 && job->cp->ext_floats <= f->row_floats;
        float *load_to = in_place ? plane_row(f, 0, y) : ext;
        tessel_cpu_load_row(job, (long long)y + job->plan->geo.origin_y, load_to);
        for (int ch = 0; ch < c && !in_place; ++ch) {
            float *row = plane_row(f, ch, y);
            for (size_t x = 0; x < width; ++x) row[x] = ext[x * c + ch];
        }
    }
    for (int ch = 0; ch < c; ++ch)
        memset(plane_row(f, ch, y) + width, 0, (f->row_floats - width) * sizeof(float));
}

static void fill_planes(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    const tessel_cpu_fft *f = job->cp->fft;
    float *ext = f->scratch + (size_t)worker * f->scratch_floats;
    size_t y0, y1;
    task_range(f, (size_t)f->size_y, task, &y0, &y1);
    for (size_t y = y0; y < y1; ++y) fill_row(job, ext, y);
}

/* Every plane's spectrum times the kernel's (already conjugated and scaled). */
static void multiply_spectra(void *arg, int task, int worker)
{
    (void)worker;
    const tessel_cpu_job *job = arg;
    const tessel_cpu_fft *f = job->cp->fft;
    const float *k = f->kernel_spectrum;
    size_t j0, j1;
    task_range(f, f->spectrum_count, task, &j0, &j1);
    for (int ch = 0; ch < job->plan->channels; ++ch) {
        float *s = f->planes + (size_t)ch * f->plane_floats;
        for (size_t j = j0; j < j1; ++j) {
            const float re = s[2 * j], im = s[2 * j + 1];
            s[2 * j] = re * k[2 * j] - im * k[2 * j + 1];
            s[2 * j + 1] = re * k[2 * j + 1] + im * k[2 * j];
        }
    }
}

/* Output row r: columns 0, sx, 2sx, ... of dense row r*sy, channels
 * interleaved again, then converted into the destination. */
static void store_row(const tessel_cpu_job *job, float *gathered, int r)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_fft *f = job->cp->fft;
    const int c = plan->channels, sx = plan->geo.stride_x, width = plan->geo.out_width;
    const size_t y = (size_t)r * plan->geo.stride_y;
    const float *src = plane_row(f, 0, y);
    if (c != 1 || sx != 1) {
        for (int ch = 0; ch < c; ++ch) {
            const float *row = plane_row(f, ch, y);
            for (int x = 0; x < width; ++x) gathered[(size_t)x * c + ch] = row[(size_t)x * sx];
        }
        src = gathered;
    }
    void *out = (char *)job->dst->data + (size_t)r * tessel_image_row_bytes(job->dst);
    job->cp->convert.store[plan->out_dtype](src, out, (size_t)width * c, &job->cp->store);
}

static void store_rows(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    const tessel_cpu_fft *f = job->cp->fft;
    float *gathered = f->scratch + (size_t)worker * f->scratch_floats;
    size_t r0, r1;
    task_range(f, (size_t)job->plan->geo.out_height, task, &r0, &r1);
    for (size_t r = r0; r < r1; ++r) store_row(job, gathered, (int)r);
}

tessel_status tessel_cpu_fft_execute(tessel_pool *pool, tessel_cpu_job *job)
{
    const tessel_cpu_fft *f = job->cp->fft;
    tessel_pool_run(pool, task_count(f, (size_t)f->size_y), fill_planes, job);
    fftwf_execute(f->forward);
    tessel_pool_run(pool, task_count(f, f->spectrum_count), multiply_spectra, job);
    fftwf_execute(f->inverse);
    tessel_pool_run(pool, task_count(f, (size_t)job->plan->geo.out_height), store_rows, job);
    return TESSEL_OK;
}
