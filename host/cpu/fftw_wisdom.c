/* FFTW wisdom in the cache folder (see fftw_wisdom.h). */
#include "fftw_wisdom.h"

#include <errno.h>
#include <fcntl.h>
#include <fftw3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/cache_dir.h"
#include "core/context.h"
#include "correlate.h"
#include "fftw_lock.h"

#define PATH_SIZE 1024

static int loaded; /* guarded by the FFTW planner lock */

/* "DIR/fftw3f-ISA.wisdom"; 0 when the cache folder is off. */
static int wisdom_path(tessel_context *ctx, char *dir, char *out, size_t size)
{
    if (!tessel_cache_dir(ctx, dir, PATH_SIZE)) return 0;
    tessel_correlate_kernels k;
    tessel_correlate_select(&k);
    int n = snprintf(out, size, "%s/fftw3f-%s.wisdom", dir, k.isa);
    return n > 0 && (size_t)n < size;
}

/* Imports path (which exists); 0 when FFTW rejects it. Planner lock held. */
static int import_file(const char *path)
{
    return fftwf_import_wisdom_from_filename(path) != 0;
}

void tessel_fftw_wisdom_load(tessel_context *ctx)
{
    char dir[PATH_SIZE], path[PATH_SIZE + 64];
    tessel_fftw_lock();
    if (!loaded) {
        loaded = 1;
        if (wisdom_path(ctx, dir, path, sizeof path) && access(path, F_OK) == 0 &&
            !import_file(path))
            tessel_log(ctx, TESSEL_LOG_WARN, "FFTW wisdom \"%s\" ignored: FFTW cannot read it",
                       path);
    }
    tessel_fftw_unlock();
}

static void write_wisdom_char(char c, void *file)
{
    tessel_atomic_write(file, &c, 1);
}

/* FFTW's wisdom into an atomic file at path: TESSEL_OK, or a failure
 * whose message (the thread's) names the path. */
static tessel_status export_atomically(const char *path)
{
    tessel_atomic_file file;
    FORWARD_IF_ERROR(tessel_atomic_open(&file, path, 1));
    fftwf_export_wisdom(write_wisdom_char, &file);
    return tessel_atomic_commit(&file);
}

void tessel_fftw_wisdom_save(tessel_context *ctx, int create)
{
    char dir[PATH_SIZE], path[PATH_SIZE + 64], lock_path[PATH_SIZE + 80];
    if (!wisdom_path(ctx, dir, path, sizeof path)) return;
    if (!create && access(path, F_OK) != 0) return;
    if (!tessel_make_dirs(dir)) {
        tessel_log(ctx, TESSEL_LOG_WARN, "FFTW wisdom not saved: cannot create \"%s\": %s", dir,
                   strerror(errno));
        return;
    }
    snprintf(lock_path, sizeof lock_path, "%s.lock", path);
    /* Other processes merge into the same file: one at a time. */
    int lock = open(lock_path, O_RDWR | O_CREAT, 0666);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        tessel_log(ctx, TESSEL_LOG_WARN, "FFTW wisdom not saved: cannot lock \"%s\": %s",
                   lock_path, strerror(errno));
        if (lock >= 0) close(lock);
        return;
    }
    tessel_fftw_lock();
    if (access(path, F_OK) == 0) import_file(path); /* keep what others saved */
    const tessel_status saved = export_atomically(path);
    tessel_fftw_unlock();
    close(lock); /* releases the flock */
    if (saved != TESSEL_OK)
        tessel_log(ctx, TESSEL_LOG_WARN, "FFTW wisdom not saved: %s", tessel_last_error());
}
