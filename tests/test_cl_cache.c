/* The OpenCL program cache (host/opencl/cl_program.c) and the embedded
 * kernel sources, on the first OpenCL device found:
 *   - embedding: test_scale.cl's pieces are its exact text;
 *   - disk layer: folder from the environment, files that round-trip and
 *     files of another key that are refused, processes that write the same
 *     file while another reads it (the reader always sees a whole file);
 *   - first request compiles, the second hits memory, a new cache (as a
 *     second run) loads from disk without compiling;
 *   - a file with bytes flipped, truncated or replaced by garbage is
 *     rejected, rebuilt, rewritten, and the kernel still computes right;
 *   - other options build another program; a failing build reports its log;
 *   - TESSEL_CACHE_DIR="" writes nothing; an unusable folder only turns the
 *     disk cache off.
 * Skips (exit 0) only when no OpenCL platform exists. */
#define _XOPEN_SOURCE 700 /* setenv, mkdtemp, nftw, truncate */

#include <dirent.h>
#include <ftw.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cache_dir.h"
#include "opencl/cl_program.h"
#include "opencl/cl_program_disk.h"
#include "opencl/cl_sources.h"
#include "test_util.h"

/* common.cl comes first in every program and needs its output type. */
#define BASE_OPTIONS "-D OUT_T=float -D OUT_KIND=0"
#define OFFSET_OPTIONS BASE_OPTIONS " -D TEST_OFFSET=2.5f"
#define SOURCE "test_scale.cl"
#define KERNEL "tessel_test_scale"
#define DATA_COUNT 256
#define PATH_SIZE 1024

static int failures;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void fail(const char *where, const char *fmt, ...)
{
    char text[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof text, fmt, args);
    va_end(args);
    fprintf(stderr, "FAIL %s: %s\n", where, text);
    failures++;
}

/* Test set-up that cannot go on after a failure. */
static void require_cl(cl_int err, const char *what)
{
    if (err == CL_SUCCESS) return;
    fprintf(stderr, "FAIL setup: %s: %s (%d)\n", what, tessel_cl_error_name(err), (int)err);
    exit(1);
}

/* ------------------------------------------------------------- the log */

static char log_text[16384];

static void capture_log(void *user, tessel_log_level level, const char *message)
{
    (void)user;
    (void)level;
    const size_t used = strlen(log_text);
    snprintf(log_text + used, sizeof log_text - used, "%s\n", message);
}

/* ------------------------------------------------------------- device */

/* A tessel_cl_state for the first device of the first platform that has one;
 * 0 when no platform exists. */
static int open_device(tessel_cl_state *cl)
{
    cl_uint platform_count = 0;
    cl_int err = clGetPlatformIDs(0, NULL, &platform_count);
    if (err == -1001 /* CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found none */ ||
        (err == CL_SUCCESS && platform_count == 0))
        return 0;
    require_cl(err, "clGetPlatformIDs");
    cl_platform_id platforms[16];
    if (platform_count > 16) platform_count = 16;
    require_cl(clGetPlatformIDs(platform_count, platforms, NULL), "clGetPlatformIDs");
    memset(cl, 0, sizeof *cl);
    for (cl_uint p = 0; p < platform_count && !cl->device; ++p) {
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 1, &cl->device, NULL) == CL_SUCCESS)
            cl->platform = platforms[p];
    }
    if (!cl->device) {
        fprintf(stderr, "FAIL setup: %u OpenCL platform(s) but no device\n", platform_count);
        exit(1);
    }
    require_cl(clGetDeviceInfo(cl->device, CL_DEVICE_NAME, sizeof cl->caps.name, cl->caps.name,
                               NULL),
               "CL_DEVICE_NAME");
    require_cl(clGetDeviceInfo(cl->device, CL_DRIVER_VERSION, sizeof cl->caps.driver,
                               cl->caps.driver, NULL),
               "CL_DRIVER_VERSION");
    cl->context = clCreateContext(NULL, 1, &cl->device, NULL, NULL, &err);
    require_cl(err, "clCreateContext");
    cl->queue = clCreateCommandQueue(cl->context, cl->device, 0, &err);
    require_cl(err, "clCreateCommandQueue");
    return 1;
}

