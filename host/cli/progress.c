/* Progress bar for batches (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 24

static struct {
    int active;  /* drawing at all */
    int visible; /* something is on the line now */
    int total;
    int done;
    double started;
} bar;

double cli_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_start(int total, int enabled)
{
    bar.active = enabled && total > 1 && isatty(STDERR_FILENO);
    bar.visible = 0;
    bar.total = total;
    bar.done = 0;
    bar.started = cli_seconds();
    if (bar.active) progress_update(0);
}

/* "1:05" or "1:02:03". */
static void format_duration(double seconds, char *buf, size_t size)
{
    long s = (long)(seconds + 0.5);
    if (s >= 3600)
        snprintf(buf, size, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(buf, size, "%ld:%02ld", s / 60, s % 60);
}

static void draw(void)
{
    double elapsed = cli_seconds() - bar.started;
    int filled = bar.total > 0 ? (int)((long long)BAR_WIDTH * bar.done / bar.total) : 0;
    char cells[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; ++i) cells[i] = i < filled ? '#' : '.';
    cells[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r\033[K[%s] %d/%d", cells, bar.done, bar.total);
    if (bar.done > 0 && elapsed > 0) {
        double rate = bar.done / elapsed;
        char eta[32];
        format_duration((bar.total - bar.done) / rate, eta, sizeof eta);
        fprintf(stderr, "  %.1f files/s  ETA %s", rate, eta);
    }
    fflush(stderr);
    bar.visible = 1;
}

void progress_update(int done)
{
    bar.done = done;
    if (bar.active) draw();
}

void progress_clear(void)
{
    if (!bar.visible) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    bar.visible = 0;
}

void progress_finish(void)
{
    progress_clear();
    bar.active = 0;
}
