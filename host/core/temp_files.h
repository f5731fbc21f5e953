/* The temporary files of atomic writes (atomic_file.c): their names, which
 * say the process that writes them; a registry of those in progress, which
 * a signal handler can remove (tessel_remove_temporary_files); and the
 * removal of those a killed process left (tessel_remove_stale_temporary_files).
 * A writer holds an exclusive flock on its temporary file while it writes. */
#ifndef TESSEL_CORE_TEMP_FILES_H
#define TESSEL_CORE_TEMP_FILES_H

#include <stddef.h>
#include <stdint.h>

/* The temporary file beside dir/name: "dir/.NAME.tessel-PID-XXXXXXXX"
 * (PID decimal, XXXXXXXX the hexadecimal suffix), NAME cut short at a
 * character boundary when the whole name would be longer than the
 * folder's longest file name (name_max bytes). 1, or 0 when out is too
 * small. */
int tessel_temp_name(char *out, size_t size, const char *dir, const char *name, size_t name_max,
                     uint32_t suffix);

/* Registers path, an open temporary file, for removal on a signal; its
 * slot, or -1 when every slot is taken (it is then not removed). */
int tessel_temp_register(const char *path);
/* Forgets a slot once its file is committed or removed; accepts -1. */
void tessel_temp_unregister(int slot);

#endif
