/* Where outputs go. With one input, -o is the output file; with several
 * inputs, or -o ending in '/', or -o an existing folder, -o is a folder and
 * each output keeps its input's file name, with the extension of --format
 * when given. */
#ifndef TESSEL_CLI_PATHS_H
#define TESSEL_CLI_PATHS_H

#include <stddef.h>

/* 1 when -o names a folder for these inputs. */
int paths_output_is_folder(const char *output, int input_count);

/* folder/NAME where NAME is input's file name, its extension replaced by
 * `format` when not NULL. Returns 0, or -1 when it does not fit in `size`. */
int paths_in_folder(const char *folder, const char *input, const char *format, char *out,
                    size_t size);

/* The extension of path's file name without the dot ("" if none). */
const char *paths_extension(const char *path);

/* Creates `folder` and its missing parents. Returns 0, or -1 with errno set
 * (ENOTDIR when a part of it is a file). */
int paths_make_folder(const char *folder);

/* 1 when something exists at path: a dangling symbolic link counts. */
int paths_exists(const char *path);

#endif
