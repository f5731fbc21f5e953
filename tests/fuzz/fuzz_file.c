/* The fuzz input as a file (fuzz_file.h). */
#define _GNU_SOURCE /* getpid, ftruncate */

#include "fuzz_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tessel/tessel_io.h"

static char file_path[512];
static int fd = -1;

static void remove_file(void)
{
    if (fd >= 0) close(fd);
    if (file_path[0]) unlink(file_path);
}

/* The folder for the file: memory where there is some. */
static const char *folder(void)
{
    struct stat st;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        return "/dev/shm";
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *extension)
{
    if (fd < 0) {
        snprintf(file_path, sizeof file_path, "%s/tessel_fuzz_%ld%s", folder(), (long)getpid(),
                 extension);
        fd = open(file_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        if (fd < 0) {
            perror(file_path);
            abort();
        }
        atexit(remove_file);
    }
    if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size)) {
        perror(file_path);
        abort();
    }
    return file_path;
}

void fuzz_check_image(const tessel_image *img)
{
    size_t sample = tessel_dtype_size(img->dtype);
    if (!img->data || img->width < 1 || img->height < 1 || img->channels < 1 ||
        img->channels > 4 || sample == 0 || img->stride != 0)
        abort();
    /* every byte of the result is there (AddressSanitizer checks) */
    size_t bytes = (size_t)img->width * (size_t)img->height * (size_t)img->channels * sample;
    const volatile unsigned char *p = img->data;
    unsigned sum = 0;
    for (size_t i = 0; i < bytes; i += 4093) sum += p[i];
    sum += p[bytes - 1];
    (void)sum;
}

void fuzz_check_failure(tessel_status status)
{
    const char *message = tessel_last_error();
    if (status == TESSEL_OK || !message || !message[0]) abort();
}

void fuzz_read_image(const char *path)
{
    tessel_image img;
    tessel_status s = tessel_image_read(path, &img);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        return;
    }
    fuzz_check_image(&img);
    tessel_image_free(&img);
}

void fuzz_read_signal(const char *path, const char *column)
{
    tessel_image signal;
    tessel_status s = tessel_signal_read(path, column, &signal);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        return;
    }
    fuzz_check_image(&signal);
    if (signal.height != 1 || signal.channels != 1 || signal.dtype != TESSEL_F32) abort();
    tessel_image_free(&signal);
}
