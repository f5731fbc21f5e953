/* Output naming and folders (see paths.h). */
#include "paths.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static int is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* lstat: a symbolic link is there even when what it names is not. */
int paths_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int paths_output_is_folder(const char *output, int input_count)
{
    size_t n = strlen(output);
    return input_count > 1 || (n > 0 && output[n - 1] == '/') || is_folder(output);
}

static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *paths_extension(const char *path)
{
    const char *name = file_name(path);
    const char *dot = strrchr(name, '.');
    return dot && dot != name ? dot + 1 : "";
}

int paths_in_folder(const char *folder, const char *input, const char *format, char *out,
                    size_t size)
{
    const char *name = file_name(input);
    size_t stem = strlen(name);
    if (format && *paths_extension(name)) stem = (size_t)(paths_extension(name) - 1 - name);
    size_t n = strlen(folder);
    const char *sep = n > 0 && folder[n - 1] == '/' ? "" : "/";
    int written = format ? snprintf(out, size, "%s%s%.*s.%s", folder, sep, (int)stem, name, format)
                         : snprintf(out, size, "%s%s%s", folder, sep, name);
    return written < 0 || (size_t)written >= size ? -1 : 0;
}

int paths_make_folder(const char *folder)
{
    char path[4096];
    size_t n = strlen(folder);
    if (n == 0 || n >= sizeof path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(path, folder, n + 1);
    /* Each prefix ending before a '/', then the whole path. */
    for (size_t i = 1; i <= n; ++i) {
        if (path[i] != '/' && path[i] != '\0') continue;
        char kept = path[i];
        path[i] = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) return -1;
        if (!is_folder(path)) {
            errno = ENOTDIR;
            return -1;
        }
        path[i] = kept;
    }
    return 0;
}
