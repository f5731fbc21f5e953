/* Fingerprints as the extended attribute user.tessel.fingerprint: 16
 * hexadecimal digits (fingerprint_xattr.h). */
#include "fingerprint_xattr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/xattr.h>

#define XATTR_NAME "user.tessel.fingerprint"

int tessel_batch_xattr_get(const char *output, uint64_t *print)
{
    char value[TESSEL_BATCH_PRINT_CHARS + 1], *end;
    ssize_t n = getxattr(output, XATTR_NAME, value, TESSEL_BATCH_PRINT_CHARS);
    if (n != TESSEL_BATCH_PRINT_CHARS) return 0;
    value[TESSEL_BATCH_PRINT_CHARS] = '\0';
    *print = strtoull(value, &end, 16);
    return end == value + TESSEL_BATCH_PRINT_CHARS;
}

int tessel_batch_xattr_put(const char *output, uint64_t print)
{
    char value[TESSEL_BATCH_PRINT_CHARS + 1];
    snprintf(value, sizeof value, "%016" PRIx64, print);
    return setxattr(output, XATTR_NAME, value, TESSEL_BATCH_PRINT_CHARS, 0) == 0;
}
