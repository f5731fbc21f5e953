/* tessel_plan_execute_stream, the public band streaming: on the CPU backend
 * and every OpenCL device present, small images streamed from memory in
 * bands of various sizes must equal tessel_plan_execute's output byte for
 * byte, the sink getting every row once and in order; and the failures: NULL
 * arguments, a negative band, a source or a sink that stops the run (the
 * status comes back; the message names the callback and its rows, and the
 * reason when a tessel call inside the callback gave one).
 * (test_tiff_stream runs a 400 MB TIFF through it under a memory limit.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_util.h"

typedef struct memory_rows {
    const char *name;
    const tessel_image *src;
    const tessel_image *dst;
    int next_row;    /* the sink's next row */
    int fail_source; /* fail on this source call (1-based): by a failing tessel call, */
    int bare;        /*   or returning TESSEL_ERR_IO without one when bare is set */
    int fail_sink;   /* fail on this sink call (1-based) */
    int source_calls, sink_calls;
    int failed_y0, failed_count; /* the rows of the failing call */
    char reason[512]; /* the message of the tessel call that failed in the source */
} memory_rows;

/* Ready for another run (the images stay). */
static void reset(memory_rows *m)
{
    m->next_row = m->fail_source = m->bare = m->fail_sink = 0;
    m->source_calls = m->sink_calls = m->failed_y0 = m->failed_count = 0;
    m->reason[0] = '\0';
}

