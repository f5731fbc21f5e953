/* Cost profiles on disk and in memory: the file of a context, saving it,
 * and reading it once per version of the file (see cost_profile.h). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"
#include "cache_dir.h"
#include "context.h"
#include "cost_profile.h"

#define PATH_SIZE 1024
#define PROFILE_MAX_BYTES 4096 /* a profile is a few hundred bytes */
#define CACHE_SLOTS 8          /* profiles of different contexts kept at once */

const char *tessel_cost_defaults(const tessel_context *ctx, tessel_cost_constants *k)
{
    return ctx->ops->cost_defaults(ctx, k);
}

int tessel_cost_profile_path(tessel_context *ctx, char *out, size_t size)
{
    char dir[PATH_SIZE], key_text[512];
    if (!tessel_cache_dir(ctx, dir, sizeof dir)) return 0;
    const tessel_cost_key key = tessel_cost_key_of(ctx);
    int n = snprintf(key_text, sizeof key_text, "%s\n%s\n%d", key.backend, key.device,
                     key.threads);
    if (n < 0 || (size_t)n >= sizeof key_text) return 0;
    /* The key decides the name; the file repeats it, and is checked. */
    n = snprintf(out, size, "%s/cost-%s-%016llx.profile", dir, key.backend,
                 (unsigned long long)tessel_cost_checksum(key_text, (size_t)n));
    return n > 0 && (size_t)n < size;
}

/* ---------------------------------------------------------------- saving */

tessel_status tessel_cost_profile_save(tessel_context *ctx, const tessel_cost_constants *k,
                                       char *path_out, size_t path_size)
{
    char path[PATH_SIZE], dir[PATH_SIZE], text[PROFILE_MAX_BYTES];
    path_out[0] = '\0';
    RETURN_ERROR_IF(!tessel_cost_profile_path(ctx, path, sizeof path), ctx, TESSEL_ERR_IO,
                    "no cache folder to store the cost profile in (TESSEL_CACHE_DIR is empty, "
                    "or neither XDG_CACHE_HOME nor HOME is set)");
    const tessel_cost_key key = tessel_cost_key_of(ctx);
    const size_t n = tessel_cost_profile_format(&key, k, text, sizeof text);
    RETURN_ERROR_IF(n == 0, ctx, TESSEL_ERR_IO, "the cost profile does not fit %d bytes",
                    PROFILE_MAX_BYTES);
    tessel_cache_dir(ctx, dir, sizeof dir);
    RETURN_ERROR_IF(!tessel_make_dirs(dir), ctx, TESSEL_ERR_IO,
                    "cannot create the cache folder \"%s\": %s", dir, strerror(errno));
    if (tessel_atomic_save(path, text, n) != TESSEL_OK) {
        char why[TESSEL_MESSAGE_SIZE]; /* the atomic file's message names the path */
        snprintf(why, sizeof why, "%s", tessel_last_error());
        return tessel_fail(ctx, TESSEL_ERR_IO, "cannot write the cost profile %s", why);
    }
    snprintf(path_out, path_size, "%s", path);
    return TESSEL_OK;
}

/* --------------------------------------------------------------- loading */

/* One file as last read: which version of it (device, inode, size, change
 * time) and what it held. */
typedef struct cached_profile {
    char path[PATH_SIZE];
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    int valid;
    tessel_cost_constants k;
    unsigned long long used; /* when last asked for: the oldest slot is reused */
} cached_profile;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cached_profile cache[CACHE_SLOTS];
static unsigned long long cache_clock;

static int same_version(const cached_profile *c, const char *path, const struct stat *st)
{
    return strcmp(c->path, path) == 0 && c->dev == st->st_dev && c->ino == st->st_ino &&
           c->size == st->st_size && c->mtime.tv_sec == st->st_mtim.tv_sec &&
           c->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The cached result for this version of the file: 1 with *valid (and *k
 * when valid), 0 when it was not read yet. */
static int cache_lookup(const char *path, const struct stat *st, int *valid,
                        tessel_cost_constants *k)
{
    int found = 0;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < CACHE_SLOTS && !found; ++i) {
        if (!same_version(&cache[i], path, st)) continue;
        cache[i].used = ++cache_clock;
        *valid = cache[i].valid;
        if (*valid) *k = cache[i].k;
        found = 1;
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

/* Keeps what this version of the file held, in its path's slot or the
 * least recently used one. */
static void cache_store(const char *path, const struct stat *st, int valid,
                        const tessel_cost_constants *k)
{
    pthread_mutex_lock(&cache_lock);
    int slot = 0;
    for (int i = 0; i < CACHE_SLOTS; ++i) {
        if (strcmp(cache[i].path, path) == 0) {
            slot = i;
            break;
        }
        if (cache[i].used < cache[slot].used) slot = i;
    }
    cached_profile *c = &cache[slot];
    snprintf(c->path, sizeof c->path, "%s", path);
    c->dev = st->st_dev;
    c->ino = st->st_ino;
    c->size = st->st_size;
    c->mtime = st->st_mtim;
    c->valid = valid;
    if (valid) c->k = *k;
    c->used = ++cache_clock;
    pthread_mutex_unlock(&cache_lock);
}

/* Reads and checks the file; 0 with why when it cannot be used. */
static int read_profile(tessel_context *ctx, const char *path, const struct stat *st,
                        tessel_cost_constants *k, char *why, size_t why_size)
{
    if (st->st_size > PROFILE_MAX_BYTES || !S_ISREG(st->st_mode)) {
        snprintf(why, why_size, "not a profile (%lld bytes)", (long long)st->st_size);
        return 0;
    }
    char text[PROFILE_MAX_BYTES + 1];
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(why, why_size, "cannot be read: %s", strerror(errno));
        return 0;
    }
    const size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    const tessel_cost_key key = tessel_cost_key_of(ctx);
    return tessel_cost_profile_parse(&key, text, n, k, why, why_size);
}

const char *tessel_cost_profile_get(tessel_context *ctx, tessel_cost_constants *k)
{
    char path[PATH_SIZE];
    struct stat st;
    if (!tessel_cost_profile_path(ctx, path, sizeof path) || stat(path, &st) != 0)
        return tessel_cost_defaults(ctx, k);
    int valid = 0;
    if (cache_lookup(path, &st, &valid, k))
        return valid ? "tuned profile" : tessel_cost_defaults(ctx, k);
    char why[160];
    valid = read_profile(ctx, path, &st, k, why, sizeof why);
    cache_store(path, &st, valid, k);
    if (valid) return "tuned profile";
    tessel_log(ctx, TESSEL_LOG_WARN,
               "cost profile \"%s\" ignored (%s): method auto uses the defaults; "
               "'tessel tune' measures a new one",
               path, why);
    return tessel_cost_defaults(ctx, k);
}
