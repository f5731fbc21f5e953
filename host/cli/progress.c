/* Progress bar for batches (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 24
#define REDRAW_SECONDS 0.1 /* at most ten redraws a second, and the last one */

static struct {
    int active;  /* drawing at all */
    int visible; /* something is on the line now */
    int total;
    int done;
    double rate, eta;
    double drawn; /* when it was last drawn */
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
    if (bar.active) progress_update(0, 0, -1);
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
    int filled = bar.total > 0 ? (int)((long long)BAR_WIDTH * bar.done / bar.total) : 0;
    char cells[BAR_WIDTH + 1];
    for (int i = 0; i < BAR_WIDTH; ++i) cells[i] = i < filled ? '#' : '.';
    cells[BAR_WIDTH] = '\0';
    fprintf(stderr, "\r\033[K[%s] %d/%d", cells, bar.done, bar.total);
    if (bar.rate > 0 && bar.eta >= 0) {
        char eta[32];
        format_duration(bar.eta, eta, sizeof eta);
        fprintf(stderr, "  %.1f images/s  ETA %s", bar.rate, eta);
    }
    fflush(stderr);
    bar.visible = 1;
    bar.drawn = cli_seconds();
}

void progress_update(int done, double rate, double eta)
{
    bar.done = done;
    bar.rate = rate;
    bar.eta = eta;
    if (bar.active && (done == 0 || done == bar.total || !bar.visible ||
                       cli_seconds() - bar.drawn >= REDRAW_SECONDS))
        draw();
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
