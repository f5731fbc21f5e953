/* Built-in kernel specs, NAME[:ARG[,ARG...]]: binding the arguments to one
 * kernel's parameters and reading their values. Each ARG is either key=value
 * or positional; positional arguments come first and fill the parameters in
 * the kernel's order. Names, keys and words match case-insensitively (ASCII
 * only, whatever the locale), and numbers are read without the C library's
 * locale, so "1.5" means one and a half under a decimal-comma locale too.
 *
 * Every failure is TESSEL_ERR_BAD_KERNEL with a message of the form
 * `KERNEL: PROBLEM in "SPEC"`. Messages never format doubles (printf would
 * use the locale's decimal point): values are quoted as the user wrote them. */
#ifndef TESSEL_CORE_SPEC_H
#define TESSEL_CORE_SPEC_H

#include <stddef.h>

#include "error.h"
#include "tessel/tessel.h"

/* Most parameters one kernel takes. */
#define TESSEL_SPEC_MAX_PARAMS 4

typedef struct tessel_spec {
    const char *text;        /* the whole spec, quoted in messages */
    const char *kernel;      /* canonical kernel name, the prefix of messages */
    const char *const *keys; /* parameter names in positional order, NULL-terminated */
    int key_count;
    const char *value[TESSEL_SPEC_MAX_PARAMS]; /* text of each parameter, NULL if absent */
    size_t value_length[TESSEL_SPEC_MAX_PARAMS];
} tessel_spec;

/* How a size parameter may be written. */
typedef enum tessel_spec_shape {
    TESSEL_SPEC_SQUARE = 0, /* N only */
    TESSEL_SPEC_RECT = 1    /* N or WxH */
} tessel_spec_shape;

/* 1 when the `length` characters at `text` equal `word`, ignoring ASCII case. */
int tessel_spec_equals(const char *text, size_t length, const char *word);

/* Writes `"text"` into buf, cut to a readable length with "..." when long. */
const char *tessel_spec_quote(char *buf, size_t size, const char *text, size_t length);

/* Binds the arguments after text[name_length] (':' or the end) to `keys`
 * (at most TESSEL_SPEC_MAX_PARAMS, NULL-terminated). */
tessel_status tessel_spec_bind(tessel_spec *spec, const char *text, size_t name_length,
                               const char *kernel, const char *const *keys);

/* Records `KERNEL: PROBLEM in "SPEC"` and returns TESSEL_ERR_BAD_KERNEL. */
tessel_status tessel_spec_fail(const tessel_spec *spec, const char *fmt, ...)
    TESSEL_PRINTF(2, 3);

/* Fails with `KEY PROBLEM (got VALUE)`, VALUE as written in the spec. */
tessel_status tessel_spec_fail_value(const tessel_spec *spec, int param, const char *problem);

int tessel_spec_given(const tessel_spec *spec, int param);

/* A finite real number; *out = fallback when the parameter is absent. */
tessel_status tessel_spec_real(const tessel_spec *spec, int param, double fallback, double *out);

/* A size of 1..TESSEL_MAX_KERNEL_SIDE per side; *width and *height are left
 * as they are (the defaults) when the parameter is absent. */
tessel_status tessel_spec_size(const tessel_spec *spec, int param, tessel_spec_shape shape,
                               int *width, int *height);

/* The index of the value among `choices` (NULL-terminated); when absent,
 * fallback, or a "missing" failure when fallback is negative. */
tessel_status tessel_spec_choice(const tessel_spec *spec, int param, const char *const *choices,
                                 int fallback, int *out);

#endif
