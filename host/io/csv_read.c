/* CSV and text files as an f32 matrix (one row per line) or as a signal
 * (one column). Only the first line may be a header, and only when no
 * cell of it is a number; numbers are read without the locale. Errors name the line and column (both 1-based). */
#include <stdlib.h>
#include <string.h>

#include "core/sizes.h"
#include "csv_lines.h"
#include "formats.h"
#include "number.h"

/* Growing array of the values read. */
typedef struct float_list {
    float *v;
    size_t count, capacity;
} float_list;

static int list_push(float_list *list, float v)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? 2 * list->capacity : 1024;
        size_t bytes;
        if (!tessel_size_product(capacity, sizeof(float), 1, &bytes)) return 0;
        float *grown = realloc(list->v, bytes);
        if (!grown) return 0;
        list->v = grown;
        list->capacity = capacity;
    }
    list->v[list->count++] = v;
    return 1;
}

typedef struct csv_reader {
    const char *path;
    tessel_csv_lines lines;
    float_list values;
} csv_reader;

static tessel_status cell_error(const csv_reader *r, size_t column, const char *text, size_t n,
                                tessel_number_kind kind)
{
    if (n == 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "line %zu, column %zu is empty",
                              r->lines.line_number, column + 1);
    int shown = n > 40 ? 40 : (int)n;
    return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "line %zu, column %zu: \"%.*s%s\" %s",
                          r->lines.line_number, column + 1, shown, text, n > 40 ? "..." : "",
                          kind == TESSEL_NUMBER_OUT_OF_RANGE
                              ? "is beyond the range of 32-bit floats"
                              : "is not a number");
}

static tessel_status ragged_error(const csv_reader *r, size_t got, size_t want, size_t first_line)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, r->path,
                          "line %zu has %zu columns, expected %zu like line %zu",
                          r->lines.line_number, got, want, first_line);
}

static tessel_status push(csv_reader *r, float v)
{
    if (list_push(&r->values, v)) return TESSEL_OK;
    return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, r->path, "out of memory at line %zu",
                          r->lines.line_number);
}

/* 1 when no field of the line is a number: a header. A line with any
 * number in it is data, so that a mistyped or empty cell is reported
 * rather than taken for a header and skipped. */
static int line_is_header(const tessel_csv_lines *lines, const char *line, size_t length)
{
    tessel_csv_fields fields;
    tessel_csv_fields_begin(&fields, lines, line, length);
    const char *text;
    size_t n;
    float v;
    while (tessel_csv_next_field(&fields, &text, &n))
        if (tessel_parse_number(text, n, &v) != TESSEL_NOT_A_NUMBER) return 0;
    return 1;
}

static size_t count_fields(const tessel_csv_lines *lines, const char *line, size_t length)
{
    tessel_csv_fields fields;
    tessel_csv_fields_begin(&fields, lines, line, length);
    const char *text;
    size_t n, count = 0;
    while (tessel_csv_next_field(&fields, &text, &n)) ++count;
    return count;
}

/* Reads every field of a data line as a number; *columns is set by the
 * first data line and checked against the others. */
static tessel_status read_matrix_line(csv_reader *r, const char *line, size_t length,
                                      size_t *columns, size_t *first_line)
{
    tessel_csv_fields fields;
    tessel_csv_fields_begin(&fields, &r->lines, line, length);
    const char *text;
    size_t n, count = 0;
    float v;
    while (tessel_csv_next_field(&fields, &text, &n)) {
        if (*columns && count >= *columns) {
            ++count;
            continue; /* only counted, for the message */
        }
        tessel_number_kind kind = tessel_parse_number(text, n, &v);
        if (kind != TESSEL_NUMBER_OK) return cell_error(r, count, text, n, kind);
        FORWARD_IF_ERROR(push(r, v));
        ++count;
    }
    if (!*columns) {
        *columns = count;
        *first_line = r->lines.line_number;
    }
    return count == *columns ? TESSEL_OK : ragged_error(r, count, *columns, *first_line);
}

static tessel_status read_matrix(csv_reader *r, size_t *rows, size_t *columns)
{
    const char *line;
    size_t length, first_line = 0;
    *rows = *columns = 0;
    if (!tessel_csv_next_line(&r->lines, &line, &length))
        return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "holds no numbers");
    if (line_is_header(&r->lines, line, length)) { /* skipped, but the rows must match it */
        *columns = count_fields(&r->lines, line, length);
        first_line = r->lines.line_number;
        if (!tessel_csv_next_line(&r->lines, &line, &length))
            return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "holds a header line but no data");
    }
    do {
        FORWARD_IF_ERROR(read_matrix_line(r, line, length, columns, &first_line));
        ++*rows;
    } while (tessel_csv_next_line(&r->lines, &line, &length));
    return TESSEL_OK;
}

static tessel_status finish(csv_reader *r, tessel_status status, size_t width, size_t height,
                            tessel_image *out)
{
    if (status == TESSEL_OK) status = tessel_io_check_pixels(r->path, width, height);
    if (status != TESSEL_OK) {
        free(r->values.v);
        return status;
    }
    *out = tessel_image_view(r->values.v, (int)width, (int)height, 1, TESSEL_F32);
    return TESSEL_OK;
}

tessel_status tessel_csv_read_image(const char *path, const char *text, size_t size,
                                    tessel_image *out)
{
    csv_reader r = {path, {0}, {0}};
    tessel_csv_lines_begin(&r.lines, text, size);
    tessel_c_numeric scope;
    FORWARD_IF_ERROR(tessel_c_numeric_enter(&scope, path));
    size_t rows, columns;
    tessel_status status = read_matrix(&r, &rows, &columns);
    tessel_c_numeric_leave(&scope);
    return finish(&r, status, columns, rows, out);
}

