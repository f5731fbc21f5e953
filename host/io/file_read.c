/* Opening and reading input files, with a message for each way it fails. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

/* A message for what st describes when it is not a non-empty regular file. */
static tessel_status check_kind(const char *path, const struct stat *st)
{
    if (S_ISDIR(st->st_mode))
        return tessel_io_fail(TESSEL_ERR_IO, path, "is a directory, not a file");
    if (!S_ISREG(st->st_mode))
        return tessel_io_fail(TESSEL_ERR_IO, path,
                              "is not a regular file (a pipe, device or socket)");
    if (st->st_size == 0) return tessel_io_fail(TESSEL_ERR_FORMAT, path, "file is empty");
    return TESSEL_OK;
}

/* Only a regular file is ever read, and no open can block: the path is
 * checked before it is opened (opening a FIFO waits for a writer), opened
 * with O_NONBLOCK in case it was swapped for one meanwhile, and the
 * descriptor is checked again. */
tessel_status tessel_io_file_open(tessel_io_file *file, const char *path)
{
    char why[128];
    file->path = path;
    file->fd = -1;
    file->size = 0;
    struct stat st;
    if (stat(path, &st) != 0)
        return tessel_io_fail(TESSEL_ERR_IO, path, "cannot open: %s",
                              tessel_strerror(errno, why, sizeof why));
    FORWARD_IF_ERROR(check_kind(path, &st));
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return tessel_io_fail(TESSEL_ERR_IO, path, "cannot open: %s",
                              tessel_strerror(errno, why, sizeof why));
    tessel_status status = TESSEL_OK;
    if (fstat(fd, &st) != 0)
        status = tessel_io_fail(TESSEL_ERR_IO, path, "cannot stat: %s",
                                tessel_strerror(errno, why, sizeof why));
    else
        status = check_kind(path, &st);
    if (status != TESSEL_OK) {
        close(fd);
        return status;
    }
    file->fd = fd;
    file->size = (uint64_t)st.st_size;
    return TESSEL_OK;
}

void tessel_io_file_close(tessel_io_file *file)
{
    if (file->fd >= 0) close(file->fd);
    file->fd = -1;
}

tessel_status tessel_io_file_read(const tessel_io_file *file, uint64_t offset, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        size_t chunk = n > ((size_t)1 << 30) ? (size_t)1 << 30 : n;
        ssize_t got = pread(file->fd, p, chunk, (off_t)offset);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) {
            char why[128];
            return tessel_io_fail(TESSEL_ERR_IO, file->path, "read failed: %s",
                                  tessel_strerror(errno, why, sizeof why));
        }
        if (got == 0)
            return tessel_io_fail(TESSEL_ERR_IO, file->path,
                                  "file became shorter while it was read");
        p += got;
        offset += (uint64_t)got;
        n -= (size_t)got;
    }
    return TESSEL_OK;
}

tessel_status tessel_io_file_read_all(const tessel_io_file *file, unsigned char **out)
{
    *out = NULL;
    if (file->size > SIZE_MAX)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path,
                              "file of %llu bytes does not fit in memory",
                              (unsigned long long)file->size);
    unsigned char *bytes = malloc((size_t)file->size);
    if (!bytes)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path,
                              "out of memory reading %llu bytes", (unsigned long long)file->size);
    tessel_status status = tessel_io_file_read(file, 0, bytes, (size_t)file->size);
    if (status != TESSEL_OK) {
        free(bytes);
        return status;
    }
    *out = bytes;
    return TESSEL_OK;
}