static void close_device(tessel_cl_state *cl)
{
    tessel_cl_programs_destroy(cl->programs);
    clReleaseCommandQueue(cl->queue);
    clReleaseContext(cl->context);
}

/* Replaces cl's program cache by a new, empty one: what a second run sees. */
static void new_cache(tessel_context *ctx, tessel_cl_state *cl)
{
    tessel_cl_programs_destroy(cl->programs);
    cl->programs = NULL;
    if (tessel_cl_programs_create(ctx, cl) != TESSEL_OK) {
        fprintf(stderr, "FAIL setup: tessel_cl_programs_create: %s\n",
                tessel_context_last_error(ctx));
        exit(1);
    }
}

/* ---------------------------------------------------------------- files */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* How many entries dir holds (0 when it does not exist); the path of the
 * last one goes to last. */
static int count_files(const char *dir, char *last)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (last) {
            /* A name longer than what is left is a test-setup error: say so. */
            int w = snprintf(last, PATH_SIZE, "%.*s/%.255s", PATH_SIZE - 300, dir, e->d_name);
            if (w < 0 || w >= PATH_SIZE) last[0] = '\0';
        }
        n++;
    }
    closedir(d);
    return n;
}

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    const long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = tu_xmalloc(n > 0 ? (size_t)n : 1);
    *size = fread(data, 1, n > 0 ? (size_t)n : 0, f);
    fclose(f);
    return data;
}

static void write_file(const char *path, const unsigned char *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        fprintf(stderr, "FAIL setup: cannot write %s\n", path);
        exit(1);
    }
}

/* ------------------------------------------------------------ embedding */

/* The embedded pieces of SOURCE, joined, equal kernels_cl/SOURCE (read with
 * CR-LF as LF, as embedding does); pieces stay under 4 KB. */
static void test_embedding(void)
{
    const tessel_cl_source *src = tessel_cl_source_find(SOURCE);
    if (!src) {
        fail("embedding", "%s is not embedded", SOURCE);
        return;
    }
    if (tessel_cl_source_find("no_such_file.cl"))
        fail("embedding", "a file that does not exist was found");
    if (!tessel_cl_source_find("common.cl")) fail("embedding", "common.cl is not embedded");
    if (strlen(src->hash) != 64 || strspn(src->hash, "0123456789abcdef") != 64)
        fail("embedding", "hash \"%s\" is not 64 hex digits", src->hash);

    size_t size = 0;
    unsigned char *text = read_file(TESSEL_KERNEL_DIR "/" SOURCE, &size);
    if (!text) {
        fail("embedding", "cannot read %s", TESSEL_KERNEL_DIR "/" SOURCE);
        return;
    }
    size_t n = 0; /* drop the CR of each CR-LF */
    for (size_t i = 0; i < size; ++i)
        if (!(text[i] == '\r' && i + 1 < size && text[i + 1] == '\n')) text[n++] = text[i];
    size_t at = 0;
    for (int p = 0; p < src->piece_count; ++p) {
        const size_t len = strlen(src->pieces[p]);
        if (len >= 4096) fail("embedding", "piece %d has %zu characters", p, len);
        if (at + len > n || memcmp(text + at, src->pieces[p], len) != 0) {
            fail("embedding", "piece %d differs from the file at byte %zu", p, at);
            break;
        }
        at += len;
    }
    if (at != n) fail("embedding", "pieces hold %zu bytes, the file %zu", at, n);
    free(text);
}

/* ------------------------------------------------------------ disk layer */

static void expect_dir(tessel_context *ctx, const char *want, const char *where)
{
    char got[PATH_SIZE + 32];
    const int on = tessel_cache_dir(ctx, got, sizeof got);
    if (want && (!on || strcmp(got, want) != 0))
        fail(where, "cache folder \"%s\" (enabled %d), expected \"%s\"", got, on, want);
    if (!want && on) fail(where, "cache folder \"%s\", expected the disk cache off", got);
}

