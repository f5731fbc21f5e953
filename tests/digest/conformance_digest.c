/* Writes one line per case of the conformance matrix (conv_suite.c) with a
 * checksum of the bytes the case's call left in its destination, on the CPU
 * backend (1 and 3 threads) and on every OpenCL device: built against two
 * versions of tessel, equal files show that they compute the same bits
 * (bit_identity.sh). Uses the public API only, so that it builds against
 * any version that has it.
 *
 *   conformance_digest FILE     (the suites' own report goes to stdout) */
#include <stdio.h>

#include "conv_suite.h"

static int run(const tessel_context_options *o, const char *label)
{
    printf("%s\n", label);
    fflush(stdout);
    return conv_suite_run(o, label);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIGEST_FILE\n", argv[0]);
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    if (!out) {
        perror(argv[1]);
        return 1;
    }
    conv_suite_digest_to(out);
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = TESSEL_BACKEND_CPU;
    o.threads = 1;
    int failures = run(&o, "cpu threads=1");
    o.threads = 3;
    failures += run(&o, "cpu threads=3");
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) n = 0;
    for (int i = 0; i < n && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        tessel_context_options cl = {0};
        cl.struct_size = sizeof cl;
        cl.backend = TESSEL_BACKEND_OPENCL;
        cl.device = devices[i].spec;
        char label[sizeof devices[i].spec + sizeof devices[i].name + 16];
        snprintf(label, sizeof label, "opencl %s (%s)", devices[i].spec, devices[i].name);
        failures += run(&cl, label);
    }
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 1;
    }
    printf("conformance_digest: %d failures\n", failures);
    return failures ? 1 : 0;
}
