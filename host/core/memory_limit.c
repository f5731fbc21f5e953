/* TESSEL_DEVICE_MEMORY_LIMIT's syntax, and byte counts for messages. */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memory_limit.h"
#include "sizes.h"

/* Power of 1024 of a suffix letter, -1 when it is not one. */
static int suffix_power(char c)
{
    const char *letters = "KMGT";
    const char *p = strchr(letters, toupper((unsigned char)c));
    return c && p ? (int)(p - letters) + 1 : -1;
}

/* The text after the number: "", "K", "KB", "KiB" (and M, G, T); "B". */
static int parse_suffix(const char *s, int *power)
{
    *power = 0;
    if (*s == '\0') return 1;
    if (toupper((unsigned char)*s) == 'B') return s[1] == '\0';
    *power = suffix_power(*s);
    if (*power < 0) return 0;
    ++s;
    if (*s == 'i' || *s == 'I') ++s;
    if (toupper((unsigned char)*s) == 'B') ++s;
    return *s == '\0';
}

tessel_status tessel_memory_limit_parse(const char *text, size_t *bytes, char *err,
                                        size_t err_size)
{
    *bytes = 0;
    if (!text || !*text) return TESSEL_OK;
    const char *s = text;
    unsigned long long value = 0;
    int digits = 0, overflow = 0;
    for (; isdigit((unsigned char)*s); ++s, ++digits) {
        if (value > (ULLONG_MAX - 9) / 10) overflow = 1;
        else value = value * 10 + (unsigned long long)(*s - '0');
    }
    int power = 0;
    int ok = digits > 0 && !overflow && parse_suffix(s, &power) && value > 0 && value <= SIZE_MAX;
    size_t limit = (size_t)value;
    for (int p = 0; ok && p < power; ++p) ok = tessel_size_product(limit, 1024, 1, &limit);
    if (!ok) {
        snprintf(err, err_size,
                 "TESSEL_DEVICE_MEMORY_LIMIT=\"%.40s\" is not a size in bytes greater than 0 "
                 "(examples: 268435456, 512M, 2G)",
                 text);
        return TESSEL_ERR_INVALID_ARGUMENT;
    }
    *bytes = limit;
    return TESSEL_OK;
}

const char *tessel_bytes_text(size_t bytes, char *buf, size_t size)
{
    if (bytes >= ((size_t)1 << 20))
        snprintf(buf, size, "%zu MiB", bytes >> 20);
    else if (bytes >= 1024)
        snprintf(buf, size, "%zu KiB", bytes >> 10);
    else
        snprintf(buf, size, "%zu bytes", bytes);
    return buf;
}
