/* TESSEL_DEVICE_MEMORY_LIMIT: how much device memory tessel may use, read by
 * the backends that have a device (their plan_memory slot, backend.h), and
 * byte counts written for messages. */
#ifndef TESSEL_CORE_MEMORY_LIMIT_H
#define TESSEL_CORE_MEMORY_LIMIT_H

#include <stddef.h>

#include "tessel/tessel.h"

/* Parses TESSEL_DEVICE_MEMORY_LIMIT's syntax (digits, then an optional K,
 * M, G or T, powers of 1024, an optional "B" or "iB"): *bytes = 0 for NULL
 * or "", else the value. Fails on anything else or on 0, with a message in
 * err. */
tessel_status tessel_memory_limit_parse(const char *text, size_t *bytes, char *err,
                                        size_t err_size);

/* "12 MiB", "300 KiB" or "17 bytes" into buf (for messages). */
const char *tessel_bytes_text(size_t bytes, char *buf, size_t size);

#endif
