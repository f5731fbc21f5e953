/* What every harness shares: the fuzz input as a file that tessel's
 * readers open by path (so a harness covers whatever decoders the build
 * has, through the public API), and the checks of what a read returns. */
#ifndef TESSEL_FUZZ_FILE_H
#define TESSEL_FUZZ_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "tessel/tessel.h"

/* Writes data as this process's fuzz file, named with extension (".png";
 * the extension decides TGA and text), in memory (/dev/shm) where there is
 * one. Returns its path; aborts when it cannot be written (a harness
 * fault, not a finding). The file is removed when the process exits. */
const char *fuzz_file(const uint8_t *data, size_t size, const char *extension);

/* Aborts (a finding) unless img is a well-formed result of a read: sides
 * and channels in range, data present, every byte readable. */
void fuzz_check_image(const tessel_image *img);

/* Aborts unless a failed call left a message that names what failed. */
void fuzz_check_failure(tessel_status status);

/* tessel_image_read of path: a well-formed image or a failure that says
 * why (aborts otherwise). */
void fuzz_read_image(const char *path);

/* tessel_signal_read of path's column (NULL: the whole array or the first
 * column): a well-formed 1-row, 1-channel f32 signal or a failure that says
 * why (aborts otherwise). */
void fuzz_read_signal(const char *path, const char *column);

#endif
