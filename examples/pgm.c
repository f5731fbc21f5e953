/* Binary PGM (P5) with maxval 255: "P5", width, height, maxval, separated by
 * whitespace (with optional # comments), one whitespace byte, then pixels. */
#include "pgm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/* Next header number, skipping whitespace and # comments; -1 if none. */
static long read_header_number(FILE *f)
{
    int c = fgetc(f);
    while (c == '#' || isspace(c)) {
        if (c == '#')
            while (c != '\n' && c != EOF) c = fgetc(f);
        c = fgetc(f);
    }
    if (!isdigit(c)) return -1;
    long value = 0;
    while (isdigit(c) && value < 1000000) {
        value = value * 10 + (c - '0');
        c = fgetc(f);
    }
    /* The single whitespace byte after the last number ends the header. */
    return isspace(c) ? value : -1;
}

int pgm_read(const char *path, uint8_t **pixels, int *width, int *height)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    long w = -1, h = -1, maxval = -1;
    if (fgetc(f) == 'P' && fgetc(f) == '5') {
        w = read_header_number(f);
        h = read_header_number(f);
        maxval = read_header_number(f);
    }
    if (w <= 0 || h <= 0 || w > 65535 || h > 65535 || maxval != 255) {
        fprintf(stderr, "%s: not an 8-bit binary PGM (P5, maxval 255)\n", path);
        fclose(f);
        return -1;
    }
    size_t n = (size_t)w * (size_t)h;
    uint8_t *data = malloc(n);
    if (!data || fread(data, 1, n, f) != n) {
        fprintf(stderr, "%s: %s\n", path, data ? "file is truncated" : "out of memory");
        free(data);
        fclose(f);
        return -1;
    }
    fclose(f);
    *pixels = data;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

int pgm_write(const char *path, const uint8_t *pixels, int width, int height)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t n = (size_t)width * (size_t)height;
    int ok = fprintf(f, "P5\n%d %d\n255\n", width, height) > 0 &&
             fwrite(pixels, 1, n, f) == n;
    /* fclose flushes: a full disk shows up here, not in fwrite. */
    if (fclose(f) != 0) ok = 0;
    if (!ok) {
        remove(path); /* no half-written file left behind */
        fprintf(stderr, "%s: could not write the image\n", path);
        return -1;
    }
    return 0;
}
