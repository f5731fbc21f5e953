/* The `tessel` command: picks the subcommand, parses its options, runs it.
 * Exit status: 0 success, 1 some file failed, 2 usage error (report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "commands.h"
#include "report.h"
#include "temporaries.h"

static const cli_command *const commands[] = {
    &cli_filter_command,  &cli_signal_command,  &cli_deconvolve_command,
    &cli_match_command,   &cli_kernels_command, &cli_devices_command,
    &cli_version_command, &cli_tune_command,
};
#define COMMAND_COUNT ((int)(sizeof commands / sizeof commands[0]))

static const cli_command *find_command(const char *name)
{
    for (int i = 0; i < COMMAND_COUNT; ++i)
        if (strcmp(commands[i]->name, name) == 0) return commands[i];
    return NULL;
}

static void print_main_help(void)
{
    printf("Usage: tessel COMMAND [options]\n\n"
           "Convolution of images, arrays and signals from the shell.\n\nCommands:\n");
    for (int i = 0; i < COMMAND_COUNT; ++i)
        printf("  %-10s %s\n", commands[i]->name, commands[i]->summary);
    printf("\n'tessel COMMAND --help' describes a command, its options and examples.\n"
           "\nExamples:\n"
           "  tessel filter photo.png -k gaussian:sigma=2 -o blurred.png\n"
           "  tessel filter scans/*.png -k sobel:x -k sobel:y -o edges/\n"
           "  tessel signal daily.csv --column 1 -k box:7x1 -o weekly.csv\n"
           "  tessel deconvolve blurred.png --psf gaussian:sigma=2 -o sharp.png\n"
           "  tessel match photo.png --template logo.png -n 3\n"
           "  tessel kernels sobel:x\n");
}

/* The usage error for a word that names no command, listing those that exist. */
static int unknown_command(const char *name)
{
    char names[256] = "";
    size_t used = 0;
    for (int i = 0; i < COMMAND_COUNT && used < sizeof names; ++i)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                 commands[i]->name);
    return cli_usage(NULL, "unknown command \"%s\" (commands: %s)", name, names);
}

/* `tessel help [COMMAND]`. */
static int run_help(int argc, char **argv)
{
    if (argc < 3) {
        print_main_help();
        return CLI_EXIT_OK;
    }
    const cli_command *c = find_command(argv[2]);
    if (!c) return unknown_command(argv[2]);
    cli_print_help(c);
    return CLI_EXIT_OK;
}

static int run_command(const cli_command *c, int argc, char **argv)
{
    const char **inputs = malloc((size_t)(argc > 0 ? argc : 1) * sizeof *inputs);
    if (!inputs) {
        cli_error("out of memory");
        return CLI_EXIT_FAILED;
    }
    cli_options o;
    int status = cli_parse(c->id, c->name, argc, argv, inputs, &o);
    if (status == CLI_EXIT_OK) {
        if (o.help)
            cli_print_help(c);
        else
            status = c->run(&o);
    }
    free(inputs);
    return status;
}

/* Images of tens of megabytes are allocated and freed for every file of a
 * batch; glibc would map and unmap each one, and the kernel clear each
 * page again (a tenth of a JPEG batch's time). Kept in the heap instead,
 * freed memory is reused; what the heap holds stays bounded by the images
 * a batch keeps in flight. */
static void keep_freed_images(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

int main(int argc, char **argv)
{
    keep_freed_images();
    cli_temporaries_on_signals();
    if (argc < 2) {
        print_main_help();
        return cli_usage(NULL, "no command given");
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0)
        return run_help(argc, argv);
    if (strcmp(name, "--version") == 0) name = "version";
    const cli_command *c = find_command(name);
    if (!c) return unknown_command(name);
    int status = run_command(c, argc - 2, argv + 2);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("cannot write to standard output");
        return CLI_EXIT_FAILED;
    }
    return status;
}
