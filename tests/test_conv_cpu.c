/* The conformance matrix on the CPU backend: one thread (the caller only) and
 * three (output rows split into bands across workers). */
#include <stdio.h>

#include "conv_suite.h"

int main(void)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 1;
    int failures = conv_suite_run(&o, "cpu threads=1");
    o.threads = 3;
    failures += conv_suite_run(&o, "cpu threads=3");
    printf("test_conv_cpu: %d failures\n", failures);
    return failures ? 1 : 0;
}
