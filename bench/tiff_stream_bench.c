/* tessel-tiff-stream-bench: speed and peak memory of filtering TIFFs larger
 * than the memory they may use, streamed band by band.
 *
 *   tessel-tiff-stream-bench TESSEL [--side N] [--kernel SPEC] [--device D]
 *                            [--dir FOLDER] [--keep]
 *
 * Writes a SIDE x SIDE grey TIFF (default 20000: 400 MB at 8 bits, 800 MB
 * at 16; uncompressed strips; a gradient with noise) for u8 and for u16,
 * then for each:
 *   cli  `TESSEL filter in.tif -k SPEC -o out.tif` (the command streams one
 *        TIFF into a TIFF; its output is deflate-compressed, the command's
 *        default), timed from the outside, peak resident memory from wait4;
 *   api  the same through the library in a child process: tessel_tiff_reader
 *        -> tessel_plan_execute_stream -> tessel_tiff_writer, output
 *        uncompressed, so the time is reading, filtering and writing alone;
 *        peak resident memory from VmHWM.
 * Mpix/s counts output pixels. One run each (the images are large); files
 * go to --dir (default $TMPDIR or /tmp) and are removed unless --keep. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"
#include "tessel/tessel_io.h"

typedef struct bench_args {
    const char *tessel, *kernel, *device, *dir;
    int side, keep;
} bench_args;

typedef struct measured {
    double seconds;
    double peak_mib;
    int ok;
} measured;

/* A sample of the input: a diagonal gradient with 4 bits of noise. */
static unsigned sample(unsigned x, unsigned y, unsigned side, unsigned max)
{
    unsigned h = x * 0x9E3779B1u ^ (y + 0x7F4A7C15u) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 13;
    unsigned ramp = (unsigned)((unsigned long long)(x + y) * (max - 15) / (2ull * side));
    return (ramp + (h & 15)) % (max + 1);
}

static int write_input(const char *path, int side, tessel_dtype dtype)
{
    enum { BAND = 256 };
    const size_t size = tessel_dtype_size(dtype);
    unsigned char *buf = malloc((size_t)side * BAND * size);
    tessel_image shape = tessel_image_view(NULL, side, side, 1, dtype);
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.compression = TESSEL_COMPRESSION_NONE;
    w.overwrite = 1;
    tessel_tiff_writer *writer = NULL;
    tessel_status s = buf ? tessel_tiff_writer_open(path, &shape, &w, &writer)
                          : TESSEL_ERR_OUT_OF_MEMORY;
    const unsigned max = dtype == TESSEL_U8 ? 255 : 65535;
    for (int y0 = 0; s == TESSEL_OK && y0 < side; y0 += BAND) {
        const int rows = side - y0 < BAND ? side - y0 : BAND;
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < side; ++x) {
                const unsigned v = sample((unsigned)x, (unsigned)(y0 + y), (unsigned)side, max);
                const size_t i = (size_t)y * side + (size_t)x;
                if (dtype == TESSEL_U8) buf[i] = (unsigned char)v;
                else ((uint16_t *)(void *)buf)[i] = (uint16_t)v;
            }
        tessel_image band = tessel_image_view(buf, side, rows, 1, dtype);
        s = tessel_tiff_writer_write_rows(writer, y0, &band);
    }
    if (s == TESSEL_OK) s = tessel_tiff_writer_finish(writer);
    else tessel_tiff_writer_abort(writer);
    free(buf);
    if (s != TESSEL_OK) fprintf(stderr, "writing %s: %s\n", path, tessel_last_error());
    return s == TESSEL_OK ? 0 : -1;
}

/* `TESSEL filter IN -k SPEC -o OUT --force [--device D]`, timed. */
static measured run_cli(const bench_args *a, const char *in, const char *out)
{
    measured m = {0, 0, 0};
    const char *argv[12] = {a->tessel, "filter", in, "-k", a->kernel, "-o", out, "--force", "-q"};
    int n = 9;
    if (a->device) {
        argv[n++] = "--device";
        argv[n++] = a->device;
    }
    argv[n] = NULL;
    const double t0 = bench_now();
    pid_t pid = fork();
    if (pid == 0) {
        execv(a->tessel, (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) != pid) return m;
    m.seconds = bench_now() - t0;
    m.peak_mib = (double)ru.ru_maxrss / 1024; /* KiB on Linux */
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return m;
}

static size_t peak_resident(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    size_t kib = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %zu kB", &kib) == 1) break;
    if (f) fclose(f);
    return kib * 1024;
}

static tessel_status from_reader(void *reader, int y0, int count, const tessel_image *rows)
{
    tessel_image band = *rows;
    (void)count;
    return tessel_tiff_reader_read_rows(reader, y0, &band);
}

static tessel_status to_writer(void *writer, int y0, int count, const tessel_image *rows)
{
    (void)count;
    return tessel_tiff_writer_write_rows(writer, y0, rows);
}

/* The library path, in this (child) process; writes "seconds peak" to fd. */
static int api_child(const bench_args *a, const char *in, const char *out, int fd)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.device = a->device;
    tessel_context *ctx = NULL;
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    tessel_tiff_reader *reader = NULL;
    tessel_tiff_writer *writer = NULL;
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.compression = TESSEL_COMPRESSION_NONE;
    w.overwrite = 1;
    tessel_image shape;
    const double t0 = bench_now();
    tessel_status s = tessel_context_create(&co, &ctx);
    if (s == TESSEL_OK) s = tessel_kernel_builtin(a->kernel, &kernel);
    if (s == TESSEL_OK) s = tessel_tiff_reader_open(in, &reader);
    if (s == TESSEL_OK) s = tessel_tiff_reader_shape(reader, &shape);
    if (s == TESSEL_OK) s = tessel_plan_create(ctx, &shape, shape.dtype, kernel, NULL, &plan);
    if (s == TESSEL_OK) s = tessel_tiff_writer_open(out, &shape, &w, &writer);
    if (s == TESSEL_OK)
        s = tessel_plan_execute_stream(plan, from_reader, reader, to_writer, writer, 0);
    if (s == TESSEL_OK) s = tessel_tiff_writer_finish(writer);
    else tessel_tiff_writer_abort(writer);
    const double seconds = bench_now() - t0;
    if (s != TESSEL_OK) fprintf(stderr, "api: %s\n", tessel_last_error());
    char line[64];
    int len = snprintf(line, sizeof line, "%.6f %zu\n", seconds, peak_resident());
    if (write(fd, line, (size_t)len) != len) return 1;
    return s == TESSEL_OK ? 0 : 1;
}

