/* The command's temporary files (temporaries.h). */
#include "temporaries.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "tessel/tessel.h"

static const int ending_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* SA_RESETHAND put the default action back: the signal raised again,
 * delivered once this returns, ends the process as it would have. */
static void on_signal(int sig)
{
    tessel_remove_temporary_files();
    raise(sig);
}

void cli_temporaries_on_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof ending_signals / sizeof *ending_signals; ++i) {
        struct sigaction before;
        if (sigaction(ending_signals[i], NULL, &before) != 0 || before.sa_handler == SIG_IGN)
            continue; /* nohup and the like: the caller wants it ignored */
        sigaction(ending_signals[i], &action, NULL);
    }
}

static void say_removed(void *user, const char *path)
{
    (void)user;
    cli_note("removed \"%s\", a temporary file its killed writer left", path);
}

void cli_temporaries_sweep(const cli_options *o, int folder)
{
    if (!o->output) return;
    const char *slash = strrchr(o->output, '/');
    size_t n = folder ? strlen(o->output) : slash ? (size_t)(slash - o->output) + 1 : 0;
    char *dir = malloc(n + 1);
    if (!dir) return; /* the sweep only tidies: nothing depends on it */
    memcpy(dir, o->output, n);
    dir[n] = '\0';
    tessel_remove_stale_temporary_files(dir, o->verbose ? say_removed : NULL, NULL);
    free(dir);
}
