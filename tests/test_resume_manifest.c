/* Batch resume's manifest (host/batch/fingerprint_store.c), the store of
 * outputs' fingerprints where the file system has no extended attributes:
 * compiled here without them. Fingerprints put by one run are found by the
 * next once the store is closed (saved atomically: no temporary left),
 * per folder, updated in place; damaged lines are dropped, not trusted. */

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/run.h"
#include "test_util.h"

static char dir[] = "/tmp/tessel_test_manifest_XXXXXX";

static const char *path(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static void expect_print(const char *what, batch_prints *p, const char *output, int want_found,
                         uint64_t want)
{
    uint64_t got = 0;
    int found = tessel_batch_prints_get(p, output, &got);
    if (found != want_found || (found && got != want))
        tu_fail(what, "%s: found %d, %016" PRIx64 "; expected %d, %016" PRIx64, output, found, got,
                want_found, want);
}

static int leftover_temporaries(const char *folder)
{
    DIR *d = opendir(folder);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tessel-")) ++n;
    if (d) closedir(d);
    return n;
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    mkdir(path("sub"), 0777);
    batch_prints *p = tessel_batch_prints_open();
    expect_print("empty", p, path("a.png"), 0, 0);
    tessel_batch_prints_put(p, path("a.png"), 0x0123456789abcdefu);
    tessel_batch_prints_put(p, path("b.png"), 42);
    tessel_batch_prints_put(p, path("sub/a.png"), 7);
    tessel_batch_prints_put(p, path("b.png"), 43); /* updated in place */
    expect_print("same run", p, path("b.png"), 1, 43);
    tessel_batch_prints_close(p);
    if (access(path(".tessel_fingerprints"), F_OK) != 0 ||
        access(path("sub/.tessel_fingerprints"), F_OK) != 0)
        tu_fail("close", "no manifest saved in each folder");
    if (leftover_temporaries(dir) || leftover_temporaries(path("sub")))
        tu_fail("close", "a temporary file was left");

    p = tessel_batch_prints_open();
    expect_print("next run", p, path("a.png"), 1, 0x0123456789abcdefu);
    expect_print("next run", p, path("b.png"), 1, 43);
    expect_print("next run, other folder", p, path("sub/a.png"), 1, 7);
    expect_print("next run, unknown", p, path("c.png"), 0, 0);
    tessel_batch_prints_close(p); /* nothing changed: nothing rewritten */

    /* damaged lines are dropped; good ones kept */
    FILE *f = fopen(path(".tessel_fingerprints"), "a");
    fputs("not a line\nzzzzzzzzzzzzzzzz bad.png\n00000000000000ff\n"
          "00000000000000ff sub/x.png\n000000000000000a good.png\n",
          f);
    fclose(f);
    p = tessel_batch_prints_open();
    expect_print("damaged", p, path("a.png"), 1, 0x0123456789abcdefu);
    expect_print("damaged", p, path("good.png"), 1, 10);
    expect_print("damaged", p, path("bad.png"), 0, 0);
    tessel_batch_prints_close(p);
    tessel_batch_prints_put(NULL, path("a.png"),
                            1); /* no store (out of memory): nothing recorded */
    expect_print("no store", NULL, path("a.png"), 0, 0);

    remove(path(".tessel_fingerprints"));
    remove(path("sub/.tessel_fingerprints"));
    rmdir(path("sub"));
    rmdir(dir);
    if (tu_failures()) {
        fprintf(stderr, "test_resume_manifest: %d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_resume_manifest: all checks passed\n");
    return 0;
}
