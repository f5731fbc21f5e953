/* Filtering a TIFF larger than the memory it may use, through the public
 * streaming API: a 20000 x 20000 8-bit grey TIFF (400 MB) is written band
 * by band, then filtered (5x5 Gaussian, reflect border) from a
 * tessel_tiff_reader through tessel_plan_execute_stream into a
 * tessel_tiff_writer, on the CPU backend and on the first OpenCL device
 * when there is one, each in a child process whose peak resident memory
 * (VmHWM) must stay under a quarter of the image (on OpenCL, counted from
 * when the context was open: see check_memory). Every output row is then
 * checked against the whole-image filter of the same rows: the input read
 * in bands with the kernel's halo above and below, each band filtered by
 * tessel_convolve2d on the CPU (bands of other sizes than the stream's, so
 * the seams differ). The CPU's output must equal it bit for bit, the
 * OpenCL device's within one level (the contract's integer tolerance).
 * (test_plan_stream checks the API's smaller cases and its failures.)
 *
 * Files go to $TMPDIR (or /tmp) and are removed at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "large_image.h"
#include "tessel/tessel_io.h"
#include "test_util.h"
#include "tiff_files.h"

#define SIDE 20000
#define KERNEL "gaussian:sigma=1,size=5"
#define HALO 2           /* the kernel's radius */
#define WRITE_BAND 512   /* rows per band when writing the input */
#define CHECK_BAND 1000  /* output rows per band of the check */
#define SKIPPED 77       /* a child's exit status: no OpenCL device */

static const size_t memory_limit = (size_t)SIDE * SIDE / 4;

static tessel_conv_options filter_options(void)
{
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.border = TESSEL_BORDER_REFLECT;
    return o;
}

static tessel_write_options uncompressed(void)
{
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.compression = TESSEL_COMPRESSION_NONE;
    return w;
}

/* ---------------------------------------------------------------- children */

static int write_input(const void *path)
{
    const double t0 = li_seconds();
    uint8_t *buf = tu_xmalloc((size_t)SIDE * WRITE_BAND);
    const tessel_write_options w = uncompressed();
    tessel_status s = li_write_pattern(path, SIDE, SIDE, &w, WRITE_BAND, buf);
    free(buf);
    if (s != TESSEL_OK) {
        tu_fail("input", "writing %s: %s", (const char *)path, tessel_last_error());
        return 1;
    }
    printf("input: %dx%d u8 written in %.1f s\n", SIDE, SIDE, li_seconds() - t0);
    return 0;
}

typedef struct stream_run {
    const char *name;   /* "cpu", "opencl" */
    const char *device; /* context device string */
    const char *input, *output;
    int band_rows;
} stream_run;

typedef struct tiff_ends {
    tessel_tiff_reader *reader;
    tessel_tiff_writer *writer;
} tiff_ends;

static tessel_status from_reader(void *user, int y0, int count, const tessel_image *rows)
{
    tiff_ends *e = user;
    tessel_image band = *rows;
    (void)count;
    return tessel_tiff_reader_read_rows(e->reader, y0, &band);
}

static tessel_status to_writer(void *user, int y0, int count, const tessel_image *rows)
{
    tiff_ends *e = user;
    (void)count;
    return tessel_tiff_writer_write_rows(e->writer, y0, rows);
}

/* Reader -> plan stream -> writer on the run's device; the peak memory. */
static tessel_status stream_file(tessel_context *ctx, const stream_run *r)
{
    tessel_conv_options o = filter_options();
    tessel_write_options w = uncompressed();
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    tiff_ends e = {NULL, NULL};
    tessel_image shape;
    tessel_status s = tessel_kernel_builtin(KERNEL, &kernel);
    if (s == TESSEL_OK) s = tessel_tiff_reader_open(r->input, &e.reader);
    if (s == TESSEL_OK) s = tessel_tiff_reader_shape(e.reader, &shape);
    if (s == TESSEL_OK) s = tessel_plan_create(ctx, &shape, TESSEL_U8, kernel, &o, &plan);
    if (s == TESSEL_OK) s = tessel_tiff_writer_open(r->output, &shape, &w, &e.writer);
    if (s == TESSEL_OK)
        s = tessel_plan_execute_stream(plan, from_reader, &e, to_writer, &e, r->band_rows);
    if (s == TESSEL_OK) s = tessel_tiff_writer_finish(e.writer);
    else tessel_tiff_writer_abort(e.writer);
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tessel_tiff_reader_close(e.reader);
    return s;
}

