/* Support for the large-image tests (see large_image.h). */
#define _POSIX_C_SOURCE 200809L /* fork, clock_gettime */

#include "large_image.h"

#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* AddressSanitizer keeps up to 256 MB of freed blocks in quarantine; a
 * smaller one still catches use after free. (Visible: the build hides
 * symbols by default, and ASan looks this one up.) */
__attribute__((visibility("default"))) const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "quarantine_size_mb=16";
}
#endif

uint8_t li_pattern(uint32_t x, uint32_t y)
{
    uint32_t h = x * 0x9E3779B1u ^ (y + 0x7F4A7C15u) * 0x85EBCA77u;
    h ^= h >> 15;
    h *= 0x2C1B3C6Du;
    h ^= h >> 12;
    return (uint8_t)h;
}

tessel_status li_write_pattern(const char *path, int width, int height,
                               const tessel_write_options *o, int band_rows, uint8_t *buf)
{
    tessel_image shape = tessel_image_view(NULL, width, height, 1, TESSEL_U8);
    tessel_tiff_writer *writer = NULL;
    tessel_status s = tessel_tiff_writer_open(path, &shape, o, &writer);
    for (int y0 = 0; s == TESSEL_OK && y0 < height; y0 += band_rows) {
        const int rows = height - y0 < band_rows ? height - y0 : band_rows;
        for (int y = 0; y < rows; ++y)
            for (int x = 0; x < width; ++x)
                buf[(size_t)y * (size_t)width + (size_t)x] =
                    li_pattern((uint32_t)x, (uint32_t)(y0 + y));
        tessel_image band = tessel_image_view(buf, width, rows, 1, TESSEL_U8);
        s = tessel_tiff_writer_write_rows(writer, y0, &band);
    }
    if (s == TESSEL_OK) return tessel_tiff_writer_finish(writer);
    tessel_tiff_writer_abort(writer);
    return s;
}

size_t li_peak_resident(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    char line[256];
    size_t kib = 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %zu kB", &kib) == 1) break;
    fclose(f);
    return kib * 1024;
}

int li_in_child(int (*fn)(const void *arg), const void *arg)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int status = fn(arg);
        fflush(stdout);
        _exit(status);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

double li_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}
