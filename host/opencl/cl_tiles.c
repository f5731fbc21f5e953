/* The pipelined executor of tiled plans on the OpenCL backend (cl_tiles.h).
 *
 * Two slots, each a pinned host window, a device window and a device
 * output, take tiles in turn. Uploads and downloads go on a transfer queue
 * of their own, the sub-plan's kernels on the context's queue; events order
 * the two. Per tile i (slot i % 2) the transfer queue gets the upload of
 * tile i + 1 before the download of tile i, so the next tile's upload runs
 * while tile i computes, and the host fills the window after next in the
 * meantime. The in-order transfer queue keeps slots safe to reuse: tile
 * i + 2's upload follows tile i's download, which waits for tile i's
 * compute. Downloads write straight into the caller's image. */
#include <stdlib.h>

#include "cl_internal.h"
#include "cl_tiles.h"
#include "core/tiles.h"

typedef struct tile_slot {
    cl_mem dev_in, dev_out;
    cl_mem pinned;     /* host memory for the window (CL_MEM_ALLOC_HOST_PTR) */
    void *host;        /* its mapping */
    cl_event uploaded; /* the last upload from host, NULL before the first */
    cl_event downloaded;
} tile_slot;

typedef struct pipeline {
    tessel_plan *plan;
    tessel_cl_state *cl;
    cl_command_queue transfer;
    tile_slot slot[2];
    size_t win_bytes;        /* packed window */
    size_t out_row_bytes;    /* packed row of a tile's outputs */
    tessel_image window;     /* shape of a window (data set per slot) */
} pipeline;

static tessel_status make_buffer(pipeline *p, cl_mem_flags flags, size_t bytes, cl_mem *out,
                                 const char *what)
{
    cl_int e;
    *out = clCreateBuffer(p->cl->context, flags, bytes, NULL, &e);
    RETURN_ERROR_IF(e != CL_SUCCESS, p->plan->ctx, TESSEL_ERR_BACKEND,
                    "clCreateBuffer (tile %s, %zu bytes) failed: %s (%d)", what, bytes,
                    tessel_cl_error_name(e), (int)e);
    return TESSEL_OK;
}

static tessel_status setup(pipeline *p)
{
    tessel_context *ctx = p->plan->ctx;
    const tessel_plan *sub = p->plan->tiling->tile_plan;
    const size_t out_bytes = p->out_row_bytes * (size_t)sub->geo.out_height;
    cl_int e;
    p->transfer = clCreateCommandQueue(p->cl->context, p->cl->device, 0, &e);
    RETURN_IF_CL_ERROR(ctx, e, "clCreateCommandQueue (tile transfers)");
    for (int b = 0; b < 2; ++b) {
        tile_slot *s = &p->slot[b];
        FORWARD_IF_ERROR(make_buffer(p, CL_MEM_READ_ONLY, p->win_bytes, &s->dev_in, "window"));
        FORWARD_IF_ERROR(make_buffer(p, CL_MEM_WRITE_ONLY, out_bytes, &s->dev_out, "outputs"));
        FORWARD_IF_ERROR(make_buffer(p, CL_MEM_READ_WRITE | CL_MEM_ALLOC_HOST_PTR, p->win_bytes,
                                     &s->pinned, "host window"));
        s->host = clEnqueueMapBuffer(p->transfer, s->pinned, CL_TRUE, CL_MAP_WRITE, 0,
                                     p->win_bytes, 0, NULL, NULL, &e);
        RETURN_IF_CL_ERROR(ctx, e, "clEnqueueMapBuffer (tile host window)");
    }
    return TESSEL_OK;
}

static void release_event(cl_event *ev)
{
    if (*ev) clReleaseEvent(*ev);
    *ev = NULL;
}

static void teardown(pipeline *p)
{
    if (p->transfer) clFinish(p->transfer);
    clFinish(p->cl->queue);
    for (int b = 0; b < 2; ++b) {
        tile_slot *s = &p->slot[b];
        release_event(&s->uploaded);
        release_event(&s->downloaded);
        if (s->host) {
            clEnqueueUnmapMemObject(p->transfer, s->pinned, s->host, 0, NULL, NULL);
            clFinish(p->transfer);
        }
        const cl_mem mems[3] = {s->dev_in, s->dev_out, s->pinned};
        for (int k = 0; k < 3; ++k)
            if (mems[k]) clReleaseMemObject(mems[k]);
    }
    if (p->transfer) clReleaseCommandQueue(p->transfer);
}

