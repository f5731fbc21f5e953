/* The library context of a run, from --device / $TESSEL_DEVICE and
 * --threads (see context_open.h). */
#include "context_open.h"

#include <stdlib.h>

#include "report.h"

int cli_open_context(const cli_options *o, tessel_context **ctx)
{
    tessel_context_options opts = {0};
    opts.struct_size = sizeof opts;
    opts.device = o->device;
    opts.threads = o->threads;
    tessel_status s = tessel_context_create(&opts, ctx);
    if (s == TESSEL_OK) return CLI_EXIT_OK;
    const char *env = getenv("TESSEL_DEVICE");
    const char *source = o->device ? "--device" : "TESSEL_DEVICE";
    const char *value = o->device ? o->device : env ? env : "auto";
    if (s == TESSEL_ERR_INVALID_ARGUMENT)
        return cli_usage(o->command_name,
                         "%s: invalid value \"%s\": %s (accepted: auto, cpu, "
                         "opencl, opencl:N, gpu)",
                         source, value, cli_status_text(s));
    cli_error("%s \"%s\": %s", source, value, cli_status_text(s));
    return CLI_EXIT_FAILED;
}
