/* Program binaries on disk. One file per key:
 *
 *   "TESSELCL"                          magic, 8 bytes
 *   u32 format version
 *   u32 length + bytes, four times      device, driver, source hash, options
 *   u64 length + bytes                  the program binary
 *   u64 checksum                        FNV-1a 64 of every byte before it
 *
 * Integers are little-endian. The file ends right after the checksum. */
#include "cl_program_disk.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "core/cache_dir.h"

#define MAGIC "TESSELCL"
#define MAGIC_BYTES 8
#define FORMAT_VERSION 1u
#define CHECKSUM_BYTES 8
/* Larger files are not program binaries of ours; never read them whole. */
#define MAX_FILE_BYTES ((long)1 << 30)

/* ------------------------------------------------------------- hashing */

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * FNV_PRIME;
    return h;
}

/* Each string with its terminating NUL, so that field boundaries count. */
static uint64_t fnv1a_text(uint64_t h, const char *s)
{
    return fnv1a(h, s, strlen(s) + 1);
}

/* ---------------------------------------------------------------- name */

int tessel_cl_disk_path(const char *dir, const tessel_cl_disk_key *key, char *out, size_t size)
{
    const uint32_t version = FORMAT_VERSION;
    uint64_t h = fnv1a(FNV_OFFSET, &version, sizeof version);
    h = fnv1a_text(h, key->device);
    h = fnv1a_text(h, key->driver);
    h = fnv1a_text(h, key->source_hash);
    h = fnv1a_text(h, key->options);
    int n = snprintf(out, size, "%s/cl-%016llx.bin", dir, (unsigned long long)h);
    return n > 0 && (size_t)n < size;
}

/* ------------------------------------------------------------- encoding */

static unsigned char *put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

static unsigned char *put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; ++i) *p++ = (unsigned char)(v >> (8 * i));
    return p;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static unsigned char *put_text(unsigned char *p, const char *s)
{
    const size_t n = strlen(s);
    p = put_u32(p, (uint32_t)n);
    memcpy(p, s, n);
    return p + n;
}

/* The whole file for key and binary in one allocation, or NULL. */
static unsigned char *encode(const tessel_cl_disk_key *key, const unsigned char *binary,
                             size_t size, size_t *total)
{
    const char *texts[4] = {key->device, key->driver, key->source_hash, key->options};
    size_t bytes = MAGIC_BYTES + 4 + 8 + size + CHECKSUM_BYTES;
    for (int i = 0; i < 4; ++i) {
        const size_t n = strlen(texts[i]);
        if (n > UINT32_MAX) return NULL;
        bytes += 4 + n;
    }
    unsigned char *record = malloc(bytes);
    if (!record) return NULL;
    unsigned char *p = record;
    memcpy(p, MAGIC, MAGIC_BYTES);
    p = put_u32(p + MAGIC_BYTES, FORMAT_VERSION);
    for (int i = 0; i < 4; ++i) p = put_text(p, texts[i]);
    p = put_u64(p, size);
    memcpy(p, binary, size);
    p += size;
    put_u64(p, fnv1a(FNV_OFFSET, record, (size_t)(p - record)));
    *total = bytes;
    return record;
}

/* ------------------------------------------------------------- decoding */

typedef struct reader {
    const unsigned char *p;
    size_t left;
} reader;

static int take(reader *r, size_t n, const unsigned char **out)
{
    if (n > r->left) return 0;
    *out = r->p;
    r->p += n;
    r->left -= n;
    return 1;
}

static int take_u64(reader *r, uint64_t *v)
{
    const unsigned char *b;
    if (!take(r, 8, &b)) return 0;
    *v = get_u64(b);
    return 1;
}

static int take_u32(reader *r, uint32_t *v)
{
    const unsigned char *b;
    if (!take(r, 4, &b)) return 0;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 1;
}

