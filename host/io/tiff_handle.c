/* A libtiff handle over a descriptor tessel opened, with libtiff's messages
 * kept for tessel's error text instead of printed.
 *
 * libtiff 4.5 and newer take error and warning handlers per open file
 * (TIFFOpenOptions): nothing process-wide changes, so an application's own
 * libtiff handlers stay as they are and threads cannot disturb each other.
 * Older versions only have process-wide handlers: tessel installs its own
 * once and keeps messages per thread, which is sound because libtiff reports
 * a failure on the thread that made the failing call. (Defining
 * TESSEL_TIFF_GLOBAL_HANDLERS builds that fallback with a newer libtiff, to
 * test it.) */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tiff_io.h"

#if !defined(TESSEL_TIFF_GLOBAL_HANDLERS) && defined(TIFFLIB_AT_LEAST)
#if TIFFLIB_AT_LEAST(4, 5, 0)
#define PER_FILE_HANDLERS 1
#endif
#endif

/* The name libtiff knows the file by. libtiff passes it as the "module" of
 * many messages, where it says nothing the path in tessel's message does
 * not say better. */
static const char libtiff_name[] = "TIFF";

/* Largest single allocation libtiff may make for a file (libtiff >= 4.5):
 * a lying header then fails cleanly instead of allocating gigabytes. */
#define MAX_SINGLE_ALLOCATION ((tmsize_t)1 << 30)

static void keep_message(char *kept, const char *module, const char *fmt, va_list args)
{
    if (kept[0]) return; /* the first error explains; later ones follow from it */
    char buffer[TESSEL_TIFF_MESSAGE_SIZE];
    vsnprintf(buffer, sizeof buffer, fmt, args);
    const char *text = buffer; /* without the "TIFF: " of messages that name the file */
    size_t name_length = sizeof libtiff_name - 1;
    if (strncmp(text, libtiff_name, name_length) == 0 && strncmp(text + name_length, ": ", 2) == 0)
        text += name_length + 2;
    if (module && module[0] && strcmp(module, libtiff_name) != 0)
        snprintf(kept, TESSEL_TIFF_MESSAGE_SIZE, "%.64s: %.180s", module, text);
    else
        snprintf(kept, TESSEL_TIFF_MESSAGE_SIZE, "%s", text);
}

#ifdef PER_FILE_HANDLERS
static int on_error(TIFF *tif, void *user_data, const char *module, const char *fmt,
                    va_list args)
{
    (void)tif;
    tessel_tiff_handle *h = user_data;
    keep_message(h->message, module, fmt, args);
    return 1; /* handled: libtiff's process-wide handler is not called */
}

static int on_warning(TIFF *tif, void *user_data, const char *module, const char *fmt,
                      va_list args)
{
    (void)tif, (void)user_data, (void)module, (void)fmt, (void)args;
    return 1; /* warnings (unknown tags, ...) never stop a read: dropped */
}

static char *message_of(tessel_tiff_handle *h)
{
    return h->message;
}
#else
static _Thread_local char thread_message[TESSEL_TIFF_MESSAGE_SIZE];
static pthread_once_t handlers_installed = PTHREAD_ONCE_INIT;

static void on_error_global(const char *module, const char *fmt, va_list args)
{
    keep_message(thread_message, module, fmt, args);
}

static void install_handlers(void)
{
    TIFFSetErrorHandler(on_error_global);
    TIFFSetWarningHandler(NULL); /* libtiff then drops warnings */
}

static char *message_of(tessel_tiff_handle *h)
{
    (void)h;
    return thread_message;
}
#endif

void tessel_tiff_clear_message(tessel_tiff_handle *h)
{
    message_of(h)[0] = '\0';
}

/* ------------------------------------------------------- client procedures */