/* The memory check. The CPU backend's whole process counts. An OpenCL
 * runtime maps its compiler and libraries when the context opens (PoCL:
 * some 70 MB of LLVM) whatever the image: the peak counts from there, so
 * what the runtime allocates for the stream (PoCL's device buffers are
 * host memory) counts, its code does not. */
static void check_memory(const stream_run *r, size_t opened, size_t peak)
{
    const int whole = strcmp(r->name, "cpu") == 0;
    const size_t used = whole ? peak : peak - opened;
    printf("%s: peak resident memory %.1f MiB, %.1f MiB with the context open; %.1f MiB "
           "counted (limit %.1f MiB: a quarter of the %.0f MB image)\n",
           r->name, (double)peak / 1048576, (double)opened / 1048576, (double)used / 1048576,
           (double)memory_limit / 1048576, (double)SIDE * SIDE / 1e6);
    if (peak == 0) tu_fail(r->name, "VmHWM is not in /proc/self/status");
    if (used >= memory_limit)
        tu_fail(r->name, "%zu bytes of resident memory is over %zu", used, memory_limit);
}

static int stream_child(const void *arg)
{
    const stream_run *r = arg;
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.device = r->device;
    tessel_context *ctx = NULL;
    tessel_status s = tessel_context_create(&co, &ctx);
    if (s == TESSEL_ERR_NO_DEVICE && strcmp(r->name, "opencl") == 0) return SKIPPED;
    if (s != TESSEL_OK) {
        tu_fail(r->name, "context: %s", tessel_last_error());
        return 1;
    }
    const size_t opened = li_peak_resident();
    const double t0 = li_seconds();
    s = stream_file(ctx, r);
    const double seconds = li_seconds() - t0;
    if (s != TESSEL_OK) tu_fail(r->name, "stream: %s", tessel_last_error());
    printf("%s (%s): streamed in %.1f s (%.1f Mpix/s)\n", r->name,
           tessel_context_device_name(ctx), seconds, (double)SIDE * SIDE / seconds / 1e6);
    tessel_context_destroy(ctx);
    check_memory(r, opened, li_peak_resident());
    return tu_failures() ? 1 : 0;
}

/* ------------------------------------------------------------------ check */

typedef struct checked_output {
    const char *name, *path;
    int maxdiff; /* levels */
    tessel_tiff_reader *reader;
    long differing; /* samples that differ at all */
    int failed;
} checked_output;

/* The output's rows y0 .. y0+rows-1 against ref (whose row 0 is input row a). */
static void compare_rows(checked_output *c, uint8_t *got, const uint8_t *ref, int a, int y0,
                         int rows)
{
    memset(got, TU_POISON_U8, (size_t)rows * SIDE);
    tessel_image band = tessel_image_view(got, SIDE, rows, 1, TESSEL_U8);
    if (tessel_tiff_reader_read_rows(c->reader, y0, &band) != TESSEL_OK) {
        tu_fail(c->name, "reading output rows %d..%d: %s", y0, y0 + rows - 1, tessel_last_error());
        c->failed = 1;
        return;
    }
    for (int y = y0; y < y0 + rows && !c->failed; ++y) {
        const uint8_t *g = got + (size_t)(y - y0) * SIDE, *w = ref + (size_t)(y - a) * SIDE;
        for (int x = 0; x < SIDE; ++x) {
            const int d = g[x] > w[x] ? g[x] - w[x] : w[x] - g[x];
            c->differing += d != 0;
            if (d > c->maxdiff) {
                tu_fail(c->name, "pixel (%d, %d) is %d, the whole-image filter gives %d", x, y,
                        g[x], w[x]);
                c->failed = 1;
                break;
            }
        }
    }
}

