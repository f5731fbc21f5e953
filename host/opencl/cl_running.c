/* Method running on OpenCL (cl_running.h). */
#include "cl_running.h"

#include <stdlib.h>
#include <string.h>

#include "cl_ndrange.h"
#include "cl_internal.h"
#include "cl_program.h"
#include "core/sizes.h"

/* Work per work-item: at least this many rows or outputs, and two
 * windows, so that summing the first window afresh costs little. */
#define MIN_RUN 32

struct tessel_cl_running {
    tessel_cl_running_layout layout;
    cl_kernel first, second;
    cl_mem temp, taps;
    tessel_cl_running_args args;
    size_t group;
};

static int run_length(int window)
{
    return 2 * window > MIN_RUN ? 2 * window : MIN_RUN;
}

static size_t divide_up(size_t a, size_t b)
{
    return (a + b - 1) / b;
}

void tessel_cl_running_layout_of(const tessel_plan *plan, const tessel_cl_device_caps *caps,
                                 tessel_cl_running_layout *out)
{
    const tessel_geometry *g = &plan->geo;
    const size_t c = (size_t)plan->channels;
    memset(out, 0, sizeof *out);
    tessel_running_rule_of(plan, &out->rule);
    out->available = out->rule.integer || caps->has_fp64;
    if (out->rule.vertical) {
        /* Sums of every extended column for every output row. */
        out->temp_w = (int)(((size_t)g->dense_width + g->kernel_width - 1) * c);
        out->temp_rows = g->out_height;
        out->temp_bytes = tessel_size_mul_sat(tessel_size_mul_sat((size_t)out->temp_w,
                                                                  (size_t)out->temp_rows),
                                              out->rule.integer ? 4 : 8);
        out->band = run_length(g->kernel_height);
        out->segment = run_length((g->kernel_width + g->stride_x - 1) / g->stride_x);
        out->items[0][0] = (size_t)out->temp_w;
        out->items[0][1] = divide_up((size_t)g->out_height, (size_t)out->band);
        out->items[1][0] = divide_up((size_t)g->out_width, (size_t)out->segment) * c;
        out->items[1][1] = (size_t)g->out_height;
        out->taps = (size_t)g->kernel_width;
    } else {
        /* The needed input rows summed along the row, every dense column. */
        out->temp_w = (int)((size_t)g->dense_width * c);
        out->temp_rows = (g->out_height - 1) * g->stride_y + g->kernel_height;
        out->temp_bytes = tessel_size_mul_sat(tessel_size_mul_sat((size_t)out->temp_w,
                                                                  (size_t)out->temp_rows),
                                              sizeof(float));
        out->segment = run_length(g->kernel_width);
        out->items[0][0] = divide_up((size_t)g->dense_width, (size_t)out->segment) * c;
        out->items[0][1] = (size_t)out->temp_rows;
        out->items[1][0] = (size_t)g->out_width * c;
        out->items[1][1] = (size_t)g->out_height;
        out->taps = (size_t)g->kernel_height;
    }
}

static tessel_cl_running_args args_of(const tessel_plan *plan, const tessel_cl_running_layout *l)
{
    const tessel_geometry *g = &plan->geo;
    return (tessel_cl_running_args){
        .in_w = g->in_width, .in_h = g->in_height, .channels = plan->channels,
        .in_type = (cl_int)plan->in_dtype, .out_w = g->out_width, .out_h = g->out_height,
        .out_type = (cl_int)plan->out_dtype, .kw = g->kernel_width, .kh = g->kernel_height,
        .sx = g->stride_x, .sy = g->stride_y, .ox = g->origin_x, .oy = g->origin_y,
        .border = (cl_int)plan->border, .absolute = plan->absolute,
        .integer = l->rule.integer, .row_running = l->rule.horizontal, .temp_w = l->temp_w,
        .temp_rows = l->temp_rows, .band = l->band, .segment = l->segment, .cval = plan->cval,
        .scale = plan->scale, .offset = plan->offset, .factor = l->rule.factor};
}

