/* Lines and fields of CSV and text files. Lines end with LF or CRLF; blank
 * lines and lines starting with '#' are skipped; a UTF-8 byte-order mark
 * is ignored. Fields are separated by commas, semicolons, tabs, or runs of
 * spaces and tabs, whichever the first line uses (in that order of
 * preference); spaces around a field and double quotes around it are
 * removed. */
#ifndef TESSEL_IO_CSV_LINES_H
#define TESSEL_IO_CSV_LINES_H

#include <stddef.h>

#define TESSEL_CSV_BLANKS ' ' /* the separator value meaning "runs of spaces and tabs" */

typedef struct tessel_csv_lines {
    const char *text;
    size_t size, pos;
    size_t line_number; /* 1-based number of the line last returned */
    char separator;     /* chosen from the first line */
} tessel_csv_lines;

void tessel_csv_lines_begin(tessel_csv_lines *lines, const char *text, size_t size);

/* The next line with content, without its line end; 0 at the end of the
 * text. The first call also chooses the separator. */
int tessel_csv_next_line(tessel_csv_lines *lines, const char **line, size_t *length);

typedef struct tessel_csv_fields {
    const char *line;
    size_t length, pos;
    char separator;
    int finished;
} tessel_csv_fields;

void tessel_csv_fields_begin(tessel_csv_fields *fields, const tessel_csv_lines *lines,
                             const char *line, size_t length);

/* The next field (possibly empty); 0 when the line has no more. */
int tessel_csv_next_field(tessel_csv_fields *fields, const char **text, size_t *length);

#endif
