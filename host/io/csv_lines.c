/* Splitting CSV and text files into lines and fields. */
#include "csv_lines.h"

#include <string.h>

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

void tessel_csv_lines_begin(tessel_csv_lines *lines, const char *text, size_t size)
{
    lines->text = text;
    lines->size = size;
    lines->pos = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    lines->line_number = 0;
    lines->separator = 0;
}

/* A separator character outside double quotes in the line. */
static int has_separator(const char *line, size_t length, char separator)
{
    int quoted = 0;
    for (size_t i = 0; i < length; ++i) {
        if (line[i] == '"')
            quoted = !quoted;
        else if (!quoted && line[i] == separator)
            return 1;
    }
    return 0;
}

static char choose_separator(const char *line, size_t length)
{
    if (has_separator(line, length, ',')) return ',';
    if (has_separator(line, length, ';')) return ';';
    if (has_separator(line, length, '\t')) return '\t';
    return TESSEL_CSV_BLANKS;
}

int tessel_csv_next_line(tessel_csv_lines *lines, const char **line, size_t *length)
{
    while (lines->pos < lines->size) {
        const char *start = lines->text + lines->pos;
        const char *end = memchr(start, '\n', lines->size - lines->pos);
        size_t n = end ? (size_t)(end - start) : lines->size - lines->pos;
        lines->pos += n + (end ? 1 : 0);
        ++lines->line_number;
        if (n > 0 && start[n - 1] == '\r') --n;
        size_t first = 0;
        while (first < n && is_blank(start[first])) ++first;
        if (first == n || start[first] == '#') continue;
        if (!lines->separator) lines->separator = choose_separator(start, n);
        *line = start;
        *length = n;
        return 1;
    }
    return 0;
}

void tessel_csv_fields_begin(tessel_csv_fields *fields, const tessel_csv_lines *lines,
                             const char *line, size_t length)
{
    fields->line = line;
    fields->length = length;
    fields->pos = 0;
    fields->separator = lines->separator;
    fields->finished = 0;
}

/* Trims spaces (and tabs, unless they separate fields) and outer quotes. */
static void trim(const tessel_csv_fields *fields, const char **text, size_t *length)
{
    const char *t = *text;
    size_t n = *length;
    int tabs = fields->separator != '\t';
    while (n > 0 && (t[0] == ' ' || (tabs && t[0] == '\t'))) ++t, --n;
    while (n > 0 && (t[n - 1] == ' ' || (tabs && t[n - 1] == '\t'))) --n;
    if (n >= 2 && t[0] == '"' && t[n - 1] == '"') ++t, n -= 2;
    *text = t;
    *length = n;
}

static int next_blank_separated(tessel_csv_fields *f, const char **text, size_t *length)
{
    while (f->pos < f->length && is_blank(f->line[f->pos])) ++f->pos;
    if (f->pos >= f->length) return 0;
    size_t start = f->pos;
    int quoted = 0;
    while (f->pos < f->length && (quoted || !is_blank(f->line[f->pos])))
        if (f->line[f->pos++] == '"') quoted = !quoted;
    *text = f->line + start;
    *length = f->pos - start;
    trim(f, text, length);
    return 1;
}

int tessel_csv_next_field(tessel_csv_fields *f, const char **text, size_t *length)
{
    if (f->separator == TESSEL_CSV_BLANKS) return next_blank_separated(f, text, length);
    if (f->finished) return 0;
    size_t start = f->pos;
    int quoted = 0;
    while (f->pos < f->length && (quoted || f->line[f->pos] != f->separator))
        if (f->line[f->pos++] == '"') quoted = !quoted;
    *text = f->line + start;
    *length = f->pos - start;
    if (f->pos < f->length)
        ++f->pos; /* the separator */
    else
        f->finished = 1;
    trim(f, text, length);
    return 1;
}
