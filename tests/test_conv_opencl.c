/* The conformance matrix on the OpenCL backend, through the same suite as
 * the CPU backend, on every OpenCL device present (PoCL's CPU device in CI).
 * Exits 77 (CTest: skipped) only when no OpenCL platform exists. */
#include <stdio.h>

#include "conv_suite.h"

int main(void)
{
    tessel_device_desc devices[16];
    int n = 0;
    if (tessel_devices_list(devices, 16, &n) != TESSEL_OK) {
        printf("test_conv_opencl: listing devices failed: %s\n", tessel_last_error());
        return 1;
    }
    int failures = 0, ran = 0;
    for (int i = 0; i < n && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        tessel_context_options o = {0};
        o.struct_size = sizeof o;
        o.backend = TESSEL_BACKEND_OPENCL;
        o.device = devices[i].spec;
        char label[sizeof devices[i].spec + sizeof devices[i].name + 16];
        snprintf(label, sizeof label, "opencl %s (%s)", devices[i].spec, devices[i].name);
        failures += conv_suite_run(&o, label);
        ++ran;
    }
    if (!ran) {
        printf("test_conv_opencl: SKIPPED, no OpenCL platform or device is installed\n");
        return 77;
    }
    printf("test_conv_opencl: %d failures on %d device(s)\n", failures, ran);
    return failures ? 1 : 0;
}