/* Which folder the environment names. Leaves TESSEL_CACHE_DIR unset. */
static void test_folder_choice(tessel_context *ctx, const char *root)
{
    char xdg[PATH_SIZE], home[PATH_SIZE], want[PATH_SIZE + 32];
    snprintf(xdg, sizeof xdg, "%s/xdg", root);
    snprintf(home, sizeof home, "%s/home", root);
    setenv("XDG_CACHE_HOME", xdg, 1);
    setenv("HOME", home, 1);
    setenv("TESSEL_CACHE_DIR", "/some/where", 1);
    expect_dir(ctx, "/some/where", "TESSEL_CACHE_DIR");
    setenv("TESSEL_CACHE_DIR", "", 1);
    expect_dir(ctx, NULL, "empty TESSEL_CACHE_DIR");
    unsetenv("TESSEL_CACHE_DIR");
    snprintf(want, sizeof want, "%s/tessel", xdg);
    expect_dir(ctx, want, "XDG_CACHE_HOME");
    setenv("XDG_CACHE_HOME", "relative/xdg", 1);
    snprintf(want, sizeof want, "%s/.cache/tessel", home);
    expect_dir(ctx, want, "relative XDG_CACHE_HOME");
    unsetenv("XDG_CACHE_HOME");
    expect_dir(ctx, want, "HOME");
    setenv("XDG_CACHE_HOME", xdg, 1);
}

/* A stored record reads back with its own key only, whichever field differs. */
static void test_records(tessel_context *ctx, const char *root)
{
    char dir[PATH_SIZE], path[PATH_SIZE + 32];
    snprintf(dir, sizeof dir, "%s/records/deeper", root);
    const tessel_cl_disk_key key = {"device", "driver 1.0", "abc+def", "-D A=1"};
    unsigned char binary[100];
    tu_rng rng;
    tu_rng_seed(&rng, 11);
    for (size_t i = 0; i < sizeof binary; ++i) binary[i] = (unsigned char)tu_rng_next(&rng);
    if (!tessel_cl_disk_path(dir, &key, path, sizeof path)) {
        fail("records", "no path for the key");
        return;
    }
    tessel_cl_disk_write(ctx, dir, path, &key, binary, sizeof binary);
    unsigned char *back = NULL;
    size_t size = 0;
    if (tessel_cl_disk_read(ctx, path, &key, &back, &size) != TESSEL_CL_DISK_LOADED ||
        size != sizeof binary || memcmp(back, binary, size) != 0)
        fail("records", "a written record does not read back (%zu bytes)", size);
    free(back);

    const tessel_cl_disk_key others[4] = {{"device2", "driver 1.0", "abc+def", "-D A=1"},
                                          {"device", "driver 1.1", "abc+def", "-D A=1"},
                                          {"device", "driver 1.0", "abc+deg", "-D A=1"},
                                          {"device", "driver 1.0", "abc+def", "-D A=2"}};
    for (int i = 0; i < 4; ++i) {
        char other_path[PATH_SIZE + 32];
        tessel_cl_disk_path(dir, &others[i], other_path, sizeof other_path);
        if (strcmp(other_path, path) == 0) fail("records", "key %d has the same file name", i);
        back = NULL;
        if (tessel_cl_disk_read(ctx, path, &others[i], &back, &size) != TESSEL_CL_DISK_REJECTED)
            fail("records", "a record was accepted for key %d, which differs in one field", i);
        free(back);
    }
    if (tessel_cl_disk_read(ctx, TESSEL_KERNEL_DIR "/" SOURCE, &key, &back, &size) !=
        TESSEL_CL_DISK_REJECTED)
        fail("records", "a text file was accepted as a record");
    snprintf(path, sizeof path, "%s/absent.bin", dir);
    if (tessel_cl_disk_read(ctx, path, &key, &back, &size) != TESSEL_CL_DISK_MISSING)
        fail("records", "a missing file does not read as missing");
}

/* How many of the child processes are still running; clears (0) the ids
 * of those that finished, after checking that they exited with 0. */
