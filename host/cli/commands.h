/* The subcommands of `tessel`: each has its own file (cmd_*.c) with its
 * help text and its run function, described by one cli_command. */
#ifndef TESSEL_CLI_COMMANDS_H
#define TESSEL_CLI_COMMANDS_H

#include "options.h"

typedef struct cli_command {
    const char *name;
    cli_command_id id;
    const char *summary;  /* one line for `tessel --help` */
    const char *usage;    /* the synopsis lines */
    const char *about;    /* what it does, a paragraph */
    const char *examples; /* example command lines, one per line */
    int (*run)(const cli_options *options);
} cli_command;

extern const cli_command cli_filter_command;
extern const cli_command cli_signal_command;
extern const cli_command cli_deconvolve_command;
extern const cli_command cli_match_command;
extern const cli_command cli_kernels_command;
extern const cli_command cli_devices_command;
extern const cli_command cli_version_command;
extern const cli_command cli_tune_command;

/* `tessel CMD --help`: synopsis, description, options, examples on stdout. */
void cli_print_help(const cli_command *command);

#endif
