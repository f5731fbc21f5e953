/* Where an output's fingerprint is kept (see run.h): an extended attribute
 * of the file where the file system has them, else a line in a small
 * manifest in the output's folder (MANIFEST_NAME), which is read when a
 * run first needs it and saved atomically when the run ends. An output a
 * run wrote but could not record (the run was killed before the manifest
 * was saved) has no fingerprint, and is redone by the next run: never
 * skipped wrongly. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic_file.h"
#include "fingerprint_xattr.h"
#include "run.h"

#define MANIFEST_NAME ".tessel_fingerprints"
#define PRINT_CHARS TESSEL_BATCH_PRINT_CHARS

typedef struct manifest_entry {
    char *name; /* the output's file name in the folder */
    uint64_t print;
} manifest_entry;

typedef struct manifest {
    char *folder; /* "" for the current folder */
    manifest_entry *entries; /* sorted by name */
    size_t count, capacity;
    int dirty;
} manifest;

struct batch_prints {
    pthread_mutex_t lock;
    manifest *manifests;
    size_t count, capacity;
};

/* ------------------------------------------------------------ paths */

/* The folder part of path ("" when none) into a fresh string; the name
 * part in *name. */
static char *folder_of(const char *path, const char **name)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    *name = path + n;
    char *folder = malloc(n + 1);
    if (folder) {
        memcpy(folder, path, n);
        folder[n] = '\0';
    }
    return folder;
}

static char *manifest_path(const char *folder)
{
    size_t n = strlen(folder) + sizeof MANIFEST_NAME;
    char *path = malloc(n);
    if (path) snprintf(path, n, "%s%s", folder, MANIFEST_NAME);
    return path;
}

/* ---------------------------------------------------------- entries */

/* The index where name is, or would be inserted; *found when it is there. */
static size_t find(const manifest *m, const char *name, int *found)
{
    size_t lo = 0, hi = m->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->entries[mid].name, name);
        if (c == 0) {
            *found = 1;
            return mid;
        }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    *found = 0;
    return lo;
}

/* Sets name's print, inserting it in order; 0 when out of memory. */
static int set_entry(manifest *m, const char *name, uint64_t print)
{
    int found;
    size_t at = find(m, name, &found);
    if (found) {
        m->entries[at].print = print;
        return 1;
    }
    if (m->count == m->capacity) {
        size_t capacity = m->capacity ? 2 * m->capacity : 64;
        manifest_entry *grown = realloc(m->entries, capacity * sizeof *grown);
        if (!grown) return 0;
        m->entries = grown;
        m->capacity = capacity;
    }
    char *copy = strdup(name);
    if (!copy) return 0;
    memmove(m->entries + at + 1, m->entries + at, (m->count - at) * sizeof *m->entries);
    m->entries[at] = (manifest_entry){copy, print};
    ++m->count;
    return 1;
}

/* ------------------------------------------------------ the manifest file */

/* One "HEX NAME" line; 0 when it is not one (such lines are dropped). */
static int parse_line(char *line, uint64_t *print, const char **name)
{
    char *end;
    if (strlen(line) < PRINT_CHARS + 2 || line[PRINT_CHARS] != ' ') return 0;
    line[PRINT_CHARS] = '\0';
    *print = strtoull(line, &end, 16);
    *name = line + PRINT_CHARS + 1;
    return end == line + PRINT_CHARS && **name && !strchr(*name, '/');
}

static void load(manifest *m)
{
    char *path = manifest_path(m->folder);
    FILE *f = path ? fopen(path, "re") : NULL;
    free(path);
    if (!f) return; /* none yet: no output here has a fingerprint there */
    char line[4096 + PRINT_CHARS + 2];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        uint64_t print;
        const char *name;
        if (parse_line(line, &print, &name) && !set_entry(m, name, print)) break;
    }
    fclose(f);
}

static void save(const manifest *m)
{
    size_t size = 1;
    for (size_t i = 0; i < m->count; ++i) size += PRINT_CHARS + 2 + strlen(m->entries[i].name);
    char *text = malloc(size), *path = manifest_path(m->folder);
    size_t used = 0;
    for (size_t i = 0; text && i < m->count; ++i)
        used += (size_t)snprintf(text + used, size - used, "%016" PRIx64 " %s\n",
                                 m->entries[i].print, m->entries[i].name);
    /* A manifest that cannot be saved only costs the next run some redone outputs. */
    if (text && path) tessel_atomic_save(path, text, used);
    free(text);
    free(path);
}

/* The folder's manifest, loaded on first use; NULL when out of memory. */
static manifest *manifest_for(batch_prints *p, const char *folder)
{
    for (size_t i = 0; i < p->count; ++i)
        if (strcmp(p->manifests[i].folder, folder) == 0) return &p->manifests[i];
    if (p->count == p->capacity) {
        size_t capacity = p->capacity ? 2 * p->capacity : 4;
        manifest *grown = realloc(p->manifests, capacity * sizeof *grown);
        if (!grown) return NULL;
        p->manifests = grown;
        p->capacity = capacity;
    }
    char *copy = strdup(folder);
    if (!copy) return NULL;
    manifest *m = &p->manifests[p->count++];
    memset(m, 0, sizeof *m);
    m->folder = copy;
    load(m);
    return m;
}

/* ------------------------------------------------------------ the store */

batch_prints *tessel_batch_prints_open(void)
{
    batch_prints *p = calloc(1, sizeof *p);
    if (p) pthread_mutex_init(&p->lock, NULL);
    return p;
}

int tessel_batch_prints_get(batch_prints *p, const char *output, uint64_t *print)
{
    if (tessel_batch_xattr_get(output, print)) return 1;
    if (!p) return 0;
    const char *name;
    char *folder = folder_of(output, &name);
    int found = 0;
    pthread_mutex_lock(&p->lock);
    manifest *m = folder ? manifest_for(p, folder) : NULL;
    if (m) {
        size_t at = find(m, name, &found);
        if (found) *print = m->entries[at].print;
    }
    pthread_mutex_unlock(&p->lock);
    free(folder);
    return found;
}

void tessel_batch_prints_put(batch_prints *p, const char *output, uint64_t print)
{
    if (tessel_batch_xattr_put(output, print) || !p) return;
    const char *name;
    char *folder = folder_of(output, &name);
    pthread_mutex_lock(&p->lock);
    manifest *m = folder ? manifest_for(p, folder) : NULL;
    if (m && set_entry(m, name, print)) m->dirty = 1;
    pthread_mutex_unlock(&p->lock);
    free(folder);
}

void tessel_batch_prints_close(batch_prints *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->count; ++i) {
        manifest *m = &p->manifests[i];
        if (m->dirty) save(m);
        for (size_t e = 0; e < m->count; ++e) free(m->entries[e].name);
        free(m->entries);
        free(m->folder);
    }
    free(p->manifests);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
