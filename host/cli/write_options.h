/* How image outputs are written, from the command line: --format,
 * --quality, which only JPEG outputs take, and the TIFF options
 * (--compression, --tile, --bigtiff), which only TIFF outputs take. */
#ifndef TESSEL_CLI_WRITE_OPTIONS_H
#define TESSEL_CLI_WRITE_OPTIONS_H

#include "options.h"
#include "tessel/tessel_io.h"

/* The write options the command line asks for (overwrite 0). */
void cli_write_options(const cli_options *o, tessel_write_options *out);

/* Refuses --format with an -o FILE whose extension names another format,
 * the TIFF options when an output would not be a TIFF, and --quality when
 * one would not be a JPEG: the output is the one file -o names or, when -o
 * is a folder (`folder`), each input's name there, in --format's format
 * when given. Returns 0, or CLI_EXIT_USAGE after a message naming the
 * option. */
int cli_check_format_options(const cli_options *o, int folder);

#endif
