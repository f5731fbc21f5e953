/* An output's fingerprint as an extended attribute of the file
 * (fingerprint_xattr.c, Linux's getxattr/setxattr), where the file system
 * has them; fingerprint_store.c keeps a manifest where it has not. A build
 * for a system without them compiles fingerprint_xattr_missing.c. */
#ifndef TESSEL_BATCH_FINGERPRINT_XATTR_H
#define TESSEL_BATCH_FINGERPRINT_XATTR_H

#include <stdint.h>

/* Hexadecimal digits of a fingerprint as stored. */
#define TESSEL_BATCH_PRINT_CHARS 16

/* 1 with *print when output has the attribute, else 0. */
int tessel_batch_xattr_get(const char *output, uint64_t *print);
/* 1 when the attribute was set; 0 where the file system has no extended
 * attributes (or refuses ours). */
int tessel_batch_xattr_put(const char *output, uint64_t print);

#endif