/* ------------------------------------------------------------------ signal */

typedef struct column_choice {
    size_t index;
    size_t columns; /* fields of the first line */
    int header;     /* 1 when the first line is a header */
} column_choice;

/* Writes the first line's fields, comma-separated and cut short, into buf. */
static void list_names(const tessel_csv_lines *lines, const char *line, size_t length, char *buf,
                       size_t size)
{
    tessel_csv_fields fields;
    tessel_csv_fields_begin(&fields, lines, line, length);
    const char *text;
    size_t n, used = 0;
    buf[0] = '\0';
    while (tessel_csv_next_field(&fields, &text, &n) && used + n + 8 < size) {
        memcpy(buf + used, used ? ", " : "", used ? 2 : 0);
        used += used ? 2 : 0;
        memcpy(buf + used, text, n);
        used += n;
        buf[used] = '\0';
    }
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static int equals_nocase(const char *a, size_t n, const char *b)
{
    if (strlen(b) != n) return 0;
    for (size_t i = 0; i < n; ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return 0;
    return 1;
}

/* Finds `column` among the first line's fields: exactly, else ignoring
 * ASCII case. Returns 1 when found. */
static int find_name(const tessel_csv_lines *lines, const char *line, size_t length,
                     const char *column, size_t *index)
{
    for (int pass = 0; pass < 2; ++pass) {
        tessel_csv_fields fields;
        tessel_csv_fields_begin(&fields, lines, line, length);
        const char *text;
        size_t n;
        for (size_t i = 0; tessel_csv_next_field(&fields, &text, &n); ++i) {
            int match = pass == 0 ? (strlen(column) == n && memcmp(text, column, n) == 0)
                                  : equals_nocase(text, n, column);
            if (match) {
                *index = i;
                return 1;
            }
        }
    }
    return 0;
}

/* A 0-based index written in decimal digits; 0 when it is not one. */
static int parse_index(const char *s, size_t *out)
{
    size_t v = 0, i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; ++i) {
        if (v > 100000000) return 0;
        v = v * 10 + (size_t)(s[i] - '0');
    }
    *out = v;
    return i > 0 && s[i] == '\0';
}

static tessel_status choose_column(csv_reader *r, const char *line, size_t length,
                                   const char *column, column_choice *choice)
{
    choice->columns = count_fields(&r->lines, line, length);
    choice->index = 0;
    /* names only come from a header: in "1,2" the column "1" is an index */
    int header = line_is_header(&r->lines, line, length);
    int named = column && header && find_name(&r->lines, line, length, column, &choice->index);
    if (column && !named && !parse_index(column, &choice->index)) {
        char names[200];
        list_names(&r->lines, line, length, names, sizeof names);
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, r->path, "no column named \"%s\" (%s%s)",
                              column, header ? "the header has: " : "the file has no header line",
                              header ? names : "");
    }
    if (choice->index >= choice->columns)
        return tessel_io_fail(TESSEL_ERR_INVALID_ARGUMENT, r->path,
                              "column index %zu is out of range: line %zu has %zu columns "
                              "(indices from 0)",
                              choice->index, r->lines.line_number, choice->columns);
    choice->header = header;
    return TESSEL_OK;
}

/* Reads the chosen cell of a data line, checking its column count. */
static tessel_status read_signal_line(csv_reader *r, const char *line, size_t length,
                                      const column_choice *choice, size_t first_line)
{
    tessel_csv_fields fields;
    tessel_csv_fields_begin(&fields, &r->lines, line, length);
    const char *text, *cell = NULL;
    size_t n, cell_length = 0, count = 0;
    for (; tessel_csv_next_field(&fields, &text, &n); ++count)
        if (count == choice->index) cell = text, cell_length = n;
    if (count != choice->columns) return ragged_error(r, count, choice->columns, first_line);
    float v;
    tessel_number_kind kind = tessel_parse_number(cell, cell_length, &v);
    if (kind != TESSEL_NUMBER_OK) return cell_error(r, choice->index, cell, cell_length, kind);
    return push(r, v);
}

static tessel_status read_column(csv_reader *r, const char *column)
{
    const char *line;
    size_t length;
    if (!tessel_csv_next_line(&r->lines, &line, &length))
        return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "holds no numbers");
    column_choice choice = {0, 0, 0};
    FORWARD_IF_ERROR(choose_column(r, line, length, column, &choice));
    size_t first_line = r->lines.line_number;
    if (choice.header && !tessel_csv_next_line(&r->lines, &line, &length))
        return tessel_io_fail(TESSEL_ERR_FORMAT, r->path, "holds a header line but no data");
    do {
        FORWARD_IF_ERROR(read_signal_line(r, line, length, &choice, first_line));
    } while (tessel_csv_next_line(&r->lines, &line, &length));
    return TESSEL_OK;
}

tessel_status tessel_csv_read_signal(const char *path, const char *text, size_t size,
                                     const char *column, tessel_image *out)
{
    csv_reader r = {path, {0}, {0}};
    tessel_csv_lines_begin(&r.lines, text, size);
    tessel_c_numeric scope;
    FORWARD_IF_ERROR(tessel_c_numeric_enter(&scope, path));
    tessel_status status = read_column(&r, column);
    tessel_c_numeric_leave(&scope);
    return finish(&r, status, r.values.count, 1, out);
}