static int still_running(pid_t *children, int count)
{
    int running = 0;
    for (int i = 0; i < count; ++i) {
        if (children[i] <= 0) continue;
        int status = 0;
        const pid_t done = waitpid(children[i], &status, WNOHANG);
        if (done == 0) {
            running++;
            continue;
        }
        if (done < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
            fail("concurrent writes", "writer %d did not finish cleanly", i);
        children[i] = 0;
    }
    return running;
}

/* Two processes store the same key over and over while this one reads it:
 * every read must find a whole, verified file (writes are atomic). */
static void test_concurrent_writes(tessel_context *ctx, const char *root)
{
    enum { WRITERS = 2, WRITES = 60, BINARY_BYTES = 1 << 18 };
    char dir[PATH_SIZE], path[PATH_SIZE + 32];
    snprintf(dir, sizeof dir, "%s/shared", root);
    const tessel_cl_disk_key key = {"device", "driver", "hash", "-D SHARED=1"};
    unsigned char *binary = tu_xmalloc(BINARY_BYTES);
    tu_rng rng;
    tu_rng_seed(&rng, 23);
    for (size_t i = 0; i < BINARY_BYTES; ++i) binary[i] = (unsigned char)tu_rng_next(&rng);
    tessel_cl_disk_path(dir, &key, path, sizeof path);
    tessel_cl_disk_write(ctx, dir, path, &key, binary, BINARY_BYTES);

    fflush(NULL); /* nothing buffered is written twice */
    pid_t writers[WRITERS];
    for (int w = 0; w < WRITERS; ++w) {
        writers[w] = fork();
        if (writers[w] == 0) {
            for (int i = 0; i < WRITES; ++i)
                tessel_cl_disk_write(ctx, dir, path, &key, binary, BINARY_BYTES);
            _exit(0);
        }
        if (writers[w] < 0) fail("concurrent writes", "fork failed");
    }
    int reads = 0, bad = 0, running = WRITERS;
    while (running > 0 || reads < 20) {
        unsigned char *back = NULL;
        size_t size = 0;
        const tessel_cl_disk_result r = tessel_cl_disk_read(ctx, path, &key, &back, &size);
        if (r != TESSEL_CL_DISK_LOADED || size != BINARY_BYTES || memcmp(back, binary, size) != 0)
            bad++;
        free(back);
        reads++;
        running = still_running(writers, WRITERS);
    }
    if (bad) fail("concurrent writes", "%d of %d reads did not find a whole file", bad, reads);
    if (count_files(dir, NULL) != 1)
        fail("concurrent writes", "%d files in the folder, expected 1 (temporaries left?)",
             count_files(dir, NULL));
    free(binary);
}

/* --------------------------------------------------------- the program */

/* data = data * factor + offset on the device for random data; checks it. */
static void check_kernel(tessel_cl_state *cl, cl_kernel kernel, float offset, const char *where)
{
    static unsigned seed = 1;
    tu_rng rng;
    tu_rng_seed(&rng, seed++);
    float in[DATA_COUNT], out[DATA_COUNT];
    tu_rng_floats(&rng, in, DATA_COUNT, -4.0, 4.0);
    const float factor = (float)tu_rng_uniform(&rng, 1.5, 3.0);
    for (int i = 0; i < DATA_COUNT; ++i) out[i] = NAN;
    cl_int err;
    cl_mem buffer = clCreateBuffer(cl->context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR,
                                   sizeof in, in, &err);
    require_cl(err, "clCreateBuffer");
    const size_t global = DATA_COUNT;
    require_cl(clSetKernelArg(kernel, 0, sizeof buffer, &buffer), "clSetKernelArg 0");
    require_cl(clSetKernelArg(kernel, 1, sizeof factor, &factor), "clSetKernelArg 1");
    require_cl(clEnqueueNDRangeKernel(cl->queue, kernel, 1, NULL, &global, NULL, 0, NULL, NULL),
               "clEnqueueNDRangeKernel");
    require_cl(clEnqueueReadBuffer(cl->queue, buffer, CL_TRUE, 0, sizeof out, out, 0, NULL, NULL),
               "clEnqueueReadBuffer");
    clReleaseMemObject(buffer);
    for (int i = 0; i < DATA_COUNT; ++i) {
        const double want = (double)in[i] * factor + offset;
        if (!(fabs(out[i] - want) <= 1e-5 * (fabs(want) + 1.0))) {
            fail(where, "data[%d] = %.7g, expected %.7g (input %.7g, factor %.7g, offset %g)", i,
                 out[i], want, in[i], factor, offset);
            return;
        }
    }
}

/* Gets the kernel, checks the cache's counters, then runs it. */
static void get_and_check(tessel_context *ctx, tessel_cl_state *cl, const char *options,
                          float offset, tessel_cl_cache_stats want, const char *where)
{
    cl_kernel kernel = NULL;
    if (tessel_cl_kernel_get(ctx, cl, SOURCE, options, KERNEL, &kernel) != TESSEL_OK) {
        fail(where, "tessel_cl_kernel_get: %s", tessel_context_last_error(ctx));
        return;
    }
    tessel_cl_cache_stats got;
    tessel_cl_cache_stats_get(cl, &got);
    if (memcmp(&got, &want, sizeof got) != 0)
        fail(where,
             "compiled %d, disk_loads %d, memory_hits %d, disk_rejected %d; expected %d, %d, %d, "
             "%d",
             got.compiled, got.disk_loads, got.memory_hits, got.disk_rejected, want.compiled,
             want.disk_loads, want.memory_hits, want.disk_rejected);
    check_kernel(cl, kernel, offset, where);
    clReleaseKernel(kernel);
}

static const tessel_cl_cache_stats COMPILED = {1, 0, 0, 0};
static const tessel_cl_cache_stats FROM_DISK = {0, 1, 0, 0};
static const tessel_cl_cache_stats REBUILT = {1, 0, 0, 1};

typedef enum damage { FLIP_MIDDLE, TRUNCATE, GARBAGE, DAMAGE_COUNT } damage;
static const char *const damage_names[] = {"bytes flipped", "truncated", "garbage"};

static void spoil(const char *path, damage how)
{
    size_t size = 0;
    unsigned char *data = read_file(path, &size);
    if (!data || size < 64) {
        fail("corrupt", "cache file %s missing or tiny (%zu bytes)", path, size);
        free(data);
        return;
    }
    tu_rng rng;
    tu_rng_seed(&rng, 5 + (uint64_t)how);
    if (how == FLIP_MIDDLE) {
        for (size_t i = size / 2; i < size / 2 + 8; ++i) data[i] ^= 0x5A;
    } else if (how == GARBAGE) {
        for (size_t i = 0; i < size; ++i) data[i] = (unsigned char)tu_rng_next(&rng);
    }
    write_file(path, data, how == TRUNCATE ? size / 2 : size);
    free(data);
}

/* First run, second request, second run, then damaged files. */
static void test_cache_life(tessel_context *ctx, tessel_cl_state *cl, const char *cache_dir)
{
    setenv("TESSEL_CACHE_DIR", cache_dir, 1);
    new_cache(ctx, cl);
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, COMPILED, "first request");
    char file[PATH_SIZE] = "";
    const int files = count_files(cache_dir, file);
    if (files != 1) fail("first request", "%d files in the cache folder, expected 1", files);

    const tessel_cl_cache_stats memory_hit = {1, 0, 1, 0};
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, memory_hit, "second request");

    new_cache(ctx, cl);
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, FROM_DISK, "second run");

    for (int how = 0; how < DAMAGE_COUNT; ++how) {
        char where[64];
        snprintf(where, sizeof where, "file %s", damage_names[how]);
        spoil(file, (damage)how);
        log_text[0] = '\0';
        new_cache(ctx, cl);
        get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, REBUILT, where);
        if (!strstr(log_text, "ignoring"))
            fail(where, "the rejection was not logged; log:\n%s", log_text);
        snprintf(where, sizeof where, "rewritten after %s", damage_names[how]);
        new_cache(ctx, cl);
        get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, FROM_DISK, where);
        if (count_files(cache_dir, NULL) != 1) fail(where, "files left behind in the folder");
    }

    /* Other options: another program (and file); the first stays in memory. */
    const tessel_cl_cache_stats other = {1, 1, 0, 0};
    get_and_check(ctx, cl, OFFSET_OPTIONS, 2.5f, other, "other options");
    const tessel_cl_cache_stats back = {1, 1, 1, 0};
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, back, "first options again");
    if (count_files(cache_dir, NULL) != 2)
        fail("other options", "%d files in the cache folder, expected 2",
             count_files(cache_dir, NULL));
}

