/* Readers of option values (see values.h). */
#include "values.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cli_read_int(const char *text, long min, long max, int *out)
{
    if (!text || !*text) return -1;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || *end || v < min || v > max) return -1;
    *out = (int)v;
    return 0;
}

int cli_read_real(const char *text, double *out)
{
    if (!text || !*text) return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int cli_read_int_pair(const char *text, long min, long max, int allow_single, int *a, int *b)
{
    if (!text) return -1;
    const char *comma = strchr(text, ',');
    if (!comma) {
        if (!allow_single || cli_read_int(text, min, max, a)) return -1;
        *b = *a;
        return 0;
    }
    size_t n = (size_t)(comma - text);
    char first[32];
    if (n == 0 || n >= sizeof first) return -1;
    memcpy(first, text, n);
    first[n] = '\0';
    if (cli_read_int(first, min, max, a)) return -1;
    return cli_read_int(comma + 1, min, max, b);
}

typedef struct named_value {
    const char *name;
    int value;
} named_value;

static int lookup(const named_value *table, const char *text, int *out)
{
    for (; text && table->name; ++table) {
        if (strcasecmp(table->name, text) == 0) {
            *out = table->value;
            return 0;
        }
    }
    return -1;
}

int cli_read_mode(const char *text, tessel_mode *out)
{
    static const named_value modes[] = {{"same", TESSEL_MODE_SAME},
                                        {"full", TESSEL_MODE_FULL},
                                        {"valid", TESSEL_MODE_VALID},
                                        {NULL, 0}};
    int v;
    if (lookup(modes, text, &v)) return -1;
    *out = (tessel_mode)v;
    return 0;
}

int cli_read_border(const char *text, tessel_border *out)
{
    static const named_value borders[] = {{"constant", TESSEL_BORDER_CONSTANT},
                                          {"nearest", TESSEL_BORDER_NEAREST},
                                          {"reflect", TESSEL_BORDER_REFLECT},
                                          {"mirror", TESSEL_BORDER_MIRROR},
                                          {"wrap", TESSEL_BORDER_WRAP},
                                          {"replicate", TESSEL_BORDER_NEAREST},
                                          {"reflect101", TESSEL_BORDER_MIRROR},
                                          {"reflect_101", TESSEL_BORDER_MIRROR},
                                          {NULL, 0}};
    int v;
    if (lookup(borders, text, &v)) return -1;
    *out = (tessel_border)v;
    return 0;
}

int cli_read_method(const char *text, tessel_method *out)
{
    static const named_value methods[] = {{"auto", TESSEL_METHOD_AUTO},
                                          {"direct", TESSEL_METHOD_DIRECT},
                                          {"separable", TESSEL_METHOD_SEPARABLE},
                                          {"fft", TESSEL_METHOD_FFT},
                                          {"fft-block", TESSEL_METHOD_FFT_BLOCK},
                                          {"running", TESSEL_METHOD_RUNNING},
                                          {NULL, 0}};
    int v;
    if (lookup(methods, text, &v)) return -1;
    *out = (tessel_method)v;
    return 0;
}

int cli_read_dtype(const char *text, int *keep, tessel_dtype *out)
{
    static const named_value dtypes[] = {
        {"u8", TESSEL_U8}, {"u16", TESSEL_U16}, {"f32", TESSEL_F32}, {NULL, 0}};
    if (text && strcasecmp(text, "keep") == 0) {
        *keep = 1;
        return 0;
    }
    int v;
    if (lookup(dtypes, text, &v)) return -1;
    *keep = 0;
    *out = (tessel_dtype)v;
    return 0;
}

int cli_read_compression(const char *text, tessel_compression *out)
{
    static const named_value schemes[] = {{"none", TESSEL_COMPRESSION_NONE},
                                          {"deflate", TESSEL_COMPRESSION_DEFLATE},
                                          {"lzw", TESSEL_COMPRESSION_LZW},
                                          {NULL, 0}};
    int v;
    if (lookup(schemes, text, &v)) return -1;
    *out = (tessel_compression)v;
    return 0;
}

int cli_read_subsampling(const char *text, tessel_jpeg_subsampling *out)
{
    static const named_value kinds[] = {{"444", TESSEL_JPEG_SUBSAMPLING_444},
                                        {"4:4:4", TESSEL_JPEG_SUBSAMPLING_444},
                                        {"422", TESSEL_JPEG_SUBSAMPLING_422},
                                        {"4:2:2", TESSEL_JPEG_SUBSAMPLING_422},
                                        {"420", TESSEL_JPEG_SUBSAMPLING_420},
                                        {"4:2:0", TESSEL_JPEG_SUBSAMPLING_420},
                                        {NULL, 0}};
    int v;
    if (lookup(kinds, text, &v)) return -1;
    *out = (tessel_jpeg_subsampling)v;
    return 0;
}

/* One side of a TIFF tile (the library's limits, checked here so that a
 * wrong value is a usage error). */
static int read_tile_side(const char *text, int *out)
{
    return cli_read_int(text, 16, 4096, out) || *out % 16 != 0 ? -1 : 0;
}

int cli_read_tile(const char *text, int *width, int *height)
{
    const char *x = text ? strpbrk(text, "xX") : NULL;
    if (!x) {
        if (read_tile_side(text, width)) return -1;
        *height = *width;
        return 0;
    }
    char first[16];
    size_t n = (size_t)(x - text);
    if (n == 0 || n >= sizeof first) return -1;
    memcpy(first, text, n);
    first[n] = '\0';
    return read_tile_side(first, width) || read_tile_side(x + 1, height) ? -1 : 0;
}

static const named_value write_formats[] = {
    {"png", TESSEL_FORMAT_PNG},   {"jpg", TESSEL_FORMAT_JPEG},
    {"jpeg", TESSEL_FORMAT_JPEG}, {"bmp", TESSEL_FORMAT_BMP},
    {"tga", TESSEL_FORMAT_TGA},   {"npy", TESSEL_FORMAT_NPY},
    {"csv", TESSEL_FORMAT_CSV},   {"tif", TESSEL_FORMAT_TIFF},
    {"tiff", TESSEL_FORMAT_TIFF}, {NULL, 0}};

int cli_is_write_format(const char *ext)
{
    int v;
    return lookup(write_formats, ext, &v) == 0;
}

tessel_file_format cli_write_format(const char *ext)
{
    int v;
    return lookup(write_formats, ext, &v) == 0 ? (tessel_file_format)v : TESSEL_FORMAT_AUTO;
}