static int text_matches(reader *r, const char *expected)
{
    uint32_t n;
    const unsigned char *b;
    return take_u32(r, &n) && take(r, n, &b) && n == strlen(expected) &&
           memcmp(b, expected, n) == 0;
}

/* NULL when data is a sound file for key (then *binary points into data),
 * else why it is not. */
static const char *check_record(const unsigned char *data, size_t size,
                                const tessel_cl_disk_key *key, const unsigned char **binary,
                                size_t *binary_size)
{
    if (size < MAGIC_BYTES + CHECKSUM_BYTES) return "shorter than a header";
    if (memcmp(data, MAGIC, MAGIC_BYTES) != 0) return "not a tessel program file";
    const size_t body = size - CHECKSUM_BYTES;
    if (get_u64(data + body) != fnv1a(FNV_OFFSET, data, body)) return "checksum mismatch";
    reader r = {data + MAGIC_BYTES, body - MAGIC_BYTES};
    uint32_t version;
    if (!take_u32(&r, &version) || version != FORMAT_VERSION) return "another format version";
    if (!text_matches(&r, key->device)) return "another device";
    if (!text_matches(&r, key->driver)) return "another driver version";
    if (!text_matches(&r, key->source_hash)) return "other kernel sources";
    if (!text_matches(&r, key->options)) return "other build options";
    uint64_t n;
    if (!take_u64(&r, &n) || n != r.left) return "binary size does not match the file";
    if (n == 0) return "empty binary";
    *binary = r.p;
    *binary_size = (size_t)n;
    return NULL;
}

/* ---------------------------------------------------------------- files */

/* The whole file in a malloc'd block, or NULL with *why set (NULL for a
 * file that cannot be opened: not there, or no folder to hold it). */
static unsigned char *read_whole(tessel_context *ctx, const char *path, size_t *size,
                                 const char **why)
{
    *why = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno != ENOENT)
            tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: cannot open %s: %s", path,
                       strerror(errno));
        return NULL;
    }
    unsigned char *data = NULL;
    long end = -1;
    if (fseek(f, 0, SEEK_END) == 0) end = ftell(f);
    if (end < 0 || end > MAX_FILE_BYTES || fseek(f, 0, SEEK_SET) != 0) {
        *why = end > MAX_FILE_BYTES ? "too large" : "cannot find its size";
    } else if (!(data = malloc(end > 0 ? (size_t)end : 1))) {
        *why = "out of memory";
    } else if (fread(data, 1, (size_t)end, f) != (size_t)end) {
        *why = "short read";
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)end;
    return data;
}

tessel_cl_disk_result tessel_cl_disk_read(tessel_context *ctx, const char *path,
                                          const tessel_cl_disk_key *key, unsigned char **binary,
                                          size_t *size)
{
    size_t file_size = 0;
    const char *why = NULL;
    unsigned char *data = read_whole(ctx, path, &file_size, &why);
    if (!data && !why) return TESSEL_CL_DISK_MISSING;
    const unsigned char *found = NULL;
    size_t found_size = 0;
    if (data) why = check_record(data, file_size, key, &found, &found_size);
    if (why) {
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: ignoring %s: %s", path, why);
        free(data);
        return TESSEL_CL_DISK_REJECTED;
    }
    memmove(data, found, found_size); /* hand back the binary alone */
    *binary = data;
    *size = found_size;
    return TESSEL_CL_DISK_LOADED;
}

void tessel_cl_disk_write(tessel_context *ctx, const char *dir, const char *path,
                          const tessel_cl_disk_key *key, const unsigned char *binary, size_t size)
{
    size_t total = 0;
    unsigned char *record = encode(key, binary, size, &total);
    if (!record) {
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: no memory to store %s", path);
        return;
    }
    if (!tessel_make_dirs(dir))
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: cannot create %s: %s", dir,
                   strerror(errno));
    else if (tessel_atomic_save(path, record, total) != TESSEL_OK)
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: cannot write %s", tessel_last_error());
    free(record);
}