static tessel_status make_buffers(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_running *r)
{
    tessel_context *ctx = plan->ctx;
    const tessel_cl_running_layout *l = &r->layout;
    RETURN_ERROR_IF(l->temp_bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                    "the running sums' temporary of %zu MiB exceeds the device's largest "
                    "buffer (%llu MiB)",
                    l->temp_bytes >> 20, (unsigned long long)(cl->caps.max_alloc >> 20));
    cl_int e;
    r->temp = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, l->temp_bytes, NULL, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (running sums' temporary)");
    const float *taps = l->rule.vertical ? plan->row_taps : plan->column_taps;
    r->taps = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                             l->taps * sizeof(float), (void *)taps, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (running sums' taps)");
    return TESSEL_OK;
}

tessel_status tessel_cl_running_prepare(tessel_plan *plan, tessel_cl_state *cl,
                                        tessel_cl_running **out)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_running *r = calloc(1, sizeof *r);
    RETURN_ERROR_IF(!r, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a plan");
    *out = r;
    tessel_cl_running_layout_of(plan, &cl->caps, &r->layout);
    RETURN_ERROR_IF(!r->layout.available, ctx, TESSEL_ERR_UNSUPPORTED,
                    "method running sums %s inputs in double, which %s does not have",
                    tessel_dtype_name(plan->in_dtype), cl->caps.name);
    /* No build options: sample types are arguments, so one program serves all. */
    const int vertical = r->layout.rule.vertical;
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "running_sum.cl", NULL,
                                          vertical ? "tessel_running_vertical"
                                                   : "tessel_running_rows",
                                          &r->first));
    FORWARD_IF_ERROR(tessel_cl_kernel_get(ctx, cl, "running_sum.cl", NULL,
                                          vertical ? "tessel_running_horizontal"
                                                   : "tessel_running_column_taps",
                                          &r->second));
    const cl_kernel both[2] = {r->first, r->second};
    r->group = tessel_cl_group_width(cl, both, 2);
    r->args = args_of(plan, &r->layout);
    return make_buffers(plan, cl, r);
}

tessel_status tessel_cl_running_run(const tessel_plan *plan, tessel_cl_state *cl,
                                    tessel_cl_running *r, cl_mem src, int src_pitch, cl_mem dst,
                                    int dst_pitch)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_running_args a = r->args;
    a.src_pitch = src_pitch;
    a.dst_pitch = dst_pitch;
    cl_int e = clSetKernelArg(r->first, 0, sizeof src, &src);
    e |= clSetKernelArg(r->first, 1, sizeof r->temp, &r->temp);
    e |= clSetKernelArg(r->first, 2, sizeof a, &a);
    e |= clSetKernelArg(r->second, 0, sizeof r->temp, &r->temp);
    e |= clSetKernelArg(r->second, 1, sizeof dst, &dst);
    e |= clSetKernelArg(r->second, 2, sizeof r->taps, &r->taps);
    e |= clSetKernelArg(r->second, 3, sizeof a, &a);
    RETURN_ERROR_IF(e != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "clSetKernelArg failed for the running sums");
    const size_t(*items)[2] = r->layout.items;
    FORWARD_IF_ERROR(tessel_cl_launch_rows(ctx, cl, r->first, r->group, items[0][0], items[0][1], 1,
                                           "clEnqueueNDRangeKernel (running sums, first pass)"));
    return tessel_cl_launch_rows(ctx, cl, r->second, r->group, items[1][0], items[1][1], 1,
                                 "clEnqueueNDRangeKernel (running sums, second pass)");
}

void tessel_cl_running_destroy(tessel_cl_running *r)
{
    if (!r) return;
    if (r->first) clReleaseKernel(r->first);
    if (r->second) clReleaseKernel(r->second);
    if (r->temp) clReleaseMemObject(r->temp);
    if (r->taps) clReleaseMemObject(r->taps);
    free(r);
}
