/* Numbers in text files, read and written with a decimal point whatever
 * locale the application set: both run under the "C" locale, switched for
 * the calling thread only (uselocale), between enter and leave. */
#ifndef TESSEL_IO_NUMBER_H
#define TESSEL_IO_NUMBER_H

#include <locale.h>
#include <stddef.h>

#include "tessel/tessel.h"

typedef struct tessel_c_numeric {
    locale_t previous;
} tessel_c_numeric;

/* Switches this thread to the C locale; fails only when out of memory. */
tessel_status tessel_c_numeric_enter(tessel_c_numeric *scope, const char *path);
void tessel_c_numeric_leave(tessel_c_numeric *scope);

typedef enum tessel_number_kind {
    TESSEL_NUMBER_OK = 0,
    TESSEL_NOT_A_NUMBER = 1,
    TESSEL_NUMBER_OUT_OF_RANGE = 2 /* finite, but beyond the largest float */
} tessel_number_kind;

/* Reads the whole `length` characters as a float: [+-]digits with an
 * optional point and exponent, or inf/infinity/nan (any case). */
tessel_number_kind tessel_parse_number(const char *text, size_t length, float *out);

/* Writes the shortest decimal that reads back as exactly v. */
void tessel_format_float(char *buf, size_t size, float v);

#endif
