/* Locale-independent numbers for CSV and text files. The conversions are the
 * C library's (correctly rounded both ways) under a "C" locale made once. */
#include "number.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

/* Longer cells are not numbers anyone writes. */
#define NUMBER_MAX_CHARS 320

static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static locale_t c_locale = (locale_t)0; /* lives as long as the process */

static void make_c_locale(void)
{
    c_locale = newlocale(LC_ALL_MASK, "C", (locale_t)0);
}

tessel_status tessel_c_numeric_enter(tessel_c_numeric *scope, const char *path)
{
    pthread_once(&c_locale_once, make_c_locale);
    if (c_locale == (locale_t)0)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "cannot create the C locale");
    scope->previous = uselocale(c_locale);
    return TESSEL_OK;
}

void tessel_c_numeric_leave(tessel_c_numeric *scope)
{
    uselocale(scope->previous);
}

static int is_number_char(char c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E';
}

/* inf, infinity, nan, any case, with an optional sign. */
static int is_special(const char *t, size_t n)
{
    if (n > 0 && (t[0] == '+' || t[0] == '-')) {
        ++t;
        --n;
    }
    const char *words[] = {"inf", "infinity", "nan"};
    for (size_t w = 0; w < 3; ++w) {
        if (strlen(words[w]) != n) continue;
        size_t i = 0;
        while (i < n && (t[i] | 0x20) == words[w][i]) ++i;
        if (i == n) return 1;
    }
    return 0;
}

tessel_number_kind tessel_parse_number(const char *text, size_t length, float *out)
{
    if (length == 0 || length > NUMBER_MAX_CHARS) return TESSEL_NOT_A_NUMBER;
    int plain = 1;
    for (size_t i = 0; i < length && plain; ++i) plain = is_number_char(text[i]);
    int special = !plain && is_special(text, length);
    if (!plain && !special) return TESSEL_NOT_A_NUMBER; /* no hex, no spaces */
    char buf[NUMBER_MAX_CHARS + 1];
    memcpy(buf, text, length);
    buf[length] = '\0';
    char *end;
    errno = 0;
    float v = strtof(buf, &end); /* straight to float: no double rounding */
    if (end != buf + length) return TESSEL_NOT_A_NUMBER;
    if (errno == ERANGE && isinf(v) && !special) return TESSEL_NUMBER_OUT_OF_RANGE;
    *out = v;
    return TESSEL_NUMBER_OK;
}

void tessel_format_float(char *buf, size_t size, float v)
{
    for (int digits = 6; digits < 9; ++digits) {
        snprintf(buf, size, "%.*g", digits, (double)v);
        if (strtof(buf, NULL) == v) return;
    }
    snprintf(buf, size, "%.9g", (double)v); /* 9 digits always read back exactly */
}