static tmsize_t read_proc(thandle_t client, void *buf, tmsize_t size)
{
    tessel_tiff_handle *h = client;
    size_t done = 0, want = size > 0 ? (size_t)size : 0;
    while (done < want) {
        ssize_t got = pread(h->fd, (char *)buf + done, want - done, (off_t)(h->offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && !h->io_error) h->io_error = errno;
        if (got <= 0) break; /* libtiff sees the short read and says what it missed */
        done += (size_t)got;
    }
    h->offset += done;
    return (tmsize_t)done;
}

static tmsize_t write_proc(thandle_t client, void *buf, tmsize_t size)
{
    tessel_tiff_handle *h = client;
    size_t done = 0, want = size > 0 ? (size_t)size : 0;
    while (done < want && !h->io_error) {
        ssize_t put = pwrite(h->fd, (const char *)buf + done, want - done,
                             (off_t)(h->offset + done));
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) h->io_error = put < 0 ? errno : EIO;
        else done += (size_t)put;
    }
    h->offset += done;
    return done == want ? (tmsize_t)done : (tmsize_t)-1;
}

static toff_t size_proc(thandle_t client)
{
    tessel_tiff_handle *h = client;
    struct stat st;
    if (fstat(h->fd, &st) != 0) {
        if (!h->io_error) h->io_error = errno;
        return 0;
    }
    return (toff_t)st.st_size;
}

/* Offsets wrap like libtiff's unsigned arithmetic: SEEK_CUR/SEEK_END with a
 * "negative" toff_t moves back. */
static toff_t seek_proc(thandle_t client, toff_t offset, int whence)
{
    tessel_tiff_handle *h = client;
    uint64_t base = whence == SEEK_CUR ? h->offset : whence == SEEK_END ? size_proc(client) : 0;
    uint64_t target = base + offset;
    if (target > (uint64_t)INT64_MAX) return (toff_t)-1;
    h->offset = target;
    return (toff_t)target;
}

static int close_proc(thandle_t client)
{
    (void)client; /* the descriptor belongs to the caller */
    return 0;
}

static int map_proc(thandle_t client, void **base, toff_t *size)
{
    (void)client, (void)base, (void)size;
    return 0; /* no mapping: mapped pages would count as the process's memory */
}

static void unmap_proc(thandle_t client, void *base, toff_t size)
{
    (void)client, (void)base, (void)size;
}

static TIFF *client_open(tessel_tiff_handle *h, const char *mode)
{
#ifdef PER_FILE_HANDLERS
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(options, on_error, h);
    TIFFOpenOptionsSetWarningHandlerExtR(options, on_warning, h);
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, MAX_SINGLE_ALLOCATION);
    TIFF *tif = TIFFClientOpenExt(libtiff_name, mode, h, read_proc, write_proc, seek_proc,
                                  close_proc, size_proc, map_proc, unmap_proc, options);
    TIFFOpenOptionsFree(options);
    return tif;
#else
    pthread_once(&handlers_installed, install_handlers);
    return TIFFClientOpen(libtiff_name, mode, h, read_proc, write_proc, seek_proc, close_proc,
                          size_proc, map_proc, unmap_proc);
#endif
}

tessel_status tessel_tiff_handle_open(tessel_tiff_handle *h, const char *path, int fd,
                                      const char *mode)
{
    memset(h, 0, sizeof *h);
    h->path = path;
    h->fd = fd;
    tessel_tiff_clear_message(h);
    h->tif = client_open(h, mode);
    if (h->tif) return TESSEL_OK;
    return tessel_tiff_fail(h, TESSEL_ERR_FORMAT,
                            mode[0] == 'r' ? "not a readable TIFF" : "cannot start a TIFF");
}

void tessel_tiff_handle_close(tessel_tiff_handle *h)
{
    if (h->tif) TIFFClose(h->tif);
    h->tif = NULL;
}

tessel_status tessel_tiff_fail(tessel_tiff_handle *h, tessel_status status, const char *what)
{
    char why[128];
    if (h->io_error)
        return tessel_io_fail(TESSEL_ERR_IO, h->path, "%s: %s", what,
                              tessel_strerror(h->io_error, why, sizeof why));
    const char *message = message_of(h);
    if (message[0]) return tessel_io_fail(status, h->path, "%s: %s", what, message);
    return tessel_io_fail(status, h->path, "%s", what);
}
