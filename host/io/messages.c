/* Messages of the I/O layer: every one names the file it is about. */
#include <stdarg.h>
#include <stdio.h>

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
