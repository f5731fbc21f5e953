/* Files written beside the target and renamed into place (atomic_file.h).
 *
 * The temporary file is created with O_CREAT|O_EXCL under a fresh name, like
 * mkstemp does, but with mode 0666 so the umask applies and the finished
 * file has the permissions any other new file would (mkstemp's 0600 would
 * leave outputs unreadable to the user's group). Its name says the process
 * writing it, which holds a lock on it and registers it for removal on a
 * signal (temp_files.h). */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "temp_files.h"

#define ATOMIC_BUFFER_BYTES ((size_t)1 << 16)
#define TEMP_NAME_ATTEMPTS 64

static atomic_uint temp_counter;

/* Records `"PATH": MESSAGE` as the thread's last error and returns status. */
static tessel_status fail_at(const char *path, tessel_status status, const char *fmt, ...)
    TESSEL_PRINTF(3, 4);

static tessel_status fail_at(const char *path, tessel_status status, const char *fmt, ...)
{
    char problem[400];
    va_list args;
    va_start(args, fmt);
    vsnprintf(problem, sizeof problem, fmt, args);
    va_end(args);
    return tessel_fail(NULL, status, "\"%s\": %s", path, problem);
}

static uint32_t temp_suffix(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t x = (uint64_t)getpid() * 0x9E3779B97F4A7C15u ^ (uint64_t)now.tv_nsec ^
                 ((uint64_t)atomic_fetch_add(&temp_counter, 1u) << 32);
    x ^= x >> 29;
    x *= 0xBF58476D1CE4E5B9u;
    return (uint32_t)(x ^ (x >> 32));
}

/* The directory part of path ("." when there is none) and the name part. */
static void split_path(const char *path, char *dir, size_t dir_size, const char **name)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dir_size, ".");
        *name = path;
    } else if (slash == path) {
        snprintf(dir, dir_size, "/");
        *name = slash + 1;
    } else {
        snprintf(dir, dir_size, "%.*s", (int)(slash - path), path);
        *name = slash + 1;
    }
}

static tessel_status check_target(const char *path, int overwrite, struct stat *existing,
                                  int *exists)
{
    *exists = lstat(path, existing) == 0;
    if (!*exists) return TESSEL_OK;
    if (S_ISDIR(existing->st_mode))
        return fail_at(path, TESSEL_ERR_IO, "is a directory; cannot write a file there");
    if (!overwrite)
        return fail_at(path, TESSEL_ERR_IO, "already exists and overwrite is off");
    return TESSEL_OK;
}

/* The longest file name the folder takes. */
static size_t name_max(const char *dir)
{
    long n = pathconf(dir, _PC_NAME_MAX);
    return n > 0 ? (size_t)n : 255;
}

