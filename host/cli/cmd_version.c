/* `tessel version`: the command's and the library's versions. */
#include <stdio.h>

#include "commands.h"
#include "report.h"

static int run_version(const cli_options *o)
{
    if (o->input_count) return cli_usage(o->command_name, "version takes no arguments");
    printf("tessel %d.%d.%d (library %s)\n", TESSEL_VERSION_MAJOR, TESSEL_VERSION_MINOR,
           TESSEL_VERSION_PATCH, tessel_version());
    return CLI_EXIT_OK;
}

const cli_command cli_version_command = {
    "version",
    CLI_VERSION,
    "print the version",
    "tessel version",
    "Prints the version of the tessel command and of the library it runs on.",
    "  tessel version\n",
    run_version,
};
