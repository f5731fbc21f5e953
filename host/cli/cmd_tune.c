/* `tessel tune`: measures the device for method auto's cost model and
 * stores the profile (tessel_tune in tessel.h). Its four options are read
 * here rather than from the shared table (options.c), which has no tune
 * entries. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "context_open.h"
#include "report.h"
#include "values.h"

typedef struct tune_args {
    const char *device;
    int threads;
    int quick;
    int help;
} tune_args;

/* The value of option `name` at argv[*i] ("--name=V" or "--name V"); NULL
 * after a usage message when it is missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    const char *word = argv[*i];
    const size_t n = strlen(name);
    if (word[n] == '=') return word + n + 1;
    if (*i + 1 < argc) return argv[++*i];
    cli_usage("tune", "%s: needs a value", name);
    return NULL;
}

static int is_option(const char *word, const char *name)
{
    const size_t n = strlen(name);
    return strncmp(word, name, n) == 0 && (word[n] == '\0' || word[n] == '=');
}

static int parse_args(int argc, char **argv, tune_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; ++i) {
        const char *w = argv[i];
        if (strcmp(w, "--quick") == 0) {
            a->quick = 1;
        } else if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
            a->help = 1;
        } else if (is_option(w, "--device")) {
            if (!(a->device = option_value(argc, argv, &i, "--device"))) return CLI_EXIT_USAGE;
            if (!*a->device)
                return cli_usage("tune", "--device: must not be empty (auto, cpu, opencl, "
                                         "opencl:N, gpu)");
        } else if (is_option(w, "--threads")) {
            const char *v = option_value(argc, argv, &i, "--threads");
            if (!v) return CLI_EXIT_USAGE;
            if (cli_read_int(v, 1, TESSEL_MAX_THREADS, &a->threads) != 0)
                return cli_usage("tune", "--threads: invalid value \"%s\" (accepted: a whole "
                                         "number from 1 to 1024)",
                                 v);
        } else {
            return cli_usage("tune", "unknown option or argument \"%s\"", w);
        }
    }
    return CLI_EXIT_OK;
}

static int run_tune(const tune_args *a)
{
    cli_options o;
    memset(&o, 0, sizeof o);
    o.command_name = "tune";
    o.device = a->device;
    o.threads = a->threads;
    tessel_context *ctx = NULL;
    int status = cli_open_context(&o, &ctx);
    if (status != CLI_EXIT_OK) return status;
    printf("tuning %s backend, device %s (%s)\n",
           tessel_backend_name(tessel_context_backend(ctx)), tessel_context_device_name(ctx),
           a->quick ? "quick: a few seconds" : "up to a minute");
    fflush(stdout);
    tessel_tune_options opts = {sizeof opts, a->quick};
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

int cli_tune_main(int argc, char **argv)
{
    tune_args a;
    int status = parse_args(argc, argv, &a);
    if (status != CLI_EXIT_OK) return status;
    if (a.help) {
        cli_print_help(&cli_tune_command);
        return CLI_EXIT_OK;
    }
    return run_tune(&a);
}

/* Reached only through cli_tune_main (main.c passes tune its words). */
static int run_parsed(const cli_options *o)
{
    (void)o;
    return cli_usage("tune", "internal error: options not read by tune");
}

const cli_command cli_tune_command = {
    "tune",
    (cli_command_id)0,
    "measure this machine for method auto's choices",
    "tessel tune [--quick] [--device DEVICE] [--threads N]",
    "Times each convolution method (direct, separable, fft, fft-block) on a few\n"
    "shapes on one device, fits the constants of the cost model that method auto\n"
    "(the default) chooses by, and stores them as a profile for that backend,\n"
    "device and thread count in tessel's cache folder (TESSEL_CACHE_DIR, else\n"
    "$XDG_CACHE_HOME/tessel, else ~/.cache/tessel). Later runs on the same device\n"
    "with the same thread count use it; 'tessel filter --verbose' shows the\n"
    "estimates behind each choice. Run it again after changing the hardware or\n"
    "the drivers. It takes up to a minute; --quick takes a few seconds.\n"
    "\n"
    "Options:\n"
    "      --quick              a few seconds of measurements, a coarser fit\n"
    "      --device DEVICE      auto, cpu, opencl, opencl:N, gpu (default:\n"
    "                           $TESSEL_DEVICE, else auto)\n"
    "      --threads N          CPU worker threads (default: all cores); a profile\n"
    "                           serves that thread count\n"
    "  -h, --help               show this help",
    "  tessel tune\n"
    "  tessel tune --device opencl:0\n"
    "  tessel tune --quick --threads 1\n",
    run_parsed,
};
