/* `tessel CMD --help` (see commands.h). */
#include <stdio.h>

#include "commands.h"

void cli_print_help(const cli_command *c)
{
    printf("Usage: %s\n\n%s\n", c->usage, c->about);
    printf("\nOptions:\n");
    cli_print_options(c->id);
    if (c->examples) printf("\nExamples:\n%s", c->examples);
}
