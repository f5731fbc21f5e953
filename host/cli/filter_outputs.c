/* `tessel filter`: the output of each input, named before anything runs
 * (see filter_run.h). An input whose output cannot be named, or is the
 * output of an earlier input too, is reported and left out; the others go
 * to the batch engine. */
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stdio.h>

#include "filter_run.h"
#include "paths.h"
#include "report.h"
#include "values.h"
#include "write_options.h"

/* Reports input as failed (printed and kept for the summary); returns 1. */
CLI_PRINTF(3, 4)
static int refuse(filter_run *run, const char *input, const char *fmt, ...)
{
    char message[1024];
    va_list args;
    va_start(args, fmt);
    vsnprintf(message, sizeof message, fmt, args);
    va_end(args);
    failures_report(&run->failures, input, NULL, message);
    return 1;
}

/* The output path of input `input` into buf; 0, or 1 after a message. */
static int output_path(filter_run *run, const char *input, char *buf, size_t size)
{
    const cli_options *o = run->o;
    if (!run->folder) {
        if (strlen(o->output) < size) {
            strcpy(buf, o->output);
            return 0;
        }
        return refuse(run, input, "the output path \"%.40s...\" is too long", o->output);
    }
    if (!o->format && !cli_is_write_format(paths_extension(input))) {
        return refuse(run, input,
                      "tessel cannot write .%s files; choose an output format with "
                      "--format (%s)",
                      paths_extension(input), CLI_WRITE_FORMATS);
    }
    if (paths_in_folder(o->output, input, o->format, buf, size) != 0)
        return refuse(run, input, "the output path in \"%s\" is too long", o->output);
    return 0;
}

typedef struct named_output {
    const char *path;
    int input;
} named_output;

/* Path order; among equal paths, input order. */
static int by_path(const void *a, const void *b)
{
    const named_output *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->input > y->input) - (x->input < y->input);
}

/* Marks in `taken` every input whose output an earlier input has. */
static int find_shared_outputs(char **outputs, int count, unsigned char *taken)
{
    named_output *sorted = malloc((size_t)(count > 0 ? count : 1) * sizeof *sorted);
    if (!sorted) return -1;
    int n = 0;
    for (int i = 0; i < count; ++i)
        if (outputs[i]) sorted[n++] = (named_output){outputs[i], i};
    qsort(sorted, (size_t)n, sizeof *sorted, by_path);
    for (int k = 1; k < n; ++k)
        taken[sorted[k].input] = strcmp(sorted[k].path, sorted[k - 1].path) == 0;
    free(sorted);
    return 0;
}

/* 1 when the output's format takes images of any size (TIFF, .npy, CSV):
 * then no input's header needs reading to plan it. */
static int takes_any_size(const char *output, const tessel_write_options *w)
{
    /* past every format's limit, within the address space */
    tessel_image largest = tessel_image_view(NULL, 100000, 100000, 4, TESSEL_U16);
    return tessel_image_write_check(output, &largest, w) == TESSEL_OK;
}

/* 0 when the output's format takes what filtering the input gives, by the
 * input's header: the format's limits are met before the pixels are read
 * and filtered, not after. An input whose header cannot be read is left to
 * the engine, which says why. */
static int unwritable(filter_run *run, const char *input, const char *output)
{
    const cli_options *o = run->o;
    tessel_write_options w;
    cli_write_options(o, &w);
    tessel_image in;
    int ow, oh;
    if (takes_any_size(output, &w) || tessel_image_info(input, &in) != TESSEL_OK ||
        tessel_conv_output_size(in.width, in.height, run->kernels[0], &o->conv, &ow, &oh) !=
            TESSEL_OK)
        return 0;
    tessel_image out = tessel_image_view(NULL, ow, oh, in.channels, o->dtype_keep ? in.dtype
                                                                                   : o->dtype);
    if (tessel_image_write_check(output, &out, &w) == TESSEL_OK) return 0;
    return refuse(run, input, "%s", cli_status_text(TESSEL_ERR_BAD_SIZE));
}

/* 0 when input i may go to the engine; else 1 after a message. */
static int refused(filter_run *run, int i, const char *output, int taken)
{
    const char *input = run->o->inputs[i];
    if (taken)
        return refuse(run, input, "its output \"%s\" is the output of an earlier input too",
                      output);
    if (run->strict && !run->o->force && paths_exists(output))
        return refuse(run, input, "output \"%s\" exists (use --force to overwrite it)", output);
    return unwritable(run, input, output);
}

/* Names each output into `all` (NULL after a message when it cannot be). */
static int name_outputs(filter_run *run, char **all)
{
    char buf[4096];
    for (int i = 0; i < run->o->input_count; ++i) {
        if (output_path(run, run->o->inputs[i], buf, sizeof buf)) continue;
        all[i] = malloc(strlen(buf) + 1);
        if (!all[i]) return -1;
        strcpy(all[i], buf);
    }
    return 0;
}

int filter_plan_outputs(filter_run *run)
{
    int n = run->o->input_count;
    char **all = calloc((size_t)n, sizeof *all);
    unsigned char *taken = calloc((size_t)n, 1);
    run->inputs = calloc((size_t)n, sizeof *run->inputs);
    run->outputs = calloc((size_t)n, sizeof *run->outputs);
    int ok = all && taken && run->inputs && run->outputs && name_outputs(run, all) == 0 &&
             find_shared_outputs(all, n, taken) == 0;
    for (int i = 0; ok && i < n; ++i) {
        if (!all[i] || refused(run, i, all[i], taken[i])) continue;
        run->inputs[run->count] = run->o->inputs[i];
        run->outputs[run->count++] = all[i];
        all[i] = NULL;
    }
    for (int i = 0; all && i < n; ++i) free(all[i]);
    free(all);
    free(taken);
    if (ok) return 0;
    cli_error("out of memory for the names of %d outputs", n);
    return CLI_EXIT_FAILED;
}

void filter_free_outputs(filter_run *run)
{
    for (int i = 0; i < run->count; ++i) free(run->outputs[i]);
    free(run->outputs);
    free(run->inputs);
    run->outputs = NULL;
    run->inputs = NULL;
    run->count = 0;
}