static measured run_api(const bench_args *a, const char *in, const char *out)
{
    measured m = {0, 0, 0};
    int fds[2];
    if (pipe(fds) != 0) return m;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        _exit(api_child(a, in, out, fds[1]));
    }
    close(fds[1]);
    char line[64] = "";
    ssize_t got = pid > 0 ? read(fds[0], line, sizeof line - 1) : -1;
    close(fds[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || got <= 0) return m;
    size_t peak = 0;
    m.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           sscanf(line, "%lf %zu", &m.seconds, &peak) == 2;
    m.peak_mib = (double)peak / 1048576;
    return m;
}

static double file_mib(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (double)st.st_size / 1048576 : 0;
}

static void report(const char *what, const bench_args *a, measured m, const char *out)
{
    if (!m.ok) {
        printf("%-34s FAILED\n", what);
        return;
    }
    const double mpix = (double)a->side * a->side / 1e6;
    printf("%-34s %8.2f %9.1f %10.1f %11.1f\n", what, m.seconds, mpix / m.seconds, m.peak_mib,
           file_mib(out));
}

static int parse(int argc, char **argv, bench_args *a)
{
    *a = (bench_args){NULL, "gaussian:sigma=2", NULL, NULL, 20000, 0};
    const char *tmp = getenv("TMPDIR");
    a->dir = tmp && *tmp ? tmp : "/tmp";
    for (int i = 1; i < argc; ++i) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--keep") == 0) a->keep = 1;
        else if (strcmp(o, "--side") == 0 && v) a->side = atoi(argv[++i]);
        else if (strcmp(o, "--kernel") == 0 && v) a->kernel = argv[++i];
        else if (strcmp(o, "--device") == 0 && v) a->device = argv[++i];
        else if (strcmp(o, "--dir") == 0 && v) a->dir = argv[++i];
        else if (o[0] != '-' && !a->tessel) a->tessel = o;
        else return -1;
    }
    return a->tessel && a->side > 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    bench_args a;
    if (parse(argc, argv, &a) != 0) {
        fprintf(stderr,
                "usage: %s TESSEL [--side N] [--kernel SPEC] [--device D] [--dir FOLDER] "
                "[--keep]\n",
                argv[0]);
        return 2;
    }
    printf("%dx%d grey, kernel %s, device %s\n", a.side, a.side, a.kernel,
           a.device ? a.device : "default");
    printf("%-34s %8s %9s %10s %11s\n", "case", "seconds", "Mpix/s", "peak MiB", "output MiB");
    const tessel_dtype dtypes[2] = {TESSEL_U8, TESSEL_U16};
    int failed = 0;
    for (int d = 0; d < 2; ++d) {
        const char *name = tessel_dtype_name(dtypes[d]);
        char in[4096], out[4096], what[64];
        snprintf(in, sizeof in, "%s/tessel_stream_bench_%s.tif", a.dir, name);
        snprintf(out, sizeof out, "%s/tessel_stream_bench_%s_out.tif", a.dir, name);
        const double t0 = bench_now();
        if (write_input(in, a.side, dtypes[d]) != 0) return 1;
        printf("%-34s %8.2f %9s %10s %11.1f\n", name, bench_now() - t0, "(written)", "",
               file_mib(in));
        measured cli = run_cli(&a, in, out);
        snprintf(what, sizeof what, "%s cli (deflate output)", name);
        report(what, &a, cli, out);
        measured api = run_api(&a, in, out);
        snprintf(what, sizeof what, "%s api (uncompressed output)", name);
        report(what, &a, api, out);
        failed += !cli.ok + !api.ok;
        if (!a.keep) {
            unlink(in);
            unlink(out);
        }
    }
    return failed ? 1 : 0;
}
