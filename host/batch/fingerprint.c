/* The fingerprint of what makes a run's outputs (see run.h): 64-bit FNV-1a
 * over each setting written out field by field (never a struct's bytes,
 * whose padding is undefined), defaults made explicit so that a default
 * left at 0 and the same value given count alike. */
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define FNV_OFFSET 0xcbf29ce484222325u
#define FNV_PRIME 0x100000001b3u
/* Changes when what is hashed changes: older outputs are then redone. */
#define FINGERPRINT_VERSION 1

static void mix_bytes(uint64_t *h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; ++i) *h = (*h ^ p[i]) * FNV_PRIME;
}

static void mix_int(uint64_t *h, int64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = (unsigned char)((uint64_t)v >> (8 * i));
    mix_bytes(h, b, sizeof b);
}

static void mix_double(uint64_t *h, double v)
{
    int64_t bits;
    if (v == 0.0) v = 0.0; /* -0 and +0 alike */
    memcpy(&bits, &v, sizeof bits);
    mix_int(h, bits);
}

/* The built-in filter: its kernel's size and coefficients. */
static void mix_kernel(uint64_t *h, const tessel_kernel *k)
{
    int w = tessel_kernel_width(k), kh = tessel_kernel_height(k);
    size_t n = (size_t)w * (size_t)kh;
    float *c = malloc(n * sizeof *c);
    mix_int(h, w);
    mix_int(h, kh);
    if (c && tessel_kernel_coefficients(k, c, n) == TESSEL_OK)
        for (size_t i = 0; i < n; ++i) mix_double(h, c[i]);
    else
        mix_int(h, -1); /* unknown coefficients: a fingerprint no output has */
    free(c);
}

static void mix_conv(uint64_t *h, const tessel_conv_options *o)
{
    mix_int(h, o->mode);
    mix_int(h, o->border);
    mix_double(h, o->cval);
    mix_int(h, o->correlate != 0);
    mix_int(h, o->stride_x ? o->stride_x : 1);
    mix_int(h, o->stride_y ? o->stride_y : 1);
    mix_int(h, o->anchor_set != 0);
    mix_int(h, o->anchor_set ? o->anchor_x : 0);
    mix_int(h, o->anchor_set ? o->anchor_y : 0);
    mix_int(h, o->method);
    mix_double(h, o->scale != 0.0 ? o->scale : 1.0);
    mix_double(h, o->offset);
    mix_int(h, o->absolute != 0);
}

static void mix_write(uint64_t *h, const tessel_write_options *w)
{
    mix_int(h, w->format);
    mix_int(h, w->quality);
    mix_int(h, w->compression);
    mix_int(h, w->tile_width);
    mix_int(h, w->tile_height);
    mix_int(h, w->bigtiff != 0);
    mix_int(h, w->compression_level);
    mix_int(h, w->jpeg_subsampling);
}

uint64_t tessel_batch_fingerprint(const tessel_batch_filter *f, const tessel_write_options *w)
{
    uint64_t h = FNV_OFFSET;
    mix_int(&h, FINGERPRINT_VERSION);
    mix_int(&h, f->kernel != NULL);
    if (f->kernel) {
        mix_kernel(&h, f->kernel);
        mix_conv(&h, &f->conv);
    }
    mix_int(&h, f->out_dtype);
    mix_int(&h, (int64_t)f->fingerprint_size);
    if (f->fingerprint) mix_bytes(&h, f->fingerprint, f->fingerprint_size);
    mix_write(&h, w);
    mix_int(&h, f->read.keep_orientation != 0);
    return h;
}