/* A failing build: TESSEL_ERR_BACKEND with the log, nothing cached. */
static void test_build_failure(tessel_context *ctx, tessel_cl_state *cl, const char *cache_dir)
{
    tessel_cl_cache_stats before, after;
    tessel_cl_cache_stats_get(cl, &before);
    const int files = count_files(cache_dir, NULL);
    cl_kernel kernel = (cl_kernel)1;
    const tessel_status s =
        tessel_cl_kernel_get(ctx, cl, SOURCE, BASE_OPTIONS " -D TEST_BUILD_ERROR", KERNEL, &kernel);
    const char *message = tessel_context_last_error(ctx);
    if (s != TESSEL_ERR_BACKEND) fail("build failure", "status %s", tessel_status_string(s));
    if (!strstr(message, "build failure requested"))
        fail("build failure", "the message lacks the build log: %s", message);
    if (kernel) fail("build failure", "the kernel is not NULL");
    tessel_cl_cache_stats_get(cl, &after);
    if (memcmp(&before, &after, sizeof before) != 0 || count_files(cache_dir, NULL) != files)
        fail("build failure", "a failed build was counted or stored");
    if (tessel_cl_kernel_get(ctx, cl, "no_such_file.cl", BASE_OPTIONS, KERNEL, &kernel) !=
        TESSEL_ERR_BACKEND)
        fail("build failure", "a source that does not exist was accepted");
    if (tessel_cl_kernel_get(ctx, cl, SOURCE, BASE_OPTIONS, "no_such_kernel", &kernel) !=
            TESSEL_ERR_BACKEND ||
        kernel)
        fail("build failure", "a kernel that does not exist was accepted");
}

