/* Layouts of the convolution launches (cl_launch.h): which kernel, its
 * work-group and tile, chosen as a GPU would have them (work-groups of
 * 128-256 items, local memory bounded by the device's limit), or the
 * vector kernel's on CPU-shaped contexts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cl_launch.h"

#define GROUP_X 16     /* conv_direct.cl: items across a group */
#define GROUP_Y 8      /* conv_direct.cl: items down a group */
#define TILE_COLS 4    /* conv_direct.cl: output columns per item */
#define TILE_ROWS 4    /* conv_direct.cl: output rows per item, before shrinking */
#define KW_EXACT_MAX 16 /* widest kernel conv_direct.cl unrolls (a build per width) */
#define FUSED_ITEMS 256 /* conv_separable.cl: most items per group */
#define FUSED_COLS 4    /* conv_separable.cl's COLS */
#define VECTOR_ROWS 4   /* conv_vector.cl's ROWS */
#define VECTOR_STRIP 32 /* output samples per item in conv_vector.cl */
/* Local memory a group may take: what the device has (less 1 KiB: PoCL
 * aborts on an over-allocation), at most what a GPU gives one group. */
#define LOCAL_MAX (48 * 1024)
#define LOCAL_SPARE 1024

static size_t round_up(size_t v, size_t m)
{
    return (v + m - 1) / m * m;
}

static size_t local_budget(const tessel_cl_device_caps *caps)
{
    const cl_ulong have = caps->local_mem < LOCAL_MAX ? caps->local_mem : LOCAL_MAX;
    return have > 2 * LOCAL_SPARE ? (size_t)(have - LOCAL_SPARE) : 0;
}

static void size_tile(const tessel_cl_pass_spec *s, tessel_cl_pass_layout *t)
{
    t->tile_w = (t->lx * t->cols - 1) * s->sx + s->kw;
    t->tile_h = (t->ly * t->rows - 1) * s->sy + s->kh;
    t->tile_pitch = (int)round_up((size_t)t->tile_w, 4);
    t->local_bytes = (size_t)t->tile_h * t->tile_pitch * sizeof(float);
}

/* conv_direct.cl: the largest tile that fits local memory, shrinking the
 * rows per item, then the group's height; the global-memory form when even
 * a group one item high does not fit. */
static void tiled_layout(const tessel_cl_device_caps *caps, const tessel_cl_pass_spec *s,
                         tessel_cl_pass_layout *t)
{
    t->lx = GROUP_X;
    t->ly = GROUP_Y;
    while ((size_t)t->lx * t->ly > caps->max_work_group && t->ly > 1) t->ly /= 2;
    while ((size_t)t->lx * t->ly > caps->max_work_group && t->lx > 1) t->lx /= 2;
    t->cols = TILE_COLS;
    t->rows = TILE_ROWS;
    t->kw_class = s->sx == 1 && s->kw <= KW_EXACT_MAX ? s->kw : 0;
    const size_t budget = local_budget(caps);
    for (;;) {
        size_tile(s, t);
        if (t->local_bytes <= budget) {
            t->kind = TESSEL_CL_KERNEL_TILED;
            return;
        }
        if (t->rows > 1) t->rows /= 2;
        else if (t->ly > 1) t->ly /= 2;
        else break;
    }
    t->kind = TESSEL_CL_KERNEL_GLOBAL;
    t->ly = 1;
    t->rows = TILE_ROWS;
    t->kw_class = 0;
    t->tile_w = t->tile_h = t->tile_pitch = 0;
    t->local_bytes = 0;
}

void tessel_cl_pass_layout_of(const tessel_cl_state *cl, const tessel_cl_pass_spec *s,
                              tessel_cl_pass_layout *out)
{
    *out = (tessel_cl_pass_layout){0};
    if (!cl->tiled && s->sx == 1) {
        out->kind = TESSEL_CL_KERNEL_VECTOR;
        out->lx = 8;
        out->ly = 4;
        out->cols = VECTOR_STRIP;
        out->rows = VECTOR_ROWS;
        return;
    }
    tiled_layout(&cl->caps, s, out);
}

/* conv_separable.cl with lx x ly items: its staging rows and ring. */
static void size_fused(const tessel_cl_pass_spec *s, tessel_cl_pass_layout *t)
{
    const int width = t->lx * FUSED_COLS;
    t->tile_w = (width - 1) * s->sx + s->kw; /* input columns a strip reads */
    t->tile_h = width;                       /* ring row width */
    t->tile_pitch = (int)round_up((size_t)t->tile_w, 4);
    t->ring_rows = (t->ly - 1) * s->sy + s->kh;
    t->local_bytes =
        ((size_t)t->ly * t->tile_pitch + (size_t)t->ring_rows * width) * sizeof(float);
}

