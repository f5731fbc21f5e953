/* Messages of the I/O layer: every one names the file it is about. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io.h"

tessel_status tessel_io_fail(tessel_status status, const char *path, const char *fmt, ...)
{
    char problem[400];
    va_list args;
    va_start(args, fmt);
    vsnprintf(problem, sizeof problem, fmt, args);
    va_end(args);
    return tessel_fail(NULL, status, "\"%s\": %s", path ? path : "(null)", problem);
}

/* strerror() may share one buffer between threads; strerror_r exists in two
 * incompatible forms, chosen by the feature macros. */
const char *tessel_io_strerror(int err, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(err, buf, size);
#else
    if (strerror_r(err, buf, size) != 0) snprintf(buf, size, "error %d", err);
    return buf;
#endif
}
