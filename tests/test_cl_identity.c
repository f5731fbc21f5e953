/* The OpenCL kernels compute the CPU backend's bits: methods direct and
 * separable (the tiled family's fused kernel and its two-pass form, and the
 * vector family), random shapes, borders, strides, channels and sample
 * types, every output compared byte for byte with the CPU backend's. Both
 * sum a pixel's products in one order with fused multiply-adds, so this
 * holds where the CPU backend runs its FMA variants (AVX2 or AVX-512); on a
 * baseline x86-64 CPU, which rounds products before adding them, the test
 * says so and checks nothing. Exits 77 without an OpenCL device. */
#include <stdio.h>
#include <string.h>

#include "test_util.h"

enum { CASES = 120 };

static tessel_context *make_context(tessel_backend backend, tessel_cl_kernels family)
{
    tessel_context_options o = {0};
    o.struct_size = sizeof o;
    o.backend = backend;
    o.threads = 1;
    o.cl_kernels = family;
    tessel_context *ctx = NULL;
    return tessel_context_create(&o, &ctx) == TESSEL_OK ? ctx : NULL;
}

/* A rank-1 kernel (for separable) or a dense one, its taps in [-0.3, 1). */
static tessel_kernel *random_kernel(tu_rng *rng, int kw, int kh, int rank1)
{
    float row[32], column[32], k[32 * 32];
    tu_rng_floats(rng, row, (size_t)kw, -0.3, 1.0);
    tu_rng_floats(rng, column, (size_t)kh, -0.3, 1.0);
    tessel_kernel *kernel = NULL;
    if (rank1) {
        tessel_kernel_create_separable(kw, row, kh, column, &kernel);
    } else {
        tu_rng_floats(rng, k, (size_t)kw * kh, -0.3, 1.0);
        tessel_kernel_create(kw, kh, k, &kernel);
    }
    return kernel;
}

static void one_case(tessel_context *cpu, tessel_context *cl, const char *family, int n,
                     tu_rng *rng)
{
    static const tessel_dtype types[3] = {TESSEL_U8, TESSEL_U16, TESSEL_F32};
    const int rank1 = tu_rng_int(rng, 0, 1);
    const int kw = tu_rng_int(rng, 1, rank1 ? 25 : 11), kh = tu_rng_int(rng, 1, rank1 ? 25 : 11);
    const int w = tu_rng_int(rng, 1, 150), h = tu_rng_int(rng, 1, 90), c = tu_rng_int(rng, 1, 4);
    const tessel_dtype in = types[tu_rng_int(rng, 0, 2)], out = types[tu_rng_int(rng, 0, 2)];
    tessel_conv_options o = {0};
    o.method = rank1 && kw > 1 && kh > 1 ? TESSEL_METHOD_SEPARABLE : TESSEL_METHOD_DIRECT;
    o.border = (tessel_border)tu_rng_int(rng, 0, TESSEL_BORDER_WRAP);
    o.mode = (tessel_mode)tu_rng_int(rng, TESSEL_MODE_SAME, TESSEL_MODE_FULL);
    o.cval = 0.5;
    o.stride_x = tu_rng_int(rng, 1, 3) == 3 ? 2 : 1;
    o.stride_y = tu_rng_int(rng, 1, 3) == 3 ? 3 : 1;
    o.correlate = tu_rng_int(rng, 0, 1);
    o.scale = out == TESSEL_F32 ? 1.0 : 0.9;
    tessel_kernel *kernel = random_kernel(rng, kw, kh, rank1);
    tu_image src, a, b;
    tu_image_alloc(&src, w, h, c, in, (tu_layout)tu_rng_int(rng, 0, TU_LAYOUT_COUNT - 1));
    tu_image_fill_random(&src, rng);
    tessel_plan *plan = NULL;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    char where[200];
    snprintf(where, sizeof where, "%s kernels, case %d: %dx%dx%d %s -> %s, %s %dx%d, stride %dx%d",
             family, n, w, h, c, tessel_dtype_name(in), tessel_dtype_name(out),
             tessel_method_name(o.method), kw, kh, o.stride_x, o.stride_y);
    if (tessel_plan_create(cl, &src.view, out, kernel, &o, &plan) != TESSEL_OK ||
        tessel_plan_info(plan, &info) != TESSEL_OK) {
        tu_fail(where, "plan: %s", tessel_context_last_error(cl));
    } else {
        tu_image_alloc(&a, info.out_width, info.out_height, c, out, TU_PACKED);
        tu_image_alloc(&b, info.out_width, info.out_height, c, out, TU_PACKED);
        if (tessel_plan_execute(plan, &src.view, &a.view) != TESSEL_OK ||
            tessel_convolve2d(cpu, &src.view, kernel, &o, &b.view) != TESSEL_OK)
            tu_fail(where, "%s", tessel_last_error());
        else if (memcmp(a.view.data, b.view.data,
                        (size_t)info.out_width * info.out_height * c * tessel_dtype_size(out)))
            tu_fail(where, "differs from the CPU backend's bits (%s)", info.kernel_detail);
        tu_image_free(&a);
        tu_image_free(&b);
    }
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tu_image_free(&src);
}

int main(void)
{
    tessel_context *cpu = make_context(TESSEL_BACKEND_CPU, TESSEL_CL_KERNELS_AUTO);
    const char *isa = tessel_context_device_name(cpu);
    if (!strstr(isa, "avx2") && !strstr(isa, "avx512")) {
        printf("test_cl_identity: the CPU backend runs without FMA here (%s): its sums round "
               "each product, OpenCL's fma does not; nothing compared\n",
               isa);
        tessel_context_destroy(cpu);
        return 0;
    }
    static const struct {
        tessel_cl_kernels family;
        const char *name;
    } families[2] = {{TESSEL_CL_KERNELS_TILED, "tiled"}, {TESSEL_CL_KERNELS_VECTOR, "vector"}};
    int ran = 0;
    for (int f = 0; f < 2; ++f) {
        tessel_context *cl = make_context(TESSEL_BACKEND_OPENCL, families[f].family);
        if (!cl) continue;
        tu_rng rng;
        tu_rng_seed(&rng, 99);
        for (int n = 0; n < CASES; ++n) one_case(cpu, cl, families[f].name, n, &rng);
        printf("%s, %s kernels: %d cases compared with the CPU backend (%s) bit for bit\n",
               tessel_context_device_name(cl), families[f].name, CASES, isa);
        tessel_context_destroy(cl);
        ++ran;
    }
    tessel_context_destroy(cpu);
    if (!ran) {
        printf("test_cl_identity: SKIPPED, no OpenCL platform or device is installed\n");
        return 77;
    }
    printf("test_cl_identity: %d failure(s)\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