static tessel_status create_temp(tessel_atomic_file *file, const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 64, longest = name_max(dir);
    file->temp_path = malloc(size);
    if (!file->temp_path)
        return fail_at(file->path, TESSEL_ERR_OUT_OF_MEMORY, "out of memory");
    int err = EEXIST;
    for (int attempt = 0; attempt < TEMP_NAME_ATTEMPTS && err == EEXIST; ++attempt) {
        tessel_temp_name(file->temp_path, size, dir, name, longest, temp_suffix());
        file->fd = open(file->temp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        err = file->fd < 0 ? errno : 0;
    }
    if (file->fd >= 0) {
        flock(file->fd, LOCK_EX | LOCK_NB); /* held while written: the file is not stale */
        file->slot = tessel_temp_register(file->temp_path);
        return TESSEL_OK;
    }
    free(file->temp_path);
    file->temp_path = NULL;
    char why[128];
    return fail_at(file->path, TESSEL_ERR_IO, "cannot create a file in \"%s\": %s", dir,
                   tessel_strerror(err, why, sizeof why));
}

tessel_status tessel_atomic_open(tessel_atomic_file *file, const char *path, int overwrite)
{
    memset(file, 0, sizeof *file);
    file->path = path;
    file->fd = -1;
    file->slot = -1;
    file->overwrite = overwrite;
    if (path[0] == '\0')
        return tessel_fail(NULL, TESSEL_ERR_INVALID_ARGUMENT, "output path is empty");
    if (path[strlen(path) - 1] == '/')
        return fail_at(path, TESSEL_ERR_INVALID_ARGUMENT, "names a directory, not a file");
    struct stat existing;
    int exists;
    FORWARD_IF_ERROR(check_target(path, overwrite, &existing, &exists));
    char dir[4096];
    const char *name;
    if (strlen(path) >= sizeof dir)
        return fail_at(path, TESSEL_ERR_INVALID_ARGUMENT, "path is too long");
    split_path(path, dir, sizeof dir, &name);
    FORWARD_IF_ERROR(create_temp(file, dir, name));
    if (exists && S_ISREG(existing.st_mode)) fchmod(file->fd, existing.st_mode & 07777);
    file->buffer = malloc(ATOMIC_BUFFER_BYTES);
    if (!file->buffer) {
        tessel_atomic_abort(file);
        return fail_at(path, TESSEL_ERR_OUT_OF_MEMORY, "out of memory");
    }
    return TESSEL_OK;
}

static void write_out(tessel_atomic_file *file, const unsigned char *p, size_t n)
{
    while (n > 0 && file->error == 0) {
        ssize_t done = write(file->fd, p, n);
        if (done < 0 && errno == EINTR) continue;
        if (done <= 0) {
            file->error = done < 0 ? errno : EIO;
            return;
        }
        p += done;
        n -= (size_t)done;
    }
}

static void flush(tessel_atomic_file *file)
{
    write_out(file, file->buffer, file->buffered);
    file->buffered = 0;
}

void tessel_atomic_write(tessel_atomic_file *file, const void *data, size_t n)
{
    const unsigned char *p = data;
    if (file->error || file->fd < 0) return;
    if (file->buffered + n > ATOMIC_BUFFER_BYTES) flush(file);
    if (n >= ATOMIC_BUFFER_BYTES) {
        write_out(file, p, n);
        return;
    }
    memcpy(file->buffer + file->buffered, p, n);
    file->buffered += n;
}

/* Puts the finished temporary file at the target: 1, or 0 with errno set.
 * Without overwrite, link() fails atomically if the target appeared
 * meanwhile; where the file system has no hard links, a check and a rename
 * do. */
static int place(const tessel_atomic_file *file)
{
    if (file->overwrite) return rename(file->temp_path, file->path) == 0;
    if (link(file->temp_path, file->path) == 0) {
        unlink(file->temp_path); /* the target is complete; a stray name is all a failure leaves */
        return 1;
    }
    if (errno == EEXIST) return 0;
    struct stat st;
    if (lstat(file->path, &st) == 0) {
        errno = EEXIST;
        return 0;
    }
    return rename(file->temp_path, file->path) == 0;
}

static void sync_directory(const char *path)
{
    char dir[4096];
    const char *name;
    split_path(path, dir, sizeof dir, &name);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd); /* durability of the rename; the file itself is complete either way */
    close(fd);
}

tessel_status tessel_atomic_commit(tessel_atomic_file *file)
{
    char why[128];
    flush(file);
    if (file->error == 0 && fsync(file->fd) != 0 && errno != EINVAL) file->error = errno;
    if (close(file->fd) != 0 && file->error == 0) file->error = errno;
    file->fd = -1;
    if (file->error) {
        int err = file->error;
        tessel_atomic_abort(file);
        return fail_at(file->path, TESSEL_ERR_IO, "write failed: %s",
                       tessel_strerror(err, why, sizeof why));
    }
    if (!place(file)) {
        int err = errno;
        tessel_atomic_abort(file);
        if (err == EEXIST)
            return fail_at(file->path, TESSEL_ERR_IO, "already exists and overwrite is off");
        return fail_at(file->path, TESSEL_ERR_IO, "cannot put the file in place: %s",
                       tessel_strerror(err, why, sizeof why));
    }
    tessel_temp_unregister(file->slot);
    file->slot = -1;
    free(file->temp_path);
    file->temp_path = NULL;
    free(file->buffer);
    file->buffer = NULL;
    sync_directory(file->path);
    return TESSEL_OK;
}

void tessel_atomic_abort(tessel_atomic_file *file)
{
    if (file->fd >= 0) close(file->fd);
    file->fd = -1;
    if (file->temp_path) { /* a zeroed file has none, and no slot */
        unlink(file->temp_path);
        tessel_temp_unregister(file->slot); /* after: a signal between removes it too */
    }
    file->slot = -1;
    free(file->temp_path);
    file->temp_path = NULL;
    free(file->buffer);
    file->buffer = NULL;
}

tessel_status tessel_atomic_save(const char *path, const void *data, size_t n)
{
    tessel_atomic_file file;
    FORWARD_IF_ERROR(tessel_atomic_open(&file, path, 1));
    tessel_atomic_write(&file, data, n);
    return tessel_atomic_commit(&file);
}