/* Fills tile i's window in its slot's host memory and enqueues its upload. */
static tessel_status upload(pipeline *p, const tessel_image *src, int i)
{
    tessel_context *ctx = p->plan->ctx;
    tile_slot *s = &p->slot[i & 1];
    if (s->uploaded) { /* tile i - 2's upload still reads the host window */
        cl_int e = clWaitForEvents(1, &s->uploaded);
        RETURN_IF_CL_ERROR(ctx, e, "waiting for a tile upload");
        release_event(&s->uploaded);
    }
    const tessel_rect w = tessel_tiles_window(p->plan, tessel_tiles_tile(p->plan, i));
    tessel_image win = p->window;
    win.data = s->host;
    tessel_tiles_fill_window(p->plan, src, w, &win);
    cl_int e = clEnqueueWriteBuffer(p->transfer, s->dev_in, CL_FALSE, 0, p->win_bytes, s->host, 0,
                                    NULL, &s->uploaded);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueWriteBuffer (tile upload)");
    e = clFlush(p->transfer);
    RETURN_IF_CL_ERROR(ctx, e, "clFlush (tile transfers)");
    return TESSEL_OK;
}

/* Tile i's kernels after its upload, then its download after them. */
static tessel_status compute_and_download(pipeline *p, const tessel_image *dst, int i)
{
    tessel_context *ctx = p->plan->ctx;
    tessel_plan *sub = p->plan->tiling->tile_plan;
    tile_slot *s = &p->slot[i & 1];
    cl_int e = clEnqueueBarrierWithWaitList(p->cl->queue, 1, &s->uploaded, NULL);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueBarrierWithWaitList (tile upload)");
    const int in_pitch = p->window.width * p->window.channels;
    const int out_pitch = sub->geo.out_width * sub->channels;
    FORWARD_IF_ERROR(tessel_cl_run_passes(sub, s->dev_in, in_pitch, s->dev_out, out_pitch));
    cl_event computed = NULL;
    e = clEnqueueMarkerWithWaitList(p->cl->queue, 0, NULL, &computed);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueMarkerWithWaitList (tile compute)");
    e = clFlush(p->cl->queue);
    const tessel_rect out = tessel_tiles_tile(p->plan, i);
    const size_t pixel = (size_t)dst->channels * tessel_dtype_size(dst->dtype);
    const size_t origin[3] = {0, 0, 0};
    const size_t host_origin[3] = {(size_t)out.x * pixel, (size_t)out.y, 0};
    const size_t region[3] = {p->out_row_bytes, (size_t)out.h, 1};
    release_event(&s->downloaded);
    if (e == CL_SUCCESS)
        e = clEnqueueReadBufferRect(p->transfer, s->dev_out, CL_FALSE, origin, host_origin, region,
                                    p->out_row_bytes, 0, tessel_image_row_bytes(dst), 0,
                                    dst->data, 1, &computed, &s->downloaded);
    clReleaseEvent(computed);
    RETURN_IF_CL_ERROR(ctx, e, "clEnqueueReadBufferRect (tile download)");
    return TESSEL_OK;
}

static tessel_status run_tiles(pipeline *p, const tessel_image *src, const tessel_image *dst)
{
    const int n = p->plan->tiling->cols * p->plan->tiling->rows;
    FORWARD_IF_ERROR(upload(p, src, 0));
    for (int i = 0; i < n; ++i) {
        if (i + 1 < n) FORWARD_IF_ERROR(upload(p, src, i + 1));
        FORWARD_IF_ERROR(compute_and_download(p, dst, i));
    }
    cl_int e = clFinish(p->transfer);
    RETURN_IF_CL_ERROR(p->plan->ctx, e, "clFinish (tile transfers)");
    for (int b = 0; b < 2; ++b) {
        cl_int status = CL_COMPLETE;
        if (p->slot[b].downloaded)
            clGetEventInfo(p->slot[b].downloaded, CL_EVENT_COMMAND_EXECUTION_STATUS,
                           sizeof status, &status, NULL);
        RETURN_ERROR_IF(status < 0, p->plan->ctx, TESSEL_ERR_BACKEND,
                        "a tile's download failed: %s (%d)", tessel_cl_error_name(status),
                        (int)status);
    }
    return TESSEL_OK;
}

tessel_status tessel_cl_tiles_execute(tessel_plan *plan, const tessel_image *src,
                                      const tessel_image *dst)
{
    const tessel_tiling *t = plan->tiling;
    const tessel_plan *sub = t->tile_plan;
    pipeline p = {0};
    p.plan = plan;
    p.cl = plan->ctx->backend_state;
    p.window = (tessel_image){NULL, sub->geo.in_width, sub->geo.in_height, plan->channels,
                              t->window_dtype, 0};
    p.win_bytes = tessel_image_row_bytes(&p.window) * (size_t)sub->geo.in_height;
    p.out_row_bytes = (size_t)sub->geo.out_width * plan->channels * tessel_dtype_size(plan->out_dtype);
    tessel_status s = setup(&p);
    if (s == TESSEL_OK) s = run_tiles(&p, src, dst);
    teardown(&p);
    return s;
}
