/* The conformance matrix on the OpenCL backend, through the same suite as
 * the CPU backend, on every OpenCL device present (PoCL's CPU device in CI),
 * once with each kernel family forced: the tiled (GPU-shaped) kernels and
 * the vector (CPU-shaped) ones, so that the GPU paths are tested on machines
 * without a GPU. With a family forced, every direct and separable case must
 * name it in its plan info (the tiled one everywhere, the vector one at
 * column stride 1). Exits 77 (CTest: skipped) only when no OpenCL platform
 * exists. */
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
    static const struct {
        tessel_cl_kernels family;
        const char *name;
    } families[2] = {{TESSEL_CL_KERNELS_TILED, "tiled"}, {TESSEL_CL_KERNELS_VECTOR, "vector"}};
    int failures = 0, ran = 0;
    for (int i = 0; i < n && i < 16; ++i) {
        if (devices[i].backend != TESSEL_BACKEND_OPENCL) continue;
        for (int f = 0; f < 2; ++f) {
            tessel_context_options o = {0};
            o.struct_size = sizeof o;
            o.backend = TESSEL_BACKEND_OPENCL;
            o.device = devices[i].spec;
            o.cl_kernels = families[f].family;
            char label[sizeof devices[i].spec + sizeof devices[i].name + 32];
            snprintf(label, sizeof label, "opencl %s (%s), %s kernels", devices[i].spec,
                     devices[i].name, families[f].name);
            failures += conv_suite_run(&o, label);
        }
        ++ran;
    }
    if (!ran) {
        printf("test_conv_opencl: SKIPPED, no OpenCL platform or device is installed\n");
        return 77;
    }
    printf("test_conv_opencl: %d failures on %d device(s), both kernel families\n", failures, ran);
    return failures ? 1 : 0;
}
