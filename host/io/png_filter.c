/* PNG row filters on the encoding side, where every output byte depends
 * only on the unfiltered rows, so each loop vectorises. */
#include "png_filter.h"

#include <stdlib.h>

/* abs() of a byte read as signed: what a filtered byte costs. */
static unsigned long cost_of(uint8_t v)
{
    return v < 128 ? v : 256u - v;
}

static unsigned long filter_none(const uint8_t *row, size_t n, uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < n; ++i) {
        out[i] = row[i];
        cost += cost_of(out[i]);
    }
    return cost;
}

static unsigned long filter_sub(const uint8_t *row, size_t n, size_t bpp, uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < bpp && i < n; ++i) {
        out[i] = row[i];
        cost += cost_of(out[i]);
    }
    for (size_t i = bpp; i < n; ++i) {
        out[i] = (uint8_t)(row[i] - row[i - bpp]);
        cost += cost_of(out[i]);
    }
    return cost;
}

static unsigned long filter_up(const uint8_t *row, const uint8_t *up, size_t n, uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < n; ++i) {
        out[i] = (uint8_t)(row[i] - up[i]);
        cost += cost_of(out[i]);
    }
    return cost;
}

static unsigned long filter_average(const uint8_t *row, const uint8_t *up, size_t n, size_t bpp,
                               uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < bpp && i < n; ++i) {
        out[i] = (uint8_t)(row[i] - (up[i] >> 1));
        cost += cost_of(out[i]);
    }
    for (size_t i = bpp; i < n; ++i) {
        out[i] = (uint8_t)(row[i] - ((row[i - bpp] + up[i]) >> 1));
        cost += cost_of(out[i]);
    }
    return cost;
}

/* The Paeth predictor, without branches so that the loop vectorises. */
static uint8_t paeth(int a, int b, int c)
{
    int pa = abs(b - c), pb = abs(a - c), pc = abs(a + b - 2 * c);
    int ab = pb < pa ? b : a;
    int pab = pb < pa ? pb : pa;
    return (uint8_t)(pc < pab ? c : ab);
}

static unsigned long filter_paeth(const uint8_t *row, const uint8_t *up, size_t n, size_t bpp,
                             uint8_t *out)
{
    unsigned long cost = 0;
    for (size_t i = 0; i < bpp && i < n; ++i) {
        out[i] = (uint8_t)(row[i] - up[i]); /* a = c = 0: Paeth predicts b */
        cost += cost_of(out[i]);
    }
    for (size_t i = bpp; i < n; ++i) {
        out[i] = (uint8_t)(row[i] - paeth(row[i - bpp], up[i], up[i - bpp]));
        cost += cost_of(out[i]);
    }
    return cost;
}

unsigned long tessel_png_filter_row(tessel_png_filter type, const uint8_t *row, const uint8_t *up,
                               size_t n, size_t bpp, uint8_t *out)
{
    switch (type) {
    case TESSEL_PNG_FILTER_SUB: return filter_sub(row, n, bpp, out);
    case TESSEL_PNG_FILTER_UP: return filter_up(row, up, n, out);
    case TESSEL_PNG_FILTER_AVERAGE: return filter_average(row, up, n, bpp, out);
    case TESSEL_PNG_FILTER_PAETH: return filter_paeth(row, up, n, bpp, out);
    default: return filter_none(row, n, out);
    }
}
