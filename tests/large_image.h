/* Tests on images larger than the memory they may use: a pattern image
 * written band by band through tessel's TIFF writer, and work run in a child
 * process whose peak resident memory (VmHWM) is then read. In the sanitizer
 * build, AddressSanitizer's quarantine is made small so that freed blocks do
 * not count in the peak as if tessel held them. */
#ifndef TESSEL_TESTS_LARGE_IMAGE_H
#define TESSEL_TESTS_LARGE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "tessel/tessel_io.h"

/* Sample (x, y) of the pattern: a hash of its position (noise, so a
 * misplaced row or column shows). */
uint8_t li_pattern(uint32_t x, uint32_t y);

/* Writes a width x height u8 grey image of the pattern as path with
 * options o, band_rows rows at a time through buf (width * band_rows
 * bytes). TESSEL_OK, or the failing call's status (its message in
 * tessel_last_error). */
tessel_status li_write_pattern(const char *path, int width, int height,
                               const tessel_write_options *o, int band_rows, uint8_t *buf);

/* Peak resident memory of this process in bytes (VmHWM), 0 if unknown. */
size_t li_peak_resident(void);

/* Runs fn(arg) in a child process; its exit status, or -1 when it could
 * not start or did not exit. */
int li_in_child(int (*fn)(const void *arg), const void *arg);

/* Seconds on a monotonic clock. */
double li_seconds(void);

#endif
