/* The temporary files of tessel's writes: a legal name as long as the
 * file system takes (255 bytes) can be written, its temporary name cut
 * short (at a UTF-8 character boundary); tessel_remove_temporary_files
 * removes those of writes in progress (what a signal handler calls); and
 * tessel_remove_stale_temporary_files removes exactly those a killed
 * process left: of tessel's naming, process gone, lock free. */
#define _GNU_SOURCE /* mkdtemp, flock */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tessel/tessel.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

static char dir[] = "/tmp/tessel_test_temp_XXXXXX";

static const char *path(const char *name)
{
    static char buf[4][600];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", dir, name);
    return p;
}

static int count_temporaries(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tessel-") && e->d_name[0] == '.') ++n;
    if (d) closedir(d);
    return n;
}

static void touch(const char *p)
{
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0 || write(fd, "x", 1) != 1) tu_fail(p, "cannot make it");
    if (fd >= 0) close(fd);
}

static int exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

/* A process id that is gone: a child that has exited and been reaped. */
static long dead_pid(void)
{
    pid_t child = fork();
    if (child == 0) _exit(0);
    waitpid(child, NULL, 0);
    return (long)child;
}

static void test_long_names(void)
{
    uint8_t pixels[6] = {1, 2, 3, 4, 5, 6};
    tessel_image img = tessel_image_view(pixels, 3, 2, 1, TESSEL_U8);
    char name[300];
    memset(name, 'a', 251);
    strcpy(name + 251, ".npy"); /* 255 bytes: the longest name ext4 and tmpfs take */
    char multibyte[300] = "";
    for (int i = 0; i < 124; ++i) strcat(multibyte, "\xC3\xA9"); /* é, 2 bytes */
    strcat(multibyte, "x.npy");                                  /* 253 bytes */
    const char *names[2] = {name, multibyte};
    for (int i = 0; i < 2; ++i) {
        const char *p = path(names[i]);
        tessel_image back = {0};
        if (tessel_image_write(p, &img, NULL) != TESSEL_OK)
            tu_fail("long name", "%zu bytes: %s", strlen(names[i]), tessel_last_error());
        else if (tessel_image_read(p, &back) != TESSEL_OK || back.width != 3)
            tu_fail("long name", "%zu bytes: not read back", strlen(names[i]));
        tessel_image_free(&back);
        remove(p);
    }
    if (count_temporaries()) tu_fail("long name", "temporaries left");
}

static void test_remove_in_progress(void)
{
    tessel_image shape = tessel_image_view(NULL, 64, 64, 1, TESSEL_U8);
    tessel_tiff_writer *w = NULL;
    const char *out = path("in_progress.tif");
    if (tessel_tiff_writer_open(out, &shape, NULL, &w) != TESSEL_OK) {
        tu_fail("in progress", "%s", tessel_last_error());
        return;
    }
    if (count_temporaries() != 1) tu_fail("in progress", "no temporary file while writing");
    tessel_remove_temporary_files();
    if (count_temporaries() != 0) tu_fail("in progress", "the temporary file was not removed");
    tessel_tiff_writer_abort(w); /* the write can only fail now: cleanly */
    if (exists(out) || count_temporaries()) tu_fail("in progress", "a file was left");
    /* a later write works as before */
    uint8_t px[4] = {1, 2, 3, 4};
    tessel_image img = tessel_image_view(px, 2, 2, 1, TESSEL_U8);
    if (tessel_image_write(out, &img, NULL) != TESSEL_OK)
        tu_fail("after removal", "%s", tessel_last_error());
    remove(out);
}

typedef struct removed_list {
    char names[8][256];
    int count;
} removed_list;

static void on_removed(void *user, const char *p)
{
    removed_list *r = user;
    const char *slash = strrchr(p, '/');
    if (r->count < 8) snprintf(r->names[r->count++], 256, "%s", slash ? slash + 1 : p);
}

static void test_stale(void)
{
    long gone = dead_pid(), alive = (long)getppid();
    char stale[128], stale_tif[128], living[128], locked[128], link_name[128], mine[128];
    snprintf(stale, sizeof stale, ".a.png.tessel-%ld-0123abcd", gone);
    snprintf(stale_tif, sizeof stale_tif, ".b.tif.tessel-%ld-89abcdef", gone);
    snprintf(living, sizeof living, ".c.png.tessel-%ld-0123abcd", alive);
    snprintf(locked, sizeof locked, ".d.png.tessel-%ld-0123abcd", gone);
    snprintf(link_name, sizeof link_name, ".e.png.tessel-%ld-0123abcd", gone);
    snprintf(mine, sizeof mine, ".f.png.tessel-%ld-0123abcd", (long)getpid());
    const char *kept[] = {living,  locked,  link_name, mine, ".g.png.tessel-notes",
                          "h.png.tessel-1-0123abcd", ".i.png.tessel-1-0123ABCD", "plain.png"};
    touch(path(stale));
    touch(path(stale_tif));
    for (size_t i = 0; i < sizeof kept / sizeof *kept; ++i)
        if (kept[i] != link_name) touch(path(kept[i]));
    if (symlink("plain.png", path(link_name)) != 0) tu_fail("stale", "cannot make a link");
    int lock_fd = open(path(locked), O_RDONLY); /* a writer elsewhere still holds it */
    if (lock_fd < 0 || flock(lock_fd, LOCK_EX) != 0) tu_fail("stale", "cannot lock");

    removed_list r = {0};
    if (tessel_remove_stale_temporary_files(dir, on_removed, &r) != TESSEL_OK)
        tu_fail("stale", "%s", tessel_last_error());
    if (exists(path(stale)) || exists(path(stale_tif)))
        tu_fail("stale", "a killed process's temporary file is still there");
    for (size_t i = 0; i < sizeof kept / sizeof *kept; ++i)
        if (!exists(path(kept[i]))) tu_fail("stale", "\"%s\" was removed", kept[i]);
    int named = r.count == 2 && ((strcmp(r.names[0], stale) == 0 &&
                                  strcmp(r.names[1], stale_tif) == 0) ||
                                 (strcmp(r.names[1], stale) == 0 &&
                                  strcmp(r.names[0], stale_tif) == 0));
    if (!named) tu_fail("stale", "the callback named %d files", r.count);
    close(lock_fd);
    for (size_t i = 0; i < sizeof kept / sizeof *kept; ++i) remove(path(kept[i]));
    if (tessel_remove_stale_temporary_files(path("no_such_folder"), NULL, NULL) != TESSEL_OK)
        tu_fail("stale", "a missing folder: %s", tessel_last_error());
    if (tessel_remove_stale_temporary_files(NULL, NULL, NULL) != TESSEL_ERR_NULL_POINTER)
        tu_fail("stale", "a NULL folder was accepted");
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 2;
    }
    test_long_names();
    test_remove_in_progress();
    test_stale();
    rmdir(dir);
    if (tu_failures()) {
        fprintf(stderr, "test_temp_files: %d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_temp_files: all checks passed\n");
    return 0;
}
