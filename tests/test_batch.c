/* The batch engine (tessel_batch.h) on a few hundred small PNG files made
 * here, some of them corrupt: every good output must equal, bit for bit,
 * the same filter run one image at a time through tessel_convolve2d on the
 * device that filtered it; every bad one must be reported once, with its
 * status and a message naming it, and leave no output, while the others go
 * on. Then resume (a second run skips everything, a touched input runs
 * again), force, several devices at once, the caller's process callback,
 * a run squeezed into one image in flight, and bad arguments.
 *
 * Works with any number of OpenCL devices, none included. */
#define _GNU_SOURCE /* utimensat, truncate */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tessel/tessel.h"
#include "tessel/tessel_batch.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

#ifndef TESSEL_TEST_SCRATCH
#define TESSEL_TEST_SCRATCH "."
#endif

#define GOOD_COUNT 280
#define BAD_COUNT 20
#define INPUT_COUNT (GOOD_COUNT + BAD_COUNT)

typedef enum input_kind { GOOD, TRUNCATED, GARBAGE, EMPTY, MISSING } input_kind;

static char scratch[512];
static char *inputs[INPUT_COUNT];
static input_kind kinds[INPUT_COUNT];

/* ------------------------------------------------------------------ files */

static char *path_of(const char *folder, int i, const char *ext)
{
    char *p = tu_xmalloc(600);
    snprintf(p, 600, "%s/%s/img%03d.%s", scratch, folder, i, ext);
    return p;
}

static void make_folder(const char *name)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", scratch, name);
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "cannot make %s: %s\n", p, strerror(errno));
        exit(2);
    }
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        char p[1200];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            remove(p);
    }
    if (d) closedir(d);
    rmdir(path);
}

static void write_bytes(const char *path, const unsigned char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        exit(2);
    }
}

static struct timespec mtime_of(const char *path)
{
    struct stat st;
    struct timespec none = {0, 0};
    return stat(path, &st) == 0 ? st.st_mtim : none;
}

