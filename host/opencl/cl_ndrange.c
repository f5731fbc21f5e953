/* Work-group widths and launches of the simple kernels (cl_ndrange.h). */
#include "cl_ndrange.h"

#include "cl_internal.h"

#define GROUP_WIDTH 64

size_t tessel_cl_group_width(const tessel_cl_state *cl, const cl_kernel *kernels, int count)
{
    size_t limit = cl->caps.max_work_group;
    for (int i = 0; i < count; ++i) {
        size_t w = 0;
        if (clGetKernelWorkGroupInfo(kernels[i], cl->device, CL_KERNEL_WORK_GROUP_SIZE, sizeof w,
                                     &w, NULL) == CL_SUCCESS &&
            w < limit)
            limit = w;
    }
    size_t width = GROUP_WIDTH;
    while (width > 1 && width > limit) width /= 2;
    return width;
}

tessel_status tessel_cl_launch_rows(tessel_context *ctx, tessel_cl_state *cl, cl_kernel kernel,
                                    size_t group, size_t width, size_t height, size_t depth,
                                    const char *what)
{
    const size_t local[3] = {group, 1, 1};
    const size_t global[3] = {tessel_cl_round_up(width, group), height, depth};
    return tessel_cl_launch(ctx, cl, kernel, 3, global, local, what);
}

