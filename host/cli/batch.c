/* The command line's side of the batch engine (see batch.h). */
#include "batch.h"

#include <stdio.h>

#include "context_open.h"
#include "progress.h"
#include "report.h"

static void on_item(void *user, const tessel_batch_item *it, const tessel_batch_progress *p)
{
    const cli_batch *b = user;
    const cli_batch_job *job = b->job;
    if (it->outcome == TESSEL_BATCH_FAILED)
        failures_report(job->failures, it->input, it->output, it->message);
    else if (job->o->verbose && it->outcome == TESSEL_BATCH_WRITTEN && job->describe)
        job->describe(job->user, it);
    else if (job->o->verbose && it->outcome == TESSEL_BATCH_SKIPPED)
        cli_note("\"%s\": skipped, its output \"%s\" is newer and made by the same filter "
                 "(--force rewrites it)",
                 it->input, it->output);
    progress_update(b->refused + p->done, p->images_per_second, p->eta);
}

/* Each device, why it takes part and, after a run (counts), its share:
 * "opencl:0 (NAME): 120 images, 2 queues, 3.1 s busy; an OpenCL GPU ...". */
static void print_devices(const tessel_batch *engine, int counts)
{
    for (int d = 0; d < tessel_batch_device_count(engine); ++d) {
        tessel_batch_device dev;
        if (tessel_batch_device_get(engine, d, &dev) != TESSEL_OK) continue;
        const char *why = tessel_batch_device_reason(engine, d);
        if (!counts) {
            cli_note("device %s (%s), %d queue%s: %s", dev.spec, dev.name, dev.queues,
                     dev.queues == 1 ? "" : "s", why);
            continue;
        }
        char failed[32] = "";
        if (dev.failed) snprintf(failed, sizeof failed, ", %d failed", dev.failed);
        cli_note("  %s (%s): %d image%s%s, %d queue%s, %.2f s busy (%s)", dev.spec, dev.name,
                 dev.images, dev.images == 1 ? "" : "s", failed, dev.queues,
                 dev.queues == 1 ? "" : "s", dev.busy_seconds, why);
    }
}

static void print_summary(const cli_batch_job *job, const tessel_batch *engine,
                          const tessel_batch_progress *sum)
{
    const cli_options *o = job->o;
    int total = o->input_count, failed = job->failures->count;
    if (total < 2) return; /* one file's own message is enough */
    char skipped[96] = "";
    if (sum->skipped)
        snprintf(skipped, sizeof skipped,
                 ", %d skipped (up to date: newer than their inputs, same filter)", sum->skipped);
    if (failed)
        cli_note("%d of %d files failed, %d written%s", failed, total, sum->written, skipped);
    else if (!o->quiet)
        cli_note("%d files written in %.2f s (%.1f images/s)%s", sum->written, sum->elapsed,
                 sum->images_per_second, skipped);
    if (o->quiet) return;
    print_devices(engine, 1);
    failures_print(job->failures);
}

int cli_batch_open(cli_batch *b, const cli_batch_job *job)
{
    b->job = job;
    b->engine = NULL;
    b->refused = 0;
    tessel_batch_options options = {0};
    options.struct_size = sizeof options;
    options.force = job->force;
    options.on_item = on_item;
    options.user = b;
    int status = cli_open_batch(job->o, &options, &b->engine);
    if (status == CLI_EXIT_OK && job->o->verbose) print_devices(b->engine, 0);
    return status;
}

int cli_batch_run(cli_batch *b)
{
    const cli_batch_job *job = b->job;
    const cli_options *o = job->o;
    b->refused = job->failures->count;
    tessel_batch_progress sum = {0};
    progress_start(o->input_count, !o->quiet && !o->verbose);
    progress_update(b->refused, 0, -1);
    tessel_status s =
        tessel_batch_run(b->engine, job->count, job->inputs, job->outputs, job->filter, &sum);
    progress_finish();
    if (s != TESSEL_OK) {
        cli_error("%s", cli_status_text(s));
        return CLI_EXIT_FAILED;
    }
    print_summary(job, b->engine, &sum);
    return job->failures->count ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

void cli_batch_close(cli_batch *b)
{
    tessel_batch_destroy(b->engine);
    b->engine = NULL;
}
