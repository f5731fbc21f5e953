/* `tessel tune`: measures the device for method auto's cost model and
 * stores the profile (tessel_tune in tessel.h). */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "context_open.h"
#include "report.h"

static int run_tune(const cli_options *o)
{
    if (o->input_count > 0)
        return cli_usage("tune", "tune takes no inputs, but \"%s\" was given", o->inputs[0]);
    tessel_context *ctx = NULL;
    int status = cli_open_context(o, &ctx);
    if (status != CLI_EXIT_OK) return status;
    printf("tuning %s backend, device %s (%s)\n",
           tessel_backend_name(tessel_context_backend(ctx)), tessel_context_device_name(ctx),
           o->quick ? "quick: a few seconds" : "up to a minute");
    fflush(stdout);
    tessel_tune_options opts = {sizeof opts, o->quick};
    tessel_tune_result r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    tessel_status s = tessel_tune(ctx, &opts, &r);
    if (r.cases > 0)
        printf("%s%d cases in %.1f s; model error: median %.0f%%, largest %.0f%%\n", r.summary,
               r.cases, r.seconds, 100.0 * r.median_error, 100.0 * r.max_error);
    if (s == TESSEL_OK) {
        printf("profile: %s\n", r.profile_path);
    } else {
        cli_error("the profile was not stored: %s", tessel_context_last_error(ctx));
        status = CLI_EXIT_FAILED;
    }
    tessel_context_destroy(ctx);
    return status;
}

const cli_command cli_tune_command = {
    "tune",
    CLI_TUNE,
    "measure this machine for method auto's choices",
    "tessel tune [--quick] [--device DEVICE] [--threads N]",
    "Times each convolution method (direct, separable, fft, fft-block) on a few\n"
    "shapes on one device, fits the constants of the cost model that method auto\n"
    "(the default) chooses by, and stores them as a profile for that backend,\n"
    "device and thread count in tessel's cache folder (TESSEL_CACHE_DIR, else\n"
    "$XDG_CACHE_HOME/tessel, else ~/.cache/tessel). Later runs on the same device\n"
    "with the same thread count use it; 'tessel filter --verbose' shows the\n"
    "estimates behind each choice. Run it again after changing the hardware or\n"
    "the drivers. It takes up to a minute; --quick takes a few seconds.",
    "  tessel tune\n"
    "  tessel tune --device opencl:0\n"
    "  tessel tune --quick --threads 1\n",
    run_tune,
};
