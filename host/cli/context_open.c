/* The library context of a run, from --device / $TESSEL_DEVICE and
 * --threads, and the batch engine's devices (see context_open.h). */
#include "context_open.h"

#include <stdlib.h>

#include "report.h"

/* The message of a device that cannot be opened; the exit status. */
static int device_failure(const cli_options *o, const char *source, const char *value,
                          tessel_status s)
{
    if (s == TESSEL_ERR_INVALID_ARGUMENT)
        return cli_usage(o->command_name,
                         "%s: invalid value \"%s\": %s (accepted: auto, cpu, "
                         "opencl, opencl:N, gpu%s)",
                         source, value, cli_status_text(s),
                         o->devices ? ", separated by commas" : "");
    cli_error("%s \"%s\": %s", source, value, cli_status_text(s));
    return CLI_EXIT_FAILED;
}

int cli_open_context(const cli_options *o, tessel_context **ctx)
{
    tessel_context_options opts = {0};
    opts.struct_size = sizeof opts;
    opts.device = o->device;
    opts.threads = o->threads;
    tessel_status s = tessel_context_create(&opts, ctx);
    if (s == TESSEL_OK) return CLI_EXIT_OK;
    const char *env = getenv("TESSEL_DEVICE");
    return device_failure(o, o->device ? "--device" : "TESSEL_DEVICE",
                          o->device ? o->device
                          : env     ? env
                                    : "auto",
                          s);
}

int cli_open_batch(const cli_options *o, tessel_batch_options *options, tessel_batch **batch)
{
    const char *env = getenv("TESSEL_DEVICE");
    const char *source = "--devices", *value = o->devices;
    if (!value && o->device) source = "--device", value = o->device;
    if (!value && env && *env) source = "TESSEL_DEVICE", value = env;
    if (!value) source = "device", value = "auto";
    options->devices = value;
    options->cpu_threads = o->threads;
    options->io_threads = o->jobs;
    tessel_status s = tessel_batch_create(options, batch);
    return s == TESSEL_OK ? CLI_EXIT_OK : device_failure(o, source, value, s);
}
