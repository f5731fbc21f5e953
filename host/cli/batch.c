/* The batch loop (see batch.h). */
#include "batch.h"

#include "progress.h"
#include "report.h"

int batch_run(int count, int quiet, int verbose, batch_step step, void *state)
{
    double started = cli_seconds();
    int failed = 0;
    progress_start(count, !quiet && !verbose);
    for (int i = 0; i < count; ++i) {
        if (step(state, i) != 0) ++failed;
        progress_update(i + 1);
    }
    progress_finish();
    double elapsed = cli_seconds() - started;
    if (failed && count > 1)
        cli_note("%d of %d files failed, %d written", failed, count, count - failed);
    else if (count > 1 && !quiet)
        cli_note("%d files written in %.2f s", count, elapsed);
    return failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