static tessel_status source(void *user, int y0, int count, const tessel_image *rows)
{
    memory_rows *m = user;
    if (++m->source_calls == m->fail_source) {
        m->failed_y0 = y0;
        m->failed_count = count;
        if (m->bare) return TESSEL_ERR_IO;
        tessel_kernel *k = NULL;
        tessel_status s = tessel_kernel_builtin("no-such-kernel:3", &k);
        snprintf(m->reason, sizeof m->reason, "%s", tessel_last_error());
        return s == TESSEL_OK ? TESSEL_ERR_IO : s;
    }
    if (y0 < 0 || count < 1 || y0 + count > m->src->height || rows->height != count ||
        rows->width != m->src->width || rows->channels != m->src->channels ||
        rows->dtype != m->src->dtype) {
        tu_fail(m->name, "source asked for rows %d..%d (%dx%dx%d %s) of a %dx%d image", y0,
                y0 + count - 1, rows->width, rows->height, rows->channels,
                tessel_dtype_name(rows->dtype), m->src->width, m->src->height);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    tu_copy_rows(m->src, y0, rows, 0, count);
    return TESSEL_OK;
}

static tessel_status sink(void *user, int y0, int count, const tessel_image *rows)
{
    memory_rows *m = user;
    if (++m->sink_calls == m->fail_sink) {
        m->failed_y0 = y0;
        m->failed_count = count;
        return TESSEL_ERR_IO;
    }
    if (y0 != m->next_row || count < 1 || y0 + count > m->dst->height ||
        rows->height != count || rows->width != m->dst->width ||
        rows->dtype != m->dst->dtype) {
        tu_fail(m->name, "sink got rows %d..%d, expected from row %d of %d", y0, y0 + count - 1,
                m->next_row, m->dst->height);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    tu_copy_rows(rows, 0, m->dst, y0, count);
    m->next_row += count;
    return TESSEL_OK;
}

typedef struct stream_case {
    int w, h, c;
    tessel_dtype in, out;
    int kw, kh;
    tessel_mode mode;
    tessel_border border;
    int stride;
    tessel_method method;
    int band;
} stream_case;

static tessel_kernel *random_kernel(int kw, int kh, tu_rng *rng)
{
    float *taps = tu_xmalloc((size_t)kw * kh * sizeof *taps);
    tu_rng_floats(rng, taps, (size_t)kw * kh, -1, 1);
    tessel_kernel *k = NULL;
    if (tessel_kernel_create(kw, kh, taps, &k) != TESSEL_OK)
        tu_fail("kernel", "%dx%d: %s", kw, kh, tessel_last_error());
    free(taps);
    return k;
}

static tessel_kernel *separable_kernel(int kw, int kh, tu_rng *rng)
{
    float *row = tu_xmalloc((size_t)kw * sizeof *row);
    float *column = tu_xmalloc((size_t)kh * sizeof *column);
    tu_rng_floats(rng, row, (size_t)kw, 0.1, 1);
    tu_rng_floats(rng, column, (size_t)kh, 0.1, 1);
    tessel_kernel *k = NULL;
    if (tessel_kernel_create_separable(kw, row, kh, column, &k) != TESSEL_OK)
        tu_fail("kernel", "separable %dx%d: %s", kw, kh, tessel_last_error());
    free(row);
    free(column);
    return k;
}

/* Direct and separable: the whole run's bytes. Method auto may choose an
 * FFT method, which each band runs at its own size: the FFT tolerance. */
static void same_output(const char *name, const tessel_plan *plan, const tessel_image *whole,
                        const tessel_image *streamed)
{
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_plan_info(plan, &info);
    if (info.method == TESSEL_METHOD_FFT || info.method == TESSEL_METHOD_FFT_BLOCK) {
        const size_t n = (size_t)whole->width * whole->height * whole->channels;
        double *ref = tu_xmalloc(n * sizeof *ref);
        tu_image_to_doubles(whole, ref);
        tu_diff d;
        if (!tu_compare_rms(streamed, ref, 0, &d))
            tu_fail(name, "method %s: error %g over %g at (%d, %d, ch %d): %g, whole run %g",
                    info.method_name, d.error, d.limit, d.x, d.y, d.ch, d.got, d.want);
        free(ref);
        return;
    }
    const size_t row = (size_t)whole->width * whole->channels * tessel_dtype_size(whole->dtype);
    for (int y = 0; y < whole->height; ++y) {
        const unsigned char *a = (const unsigned char *)whole->data + y * tu_row_bytes(whole);
        const unsigned char *b = (const unsigned char *)streamed->data + y * tu_row_bytes(streamed);
        if (memcmp(a, b, row) != 0) {
            tu_fail(name, "method %s: output row %d differs from the whole run's",
                    info.method_name, y);
            return;
        }
    }
}

/* The stream must give the whole run's output. */
static void check_case(tessel_context *ctx, const char *device, const stream_case *sc,
                       tu_rng *rng)
{
    char name[160];
    snprintf(name, sizeof name, "%s: %dx%dx%d %s->%s, kernel %dx%d, %s %s stride %d %s, band %d",
             device, sc->w, sc->h, sc->c, tessel_dtype_name(sc->in), tessel_dtype_name(sc->out),
             sc->kw, sc->kh, tessel_mode_name(sc->mode), tessel_border_name(sc->border),
             sc->stride, tessel_method_name(sc->method), sc->band);
    tessel_kernel *k = sc->method == TESSEL_METHOD_SEPARABLE ? separable_kernel(sc->kw, sc->kh, rng)
                                                             : random_kernel(sc->kw, sc->kh, rng);
    tessel_conv_options o = {0};
    o.struct_size = sizeof o;
    o.mode = sc->mode;
    o.border = sc->border;
    o.cval = 3;
    o.stride_x = o.stride_y = sc->stride;
    o.method = sc->method;
    int ow = 0, oh = 0;
    tessel_status s = tessel_conv_output_size(sc->w, sc->h, k, &o, &ow, &oh);
    tu_image src, whole, streamed;
    tu_image_alloc(&src, sc->w, sc->h, sc->c, sc->in, TU_PADDED);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&whole, ow, oh, sc->c, sc->out, TU_PACKED);
    tu_image_alloc(&streamed, ow, oh, sc->c, sc->out, TU_VIEW);
    tu_image_poison(&streamed);
    tessel_plan *plan = NULL;
    if (s == TESSEL_OK) s = tessel_plan_create(ctx, &src.view, sc->out, k, &o, &plan);
    if (s == TESSEL_OK) s = tessel_plan_execute(plan, &src.view, &whole.view);
    memory_rows m = {0};
    m.name = name;
    m.src = &src.view;
    m.dst = &streamed.view;
    if (s == TESSEL_OK) s = tessel_plan_execute_stream(plan, source, &m, sink, &m, sc->band);
    if (s != TESSEL_OK) {
        tu_fail(name, "%s: %s", tessel_status_string(s), tessel_context_last_error(ctx));
    } else if (m.next_row != oh) {
        tu_fail(name, "the sink got %d of %d rows", m.next_row, oh);
    } else {
        same_output(name, plan, &whole.view, &streamed.view);
        if (!tu_image_guard_intact(&streamed)) tu_fail(name, "written outside the output");
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
    tu_image_free(&src);
    tu_image_free(&whole);
    tu_image_free(&streamed);
}

static void equality_cases(tessel_context *ctx, const char *device, tu_rng *rng)
{
    static const stream_case cases[] = {
        {61, 47, 3, TESSEL_U8, TESSEL_U8, 5, 5, TESSEL_MODE_SAME, TESSEL_BORDER_REFLECT, 1,
         TESSEL_METHOD_DIRECT, 7},
        {40, 33, 1, TESSEL_F32, TESSEL_F32, 7, 9, TESSEL_MODE_SAME, TESSEL_BORDER_WRAP, 1,
         TESSEL_METHOD_SEPARABLE, 0},
        {30, 19, 2, TESSEL_U16, TESSEL_F32, 4, 6, TESSEL_MODE_FULL, TESSEL_BORDER_CONSTANT, 1,
         TESSEL_METHOD_AUTO, 1},
        {52, 44, 4, TESSEL_U8, TESSEL_U16, 3, 4, TESSEL_MODE_VALID, TESSEL_BORDER_MIRROR, 2,
         TESSEL_METHOD_DIRECT, 5},
        {37, 29, 1, TESSEL_F32, TESSEL_U8, 5, 3, TESSEL_MODE_SAME, TESSEL_BORDER_NEAREST, 3,
         TESSEL_METHOD_SEPARABLE, 100},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i)
        check_case(ctx, device, &cases[i], rng);
}

/* ---------------------------------------------------------------- failures */

static void expect(const char *what, tessel_status got, tessel_status want, const char *message,
                   const char *const *parts, int part_count)
{
    if (got != want) {
        tu_fail(what, "status %s, expected %s", tessel_status_string(got),
                tessel_status_string(want));
        return;
    }
    for (int i = 0; i < part_count; ++i)
        if (!strstr(message, parts[i]))
            tu_fail(what, "message \"%s\" lacks \"%s\"", message, parts[i]);
}

static void failure_cases(tessel_context *ctx, tu_rng *rng)
{
    tu_image src, dst;
    tu_image_alloc(&src, 23, 40, 1, TESSEL_U8, TU_PACKED);
    tu_image_fill_random(&src, rng);
    tu_image_alloc(&dst, 23, 40, 1, TESSEL_U8, TU_PACKED);
    tessel_kernel *k = random_kernel(3, 3, rng);
    tessel_plan *plan = NULL;
    if (tessel_plan_create(ctx, &src.view, TESSEL_U8, k, NULL, &plan) != TESSEL_OK) {
        tu_fail("failures", "plan: %s", tessel_last_error());
        return;
    }
    memory_rows m = {0};
    m.name = "failures";
    m.src = &src.view;
    m.dst = &dst.view;
    const char *null_parts[] = {"NULL"};
    expect("NULL plan", tessel_plan_execute_stream(NULL, source, &m, sink, &m, 4),
           TESSEL_ERR_NULL_POINTER, tessel_last_error(), null_parts, 1);
    expect("NULL source", tessel_plan_execute_stream(plan, NULL, &m, sink, &m, 4),
           TESSEL_ERR_NULL_POINTER, tessel_context_last_error(ctx), null_parts, 1);
    expect("NULL sink", tessel_plan_execute_stream(plan, source, &m, NULL, &m, 4),
           TESSEL_ERR_NULL_POINTER, tessel_context_last_error(ctx), null_parts, 1);
    const char *negative[] = {"-3"};
    expect("negative band", tessel_plan_execute_stream(plan, source, &m, sink, &m, -3),
           TESSEL_ERR_INVALID_ARGUMENT, tessel_context_last_error(ctx), negative, 1);

    char want[600];
    m.fail_source = 2;
    tessel_status s = tessel_plan_execute_stream(plan, source, &m, sink, &m, 10);
    snprintf(want, sizeof want, "the row source failed for rows %d..%d: %s", m.failed_y0,
             m.failed_y0 + m.failed_count - 1, m.reason);
    const char *by_call[] = {want};
    expect("source failing in a tessel call", s, TESSEL_ERR_BAD_KERNEL,
           tessel_context_last_error(ctx), by_call, 1);
    if (strcmp(tessel_last_error(), tessel_context_last_error(ctx)) != 0)
        tu_fail("source failing", "thread message \"%s\" is not the context's \"%s\"",
                tessel_last_error(), tessel_context_last_error(ctx));
    if (m.sink_calls != 1) tu_fail("source failing", "the sink had %d calls, not 1", m.sink_calls);

    reset(&m);
    m.fail_source = 3;
    m.bare = 1;
    s = tessel_plan_execute_stream(plan, source, &m, sink, &m, 10);
    snprintf(want, sizeof want, "the row source failed for rows %d..%d: TESSEL_ERR_IO",
             m.failed_y0, m.failed_y0 + m.failed_count - 1);
    expect("source failing alone", s, TESSEL_ERR_IO, tessel_context_last_error(ctx), by_call, 1);

    reset(&m);
    m.fail_sink = 2;
    s = tessel_plan_execute_stream(plan, source, &m, sink, &m, 10);
    snprintf(want, sizeof want, "the row sink failed for rows 10..19: TESSEL_ERR_IO");
    expect("sink failing", s, TESSEL_ERR_IO, tessel_context_last_error(ctx), by_call, 1);
    if (m.sink_calls != 2) tu_fail("sink failing", "the sink had %d calls, not 2", m.sink_calls);

    reset(&m);
    if (tessel_plan_execute_stream(plan, source, &m, sink, &m, 10) != TESSEL_OK ||
        tessel_context_last_error(ctx)[0] != '\0')
        tu_fail("after failures", "a good run failed or kept a message: \"%s\"",
                tessel_context_last_error(ctx));
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(k);
    tu_image_free(&src);
    tu_image_free(&dst);
}

static void run_device(const char *spec, const char *label, tu_rng *rng, int failures)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.device = spec;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) {
        tu_fail(label, "context: %s", tessel_last_error());
        return;
    }
    const int before = tu_failures();
    equality_cases(ctx, label, rng);
    if (failures) failure_cases(ctx, rng);
    printf("%s (%s): %s\n", label, tessel_context_device_name(ctx),
           tu_failures() == before ? "passed" : "FAILED");
    tessel_context_destroy(ctx);
}

int main(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 20241121);
    run_device("cpu", "cpu", &rng, 1);
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) n = 0;
    int opencl = 0;
    for (int i = 0; i < n && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        run_device(devices[i].spec, devices[i].spec, &rng, 0);
        ++opencl;
    }
    if (!opencl) printf("test_plan_stream: no OpenCL device: the OpenCL cases did not run\n");
    printf("test_plan_stream: %d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
