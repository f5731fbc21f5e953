/* Built-in kernel specs: argument binding and locale-free value reading. */
#include "spec.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "kernel.h"

/* Characters of the spec, and of one value, quoted in a message. */
#define SPEC_QUOTE_MAX 120
#define VALUE_QUOTE_MAX 40

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int tessel_spec_equals(const char *text, size_t length, const char *word)
{
    if (strlen(word) != length) return 0;
    for (size_t i = 0; i < length; ++i)
        if (ascii_lower(text[i]) != ascii_lower(word[i])) return 0;
    return 1;
}

const char *tessel_spec_quote(char *buf, size_t size, const char *text, size_t length)
{
    int shown = length > SPEC_QUOTE_MAX ? SPEC_QUOTE_MAX : (int)length;
    snprintf(buf, size, "\"%.*s%s\"", shown, text, length > SPEC_QUOTE_MAX ? "..." : "");
    return buf;
}

tessel_status tessel_spec_fail(const tessel_spec *spec, const char *fmt, ...)
{
    char problem[256], quoted[SPEC_QUOTE_MAX + 8];
    va_list args;
    va_start(args, fmt);
    vsnprintf(problem, sizeof problem, fmt, args);
    va_end(args);
    tessel_spec_quote(quoted, sizeof quoted, spec->text, strlen(spec->text));
    return tessel_fail(NULL, TESSEL_ERR_BAD_KERNEL, "%s: %s in %s", spec->kernel, problem, quoted);
}

tessel_status tessel_spec_fail_value(const tessel_spec *spec, int param, const char *problem)
{
    size_t n = spec->value_length[param];
    int shown = n > VALUE_QUOTE_MAX ? VALUE_QUOTE_MAX : (int)n;
    return tessel_spec_fail(spec, "%s %s (got %.*s%s)", spec->keys[param], problem, shown,
                            spec->value[param], n > VALUE_QUOTE_MAX ? "..." : "");
}

int tessel_spec_given(const tessel_spec *spec, int param)
{
    return spec->value[param] != NULL;
}

/* ---------------------------------------------------------------- binding */

static void join_words(char *buf, size_t size, const char *const *words)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; words[i] && used < size; ++i) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", words[i]);
        if (n < 0) break;
        used += (size_t)n;
    }
}

static int find_key(const tessel_spec *spec, const char *key, size_t length)
{
    for (int p = 0; p < spec->key_count; ++p)
        if (tessel_spec_equals(key, length, spec->keys[p])) return p;
    return -1;
}

static tessel_status bind_keyed(tessel_spec *spec, const char *arg, size_t length,
                                const char *equals)
{
    size_t key_length = (size_t)(equals - arg), value_length = length - key_length - 1;
    char quoted[SPEC_QUOTE_MAX + 8], keys[128];
    tessel_spec_quote(quoted, sizeof quoted, arg, length);
    if (key_length == 0) return tessel_spec_fail(spec, "argument %s has no key", quoted);
    int p = find_key(spec, arg, key_length);
    if (p < 0) {
        join_words(keys, sizeof keys, spec->keys);
        tessel_spec_quote(quoted, sizeof quoted, arg, key_length);
        return tessel_spec_fail(spec, "unknown key %s (keys: %s)", quoted, keys);
    }
    if (value_length == 0) return tessel_spec_fail(spec, "argument %s has no value", quoted);
    if (spec->value[p]) return tessel_spec_fail(spec, "%s given twice", spec->keys[p]);
    spec->value[p] = equals + 1;
    spec->value_length[p] = value_length;
    return TESSEL_OK;
}

static tessel_status bind_positional(tessel_spec *spec, const char *arg, size_t length,
                                     int position, int after_keyed)
{
    char quoted[SPEC_QUOTE_MAX + 8], keys[128];
    tessel_spec_quote(quoted, sizeof quoted, arg, length);
    if (after_keyed)
        return tessel_spec_fail(spec, "positional argument %s after key=value arguments",
                                quoted);
    if (position >= spec->key_count) {
        join_words(keys, sizeof keys, spec->keys);
        return tessel_spec_fail(spec, "too many arguments at %s (takes at most %d: %s)", quoted,
                                spec->key_count, keys);
    }
    spec->value[position] = arg;
    spec->value_length[position] = length;
    return TESSEL_OK;
}

