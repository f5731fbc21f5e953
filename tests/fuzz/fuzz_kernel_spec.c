/* libFuzzer harness of the kernel specs ("gaussian:sigma=2,size=7x5",
 * tessel_kernel_builtin): a spec is refused with a message, or gives a
 * kernel of sensible size whose coefficients are all finite. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"

#define MAX_SPEC 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char spec[MAX_SPEC + 1];
    size_t n = size < MAX_SPEC ? size : MAX_SPEC;
    memcpy(spec, data, n);
    spec[n] = '\0';
    tessel_kernel *k = NULL;
    tessel_status s = tessel_kernel_builtin(spec, &k);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        if (k) abort();
        return 0;
    }
    int w = tessel_kernel_width(k), h = tessel_kernel_height(k);
    if (w < 1 || h < 1) abort();
    size_t count = (size_t)w * (size_t)h;
    float *c = malloc(count * sizeof *c);
    if (c && tessel_kernel_coefficients(k, c, count) != TESSEL_OK) abort();
    for (size_t i = 0; c && i < count; ++i)
        if (!isfinite(c[i])) abort();
    free(c);
    tessel_kernel_destroy(k);
    return 0;
}
