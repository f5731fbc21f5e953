/* Reading and writing .npy headers. The dict is parsed as the restricted
 * Python literal NumPy writes: quoted keys, a quoted descr, True/False, and
 * a tuple of integers. */
#include "npy_header.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NPY_MAGIC "\x93NUMPY"
#define NPY_MAGIC_BYTES 6
#define NPY_MAX_DIM 3

typedef struct dict_parser {
    const char *path;
    const char *s;
    size_t n, pos;
} dict_parser;

static tessel_status malformed(const dict_parser *p, const char *expected)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, p->path,
                          "malformed .npy header: expected %s at character %zu", expected,
                          p->pos + 1);
}

static void skip_space(dict_parser *p)
{
    while (p->pos < p->n && (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
                             p->s[p->pos] == '\r'))
        ++p->pos;
}

/* Skips spaces, then takes c if it is there. */
static int take(dict_parser *p, char c)
{
    skip_space(p);
    if (p->pos < p->n && p->s[p->pos] == c) {
        ++p->pos;
        return 1;
    }
    return 0;
}

/* Skips spaces; 1 when c comes next (not taken). */
static int peek(dict_parser *p, char c)
{
    skip_space(p);
    return p->pos < p->n && p->s[p->pos] == c;
}

static tessel_status parse_string(dict_parser *p, const char **text, size_t *length)
{
    skip_space(p);
    char quote = p->pos < p->n ? p->s[p->pos] : 0;
    if (quote != '\'' && quote != '"') return malformed(p, "a quoted string");
    size_t start = ++p->pos;
    while (p->pos < p->n && p->s[p->pos] != quote) ++p->pos;
    if (p->pos >= p->n) return malformed(p, "the end of a string");
    *text = p->s + start;
    *length = p->pos++ - start;
    return TESSEL_OK;
}

static tessel_status parse_bool(dict_parser *p, int *out)
{
    skip_space(p);
    if (p->n - p->pos >= 4 && memcmp(p->s + p->pos, "True", 4) == 0) {
        p->pos += 4;
        *out = 1;
    } else if (p->n - p->pos >= 5 && memcmp(p->s + p->pos, "False", 5) == 0) {
        p->pos += 5;
        *out = 0;
    } else {
        return malformed(p, "True or False");
    }
    return TESSEL_OK;
}

static tessel_status parse_dimension(dict_parser *p, uint64_t *out)
{
    skip_space(p);
    size_t start = p->pos;
    uint64_t v = 0;
    while (p->pos < p->n && p->s[p->pos] >= '0' && p->s[p->pos] <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return tessel_io_fail(TESSEL_ERR_FORMAT, p->path, ".npy shape has an absurd dimension");
        v = v * 10 + (uint64_t)(p->s[p->pos++] - '0');
    }
    if (p->pos == start) return malformed(p, "a dimension");
    if (p->pos < p->n && p->s[p->pos] == 'L') ++p->pos; /* Python 2 long */
    *out = v;
    return TESSEL_OK;
}

/* "(d0, d1, ...)", "(d0,)" or "()". */
static tessel_status parse_shape(dict_parser *p, tessel_npy_header *h)
{
    if (!take(p, '(')) return malformed(p, "'(' opening the shape");
    h->ndim = 0;
    while (!take(p, ')')) {
        uint64_t d = 0;
        FORWARD_IF_ERROR(parse_dimension(p, &d));
        if (h->ndim == NPY_MAX_DIM)
            return tessel_io_fail(TESSEL_ERR_FORMAT, p->path,
                                  "arrays of more than %d dimensions are not supported",
                                  NPY_MAX_DIM);
        h->shape[h->ndim++] = d;
        if (!take(p, ',') && !peek(p, ')')) return malformed(p, "',' or ')' in the shape");
    }
    return TESSEL_OK;
}

static int host_is_little_endian(void)
{
    const uint16_t probe = 1;
    return *(const unsigned char *)&probe == 1;
}

/* "<u2" and the like: little-endian (or single-byte) u1, u2, f4, f8. */
static tessel_status parse_descr(const char *path, const char *d, size_t n, tessel_npy_header *h)
{
    static const char *const kinds[] = {"u1", "u2", "f4", "f8"};
    static const size_t sizes[] = {1, 2, 4, 8};
    char order = n == 3 ? d[0] : '?';
    for (int t = 0; n == 3 && t < 4; ++t) {
        if (memcmp(d + 1, kinds[t], 2) != 0) continue;
        int little = order == '<' || (order == '=' && host_is_little_endian());
        if (sizes[t] > 1 && !little)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                                  "dtype '%.3s' is not little-endian; only little-endian data "
                                  "is supported (save it with .astype('<%s'))",
                                  d, kinds[t]);
        h->type = (tessel_npy_type)t;
        h->item_size = sizes[t];
        return TESSEL_OK;
    }
    int shown = n > 40 ? 40 : (int)n;
    return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                          "dtype '%.*s' is not supported (uint8, uint16, float32 and float64 are)",
                          shown, d);
}

static int key_is(const char *key, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(key, word, n) == 0;
}

