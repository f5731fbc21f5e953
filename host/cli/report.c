/* Messages and exit codes of the `tessel` command (see report.h). */
#include "report.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "progress.h"

static void emit(const char *kind, const char *file, const char *fmt, va_list args)
{
    progress_clear();
    fputs("tessel: ", stderr);
    if (kind) fprintf(stderr, "%s: ", kind);
    if (file) fprintf(stderr, "\"%s\": ", file);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    emit("error", NULL, fmt, args);
    va_end(args);
}

void cli_file_error(const char *file, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    emit("error", file, fmt, args);
    va_end(args);
}

const char *cli_status_text(tessel_status status)
{
    const char *message = tessel_last_error();
    return message && *message ? message : tessel_status_string(status);
}

int cli_names_file(const char *message, const char *file)
{
    size_t n = strlen(file);
    for (const char *q = strchr(message, '"'); q; q = strchr(q + 1, '"'))
        if (strncmp(q + 1, file, n) == 0 && q[n + 1] == '"') return 1;
    return 0;
}

void cli_file_status(const char *file, tessel_status status)
{
    cli_file_message(file, NULL, cli_status_text(status));
}

void cli_file_message(const char *file, const char *other, const char *message)
{
    if (cli_names_file(message, file) || (other && cli_names_file(message, other)))
        cli_error("%s", message);
    else
        cli_file_error(file, "%s", message);
}

void cli_warning(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    emit("warning", NULL, fmt, args);
    va_end(args);
}

void cli_note(const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    emit(NULL, NULL, fmt, args);
    va_end(args);
}

int cli_usage(const char *command, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    emit("error", NULL, fmt, args);
    va_end(args);
    if (command)
        fprintf(stderr, "Try 'tessel %s --help'.\n", command);
    else
        fputs("Try 'tessel --help'.\n", stderr);
    return CLI_EXIT_USAGE;
}

const char *cli_integer_words(const tessel_plan_properties *info, char *text, size_t size)
{
    snprintf(text, size, "%s", info->integer_path ? ", exact integer sums" : "");
    return text;
}
