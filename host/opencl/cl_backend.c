/* The OpenCL backend: context and queue on the chosen device (or the
 * application's queue), plans as the launches of cl_passes.h, as FFT
 * convolution (cl_fft.h, cl_fft_block.h) or as running sums (cl_running.h),
 * and execution on host images (zero-copy on devices that share host
 * memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_deconv.h"
#include "cl_device.h"
#include "cl_estimates.h"
#include "cl_fft.h"
#include "cl_fft_block.h"
#include "cl_internal.h"
#include "cl_launch.h"
#include "cl_passes.h"
#include "cl_program.h"
#include "cl_running.h"
#include "cl_tiles.h"
#include "core/backend.h"
#include "core/plan.h"

typedef struct tessel_cl_plan {
    tessel_cl_passes described; /* direct and separable: what the passes are */
    tessel_cl_pass pass[2];
    int passes;
    cl_mem temp;      /* separable in two passes: float rows between them */
    int temp_pitch;   /* samples per temp row */
    cl_mem dev_src, dev_dst; /* staging buffers on devices with their own memory */
    tessel_cl_fft *fft;      /* method fft: replaces the passes */
    tessel_cl_fft_block *fft_block; /* method fft-block: replaces the passes */
    tessel_cl_running *running;     /* method running: replaces the passes */
} tessel_cl_plan;

/* The application's queue: its context and device, retained. */
static tessel_status adopt_queue(tessel_context *ctx, tessel_cl_state *cl, cl_command_queue queue,
                                 tessel_cl_kernels family)
{
    cl_context context = NULL;
    cl_device_id device = NULL;
    cl_platform_id platform = NULL;
    cl_int e = clGetCommandQueueInfo(queue, CL_QUEUE_CONTEXT, sizeof context, &context, NULL);
    if (e == CL_SUCCESS)
        e = clGetCommandQueueInfo(queue, CL_QUEUE_DEVICE, sizeof device, &device, NULL);
    if (e == CL_SUCCESS)
        e = clGetDeviceInfo(device, CL_DEVICE_PLATFORM, sizeof platform, &platform, NULL);
    cl_command_queue_properties properties = 0;
    if (e == CL_SUCCESS)
        e = clGetCommandQueueInfo(queue, CL_QUEUE_PROPERTIES, sizeof properties, &properties,
                                  NULL);
    RETURN_IF_CL_ERROR(NULL, e, "reading the given cl_command_queue");
    cl->out_of_order = (properties & CL_QUEUE_OUT_OF_ORDER_EXEC_MODE_ENABLE) != 0;
    /* Retained, so that releasing them at the end is right in both cases. */
    clRetainContext(context);
    clRetainCommandQueue(queue);
    cl->context = context;
    cl->device = device;
    cl->platform = platform;
    cl->queue = queue;
    tessel_cl_query_caps(cl->device, &cl->caps);
    FORWARD_IF_ERROR(tessel_cl_choose_family(cl, family));
    FORWARD_IF_ERROR(tessel_cl_programs_create(ctx, cl));
    ctx->threads = 1;
    ctx->cl_queue = cl->queue;
    snprintf(ctx->device_name, sizeof ctx->device_name, "%.100s (application queue%s)",
             cl->caps.name, cl->out_of_order ? ", out of order" : "");
    return TESSEL_OK;
}

