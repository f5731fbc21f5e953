/* Messages and exit codes of the `tessel` command.
 *
 * Every message goes to stderr and starts with "tessel: ". A message about
 * one file names it first: `tessel: error: "in.png": what went wrong`.
 * Printing a message first clears a progress bar that may be on the line. */
#ifndef TESSEL_CLI_REPORT_H
#define TESSEL_CLI_REPORT_H

#include "tessel/tessel.h"

/* Exit statuses. */
enum {
    CLI_EXIT_OK = 0,     /* everything was done */
    CLI_EXIT_FAILED = 1, /* some file (or the device) failed; the rest went on */
    CLI_EXIT_USAGE = 2   /* the command line is wrong: nothing was done */
};

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

/* `tessel: error: MESSAGE` (no file). */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);
/* `tessel: error: "FILE": MESSAGE`. */
void cli_file_error(const char *file, const char *fmt, ...) CLI_PRINTF(2, 3);
/* `tessel: error: "FILE": LIBRARY MESSAGE` for a failed library call: the
 * library's message (it names the problem), else the status name. A message
 * that names the file itself (tessel_io's do) is not prefixed again. */
void cli_file_status(const char *file, tessel_status status);
/* 1 when message names file in double quotes (tessel_io's messages do). */
int cli_names_file(const char *message, const char *file);
/* The same for a message kept from elsewhere (the batch engine's): printed
 * as it is when it names `file` or `other` (e.g. the output), else after
 * `"FILE": `. other may be NULL. */
void cli_file_message(const char *file, const char *other, const char *message);
/* `tessel: warning: MESSAGE`. */
void cli_warning(const char *fmt, ...) CLI_PRINTF(1, 2);
/* What `-v` says of a plan's integer path: ", exact integer sums", or ""
 * when it sums in float; written into text (size bytes), which it returns. */
const char *cli_integer_words(const tessel_plan_properties *info, char *text, size_t size);
/* `tessel: MESSAGE` (verbose lines, summaries). */
void cli_note(const char *fmt, ...) CLI_PRINTF(1, 2);
/* A usage error: `tessel: error: MESSAGE` then a hint to the command's
 * --help. Returns CLI_EXIT_USAGE so callers can `return cli_usage(...)`. */
int cli_usage(const char *command, const char *fmt, ...) CLI_PRINTF(2, 3);

/* The library's message for the last failure on this thread, or the status
 * name when the library left none. */
const char *cli_status_text(tessel_status status);

#endif
