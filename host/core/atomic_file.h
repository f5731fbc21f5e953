/* Files that appear only when complete, the one way tessel writes a file it
 * keeps (image outputs, cost profiles, FFTW wisdom, compiled programs): the
 * data goes to a temporary file beside the target, which is synced and
 * renamed into place on commit and removed on any failure. Without
 * overwrite an existing target is an error, found before anything is
 * written and again, atomically, when the file is put in place. Failures
 * record a message naming the file as the thread's last error. */
#ifndef TESSEL_CORE_ATOMIC_FILE_H
#define TESSEL_CORE_ATOMIC_FILE_H

#include <stddef.h>

#include "tessel/tessel.h"

typedef struct tessel_atomic_file {
    const char *path; /* the target */
    char *temp_path;  /* beside it; NULL once committed or aborted */
    int fd;
    int overwrite;
    int error; /* errno of the first failed write, 0 if none */
    unsigned char *buffer;
    size_t buffered;
    int slot; /* in the registry of temporary files removed on a signal; -1 if none */
} tessel_atomic_file;

tessel_status tessel_atomic_open(tessel_atomic_file *file, const char *path, int overwrite);

/* Appends n bytes. A failure is kept and reported by commit, so encoders
 * that cannot return errors (stb's callbacks) may write blindly. */
void tessel_atomic_write(tessel_atomic_file *file, const void *data, size_t n);

/* Flushes, syncs and puts the file in place; on failure removes it. */
tessel_status tessel_atomic_commit(tessel_atomic_file *file);

/* Removes the temporary file. Safe after commit and on a file never opened
 * (zeroed). */
void tessel_atomic_abort(tessel_atomic_file *file);

/* The whole file at once: n bytes of data replace path (overwrite on). */
tessel_status tessel_atomic_save(const char *path, const void *data, size_t n);

#endif
