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

#include "../core/context.h"
#include "../opencl/cl_program_disk.h"
#include "correlate.h"
#include "fftw_lock.h"

#define PATH_SIZE 1024

static int loaded; /* guarded by the FFTW planner lock */

/* "DIR/fftw3f-ISA.wisdom"; 0 when the cache folder is off. */
static int wisdom_path(tessel_context *ctx, char *dir, char *out, size_t size)
{
    if (!tessel_cl_disk_dir(ctx, dir, PATH_SIZE)) return 0;
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

/* FFTW's wisdom to a temporary beside path, renamed over it. */
static int export_atomically(const char *path)
{
    char tmp[PATH_SIZE + 80];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        unlink(tmp);
        return 0;
    }
    fftwf_export_wisdom_to_file(f);
    int ok = fflush(f) == 0 && !ferror(f);
    ok = fclose(f) == 0 && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) unlink(tmp);
    return ok;
}

void tessel_fftw_wisdom_save(tessel_context *ctx, int create)
{
    char dir[PATH_SIZE], path[PATH_SIZE + 64], lock_path[PATH_SIZE + 80];
    if (!wisdom_path(ctx, dir, path, sizeof path)) return;
    if (!create && access(path, F_OK) != 0) return;
    if (!tessel_cl_make_dirs(dir)) {
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
    const int ok = export_atomically(path);
    tessel_fftw_unlock();
    close(lock); /* releases the flock */
    if (!ok)
        tessel_log(ctx, TESSEL_LOG_WARN, "FFTW wisdom not saved to \"%s\": %s", path,
                   strerror(errno));
}
