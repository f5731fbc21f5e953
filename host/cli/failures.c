/* The failed inputs of a batch (see failures.h). */
#include "failures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define KEPT_MAX 20 /* listed in the summary; the rest are counted */

static char *line_of(const char *input, const char *other, const char *message)
{
    int named = cli_names_file(message, input) || (other && cli_names_file(message, other));
    size_t size = strlen(input) + strlen(message) + 8;
    char *line = malloc(size);
    if (!line) return NULL;
    if (named)
        snprintf(line, size, "%s", message);
    else
        snprintf(line, size, "\"%s\": %s", input, message);
    return line;
}

void failures_report(cli_failures *f, const char *input, const char *other, const char *message)
{
    cli_file_message(input, other, message);
    ++f->count;
    if (f->kept == KEPT_MAX) return;
    if (!f->lines && !(f->lines = calloc(KEPT_MAX, sizeof *f->lines))) return;
    char *line = line_of(input, other, message);
    if (line) f->lines[f->kept++] = line;
}

void failures_print(const cli_failures *f)
{
    for (int i = 0; i < f->kept; ++i) cli_note("  failed: %s", f->lines[i]);
    if (f->count > f->kept) cli_note("  ... and %d more failed", f->count - f->kept);
}

void failures_free(cli_failures *f)
{
    for (int i = 0; i < f->kept; ++i) free(f->lines[i]);
    free(f->lines);
    memset(f, 0, sizeof *f);
}
