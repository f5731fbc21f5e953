/* The failed inputs of a batch: each reported when it fails (the others go
 * on) and kept for the summary at the end, where a long batch's early
 * errors would have scrolled away. */
#ifndef TESSEL_CLI_FAILURES_H
#define TESSEL_CLI_FAILURES_H

typedef struct cli_failures {
    int count;    /* every failure */
    int kept;     /* the first ones, listed in the summary */
    char **lines; /* "\"input\": reason" */
} cli_failures;

/* Prints `tessel: error: "INPUT": MESSAGE` (the message alone when it names
 * input or other) and keeps the line. other may be NULL. */
void failures_report(cli_failures *f, const char *input, const char *other, const char *message);

/* `tessel:   failed: LINE` for the kept failures, then how many more. */
void failures_print(const cli_failures *f);

void failures_free(cli_failures *f);

#endif