/* TESSEL_CACHE_DIR="" and a folder that cannot be made: no disk, no error. */
static void test_without_disk(tessel_context *ctx, tessel_cl_state *cl, const char *root)
{
    char xdg[PATH_SIZE], home[PATH_SIZE];
    snprintf(xdg, sizeof xdg, "%s/xdg", root);
    snprintf(home, sizeof home, "%s/home", root);
    setenv("TESSEL_CACHE_DIR", "", 1);
    new_cache(ctx, cl);
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, COMPILED, "TESSEL_CACHE_DIR empty");
    if (exists(xdg) || exists(home))
        fail("TESSEL_CACHE_DIR empty", "something was written to XDG_CACHE_HOME or HOME");

    char plain[PATH_SIZE], under[PATH_SIZE + 16];
    snprintf(plain, sizeof plain, "%s/plain_file", root);
    write_file(plain, (const unsigned char *)"x", 1);
    snprintf(under, sizeof under, "%s/cache", plain);
    setenv("TESSEL_CACHE_DIR", under, 1);
    log_text[0] = '\0';
    new_cache(ctx, cl);
    get_and_check(ctx, cl, BASE_OPTIONS, 0.0f, COMPILED, "unusable folder");
    if (!strstr(log_text, "cannot create"))
        fail("unusable folder", "the failure was not logged; log:\n%s", log_text);
}

int main(void)
{
    char root[] = "/tmp/tessel_cl_cache_XXXXXX";
    if (!mkdtemp(root)) {
        perror("mkdtemp");
        return 1;
    }
    /* PoCL's own cache in a fresh folder: nothing left from earlier runs. */
    char pocl_dir[PATH_SIZE], cache_dir[PATH_SIZE];
    snprintf(pocl_dir, sizeof pocl_dir, "%s/pocl", root);
    snprintf(cache_dir, sizeof cache_dir, "%s/cache/tessel", root);
    setenv("POCL_CACHE_DIR", pocl_dir, 1);

    test_embedding();
    test_concurrent_writes(NULL, root); /* forks: before any OpenCL state exists */
    tessel_cl_state cl;
    if (!open_device(&cl)) {
        printf("SKIP test_cl_cache: no OpenCL platform is installed\n");
        remove_tree(root);
        return failures ? 1 : 0;
    }
    printf("device: %s (driver %s)\n", cl.caps.name, cl.caps.driver);

    tessel_context_options options = {0};
    options.backend = TESSEL_BACKEND_CPU;
    options.log = capture_log;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&options, &ctx) != TESSEL_OK) {
        fprintf(stderr, "FAIL setup: tessel_context_create: %s\n", tessel_last_error());
        return 1;
    }
    test_folder_choice(ctx, root);
    test_records(ctx, root);
    test_cache_life(ctx, &cl, cache_dir);
    printf("(a build fails on purpose next: the OpenCL compiler may report it)\n");
    fflush(stdout);
    test_build_failure(ctx, &cl, cache_dir);
    test_without_disk(ctx, &cl, root);

    close_device(&cl);
    tessel_context_destroy(ctx);
    remove_tree(root);
    if (failures) {
        fprintf(stderr, "test_cl_cache: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_cl_cache: OK\n");
    return 0;
}
