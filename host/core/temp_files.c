/* Temporary files of atomic writes (see temp_files.h). */
#include "temp_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"

#define TEMP_MARK ".tessel-"
#define SUFFIX_DIGITS 8
/* Writes in progress at once that a signal handler can remove: the batch
 * engine's I/O threads (at most 256) and a few more. */
#define REGISTRY_SLOTS 512
#define SLOT_BYTES PATH_MAX /* open() takes no longer path */

/* --------------------------------------------------------------- names */

int tessel_temp_name(char *out, size_t size, const char *dir, const char *name, size_t name_max,
                     uint32_t suffix)
{
    char tail[48]; /* ".tessel-PID-XXXXXXXX" */
    int tail_len = snprintf(tail, sizeof tail, TEMP_MARK "%ld-%08x", (long)getpid(),
                            (unsigned)suffix);
    size_t keep = strlen(name);
    size_t room = name_max > (size_t)tail_len + 1 ? name_max - (size_t)tail_len - 1 : 0;
    if (keep > room) {
        keep = room;
        while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80) --keep; /* UTF-8 */
    }
    int n = snprintf(out, size, "%s/.%.*s%s", dir, (int)keep, name, tail);
    return n >= 0 && (size_t)n < size;
}

/* The PID in a file name of the temporary pattern (".NAME.tessel-PID-XXXXXXXX"),
 * or 0 when it is not one. Async-signal-safe. */
static long temp_owner(const char *file_name)
{
    const char *mark = NULL;
    for (const char *p = file_name; (p = strstr(p, TEMP_MARK)) != NULL; ++p) mark = p;
    if (file_name[0] != '.' || !mark || mark == file_name) return 0;
    const char *p = mark + sizeof TEMP_MARK - 1;
    long pid = 0;
    for (; *p >= '0' && *p <= '9' && pid < 100000000; ++p) pid = pid * 10 + (*p - '0');
    if (pid <= 0 || *p++ != '-') return 0;
    for (int i = 0; i < SUFFIX_DIGITS; ++i, ++p)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) return 0;
    return *p == '\0' ? pid : 0;
}

/* ------------------------------------------------------------ registry */

enum { SLOT_FREE = 0, SLOT_BUSY = 1, SLOT_ACTIVE = 2 };

typedef struct temp_slot {
    atomic_int state;
    char *path; /* SLOT_BYTES, allocated on first use and never freed or moved */
} temp_slot;

static temp_slot registry[REGISTRY_SLOTS];

int tessel_temp_register(const char *path)
{
    if (strlen(path) >= SLOT_BYTES) return -1;
    for (int i = 0; i < REGISTRY_SLOTS; ++i) {
        int expected = SLOT_FREE;
        if (!atomic_compare_exchange_strong(&registry[i].state, &expected, SLOT_BUSY)) continue;
        if (!registry[i].path) registry[i].path = malloc(SLOT_BYTES);
        if (!registry[i].path) {
            atomic_store(&registry[i].state, SLOT_FREE);
            return -1;
        }
        memcpy(registry[i].path, path, strlen(path) + 1);
        atomic_store(&registry[i].state, SLOT_ACTIVE);
        return i;
    }
    return -1;
}

void tessel_temp_unregister(int slot)
{
    if (slot < 0 || slot >= REGISTRY_SLOTS) return;
    atomic_store(&registry[slot].state, SLOT_BUSY);
    atomic_store(&registry[slot].state, SLOT_FREE);
}

/* The file name part of path. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

void tessel_remove_temporary_files(void)
{
    for (int i = 0; i < REGISTRY_SLOTS; ++i) {
        if (atomic_load(&registry[i].state) != SLOT_ACTIVE) continue;
        /* A slot reused by another thread meanwhile may hold a mixed path:
         * only a name of the temporary pattern is removed. */
        const char *path = registry[i].path;
        if (temp_owner(base_name(path)) == (long)getpid()) unlink(path);
    }
}

/* --------------------------------------------------------- stale files */

/* 1 when process pid exists (possibly another user's). */
static int process_alive(long pid)
{
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* Removes `name` in the folder when it is a regular file whose writer is
 * gone: its process does not exist and nobody holds its lock. */
static int remove_if_stale(int dir_fd, const char *name, long pid)
{
    if (pid == (long)getpid() || process_alive(pid)) return 0;
    int fd = openat(dir_fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return 0;
    struct stat st;
    int stale = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0;
    int removed = stale && unlinkat(dir_fd, name, 0) == 0;
    close(fd);
    return removed;
}

tessel_status tessel_remove_stale_temporary_files(const char *folder, tessel_removed_fn removed,
                                                  void *user)
{
    RETURN_ERROR_IF(!folder, NULL, TESSEL_ERR_NULL_POINTER, "folder is NULL");
    const char *dir = folder[0] ? folder : ".";
    DIR *d = opendir(dir);
    if (!d && (errno == ENOENT || errno == ENOTDIR)) return TESSEL_OK; /* nothing there yet */
    if (!d) {
        char why[128];
        return tessel_fail(NULL, TESSEL_ERR_IO, "\"%s\": cannot read the folder: %s", dir,
                           tessel_strerror(errno, why, sizeof why));
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = temp_owner(e->d_name);
        if (!pid || !remove_if_stale(dirfd(d), e->d_name, pid) || !removed) continue;
        size_t n = strlen(folder);
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s%s%s", folder, n && folder[n - 1] != '/' ? "/" : "",
                 e->d_name);
        removed(user, path);
    }
    closedir(d);
    return TESSEL_OK;
}