static tessel_status parse_dict(dict_parser *p, tessel_npy_header *h)
{
    const char *descr = NULL, *key;
    size_t descr_length = 0, key_length;
    int fortran = -1, have_shape = 0;
    if (!take(p, '{')) return malformed(p, "'{'");
    while (!take(p, '}')) {
        FORWARD_IF_ERROR(parse_string(p, &key, &key_length));
        if (!take(p, ':')) return malformed(p, "':'");
        if (key_is(key, key_length, "descr")) {
            FORWARD_IF_ERROR(parse_string(p, &descr, &descr_length));
        } else if (key_is(key, key_length, "fortran_order")) {
            FORWARD_IF_ERROR(parse_bool(p, &fortran));
        } else if (key_is(key, key_length, "shape")) {
            FORWARD_IF_ERROR(parse_shape(p, h));
            have_shape = 1;
        } else {
            return tessel_io_fail(TESSEL_ERR_FORMAT, p->path,
                                  "unexpected key '%.*s' in the .npy header",
                                  key_length > 40 ? 40 : (int)key_length, key);
        }
        if (!take(p, ',') && !peek(p, '}')) return malformed(p, "',' or '}'");
    }
    skip_space(p);
    if (p->pos != p->n) return malformed(p, "the end of the header after '}'");
    if (!descr || fortran < 0 || !have_shape)
        return tessel_io_fail(TESSEL_ERR_FORMAT, p->path,
                              "the .npy header lacks one of 'descr', 'fortran_order' and 'shape'");
    FORWARD_IF_ERROR(parse_descr(p->path, descr, descr_length, h));
    if (fortran)
        return tessel_io_fail(TESSEL_ERR_FORMAT, p->path,
                              "the array is in Fortran order; only C order is supported "
                              "(save it with numpy.ascontiguousarray)");
    return TESSEL_OK;
}

/* Dimensions, their product, and the data against the file's length. */
static tessel_status check_shape(const tessel_io_file *file, tessel_npy_header *h)
{
    if (h->ndim == 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path, "holds a single number, not an array");
    uint64_t count = 1;
    for (int i = 0; i < h->ndim; ++i) {
        if (h->shape[i] == 0)
            return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                                  "the array is empty (a dimension is 0)");
        if (h->shape[i] > (UINT64_MAX / 8) / count)
            return tessel_io_fail(TESSEL_ERR_FORMAT, file->path, ".npy shape is absurdly large");
        count *= h->shape[i];
    }
    if (h->ndim == 3 && h->shape[2] > 4)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                              "array of shape (%llu, %llu, %llu) has more than 4 channels",
                              (unsigned long long)h->shape[0], (unsigned long long)h->shape[1],
                              (unsigned long long)h->shape[2]);
    uint64_t bytes = count * h->item_size, held = file->size - h->data_offset;
    if (bytes > held)
        return tessel_io_fail(TESSEL_ERR_FORMAT, file->path,
                              "header claims %llu bytes of data but the file holds %llu",
                              (unsigned long long)bytes, (unsigned long long)held);
    h->count = count;
    return TESSEL_OK;
}

tessel_status tessel_npy_read_header(const tessel_io_file *file, tessel_npy_header *header)
{
    unsigned char prefix[12];
    const char *path = file->path;
    if (file->size < 10) return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated .npy header");
    FORWARD_IF_ERROR(tessel_io_file_read(file, 0, prefix, 10));
    if (memcmp(prefix, NPY_MAGIC, NPY_MAGIC_BYTES) != 0)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "not a .npy file");
    unsigned major = prefix[6], minor = prefix[7];
    if (major < 1 || major > 3)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, ".npy version %u.%u is not supported", major,
                              minor);
    size_t prefix_bytes = major == 1 ? 10 : 12;
    if (file->size < prefix_bytes)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "truncated .npy header");
    if (major > 1) FORWARD_IF_ERROR(tessel_io_file_read(file, 10, prefix + 10, 2));
    uint64_t length = major == 1 ? tessel_io_le16(prefix + 8) : tessel_io_le32(prefix + 8);
    if (length > TESSEL_NPY_MAX_HEADER)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              ".npy header of %llu bytes is implausibly long (at most %d)",
                              (unsigned long long)length, TESSEL_NPY_MAX_HEADER);
    if (length > file->size - prefix_bytes)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                              "truncated .npy header: it claims %llu bytes, the file holds %llu",
                              (unsigned long long)length,
                              (unsigned long long)(file->size - prefix_bytes));
    char *text = malloc(length ? (size_t)length : 1);
    if (!text) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    tessel_status status = tessel_io_file_read(file, prefix_bytes, text, (size_t)length);
    dict_parser parser = {path, text, (size_t)length, 0};
    memset(header, 0, sizeof *header);
    header->data_offset = prefix_bytes + length;
    if (status == TESSEL_OK) status = parse_dict(&parser, header);
    free(text);
    if (status == TESSEL_OK) status = check_shape(file, header);
    return status;
}

size_t tessel_npy_format_header(char *buf, size_t size, const char *descr, int ndim,
                                const uint64_t *shape)
{
    char dims[96] = "";
    size_t used = 0;
    for (int i = 0; i < ndim; ++i)
        used += (size_t)snprintf(dims + used, sizeof dims - used, "%s%llu", i ? ", " : "",
                                 (unsigned long long)shape[i]);
    if (ndim == 1) snprintf(dims + used, sizeof dims - used, ",");
    int n = snprintf(buf + 10, size - 10,
                     "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, dims);
    size_t total = 10 + (size_t)n + 1; /* with the final newline */
    size_t padded = (total + 63) / 64 * 64;
    memset(buf + 10 + n, ' ', padded - total);
    buf[padded - 1] = '\n';
    memcpy(buf, NPY_MAGIC, NPY_MAGIC_BYTES);
    buf[6] = 1;
    buf[7] = 0;
    tessel_io_put_le16((unsigned char *)buf + 8, (uint32_t)(padded - 10));
    return padded;
}
