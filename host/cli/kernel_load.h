/* The kernel of -k: a built-in spec ("gaussian:sigma=2") or a matrix file
 * (.npy, .csv, .txt: one row per line), read through the public API. */
#ifndef TESSEL_CLI_KERNEL_LOAD_H
#define TESSEL_CLI_KERNEL_LOAD_H

#include "tessel/tessel.h"

/* 1 when `text` names a file rather than a built-in spec: it ends in .npy,
 * .csv or .txt, or contains a '/'. */
int cli_kernel_is_file(const char *text);

/* Makes the kernel `text` describes. On failure prints a message naming the
 * spec or file and the problem (a NaN coefficient says where it is) and
 * returns the status. */
tessel_status cli_load_kernel(const char *text, tessel_kernel **out);

/* The width*height coefficients of a kernel in a new array (NULL if out of
 * memory, after a message). Free with free(). */
float *cli_kernel_coefficients(const tessel_kernel *kernel);

#endif