static void set_mtime(const char *path, struct timespec t)
{
    struct timespec times[2] = {t, t};
    if (utimensat(AT_FDCWD, path, times, 0) != 0) {
        fprintf(stderr, "cannot set the time of %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* Entries in a folder, temporary files of atomic writes counted apart; the
 * fingerprint manifest, which a file system without extended attributes
 * holds, not at all. */
static int count_files(const char *folder, int *temporaries)
{
    char p[600];
    snprintf(p, sizeof p, "%s/%s", scratch, folder);
    DIR *d = opendir(p);
    struct dirent *e;
    int n = 0;
    *temporaries = 0;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.')) continue;
        if (strcmp(e->d_name, ".tessel_fingerprints") == 0) continue;
        if (strstr(e->d_name, ".tessel-"))
            ++*temporaries;
        else
            ++n;
    }
    if (d) closedir(d);
    return n;
}

/* ----------------------------------------------------------------- inputs */

typedef struct shape {
    int width, height, channels;
    tessel_dtype dtype;
} shape;

static const shape shapes[] = {
    {31, 17, 1, TESSEL_U8},  {40, 25, 3, TESSEL_U8}, {23, 29, 4, TESSEL_U8},
    {19, 21, 1, TESSEL_U16}, {26, 14, 2, TESSEL_U8},
};
#define SHAPE_COUNT ((int)(sizeof shapes / sizeof shapes[0]))

static void write_good(const char *path, int i, tu_rng *rng)
{
    const shape *s = &shapes[i % SHAPE_COUNT];
    tu_image img;
    tu_image_alloc(&img, s->width, s->height, s->channels, s->dtype, TU_PACKED);
    tu_image_fill_random(&img, rng);
    tessel_status st = tessel_image_write(path, &img.view, NULL);
    tu_image_free(&img);
    if (st != TESSEL_OK) {
        fprintf(stderr, "cannot write %s: %s\n", path, tessel_last_error());
        exit(2);
    }
}

/* Bad inputs are spread among the good ones: every 15th is bad. */
static input_kind kind_of(int i)
{
    if (i % 15 != 7) return GOOD;
    static const input_kind bad[] = {TRUNCATED, GARBAGE, EMPTY, MISSING};
    return bad[(i / 15) % 4];
}

static void make_inputs(void)
{
    tu_rng rng;
    tu_rng_seed(&rng, 2024);
    make_folder("in");
    int bad = 0;
    for (int i = 0; i < INPUT_COUNT; ++i) {
        kinds[i] = kind_of(i);
        bad += kinds[i] != GOOD;
        inputs[i] = path_of("in", i, "png");
        if (kinds[i] == GOOD || kinds[i] == TRUNCATED) write_good(inputs[i], i, &rng);
        if (kinds[i] == TRUNCATED && truncate(inputs[i], 60) != 0) exit(2);
        if (kinds[i] == EMPTY) write_bytes(inputs[i], NULL, 0);
        if (kinds[i] == GARBAGE) {
            unsigned char junk[700];
            for (size_t k = 0; k < sizeof junk; ++k) junk[k] = (unsigned char)tu_rng_next(&rng);
            write_bytes(inputs[i], junk, sizeof junk);
        }
    }
    if (bad != BAD_COUNT) {
        fprintf(stderr, "test setup: %d bad inputs, expected %d\n", bad, BAD_COUNT);
        exit(2);
    }
}

/* ------------------------------------------------------- what a run said */

typedef struct record {
    int calls;
    tessel_batch_outcome outcome;
    tessel_status status;
    int device;
    char message[TESSEL_BATCH_MESSAGE_SIZE];
} record;

typedef struct collector {
    const char *what;
    record items[INPUT_COUNT];
    int last_done; /* progress must count up by one per call */
} collector;

static void on_item(void *user, const tessel_batch_item *it, const tessel_batch_progress *p)
{
    collector *c = user;
    if (it->index < 0 || it->index >= INPUT_COUNT) {
        tu_fail(c->what, "on_item with index %d", it->index);
        return;
    }
    record *r = &c->items[it->index];
    ++r->calls;
    r->outcome = it->outcome;
    r->status = it->status;
    r->device = it->device;
    snprintf(r->message, sizeof r->message, "%s", it->message);
    if (p->done != c->last_done + 1 || p->done != p->written + p->skipped + p->failed ||
        p->total != INPUT_COUNT)
        tu_fail(c->what, "progress after %d calls: done %d = %d + %d + %d of %d", c->last_done + 1,
                p->done, p->written, p->skipped, p->failed, p->total);
    c->last_done = p->done;
    if (it->outcome == TESSEL_BATCH_WRITTEN && (it->seconds < 0 || it->device < 0))
        tu_fail(c->what, "\"%s\": written with device %d in %g s", it->input, it->device,
                it->seconds);
}

static tessel_batch *make_batch(const char *devices, int force, int in_flight, int io, collector *c)
{
    tessel_batch_options o = {0};
    o.struct_size = sizeof o;
    o.devices = devices;
    o.force = force;
    o.max_in_flight = in_flight;
    o.io_threads = io;
    o.on_item = on_item;
    o.user = c;
    tessel_batch *b = NULL;
    if (tessel_batch_create(&o, &b) != TESSEL_OK) {
        tu_fail("tessel_batch_create", "devices \"%s\": %s", devices, tessel_last_error());
        return NULL;
    }
    return b;
}

/* Runs the batch into `outputs` and checks the bookkeeping: one call per
 * input, the summary's counts, the devices' counts. */
static void run_batch(tessel_batch *b, char **outputs, const tessel_batch_filter *f, collector *c,
                      tessel_batch_progress *summary)
{
    memset(c->items, 0, sizeof c->items);
    c->last_done = 0;
    tessel_status s = tessel_batch_run(b, INPUT_COUNT, (const char *const *)inputs,
                                       (const char *const *)outputs, f, summary);
    if (s != TESSEL_OK) {
        tu_fail(c->what, "tessel_batch_run: %s", tessel_last_error());
        return;
    }
    int written = 0, failed = 0, skipped = 0;
    for (int i = 0; i < INPUT_COUNT; ++i) {
        if (c->items[i].calls != 1)
            tu_fail(c->what, "input %d reported %d times", i, c->items[i].calls);
        written += c->items[i].outcome == TESSEL_BATCH_WRITTEN;
        skipped += c->items[i].outcome == TESSEL_BATCH_SKIPPED;
        failed += c->items[i].outcome == TESSEL_BATCH_FAILED;
    }
    if (summary->written != written || summary->failed != failed || summary->skipped != skipped ||
        summary->done != INPUT_COUNT || summary->total != INPUT_COUNT)
        tu_fail(c->what, "summary %d written, %d skipped, %d failed, %d done; items say %d, %d, %d",
                summary->written, summary->skipped, summary->failed, summary->done, written,
                skipped, failed);
    int filtered = 0;
    for (int d = 0; d < tessel_batch_device_count(b); ++d) {
        tessel_batch_device dev;
        if (tessel_batch_device_get(b, d, &dev) == TESSEL_OK) filtered += dev.images;
    }
    if (filtered < written)
        tu_fail(c->what, "the devices filtered %d images but %d were written", filtered, written);
}

/* Every bad input failed with its reason and left no output. */
static void check_bad_inputs(const collector *c, char **outputs)
{
    for (int i = 0; i < INPUT_COUNT; ++i) {
        if (kinds[i] == GOOD) continue;
        const record *r = &c->items[i];
        tessel_status want = kinds[i] == MISSING ? TESSEL_ERR_IO : TESSEL_ERR_FORMAT;
        const char *name = strrchr(inputs[i], '/') + 1;
        if (r->outcome != TESSEL_BATCH_FAILED || r->status != want || !strstr(r->message, name))
            tu_fail(c->what, "bad input %s (kind %d): outcome %d, %s, message \"%s\"", name,
                    (int)kinds[i], (int)r->outcome, tessel_status_string(r->status), r->message);
        if (access(outputs[i], F_OK) == 0)
            tu_fail(c->what, "bad input %s: its output %s exists", name, outputs[i]);
    }
}

/* ------------------------------------------------------------ references */

/* One context per device string, for the one-at-a-time runs. */
typedef struct reference_contexts {
    char spec[8][32];
    tessel_context *ctx[8];
    int count;
} reference_contexts;

static tessel_context *reference_context(reference_contexts *r, const char *spec)
{
    for (int i = 0; i < r->count; ++i)
        if (strcmp(r->spec[i], spec) == 0) return r->ctx[i];
    if (r->count == 8) return NULL;
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.device = spec;
    if (tessel_context_create(&o, &r->ctx[r->count]) != TESSEL_OK) return NULL;
    snprintf(r->spec[r->count], sizeof r->spec[0], "%s", spec);
    return r->ctx[r->count++];
}

static void free_references(reference_contexts *r)
{
    for (int i = 0; i < r->count; ++i) tessel_context_destroy(r->ctx[i]);
    r->count = 0;
}

/* The output of input i, one image at a time: read, tessel_convolve2d on
 * ctx into a poisoned image. */
static int reference_output(tessel_context *ctx, int i, const tessel_batch_filter *f,
                            tessel_image *out)
{
    tessel_image in = {0};
    if (tessel_image_read(inputs[i], &in) != TESSEL_OK) return 0;
    int w = 0, h = 0;
    tessel_dtype dtype = f->out_dtype ? f->out_dtype : in.dtype;
    int ok = tessel_conv_output_size(in.width, in.height, f->kernel, &f->conv, &w, &h) == TESSEL_OK;
    size_t bytes = (size_t)w * (size_t)h * (size_t)in.channels * tessel_dtype_size(dtype);
    *out = tessel_image_view(tu_xmalloc(bytes ? bytes : 1), w, h, in.channels, dtype);
    memset(out->data, 0xA5, bytes);
    ok = ok && tessel_convolve2d(ctx, &in, f->kernel, &f->conv, out) == TESSEL_OK;
    tessel_image_free(&in);
    return ok;
}

/* Each input with want[i] was written, and its output equals the
 * one-at-a-time result on the device that filtered it. */
static void check_outputs(tessel_batch *b, const collector *c, char **outputs,
                          const tessel_batch_filter *f, reference_contexts *refs,
                          const unsigned char *want_written)
{
    for (int i = 0; i < INPUT_COUNT; ++i) {
        const record *r = &c->items[i];
        if (!want_written[i]) continue;
        if (r->outcome != TESSEL_BATCH_WRITTEN) {
            tu_fail(c->what, "%s: outcome %d (%s)", inputs[i], (int)r->outcome, r->message);
            continue;
        }
        tessel_batch_device dev;
        tessel_context *ctx = tessel_batch_device_get(b, r->device, &dev) == TESSEL_OK
                                  ? reference_context(refs, dev.spec)
                                  : NULL;
        tessel_image want = {0}, got = {0};
        if (!ctx || !reference_output(ctx, i, f, &want)) {
            tu_fail(c->what, "%s: no reference on device %d: %s", inputs[i], r->device,
                    tessel_last_error());
        } else if (tessel_image_read(outputs[i], &got) != TESSEL_OK) {
            tu_fail(c->what, "%s: cannot read it back: %s", outputs[i], tessel_last_error());
        } else {
            size_t bytes = (size_t)want.width * (size_t)want.height * (size_t)want.channels *
                           tessel_dtype_size(want.dtype);
            if (got.width != want.width || got.height != want.height ||
                got.channels != want.channels || got.dtype != want.dtype ||
                memcmp(got.data, want.data, bytes) != 0)
                tu_fail(c->what, "%s (device %s): differs from the one-at-a-time result",
                        outputs[i], dev.spec);
        }
        free(want.data);
        tessel_image_free(&got);
    }
}

/* ----------------------------------------------------------------- cases */

static unsigned char good_inputs[INPUT_COUNT];

static tessel_batch_filter gaussian_filter(const tessel_kernel *k)
{
    tessel_batch_filter f = {0};
    f.struct_size = sizeof f;
    f.kernel = k;
    return f;
}

/* First run, resume, touched inputs, force: one device (the CPU backend). */
static void case_resume(const tessel_kernel *k, reference_contexts *refs)
{
    static collector c;
    char *outputs[INPUT_COUNT];
    make_folder("out");
    for (int i = 0; i < INPUT_COUNT; ++i) outputs[i] = path_of("out", i, "png");
    tessel_batch_filter f = gaussian_filter(k);
    tessel_batch_progress sum;
    tessel_batch *b = make_batch("cpu", 0, 5, 3, &c);
    if (!b) return;

    c.what = "first run";
    run_batch(b, outputs, &f, &c, &sum);
    check_outputs(b, &c, outputs, &f, refs, good_inputs);
    check_bad_inputs(&c, outputs);
    int temporaries = 0, files = count_files("out", &temporaries);
    if (files != GOOD_COUNT || temporaries)
        tu_fail(c.what, "out/ holds %d files and %d temporaries, expected %d and 0", files,
                temporaries, GOOD_COUNT);
    if (sum.failed != BAD_COUNT || sum.written != GOOD_COUNT)
        tu_fail(c.what, "%d written, %d failed", sum.written, sum.failed);

    static struct timespec before[INPUT_COUNT];
    for (int i = 0; i < INPUT_COUNT; ++i) before[i] = mtime_of(outputs[i]);
    c.what = "resume";
    run_batch(b, outputs, &f, &c, &sum);
    check_bad_inputs(&c, outputs);
    for (int i = 0; i < INPUT_COUNT; ++i) {
        struct timespec now = mtime_of(outputs[i]);
        if (kinds[i] == GOOD &&
            (c.items[i].outcome != TESSEL_BATCH_SKIPPED || now.tv_sec != before[i].tv_sec ||
             now.tv_nsec != before[i].tv_nsec))
            tu_fail(c.what, "%s: outcome %d, or its output was rewritten", inputs[i],
                    (int)c.items[i].outcome);
    }
    if (sum.skipped != GOOD_COUNT) tu_fail(c.what, "%d skipped", sum.skipped);

    c.what = "touched inputs";
    int touched = 0;
    for (int i = 3; i < INPUT_COUNT; i += 29) {
        if (kinds[i] != GOOD) continue;
        struct timespec later = mtime_of(outputs[i]);
        later.tv_sec += 5;
        set_mtime(inputs[i], later);
        ++touched;
    }
    run_batch(b, outputs, &f, &c, &sum);
    for (int i = 0; i < INPUT_COUNT; ++i) {
        int was_touched = kinds[i] == GOOD && i >= 3 && (i - 3) % 29 == 0;
        tessel_batch_outcome want = was_touched        ? TESSEL_BATCH_WRITTEN
                                    : kinds[i] == GOOD ? TESSEL_BATCH_SKIPPED
                                                       : TESSEL_BATCH_FAILED;
        if (c.items[i].outcome != want)
            tu_fail(c.what, "%s: outcome %d, expected %d", inputs[i], (int)c.items[i].outcome,
                    (int)want);
    }
    if (sum.written != touched) tu_fail(c.what, "%d written, expected %d", sum.written, touched);
    tessel_batch_destroy(b);

    c.what = "force";
    b = make_batch("cpu", 1, 0, 0, &c);
    if (!b) return;
    run_batch(b, outputs, &f, &c, &sum);
    check_outputs(b, &c, outputs, &f, refs, good_inputs);
    if (sum.written != GOOD_COUNT || sum.skipped != 0)
        tu_fail(c.what, "%d written, %d skipped", sum.written, sum.skipped);
    tessel_batch_destroy(b);
    for (int i = 0; i < INPUT_COUNT; ++i) free(outputs[i]);
}

/* Every device there is, each named (an OpenCL CPU device joins only so),
 * the CPU backend first: "cpu,opencl:0,...". */
static void every_device(char *list, size_t size)
{
    tessel_device_desc found[16];
    int count = 0;
    snprintf(list, size, "cpu");
    if (tessel_devices_list(found, 16, &count) != TESSEL_OK) return;
    for (int i = 0; i < count && i < 16; ++i)
        if (found[i].backend == TESSEL_BACKEND_OPENCL)
            snprintf(list + strlen(list), size - strlen(list), ",%s", found[i].spec);
}

/* The default devices follow auto: every OpenCL GPU, else the CPU backend
 * alone (an OpenCL CPU device such as PoCL does not join unnamed); each
 * device says why it takes part. */
static void case_default_devices(void)
{
    const char *what = "default devices";
    tessel_device_desc found[16];
    int count = 0, gpus = 0;
    if (tessel_devices_list(found, 16, &count) != TESSEL_OK) {
        tu_fail(what, "tessel_devices_list: %s", tessel_last_error());
        return;
    }
    for (int i = 0; i < count && i < 16; ++i) gpus += strcmp(found[i].kind, "gpu") == 0;
    const char *lists[3] = {NULL, "auto", "all"};
    for (int l = 0; l < 3; ++l) {
        tessel_batch_options o = {0};
        o.devices = lists[l];
        tessel_batch *b = NULL;
        if (tessel_batch_create(&o, &b) != TESSEL_OK) {
            tu_fail(what, "\"%s\": %s", lists[l] ? lists[l] : "NULL", tessel_last_error());
            continue;
        }
        int n = tessel_batch_device_count(b);
        for (int d = 0; d < n; ++d) {
            tessel_batch_device dev;
            tessel_batch_device_get(b, d, &dev);
            const char *why = tessel_batch_device_reason(b, d);
            int ok = gpus ? dev.backend == TESSEL_BACKEND_OPENCL && strstr(why, "GPU")
                          : dev.backend == TESSEL_BACKEND_CPU && strstr(why, "auto: no OpenCL");
            if (!ok || n != (gpus ? gpus : 1))
                tu_fail(what, "\"%s\": device %d of %d is %s (%s), %d GPUs here",
                        lists[l] ? lists[l] : "NULL", d, n, dev.spec, why, gpus);
        }
        if (*tessel_batch_device_reason(b, n) != '\0')
            tu_fail(what, "a reason for device %d of %d", n, n);
        tessel_batch_destroy(b);
    }
}

/* Every device there is, the CPU backend too: each output equals the
 * one-at-a-time result of the device that filtered it. f32 .npy outputs,
 * valid mode, wrap border. */
static void case_all_devices(const tessel_kernel *k, reference_contexts *refs)
{
    static collector c;
    c.what = "all devices";
    char *outputs[INPUT_COUNT];
    make_folder("all");
    for (int i = 0; i < INPUT_COUNT; ++i) outputs[i] = path_of("all", i, "npy");
    tessel_batch_filter f = gaussian_filter(k);
    f.out_dtype = TESSEL_F32;
    f.conv.mode = TESSEL_MODE_VALID;
    f.conv.border = TESSEL_BORDER_WRAP;
    tessel_batch_progress sum;
    char list[512];
    every_device(list, sizeof list);
    tessel_batch *b = make_batch(list, 0, 0, 0, &c);
    if (b) {
        run_batch(b, outputs, &f, &c, &sum);
        check_outputs(b, &c, outputs, &f, refs, good_inputs);
        check_bad_inputs(&c, outputs);
        int cpu = 0;
        for (int d = 0; d < tessel_batch_device_count(b); ++d) {
            tessel_batch_device dev;
            tessel_batch_device_get(b, d, &dev);
            cpu += dev.backend == TESSEL_BACKEND_CPU;
            printf("  %s: device %s (%s): %d queues, %d images, %.3f s busy\n", list, dev.spec,
                   dev.name, dev.queues, dev.images, dev.busy_seconds);
        }
        if (cpu != 1) tu_fail(c.what, "%d CPU-backend devices, expected 1", cpu);
    }
    tessel_batch_destroy(b);
    for (int i = 0; i < INPUT_COUNT; ++i) free(outputs[i]);
}

/* The caller's process callback: f32 box filter, a per-worker counter as
 * its state; it refuses some inputs, returns no image for others. */
typedef struct counter {
    int images;
} counter;

static int releases, released_images;

static tessel_status box_process(void *user, tessel_batch_work *w)
{
    if (w->index % 50 == 11) {
        snprintf(w->message, sizeof w->message, "refused by the test: %s", w->input);
        return TESSEL_ERR_UNSUPPORTED;
    }
    if (w->index % 50 == 13) return TESSEL_OK; /* no image */
    counter *st = *w->state;
    if (!st) *w->state = st = calloc(1, sizeof *st);
    if (!st) return TESSEL_ERR_OUT_OF_MEMORY;
    ++st->images;
    const tessel_image *src = w->src;
    size_t bytes = (size_t)src->width * (size_t)src->height * (size_t)src->channels * sizeof(float);
    tessel_image dst =
        tessel_image_view(malloc(bytes), src->width, src->height, src->channels, TESSEL_F32);
    if (!dst.data) return TESSEL_ERR_OUT_OF_MEMORY;
    tessel_status s = tessel_convolve2d(w->context, src, user, NULL, &dst);
    w->dst = dst; /* the engine frees it, also on failure */
    return s;
}

static void count_release(void *user, void *state)
{
    ++releases;
    released_images += ((counter *)state)->images;
    free(state);
}

/* Inputs the callback refuses, and inputs it returns no image for. */
static int refused_by_callback(int i)
{
    return i % 50 == 11;
}

static int empty_from_callback(int i)
{
    return i % 50 == 13;
}

static void case_process_callback(reference_contexts *refs)
{
    static collector c;
    c.what = "process callback";
    tessel_kernel *box = NULL;
    if (tessel_kernel_builtin("box:3", &box) != TESSEL_OK) {
        tu_fail(c.what, "box:3: %s", tessel_last_error());
        return;
    }
    char *outputs[INPUT_COUNT];
    make_folder("cb");
    for (int i = 0; i < INPUT_COUNT; ++i) outputs[i] = path_of("cb", i, "npy");
    tessel_batch_filter f = {0};
    f.process = box_process;
    f.release = count_release;
    f.user = box;
    tessel_batch_progress sum;
    tessel_batch *b = make_batch("all,cpu", 1, 0, 2, &c);
    releases = released_images = 0;
    if (b) {
        run_batch(b, outputs, &f, &c, &sum);
        unsigned char want[INPUT_COUNT];
        int refused = 0;
        for (int i = 0; i < INPUT_COUNT; ++i) {
            int special = kinds[i] == GOOD && (refused_by_callback(i) || empty_from_callback(i));
            want[i] = kinds[i] == GOOD && !special;
            if (!special) continue;
            ++refused;
            const record *r = &c.items[i];
            const char *needle = refused_by_callback(i) ? "refused by the test" : "no usable image";
            if (r->outcome != TESSEL_BATCH_FAILED || !strstr(r->message, needle))
                tu_fail(c.what, "%s: outcome %d, message \"%s\"", inputs[i], (int)r->outcome,
                        r->message);
        }
        /* The same work one image at a time: box:3 into f32. */
        tessel_batch_filter same = gaussian_filter(box);
        same.out_dtype = TESSEL_F32;
        check_outputs(b, &c, outputs, &same, refs, want);
        if (released_images != sum.written || releases < 1)
            tu_fail(c.what, "the states counted %d images in %d releases, %d were written",
                    released_images, releases, sum.written);
        if (sum.failed != BAD_COUNT + refused)
            tu_fail(c.what, "%d failed, expected %d", sum.failed, BAD_COUNT + refused);
    }
    tessel_batch_destroy(b);
    tessel_kernel_destroy(box);
    for (int i = 0; i < INPUT_COUNT; ++i) free(outputs[i]);
}

/* Outcomes of a run over out/ (as case_resume left it): each good input
 * `want`, each bad one failed. */
static void expect_outcomes(const collector *c, tessel_batch_outcome want)
{
    for (int i = 0; i < INPUT_COUNT; ++i) {
        tessel_batch_outcome w = kinds[i] == GOOD ? want : TESSEL_BATCH_FAILED;
        if (c->items[i].outcome != w) {
            tu_fail(c->what, "%s: outcome %d, expected %d", inputs[i], (int)c->items[i].outcome,
                    (int)w);
            return;
        }
    }
}

/* Resume redoes outputs made by another filter, however new they are:
 * another kernel, other options, another output dtype, another fingerprint
 * of a process callback; and skips them again once made by this one. */
static void case_changed_filter(const tessel_kernel *k, reference_contexts *refs)
{
    static collector c;
    char *outputs[INPUT_COUNT];
    for (int i = 0; i < INPUT_COUNT; ++i) outputs[i] = path_of("out", i, "png");
    tessel_kernel *box = NULL;
    tessel_batch *b = make_batch("cpu", 0, 0, 0, &c);
    if (!b || tessel_kernel_builtin("box:3", &box) != TESSEL_OK) {
        tu_fail("changed filter", "setup: %s", tessel_last_error());
        tessel_batch_destroy(b);
        return;
    }
    /* inputs older than every output (case_resume moved some into the future) */
    for (int i = 0; i < INPUT_COUNT; ++i)
        if (kinds[i] != MISSING) set_mtime(inputs[i], (struct timespec){1000000000, 0});
    tessel_batch_progress sum;
    tessel_batch_filter f = gaussian_filter(k);
    c.what = "same filter again";
    run_batch(b, outputs, &f, &c, &sum);
    expect_outcomes(&c, TESSEL_BATCH_SKIPPED);

    tessel_batch_filter changes[4] = {gaussian_filter(box), gaussian_filter(box),
                                      gaussian_filter(box), gaussian_filter(box)};
    const char *names[4] = {"another kernel", "another border", "another dtype",
                            "another output format option"};
    changes[1].conv.border = TESSEL_BORDER_WRAP;
    changes[2] = changes[1];
    changes[2].out_dtype = TESSEL_U16;
    changes[3] = changes[2];
    changes[3].write.quality = 70;
    for (int n = 0; n < 4; ++n) {
        c.what = names[n];
        run_batch(b, outputs, &changes[n], &c, &sum);
        expect_outcomes(&c, TESSEL_BATCH_WRITTEN);
        check_outputs(b, &c, outputs, &changes[n], refs, good_inputs);
        run_batch(b, outputs, &changes[n], &c, &sum);
        expect_outcomes(&c, TESSEL_BATCH_SKIPPED);
    }
    /* a process callback: its fingerprint bytes say what it does */
    tessel_batch_filter cb = {0};
    cb.process = box_process;
    cb.release = count_release;
    cb.user = box;
    const char *settings[2] = {"box:3 v1", "box:3 v2"};
    for (int n = 0; n < 2; ++n) {
        cb.fingerprint = settings[n];
        cb.fingerprint_size = strlen(settings[n]);
        c.what = n ? "another process fingerprint" : "a process fingerprint";
        run_batch(b, outputs, &cb, &c, &sum);
        for (int i = 0; i < INPUT_COUNT; ++i) /* what the callback refuses stays failed */
            if (kinds[i] == GOOD && !refused_by_callback(i) && !empty_from_callback(i) &&
                c.items[i].outcome != TESSEL_BATCH_WRITTEN)
                tu_fail(c.what, "%s: outcome %d", inputs[i], (int)c.items[i].outcome);
    }
    tessel_batch_destroy(b);
    tessel_kernel_destroy(box);
    for (int i = 0; i < INPUT_COUNT; ++i) free(outputs[i]);
}

/* One image in flight and one I/O thread: the stages must still hand over
 * without a deadlock, and the results be the same. */
static void case_one_in_flight(const tessel_kernel *k, reference_contexts *refs)
{
    static collector c;
    c.what = "one image in flight";
    char *outputs[INPUT_COUNT];
    make_folder("tight");
    for (int i = 0; i < INPUT_COUNT; ++i) outputs[i] = path_of("tight", i, "png");
    tessel_batch_filter f = gaussian_filter(k);
    tessel_batch_progress sum;
    tessel_batch *b = make_batch("all", 1, 1, 1, &c);
    if (b) {
        run_batch(b, outputs, &f, &c, &sum);
        check_outputs(b, &c, outputs, &f, refs, good_inputs);
        check_bad_inputs(&c, outputs);
    }
    tessel_batch_destroy(b);
    for (int i = 0; i < INPUT_COUNT; ++i) free(outputs[i]);
}

/* An output that is its input: refused without force (resume could not
 * tell them apart), filtered in place with it. */
static void case_output_is_input(const tessel_kernel *k, reference_contexts *refs)
{
    const char *what = "output is the input";
    char path[600];
    snprintf(path, sizeof path, "%s/self.png", scratch);
    tu_rng rng;
    tu_rng_seed(&rng, 77);
    write_good(path, 1, &rng);
    const char *paths[1] = {path};
    tessel_batch_filter f = gaussian_filter(k);
    tessel_image want = {0}, got = {0}, before = {0};
    tessel_context *ctx = reference_context(refs, "cpu");
    tessel_image in = {0};
    if (!ctx || tessel_image_read(path, &in) != TESSEL_OK) {
        tu_fail(what, "no reference: %s", tessel_last_error());
        return;
    }
    want = tessel_image_view(tu_xmalloc((size_t)in.width * in.height * in.channels), in.width,
                             in.height, in.channels, in.dtype);
    if (tessel_convolve2d(ctx, &in, k, NULL, &want) != TESSEL_OK)
        tu_fail(what, "reference: %s", tessel_last_error());
    for (int force = 0; force <= 1; ++force) {
        tessel_batch_options o = {0};
        o.devices = "cpu";
        o.force = force;
        tessel_batch *b = NULL;
        tessel_batch_progress sum;
        if (tessel_batch_create(&o, &b) != TESSEL_OK ||
            tessel_batch_run(b, 1, paths, paths, &f, &sum) != TESSEL_OK) {
            tu_fail(what, "force %d: %s", force, tessel_last_error());
        } else if (sum.failed != !force || sum.written != force) {
            tu_fail(what, "force %d: %d written, %d failed", force, sum.written, sum.failed);
        } else if (tessel_image_read(path, force ? &got : &before) != TESSEL_OK) {
            tu_fail(what, "force %d: cannot read %s back", force, path);
        }
        tessel_batch_destroy(b);
    }
    size_t bytes = (size_t)in.width * in.height * in.channels;
    if (!before.data || memcmp(before.data, in.data, bytes) != 0)
        tu_fail(what, "without force the input changed");
    if (!got.data || memcmp(got.data, want.data, bytes) != 0)
        tu_fail(what, "with force the file is not the filtered input");
    tessel_image_free(&in);
    tessel_image_free(&before);
    tessel_image_free(&got);
    free(want.data);
}

#define EXPECT_STATUS(call, want)                                                                  \
    do {                                                                                           \
        tessel_status s_ = (call);                                                                 \
        if (s_ != (want))                                                                          \
            tu_fail(#call, "returned %s, expected %s (%s)", tessel_status_string(s_),              \
                    tessel_status_string(want), tessel_last_error());                              \
    } while (0)

static tessel_batch_options devices_options(const char *devices)
{
    tessel_batch_options o = {0};
    o.devices = devices;
    return o;
}

/* Bad options and arguments: a clear status, a message, nothing done. */
static void case_arguments(const tessel_kernel *k)
{
    tessel_batch *b = (tessel_batch *)&b; /* must be set to NULL on failure */
    tessel_batch_options o = devices_options("cpu,,cpu");
    EXPECT_STATUS(tessel_batch_create(&o, &b), TESSEL_ERR_INVALID_ARGUMENT);
    if (b) tu_fail("failed create", "left the handle set");
    o = devices_options("opencl:99");
    EXPECT_STATUS(tessel_batch_create(&o, &b), TESSEL_ERR_NO_DEVICE);
    if (!strstr(tessel_last_error(), "opencl:99"))
        tu_fail("opencl:99", "message does not name the device: %s", tessel_last_error());
    o = devices_options("cpu");
    o.io_threads = -1;
    EXPECT_STATUS(tessel_batch_create(&o, &b), TESSEL_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(tessel_batch_create(NULL, NULL), TESSEL_ERR_NULL_POINTER);
    if (tessel_batch_device_count(NULL) != 0) tu_fail("device count of NULL", "not 0");
    tessel_batch_destroy(NULL);

    o = devices_options("cpu");
    if (tessel_batch_create(&o, &b) != TESSEL_OK) {
        tu_fail("create cpu", "%s", tessel_last_error());
        return;
    }
    tessel_batch_device dev;
    EXPECT_STATUS(tessel_batch_device_get(b, 1, &dev), TESSEL_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(tessel_batch_device_get(b, 0, &dev), TESSEL_OK);
    if (dev.backend != TESSEL_BACKEND_CPU || dev.queues != 1 || strcmp(dev.spec, "cpu") != 0)
        tu_fail("device of \"cpu\"", "backend %d, %d queues, spec %s", (int)dev.backend, dev.queues,
                dev.spec);
    const char *in[1] = {inputs[0]}, *out[1] = {NULL};
    tessel_batch_filter f = gaussian_filter(k);
    EXPECT_STATUS(tessel_batch_run(b, 1, in, out, &f, NULL), TESSEL_ERR_NULL_POINTER);
    EXPECT_STATUS(tessel_batch_run(b, -1, in, in, &f, NULL), TESSEL_ERR_INVALID_ARGUMENT);
    EXPECT_STATUS(tessel_batch_run(b, 1, in, in, NULL, NULL), TESSEL_ERR_NULL_POINTER);
    EXPECT_STATUS(tessel_batch_run(NULL, 1, in, in, &f, NULL), TESSEL_ERR_NULL_POINTER);
    f.process = box_process;
    EXPECT_STATUS(tessel_batch_run(b, 1, in, in, &f, NULL), TESSEL_ERR_INVALID_ARGUMENT);
    f = gaussian_filter(k);
    f.out_dtype = (tessel_dtype)9;
    EXPECT_STATUS(tessel_batch_run(b, 1, in, in, &f, NULL), TESSEL_ERR_INVALID_ARGUMENT);
    f = gaussian_filter(k);
    f.conv.border = (tessel_border)17;
    EXPECT_STATUS(tessel_batch_run(b, 1, in, in, &f, NULL), TESSEL_ERR_INVALID_ARGUMENT);
    f = gaussian_filter(k);
    tessel_batch_progress sum;
    memset(&sum, 0x55, sizeof sum);
    EXPECT_STATUS(tessel_batch_run(b, 0, NULL, NULL, &f, &sum), TESSEL_OK);
    if (sum.total != 0 || sum.done != 0)
        tu_fail("empty run", "total %d, done %d", sum.total, sum.done);
    tessel_batch_destroy(b);
}

int main(void)
{
    snprintf(scratch, sizeof scratch, "%s/test_batch_files", TESSEL_TEST_SCRATCH);
    remove_tree(scratch);
    if (mkdir(scratch, 0777) != 0) {
        fprintf(stderr, "cannot make %s: %s\n", scratch, strerror(errno));
        return 2;
    }
    make_inputs();
    for (int i = 0; i < INPUT_COUNT; ++i) good_inputs[i] = kinds[i] == GOOD;
    tessel_kernel *k = NULL;
    if (tessel_kernel_builtin("gaussian:sigma=1.5", &k) != TESSEL_OK) {
        fprintf(stderr, "gaussian: %s\n", tessel_last_error());
        return 2;
    }
    reference_contexts refs = {0};
    case_arguments(k);
    case_resume(k, &refs);
    case_default_devices();
    case_changed_filter(k, &refs);
    case_all_devices(k, &refs);
    case_process_callback(&refs);
    case_one_in_flight(k, &refs);
    case_output_is_input(k, &refs);
    free_references(&refs);
    tessel_kernel_destroy(k);
    for (int i = 0; i < INPUT_COUNT; ++i) free(inputs[i]);
    if (tu_failures() == 0) remove_tree(scratch);
    printf("test_batch: %d failures\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
