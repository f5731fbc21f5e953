/* Help text wrapped to the terminal's usual 80 columns. */
#ifndef TESSEL_CLI_WRAP_H
#define TESSEL_CLI_WRAP_H

/* Prints text to stdout as if the cursor were at column `indent`, breaking
 * lines at spaces before column `width`; continuation lines are indented to
 * `indent`. Ends with a newline. */
void cli_print_wrapped(const char *text, int indent, int width);

#endif
