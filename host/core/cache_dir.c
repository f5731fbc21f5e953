/* The cache folder (see cache_dir.h). */
#include "cache_dir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "context.h"

int tessel_cache_dir(tessel_context *ctx, char *out, size_t size)
{
    const char *own = getenv("TESSEL_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    int n;
    out[0] = '\0';
    if (own) {
        if (!*own) {
            tessel_log(ctx, TESSEL_LOG_DEBUG, "cache folder: TESSEL_CACHE_DIR is empty, disk "
                                              "cache off");
            return 0;
        }
        n = snprintf(out, size, "%s", own);
    } else if (xdg && xdg[0] == '/') { /* relative values are invalid (XDG spec) */
        n = snprintf(out, size, "%s/tessel", xdg);
    } else if (home && *home) {
        n = snprintf(out, size, "%s/.cache/tessel", home);
    } else {
        tessel_log(ctx, TESSEL_LOG_DEBUG, "cache folder: no TESSEL_CACHE_DIR, XDG_CACHE_HOME "
                                          "or HOME, disk cache off");
        return 0;
    }
    if (n < 0 || (size_t)n >= size) {
        tessel_log(ctx, TESSEL_LOG_DEBUG, "cache folder: its name is too long, disk cache off");
        out[0] = '\0';
        return 0;
    }
    return 1;
}

int tessel_make_dirs(const char *dir)
{
    char path[4096];
    const size_t n = strlen(dir);
    if (n == 0 || n >= sizeof path) {
        errno = ENAMETOOLONG;
        return 0;
    }
    memcpy(path, dir, n + 1);
    for (size_t i = 1; i <= n; ++i) {
        if (path[i] != '/' && path[i] != '\0') continue;
        const char saved = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) return 0;
        path[i] = saved;
    }
    return 1;
}
