/* How image outputs are written, from the command line: --format, the JPEG
 * options (--quality, --subsampling), --compression-level, which PNG and
 * TIFF outputs take, and the TIFF options (--compression, --tile,
 * --bigtiff). */
#ifndef TESSEL_CLI_WRITE_OPTIONS_H
#define TESSEL_CLI_WRITE_OPTIONS_H

#include "options.h"
#include "tessel/tessel_io.h"

/* The write options the command line asks for (overwrite 0). */
void cli_write_options(const cli_options *o, tessel_write_options *out);

/* Refuses an -o FILE of a format tessel cannot write (without --format),
 * --format with an -o FILE whose extension names another format, and an
 * option given for outputs of a format it does not apply to (the TIFF
 * options, the JPEG ones, --compression-level), or --compression-level
 * with --compression lzw or none. The outputs are the one file -o names
 * or, when -o is a folder (`folder`), each input's name there, in
 * --format's format when given. Returns 0, or CLI_EXIT_USAGE after a
 * message naming the option. */
int cli_check_format_options(const cli_options *o, int folder);

#endif
