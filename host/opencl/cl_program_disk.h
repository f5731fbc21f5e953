/* The on-disk half of the program cache: which folder, which file, and the
 * file format. A file is only ever trusted when every field of its header
 * matches the key and its checksum verifies; anything else reads as
 * "rejected" and is rebuilt by the caller. Failing to create or write files
 * is never an error (logged at debug level): the cache is an optimisation. */
#ifndef TESSEL_OPENCL_CL_PROGRAM_DISK_H
#define TESSEL_OPENCL_CL_PROGRAM_DISK_H

#include <stddef.h>

#include "core/context.h"

/* Everything a stored binary depends on. */
typedef struct tessel_cl_disk_key {
    const char *device;      /* CL_DEVICE_NAME */
    const char *driver;      /* CL_DRIVER_VERSION */
    const char *source_hash; /* hashes of the sources, in program order */
    const char *options;     /* build options */
} tessel_cl_disk_key;

typedef enum tessel_cl_disk_result {
    TESSEL_CL_DISK_MISSING = 0, /* no file (or no disk cache) */
    TESSEL_CL_DISK_LOADED = 1,  /* binary read and verified */
    TESSEL_CL_DISK_REJECTED = 2 /* a file exists but cannot be trusted */
} tessel_cl_disk_result;

/* The file for key inside dir: a hash of the whole key as its name.
 * 0 when the path does not fit in size. */
int tessel_cl_disk_path(const char *dir, const tessel_cl_disk_key *key, char *out, size_t size);

/* Reads path; on TESSEL_CL_DISK_LOADED *binary (free() it) holds *size bytes. */
tessel_cl_disk_result tessel_cl_disk_read(tessel_context *ctx, const char *path,
                                          const tessel_cl_disk_key *key, unsigned char **binary,
                                          size_t *size);

/* Stores binary for key at path (creating dir as needed) as an atomic file
 * (core/atomic_file.h), so that other processes see the old file or the
 * whole new one. */
void tessel_cl_disk_write(tessel_context *ctx, const char *dir, const char *path,
                          const tessel_cl_disk_key *key, const unsigned char *binary, size_t size);

#endif
