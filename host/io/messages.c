/* Messages of the I/O layer: every one names the file it is about. */
#include <stdarg.h>
#include <stdio.h>

#include "core/plan.h"
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

tessel_status tessel_io_check_image(const char *path, const char *what, const tessel_image *img,
                                    int require_data)
{
    tessel_status status = tessel_image_check(NULL, what, img, require_data);
    if (status == TESSEL_OK) return status;
    char problem[256];
    snprintf(problem, sizeof problem, "%s", tessel_last_error());
    return tessel_io_fail(status, path, "%s", problem);
}
