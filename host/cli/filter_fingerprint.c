/* `tessel filter`: the bytes that say what its process callback does, for
 * the batch engine's resume (tessel_batch_filter.fingerprint): the options
 * that shape the result and each kernel's size and coefficients (a kernel
 * file may change under the same name). The engine adds the output format
 * and write options itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_run.h"
#include "kernel_load.h"
#include "report.h"

/* The options as text; %a keeps every bit of the doubles. */
static int options_text(const cli_options *o, char *buf, size_t size)
{
    const tessel_conv_options *c = &o->conv;
    return snprintf(buf, size,
                    "tessel filter 1: mode %d border %d cval %a correlate %d stride %d,%d "
                    "anchor %d:%d,%d method %d scale %a offset %a abs %d dtype %s alpha %s "
                    "kernels %d",
                    (int)c->mode, (int)c->border, c->cval, c->correlate, c->stride_x, c->stride_y,
                    c->anchor_set, c->anchor_x, c->anchor_y, (int)c->method, c->scale, c->offset,
                    c->absolute, o->dtype_keep ? "keep" : tessel_dtype_name(o->dtype),
                    o->filter_alpha ? "filtered" : "copied", o->kernel_count);
}

int filter_fingerprint(filter_run *run)
{
    char text[512];
    int n = options_text(run->o, text, sizeof text);
    size_t used = n < 0 ? 0 : (size_t)n < sizeof text ? (size_t)n : sizeof text - 1;
    size_t size = used;
    for (int k = 0; k < run->kernel_count; ++k)
        size += 2 * sizeof(int) + (size_t)tessel_kernel_width(run->kernels[k]) *
                                      (size_t)tessel_kernel_height(run->kernels[k]) * sizeof(float);
    unsigned char *bytes = malloc(size);
    if (!bytes) {
        cli_error("out of memory for the kernels' fingerprint");
        return CLI_EXIT_FAILED;
    }
    memcpy(bytes, text, used);
    for (int k = 0; k < run->kernel_count; ++k) {
        int side[2] = {tessel_kernel_width(run->kernels[k]), tessel_kernel_height(run->kernels[k])};
        float *coeffs = cli_kernel_coefficients(run->kernels[k]);
        if (!coeffs) {
            free(bytes);
            return CLI_EXIT_FAILED;
        }
        size_t count = (size_t)side[0] * (size_t)side[1];
        memcpy(bytes + used, side, sizeof side);
        memcpy(bytes + used + sizeof side, coeffs, count * sizeof *coeffs);
        used += sizeof side + count * sizeof *coeffs;
        free(coeffs);
    }
    run->fingerprint = bytes;
    run->fingerprint_size = used;
    return CLI_EXIT_OK;
}
