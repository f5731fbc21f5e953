/* Wrapped help text (see wrap.h). */
#include "wrap.h"

#include <stdio.h>
#include <string.h>

void cli_print_wrapped(const char *text, int indent, int width)
{
    int column = indent;
    while (*text) {
        size_t word = strcspn(text, " ");
        if (column > indent && column + 1 + (int)word > width) {
            printf("\n%*s", indent, "");
            column = indent;
        }
        printf(" %.*s", (int)word, text);
        column += 1 + (int)word;
        text += word;
        while (*text == ' ') ++text;
    }
    putchar('\n');
}