/* Output rows per strip: up to 32 kernel heights (or the whole output),
 * halved while the image would give fewer than 4 work-groups a compute
 * unit, down to 8 kernel heights (64 rows at least): a strip reads kh - sy
 * rows of its neighbour's again, and a GPU wants many work-groups. */
static int strip_rows(const tessel_cl_state *cl, const tessel_cl_pass_spec *s,
                      const tessel_cl_pass_layout *t)
{
    const int least = 8 * s->kh > 64 ? 8 * s->kh : 64;
    int rows = 32 * s->kh > least ? 32 * s->kh : least;
    if (rows > s->out_h) rows = s->out_h;
    const size_t across = (size_t)s->channels * ((size_t)s->out_w + t->tile_h - 1) / t->tile_h;
    const size_t wanted = 4 * (size_t)(cl->caps.compute_units ? cl->caps.compute_units : 1);
    while (rows > least && across * (((size_t)s->out_h + rows - 1) / rows) < wanted)
        rows = rows / 2 > least ? rows / 2 : least;
    return (int)round_up((size_t)rows, (size_t)t->ly);
}

int tessel_cl_fused_layout_of(const tessel_cl_state *cl, const tessel_cl_pass_spec *s,
                              tessel_cl_pass_layout *out)
{
    static const int widths[] = {64, 48, 32, 24, 16, 8}; /* items across: strips of 4 columns each */
    *out = (tessel_cl_pass_layout){0};
    if (!cl->tiled) return 0;
    const size_t budget = local_budget(&cl->caps);
    /* The widest strip that fits (fewer columns read twice), with as many
     * rows of items as fit (fewer steps down the strip). */
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; ++w) {
        int rows_of_items = 2;
        while (widths[w] * rows_of_items * 2 <= FUSED_ITEMS) rows_of_items *= 2;
        for (int ly = rows_of_items; ly >= 2; ly /= 2) {
            tessel_cl_pass_layout t = {0};
            t.kind = TESSEL_CL_KERNEL_FUSED;
            t.lx = widths[w];
            t.ly = ly;
            t.cols = FUSED_COLS;
            t.rows = 1;
            size_fused(s, &t);
            if ((size_t)t.lx * t.ly > cl->caps.max_work_group || t.local_bytes > budget) continue;
            t.strip_rows = strip_rows(cl, s, &t);
            *out = t;
            return 1;
        }
    }
    return 0;
}

void tessel_cl_layout_describe(const tessel_cl_pass_layout *l, char *out, size_t size)
{
    switch (l->kind) {
    case TESSEL_CL_KERNEL_VECTOR:
        snprintf(out, size, "conv_vector.cl, %d samples x %d rows per item", l->cols, l->rows);
        break;
    case TESSEL_CL_KERNEL_TILED:
        snprintf(out, size,
                 "conv_direct.cl, %dx%d items of %dx%d outputs, %dx%d tile in local memory%s",
                 l->lx, l->ly, l->cols, l->rows, l->tile_w, l->tile_h,
                 l->kw_class ? ", width unrolled" : "");
        break;
    case TESSEL_CL_KERNEL_GLOBAL:
        snprintf(out, size,
                 "conv_direct.cl from global memory (the tile does not fit local memory), "
                 "%dx%d items of %dx%d outputs",
                 l->lx, l->ly, l->cols, l->rows);
        break;
    case TESSEL_CL_KERNEL_FUSED:
        snprintf(out, size,
                 "conv_separable.cl (fused), %dx%d items, strips of %dx%d outputs, "
                 "%d rows in local memory",
                 l->lx, l->ly, l->lx * l->cols, l->strip_rows, l->ring_rows);
        break;
    }
}

tessel_status tessel_cl_choose_family(tessel_cl_state *cl, tessel_cl_kernels option)
{
    const char *env = getenv("TESSEL_CL_KERNELS");
    if (option == TESSEL_CL_KERNELS_AUTO && env && *env) {
        if (strcmp(env, "tiled") == 0) option = TESSEL_CL_KERNELS_TILED;
        else if (strcmp(env, "vector") == 0) option = TESSEL_CL_KERNELS_VECTOR;
        else
            RETURN_ERROR_IF(strcmp(env, "auto") != 0, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                            "TESSEL_CL_KERNELS=\"%.40s\" is not a kernel family: use tiled, "
                            "vector or auto",
                            env);
    }
    switch (option) {
    case TESSEL_CL_KERNELS_AUTO: cl->tiled = !(cl->caps.type & CL_DEVICE_TYPE_CPU); break;
    case TESSEL_CL_KERNELS_TILED: cl->tiled = 1; break;
    case TESSEL_CL_KERNELS_VECTOR: cl->tiled = 0; break;
    default:
        RETURN_ERROR_IF(1, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                        "cl_kernels %d is not a kernel family (TESSEL_CL_KERNELS_AUTO, _TILED or "
                        "_VECTOR)",
                        (int)option);
    }
    return TESSEL_OK;
}