tessel_status tessel_spec_bind(tessel_spec *spec, const char *text, size_t name_length,
                               const char *kernel, const char *const *keys)
{
    memset(spec, 0, sizeof *spec);
    spec->text = text;
    spec->kernel = kernel;
    spec->keys = keys;
    while (spec->key_count < TESSEL_SPEC_MAX_PARAMS && keys[spec->key_count]) ++spec->key_count;

    const char *arg = text + name_length;
    if (*arg == '\0') return TESSEL_OK;
    ++arg; /* the ':' */
    if (*arg == '\0') return tessel_spec_fail(spec, "nothing after ':'");
    int positional = 0, keyed = 0;
    for (;;) {
        size_t length = strcspn(arg, ",");
        if (length == 0)
            return tessel_spec_fail(spec, "empty argument (a doubled or trailing ',')");
        const char *equals = memchr(arg, '=', length);
        if (equals) {
            FORWARD_IF_ERROR(bind_keyed(spec, arg, length, equals));
            keyed = 1;
        } else {
            FORWARD_IF_ERROR(bind_positional(spec, arg, length, positional++, keyed));
        }
        if (arg[length] == '\0') return TESSEL_OK;
        arg += length + 1;
    }
}

/* ---------------------------------------------------------------- numbers */

/* Powers of ten that doubles hold exactly. */
static const double exact_tens[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                    1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                    1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#define EXACT_TENS_MAX 22

/* mantissa * 10^exponent. Correctly rounded when the mantissa fits 53 bits
 * and |exponent| <= 22 (one exact operation): every value a person writes
 * for a kernel with up to 15 significant digits. Within an ulp or two
 * beyond, which no kernel parameter can tell apart. */
static double scale_decimal(uint64_t mantissa, long exponent)
{
    if (mantissa == 0) return 0.0;
    while (mantissa % 10 == 0) { /* "0.50000000000000000000" is 5e-1, exactly */
        mantissa /= 10;
        ++exponent;
    }
    if (mantissa <= (UINT64_C(1) << 53) && labs(exponent) <= EXACT_TENS_MAX)
        return exponent >= 0 ? (double)mantissa * exact_tens[exponent]
                             : (double)mantissa / exact_tens[-exponent];
    if (exponent > 400) return HUGE_VAL;
    if (exponent < -400) return 0.0;
    return (double)mantissa * pow(10.0, (double)exponent);
}

/* Reads the exponent part "e[+-]digits" at p[*i]; 0 when malformed. */
static int parse_exponent(const char *p, size_t n, size_t *i, long *exponent)
{
    int negative = 0;
    long e = 0;
    ++*i;
    if (*i < n && (p[*i] == '+' || p[*i] == '-')) negative = p[(*i)++] == '-';
    size_t start = *i;
    for (; *i < n && p[*i] >= '0' && p[*i] <= '9'; ++*i)
        if (e < 100000) e = e * 10 + (p[*i] - '0'); /* beyond that it is 0 or infinite anyway */
    if (*i == start) return 0;
    *exponent += negative ? -e : e;
    return 1;
}

/* Reads [+-](digits[.digits]|.digits)[(e|E)[+-]digits], the whole slice.
 * Returns 0 when the text is not such a number. */
static int parse_decimal(const char *p, size_t n, double *out)
{
    size_t i = 0;
    int negative = 0, point = 0, digits = 0, kept = 0;
    uint64_t mantissa = 0;
    long exponent = 0;
    if (i < n && (p[i] == '+' || p[i] == '-')) negative = p[i++] == '-';
    for (; i < n; ++i) {
        if (p[i] == '.' && !point) {
            point = 1;
            continue;
        }
        if (p[i] < '0' || p[i] > '9') break;
        ++digits;
        if (mantissa == 0 && p[i] == '0') {
            exponent -= point; /* leading zeros only move the point */
        } else if (kept < 19) {
            mantissa = mantissa * 10 + (uint64_t)(p[i] - '0');
            ++kept;
            exponent -= point;
        } else {
            exponent += !point; /* digits past 19 only matter by their count */
        }
    }
    if (digits == 0) return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E') && !parse_exponent(p, n, &i, &exponent)) return 0;
    if (i != n) return 0;
    double v = scale_decimal(mantissa, exponent);
    *out = negative ? -v : v;
    return 1;
}

static int names_non_finite(const char *p, size_t n)
{
    if (n > 0 && (p[0] == '+' || p[0] == '-')) {
        ++p;
        --n;
    }
    return tessel_spec_equals(p, n, "inf") || tessel_spec_equals(p, n, "infinity") ||
           tessel_spec_equals(p, n, "nan");
}

tessel_status tessel_spec_real(const tessel_spec *spec, int param, double fallback, double *out)
{
    const char *p = spec->value[param];
    size_t n = spec->value_length[param];
    if (!p) {
        *out = fallback;
        return TESSEL_OK;
    }
    double v;
    if (!parse_decimal(p, n, &v)) {
        if (names_non_finite(p, n)) return tessel_spec_fail_value(spec, param, "must be finite");
        return tessel_spec_fail_value(spec, param, "is not a number");
    }
    if (!isfinite(v)) return tessel_spec_fail_value(spec, param, "must be finite");
    *out = v;
    return TESSEL_OK;
}

/* ------------------------------------------------------------------ sizes */

/* Reads a whole number of decimal digits, saturating far above any kernel
 * side. Returns 0 when the slice is not all digits. */
static int parse_count(const char *p, size_t n, long *out)
{
    long v = 0;
    if (n == 0) return 0;
    for (size_t i = 0; i < n; ++i) {
        if (p[i] < '0' || p[i] > '9') return 0;
        if (v <= 100L * TESSEL_MAX_KERNEL_SIDE) v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

static const char *find_times(const char *p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (p[i] == 'x' || p[i] == 'X') return p + i;
    return NULL;
}

tessel_status tessel_spec_size(const tessel_spec *spec, int param, tessel_spec_shape shape,
                               int *width, int *height)
{
    const char *p = spec->value[param];
    size_t n = spec->value_length[param];
    if (!p) return TESSEL_OK;
    const char *times = find_times(p, n);
    if (times && shape == TESSEL_SPEC_SQUARE)
        return tessel_spec_fail_value(spec, param, "takes one number N, not WxH");
    size_t first = times ? (size_t)(times - p) : n;
    long w, h;
    int ok = parse_count(p, first, &w);
    if (ok && times) ok = parse_count(times + 1, n - first - 1, &h);
    else h = w;
    if (!ok)
        return tessel_spec_fail_value(spec, param,
                                      shape == TESSEL_SPEC_RECT ? "must be N or WxH (whole numbers)"
                                                                : "must be a whole number");
    if (w < 1 || h < 1 || w > TESSEL_MAX_KERNEL_SIDE || h > TESSEL_MAX_KERNEL_SIDE) {
        char problem[64];
        snprintf(problem, sizeof problem, "must be between 1 and %d per side",
                 TESSEL_MAX_KERNEL_SIDE);
        return tessel_spec_fail_value(spec, param, problem);
    }
    *width = (int)w;
    *height = (int)h;
    return TESSEL_OK;
}

/* ---------------------------------------------------------------- choices */

tessel_status tessel_spec_choice(const tessel_spec *spec, int param, const char *const *choices,
                                 int fallback, int *out)
{
    char list[128];
    join_words(list, sizeof list, choices);
    if (!spec->value[param]) {
        if (fallback < 0)
            return tessel_spec_fail(spec, "missing %s (one of %s)", spec->keys[param], list);
        *out = fallback;
        return TESSEL_OK;
    }
    for (int c = 0; choices[c]; ++c) {
        if (tessel_spec_equals(spec->value[param], spec->value_length[param], choices[c])) {
            *out = c;
            return TESSEL_OK;
        }
    }
    char problem[160];
    snprintf(problem, sizeof problem, "must be one of %s", list);
    return tessel_spec_fail_value(spec, param, problem);
}