static tessel_status tessel_cl_context_init(tessel_context *ctx, const tessel_context_options *o)
{
    if (o->cl_queue) {
        tessel_cl_state *cl = calloc(1, sizeof *cl);
        RETURN_ERROR_IF(!cl, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for OpenCL state");
        ctx->backend_state = cl;
        FORWARD_IF_ERROR(tessel_cl_read_memory_limit(cl));
        return adopt_queue(ctx, cl, (cl_command_queue)o->cl_queue, o->cl_kernels);
    }
    tessel_cl_state *cl = calloc(1, sizeof *cl);
    RETURN_ERROR_IF(!cl, NULL, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for the OpenCL backend");
    ctx->backend_state = cl;
    FORWARD_IF_ERROR(tessel_cl_read_memory_limit(cl));
    tessel_cl_device_entry chosen;
    FORWARD_IF_ERROR(tessel_cl_open(ctx->device_spec[0] ? ctx->device_spec : NULL, &chosen,
                                    &cl->context, &cl->queue));
    cl->platform = chosen.platform;
    cl->device = chosen.device;
    tessel_cl_query_caps(cl->device, &cl->caps);
    FORWARD_IF_ERROR(tessel_cl_choose_family(cl, o->cl_kernels));
    FORWARD_IF_ERROR(tessel_cl_programs_create(ctx, cl));
    ctx->threads = 1;
    ctx->cl_queue = cl->queue;
    snprintf(ctx->device_name, sizeof ctx->device_name, "%.100s (%.50s)", chosen.name,
             chosen.platform_name);
    return TESSEL_OK;
}

static void tessel_cl_context_release(tessel_context *ctx)
{
    tessel_cl_state *cl = ctx->backend_state;
    if (!cl) return;
    tessel_cl_programs_destroy(cl->programs);
    tessel_cl_fft_context_release(cl);
    if (cl->queue) clReleaseCommandQueue(cl->queue);
    if (cl->context) clReleaseContext(cl->context);
    free(cl);
    ctx->backend_state = NULL;
}

/* Separable in two passes: the float temporary between them (cl_passes.h). */
static tessel_status prepare_temp(tessel_plan *plan, tessel_cl_state *cl, const tessel_cl_passes *p,
                                  tessel_cl_plan *cp)
{
    tessel_context *ctx = plan->ctx;
    cp->temp_pitch = p->temp_pitch;
    size_t bytes = (size_t)cp->temp_pitch * p->temp_rows * sizeof(float);
    RETURN_ERROR_IF(bytes > cl->caps.max_alloc, ctx, TESSEL_ERR_UNSUPPORTED,
                    "separable temporary of %zu MiB exceeds the device's largest buffer (%llu MiB)",
                    bytes >> 20, (unsigned long long)(cl->caps.max_alloc >> 20));
    cl_int e;
    cp->temp = clCreateBuffer(cl->context, CL_MEM_READ_WRITE, bytes, NULL, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (separable temporary)");
    return TESSEL_OK;
}

static size_t packed_bytes(int w, int h, int c, tessel_dtype d)
{
    return (size_t)w * h * c * tessel_dtype_size(d);
}

/* Devices with their own memory get plan-owned staging buffers, unless the
 * plan's caller stages its buffers itself. */
static tessel_status prepare_staging(tessel_plan *plan, tessel_cl_state *cl, tessel_cl_plan *cp)
{
    if (cl->caps.unified_memory || plan->staged_by_caller) return TESSEL_OK;
    const tessel_geometry *g = &plan->geo;
    size_t in = packed_bytes(g->in_width, g->in_height, plan->channels, plan->in_dtype);
    size_t out = packed_bytes(g->out_width, g->out_height, plan->channels, plan->out_dtype);
    RETURN_ERROR_IF(in > cl->caps.max_alloc || out > cl->caps.max_alloc, plan->ctx,
                    TESSEL_ERR_UNSUPPORTED,
                    "image of %zu MiB exceeds the device's largest buffer (%llu MiB)",
                    (in > out ? in : out) >> 20, (unsigned long long)(cl->caps.max_alloc >> 20));
    cl_int e;
    cp->dev_src = clCreateBuffer(cl->context, CL_MEM_READ_ONLY, in, NULL, &e);
    RETURN_IF_CL_ERROR(plan->ctx, e, "clCreateBuffer (input)");
    cp->dev_dst = clCreateBuffer(cl->context, CL_MEM_WRITE_ONLY, out, NULL, &e);
    RETURN_IF_CL_ERROR(plan->ctx, e, "clCreateBuffer (output)");
    return TESSEL_OK;
}

static tessel_status tessel_cl_plan_prepare(tessel_plan *plan)
{
    tessel_cl_state *cl = plan->ctx->backend_state;
    tessel_cl_plan *cp = calloc(1, sizeof *cp);
    RETURN_ERROR_IF(!cp, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a plan");
    plan->backend_state = cp;
    if (plan->method == TESSEL_METHOD_FFT_BLOCK) {
        FORWARD_IF_ERROR(tessel_cl_fft_block_prepare(plan, cl, &cp->fft_block));
    } else if (plan->method == TESSEL_METHOD_FFT) {
        FORWARD_IF_ERROR(tessel_cl_fft_prepare(plan, cl, &cp->fft));
    } else if (plan->method == TESSEL_METHOD_RUNNING) {
        FORWARD_IF_ERROR(tessel_cl_running_prepare(plan, cl, &cp->running));
    } else {
        tessel_cl_passes *p = &cp->described;
        tessel_cl_passes_of(cl, plan, p);
        if (p->count == 2) FORWARD_IF_ERROR(prepare_temp(plan, cl, p, cp));
        for (int i = 0; i < p->count; ++i)
            FORWARD_IF_ERROR(tessel_cl_pass_prepare(plan->ctx, cl, &p->spec[i], &p->layout[i],
                                                    &cp->pass[i]));
        cp->passes = p->count;
    }
    return prepare_staging(plan, cl, cp);
}

static void tessel_cl_plan_kernels(const tessel_plan *plan, char *family, size_t family_size,
                                   char *detail, size_t detail_size)
{
    const tessel_cl_plan *cp = plan->backend_state;
    family[0] = detail[0] = '\0';
    if (cp->fft) tessel_cl_fft_describe(cp->fft, detail, detail_size);
    else if (cp->fft_block) tessel_cl_fft_block_describe(cp->fft_block, detail, detail_size);
    else
        tessel_cl_passes_describe(plan->ctx->backend_state, &cp->described, family, family_size,
                                  detail, detail_size);
}

static void tessel_cl_plan_release(tessel_plan *plan)
{
    tessel_cl_plan *cp = plan->backend_state;
    if (!cp) return;
    for (int i = 0; i < 2; ++i) tessel_cl_pass_release(&cp->pass[i]);
    tessel_cl_fft_destroy(plan->ctx->backend_state, cp->fft);
    tessel_cl_fft_block_destroy(plan->ctx->backend_state, cp->fft_block);
    tessel_cl_running_destroy(cp->running);
    if (cp->temp) clReleaseMemObject(cp->temp);
    if (cp->dev_src) clReleaseMemObject(cp->dev_src);
    if (cp->dev_dst) clReleaseMemObject(cp->dev_dst);
    free(cp);
    plan->backend_state = NULL;
}

tessel_status tessel_cl_run_passes(tessel_plan *plan, cl_mem src, int src_pitch, cl_mem dst,
                                   int dst_pitch)
{
    tessel_cl_state *cl = plan->ctx->backend_state;
    tessel_cl_plan *cp = plan->backend_state;
    if (cp->fft) return tessel_cl_fft_run(plan, cl, cp->fft, src, src_pitch, dst, dst_pitch);
    if (cp->fft_block)
        return tessel_cl_fft_block_run(plan, cl, cp->fft_block, src, src_pitch, dst, dst_pitch);
    if (cp->running)
        return tessel_cl_running_run(plan, cl, cp->running, src, src_pitch, dst, dst_pitch);
    if (cp->passes == 1)
        return tessel_cl_pass_enqueue(plan->ctx, cl, &cp->pass[0], src, src_pitch, dst, dst_pitch);
    FORWARD_IF_ERROR(tessel_cl_pass_enqueue(plan->ctx, cl, &cp->pass[0], src, src_pitch,
                                            cp->temp, cp->temp_pitch));
    return tessel_cl_pass_enqueue(plan->ctx, cl, &cp->pass[1], cp->temp, cp->temp_pitch, dst,
                                  dst_pitch);
}

static size_t span_bytes(const tessel_image *img)
{
    return tessel_image_row_bytes(img) * (size_t)(img->height - 1) +
           (size_t)img->width * img->channels * tessel_dtype_size(img->dtype);
}

static int pitch_samples(const tessel_image *img)
{
    return (int)(tessel_image_row_bytes(img) / tessel_dtype_size(img->dtype));
}

/* Shared memory: the kernel reads and writes the caller's images in place. */
static tessel_status execute_in_place(tessel_plan *plan, const tessel_image *src,
                                      const tessel_image *dst)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_state *cl = ctx->backend_state;
    cl_int e;
    cl_mem in = clCreateBuffer(cl->context, CL_MEM_READ_ONLY | CL_MEM_USE_HOST_PTR,
                               span_bytes(src), src->data, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateBuffer (input view)");
    cl_mem out = clCreateBuffer(cl->context, CL_MEM_WRITE_ONLY | CL_MEM_USE_HOST_PTR,
                                span_bytes(dst), dst->data, &e);
    tessel_status s = e == CL_SUCCESS ? TESSEL_OK
                                      : tessel_fail(ctx, TESSEL_ERR_BACKEND,
                                                    "clCreateBuffer (output view) failed: %s",
                                                    tessel_cl_error_name(e));
    if (s == TESSEL_OK) s = tessel_cl_run_passes(plan, in, pitch_samples(src), out, pitch_samples(dst));
    if (s == TESSEL_OK) s = tessel_cl_fence(ctx, cl);
    if (s == TESSEL_OK) {
        /* Mapping makes the results visible in host memory (a no-op copy here). */
        void *p = clEnqueueMapBuffer(cl->queue, out, CL_TRUE, CL_MAP_READ, 0, span_bytes(dst), 0,
                                     NULL, NULL, &e);
        if (e == CL_SUCCESS) e = clEnqueueUnmapMemObject(cl->queue, out, p, 0, NULL, NULL);
        if (e == CL_SUCCESS) e = clFinish(cl->queue);
        if (e != CL_SUCCESS)
            s = tessel_fail(ctx, TESSEL_ERR_BACKEND, "reading the result back failed: %s",
                            tessel_cl_error_name(e));
    }
    if (out) clReleaseMemObject(out);
    clReleaseMemObject(in);
    return s;
}

/* Own memory: upload into staging, run, download (rectangular copies keep
 * the caller's row strides). */
static tessel_status execute_staged(tessel_plan *plan, const tessel_image *src,
                                    const tessel_image *dst)
{
    tessel_context *ctx = plan->ctx;
    tessel_cl_state *cl = ctx->backend_state;
    tessel_cl_plan *cp = plan->backend_state;
    const size_t in_row = (size_t)src->width * src->channels * tessel_dtype_size(src->dtype);
    const size_t out_row = (size_t)dst->width * dst->channels * tessel_dtype_size(dst->dtype);
    const size_t origin[3] = {0, 0, 0};
    const size_t in_region[3] = {in_row, (size_t)src->height, 1};
    const size_t out_region[3] = {out_row, (size_t)dst->height, 1};
    FORWARD_IF_ERROR(tessel_cl_fence(ctx, cl));
    cl_int e = clEnqueueWriteBufferRect(cl->queue, cp->dev_src, CL_FALSE, origin, origin,
                                        in_region, in_row, 0, tessel_image_row_bytes(src), 0,
                                        src->data, 0, NULL, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueWriteBufferRect (upload)");
    const int in_pitch = (int)(in_row / tessel_dtype_size(src->dtype));
    const int out_pitch = (int)(out_row / tessel_dtype_size(dst->dtype));
    FORWARD_IF_ERROR(tessel_cl_run_passes(plan, cp->dev_src, in_pitch, cp->dev_dst, out_pitch));
    e = clEnqueueReadBufferRect(cl->queue, cp->dev_dst, CL_TRUE, origin, origin, out_region,
                                out_row, 0, tessel_image_row_bytes(dst), 0, dst->data, 0, NULL,
                                NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueReadBufferRect (download)");
    return TESSEL_OK;
}

static tessel_status tessel_cl_plan_execute(tessel_plan *plan, const tessel_image *src,
                                            const tessel_image *dst)
{
    tessel_cl_plan *cp = plan->backend_state;
    return cp->dev_src ? execute_staged(plan, src, dst) : execute_in_place(plan, src, dst);
}

const tessel_backend_ops tessel_opencl_backend = {
    .id = TESSEL_BACKEND_OPENCL,
    .name = "opencl",
    .device_claim = tessel_cl_device_claim,
    .auto_device = tessel_cl_auto_device,
    .list_devices = tessel_cl_list_devices,
    .device_hint = "use \"opencl:N\" or a device name for an OpenCL CPU device",
    .adopts_cl_queue = 1,
    .context_init = tessel_cl_context_init,
    .context_release = tessel_cl_context_release,
    .plan_prepare = tessel_cl_plan_prepare,
    .plan_execute = tessel_cl_plan_execute,
    .plan_release = tessel_cl_plan_release,
    .plan_memory = tessel_cl_plan_memory,
    .tiles_execute = tessel_cl_tiles_execute,
    .plan_kernels = tessel_cl_plan_kernels,
    .buffer_alloc = tessel_cl_buffer_alloc,
    .buffer_release = tessel_cl_buffer_release,
    .buffer_upload = tessel_cl_buffer_upload,
    .buffer_download = tessel_cl_buffer_download,
    .plan_execute_buffers = tessel_cl_plan_execute_buffers,
    .buffers_alias = tessel_cl_buffers_alias,
    .combine = tessel_cl_combine,
    .damped_ratio = tessel_cl_damped_ratio,
    .finish = tessel_cl_finish,
    .cost_work = tessel_cl_cost_work,
    .cost_defaults = tessel_cl_cost_defaults,
    .cost_term_name = tessel_cl_cost_term_name,
    .tune_begin = NULL,
    .tune_end = NULL,
};