/* Filters the input band by band with its halo and compares every output. */
static void check_outputs(const char *input, checked_output *outs, int n)
{
    const double t0 = li_seconds();
    tessel_context *ctx = NULL;
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.backend = TESSEL_BACKEND_CPU;
    tessel_kernel *kernel = NULL;
    tessel_tiff_reader *in = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK ||
        tessel_kernel_builtin(KERNEL, &kernel) != TESSEL_OK ||
        tessel_tiff_reader_open(input, &in) != TESSEL_OK) {
        tu_fail("check", "setup: %s", tessel_last_error());
        return;
    }
    const size_t span = (size_t)(CHECK_BAND + 2 * HALO) * SIDE;
    uint8_t *src = tu_xmalloc(span), *ref = tu_xmalloc(span), *got = tu_xmalloc(span);
    const tessel_conv_options o = filter_options();
    for (int y0 = 0; y0 < SIDE; y0 += CHECK_BAND) {
        const int rows = SIDE - y0 < CHECK_BAND ? SIDE - y0 : CHECK_BAND;
        const int a = y0 - HALO < 0 ? 0 : y0 - HALO;
        const int b = y0 + rows + HALO > SIDE ? SIDE : y0 + rows + HALO;
        tessel_image s = tessel_image_view(src, SIDE, b - a, 1, TESSEL_U8);
        tessel_image r = tessel_image_view(ref, SIDE, b - a, 1, TESSEL_U8);
        if (tessel_tiff_reader_read_rows(in, a, &s) != TESSEL_OK ||
            tessel_convolve2d(ctx, &s, kernel, &o, &r) != TESSEL_OK) {
            tu_fail("check", "reference rows %d..%d: %s", a, b - 1, tessel_last_error());
            break;
        }
        for (int i = 0; i < n; ++i)
            if (outs[i].reader && !outs[i].failed) compare_rows(&outs[i], got, ref, a, y0, rows);
    }
    for (int i = 0; i < n; ++i)
        if (outs[i].reader)
            printf("%s: %d rows checked%s, %ld samples differ by %d level%s at most\n",
                   outs[i].name, SIDE, outs[i].failed ? " (FAILED)" : "", outs[i].differing,
                   outs[i].maxdiff, outs[i].maxdiff == 1 ? "" : "s");
    printf("check: %.1f s\n", li_seconds() - t0);
    free(src);
    free(ref);
    free(got);
    tessel_tiff_reader_close(in);
    tessel_kernel_destroy(kernel);
    tessel_context_destroy(ctx);
}

/* Opens an output for the check; its shape must be the input's. */
static void open_output(checked_output *c)
{
    tessel_image shape;
    if (tessel_tiff_reader_open(c->path, &c->reader) != TESSEL_OK) {
        tu_fail(c->name, "output: %s", tessel_last_error());
        return;
    }
    tessel_tiff_reader_shape(c->reader, &shape);
    if (shape.width != SIDE || shape.height != SIDE || shape.channels != 1 ||
        shape.dtype != TESSEL_U8) {
        tu_fail(c->name, "output is %dx%dx%d %s", shape.width, shape.height, shape.channels,
                tessel_dtype_name(shape.dtype));
        tessel_tiff_reader_close(c->reader);
        c->reader = NULL;
    }
}

int main(void)
{
    tf_make_temp_dir("tessel_test_tiff_stream");
    const char *input = tf_path("input.tif");
    int status = li_in_child(write_input, input);
    stream_run runs[2] = {
        {"cpu", "cpu", input, tf_path("out_cpu.tif"), 0},
        {"opencl", "opencl", input, tf_path("out_opencl.tif"), 0},
    };
    checked_output outs[2] = {{"cpu", runs[0].output, 0, NULL, 0, 0},
                              {"opencl", runs[1].output, 1, NULL, 0, 0}};
    int checked = 0;
    for (int i = 0; status == 0 && i < 2; ++i) {
        const int child = li_in_child(stream_child, &runs[i]);
        if (child == SKIPPED) {
            printf("%s: no device, skipped\n", runs[i].name);
            continue;
        }
        if (child != 0) {
            tu_fail(runs[i].name, "the streaming child failed (exit %d)", child);
            continue;
        }
        open_output(&outs[i]);
        checked += outs[i].reader != NULL;
    }
    if (status != 0) tu_fail("input", "the writing child failed (exit %d)", status);
    if (checked) check_outputs(input, outs, 2);
    for (int i = 0; i < 2; ++i) tessel_tiff_reader_close(outs[i].reader);
    tf_remove_temp_dir();
    printf("test_tiff_stream: %s\n", tu_failures() ? "FAILED" : "all passed");
    return tu_failures() ? 1 : 0;
}
