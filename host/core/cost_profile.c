/* The text of a cost profile: writing and strict parsing (format in
 * cost_profile.h). */
#include "cost_profile.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"

#define MAGIC_LINE "tessel cost profile 2"
#define CHECKSUM_WORD "checksum "


/* An unoptimised (debug) build measures slower constants: its profiles
 * carry their own backend name, so an optimised build never reads them. */
#ifdef __OPTIMIZE__
#define BUILD_SUFFIX ""
#else
#define BUILD_SUFFIX "-unoptimised"
#endif

tessel_cost_key tessel_cost_key_of(const tessel_context *ctx)
{
    tessel_cost_key key = {"", ctx->device_name, ctx->threads};
    snprintf(key.backend, sizeof key.backend, "%s%s", ctx->ops->name, BUILD_SUFFIX);
    return key;
}

uint64_t tessel_cost_checksum(const char *text, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a 64 */
    for (size_t i = 0; i < n; ++i) h = (h ^ (unsigned char)text[i]) * 0x100000001b3ull;
    return h;
}

/* Appends to out[*used..size); sets *used past size when it does not fit. */
static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
    TESSEL_PRINTF(4, 5);

static void append(char *out, size_t size, size_t *used, const char *fmt, ...)
{
    if (*used >= size) return;
    va_list args;
    va_start(args, fmt);
    int n = vsnprintf(out + *used, size - *used, fmt, args);
    va_end(args);
    *used = n < 0 ? size : *used + (size_t)n;
}

size_t tessel_cost_profile_format(const tessel_cost_key *key, const tessel_cost_constants *k,
                                  char *out, size_t size)
{
    size_t used = 0;
    append(out, size, &used, "%s\nbackend %s\ndevice %s\nthreads %d\n", MAGIC_LINE,
           key->backend, key->device, key->threads);
    for (int m = 0; m < TESSEL_COST_METHODS; ++m) {
        append(out, size, &used, "%s", tessel_method_name(tessel_cost_method(m)));
        for (int t = 0; t < TESSEL_COST_TERMS; ++t) append(out, size, &used, " %.9g", k->c[m][t]);
        append(out, size, &used, "\n");
    }
    if (used >= size) return 0;
    const size_t body = used;
    append(out, size, &used, "%s%016llx\n", CHECKSUM_WORD,
           (unsigned long long)tessel_cost_checksum(out, body));
    return used < size ? used : 0;
}

/* A cursor over the text, one line at a time. */
typedef struct lines {
    const char *p, *end;
} lines;

/* The next line (without its '\n') into out; 0 at the end, or when the
 * line is unterminated, too long or holds a NUL. */
static int next_line(lines *l, char *out, size_t size)
{
    const char *nl = memchr(l->p, '\n', (size_t)(l->end - l->p));
    if (!nl) return 0;
    size_t n = (size_t)(nl - l->p);
    if (n >= size || memchr(l->p, '\0', n)) return 0;
    memcpy(out, l->p, n);
    out[n] = '\0';
    l->p = nl + 1;
    return 1;
}

/* "WORD REST": 1 when line starts with word and a space, *rest after it. */
static int keyed(const char *line, const char *word, const char **rest)
{
    size_t n = strlen(word);
    if (strncmp(line, word, n) != 0 || line[n] != ' ') return 0;
    *rest = line + n + 1;
    return 1;
}

/* "NAME C0 C1 C2 C3": every number finite and >= 0, nothing else. */
static int parse_constants(const char *line, const char *name, double c[TESSEL_COST_TERMS])
{
    const char *p;
    if (!keyed(line, name, &p)) return 0;
    for (int t = 0; t < TESSEL_COST_TERMS; ++t) {
        char *end;
        if (*p == ' ' || *p == '\0') return 0; /* exactly one space between numbers */
        c[t] = strtod(p, &end);
        if (end == p || !isfinite(c[t]) || c[t] < 0.0) return 0;
        if (t + 1 < TESSEL_COST_TERMS && *end != ' ') return 0;
        p = end + (t + 1 < TESSEL_COST_TERMS);
    }
    return *p == '\0';
}

#define WHY(...) (snprintf(why, why_size, __VA_ARGS__), 0)

static int parse_key(lines *l, const tessel_cost_key *key, char *why, size_t why_size)
{
    char line[256];
    const char *rest;
    if (!next_line(l, line, sizeof line) || strcmp(line, MAGIC_LINE) != 0)
        return WHY("not a tessel cost profile of this version");
    if (!next_line(l, line, sizeof line) || !keyed(line, "backend", &rest))
        return WHY("no backend line");
    if (strcmp(rest, key->backend) != 0) return WHY("made for backend %s", rest);
    if (!next_line(l, line, sizeof line) || !keyed(line, "device", &rest))
        return WHY("no device line");
    if (strcmp(rest, key->device) != 0) return WHY("made for device \"%.100s\"", rest);
    char expected[32];
    snprintf(expected, sizeof expected, "threads %d", key->threads);
    if (!next_line(l, line, sizeof line) || strncmp(line, "threads ", 8) != 0)
        return WHY("no threads line");
    if (strcmp(line, expected) != 0) return WHY("made for %.40s", line);
    return 1;
}

int tessel_cost_profile_parse(const tessel_cost_key *key, const char *text, size_t n,
                              tessel_cost_constants *k, char *why, size_t why_size)
{
    lines l = {text, text + n};
    if (!parse_key(&l, key, why, why_size)) return 0;
    char line[256];
    tessel_cost_constants read;
    for (int m = 0; m < TESSEL_COST_METHODS; ++m)
        if (!next_line(&l, line, sizeof line) ||
            !parse_constants(line, tessel_method_name(tessel_cost_method(m)), read.c[m]))
            return WHY("the %s line is missing or malformed",
                       tessel_method_name(tessel_cost_method(m)));
    const size_t body = (size_t)(l.p - text);
    const char *rest;
    char *end;
    if (!next_line(&l, line, sizeof line) || !keyed(line, "checksum", &rest) ||
        strlen(rest) != 16)
        return WHY("no checksum line");
    unsigned long long sum = strtoull(rest, &end, 16);
    if (*end != '\0' || sum != tessel_cost_checksum(text, body))
        return WHY("the checksum does not match");
    if (l.p != l.end) return WHY("text after the checksum");
    *k = read;
    return 1;
}
