/* The launches of a direct or separable plan (cl_passes.h). */
#include "cl_passes.h"

#include <stdio.h>

static tessel_cl_pass_spec base_spec(const tessel_plan *plan)
{
    const tessel_geometry *g = &plan->geo;
    tessel_cl_pass_spec s = {0};
    s.in_w = g->in_width;
    s.in_h = g->in_height;
    s.out_w = g->out_width;
    s.out_h = g->out_height;
    s.channels = plan->channels;
    s.kw = g->kernel_width;
    s.kh = g->kernel_height;
    s.sx = g->stride_x;
    s.sy = g->stride_y;
    s.ox = g->origin_x;
    s.oy = g->origin_y;
    s.border = plan->border;
    s.cval = plan->cval;
    s.scale = plan->scale;
    s.offset = plan->offset;
    s.absolute = plan->absolute;
    s.in_dtype = plan->in_dtype;
    s.out_dtype = plan->out_dtype;
    s.taps = plan->taps;
    return s;
}

/* Separable in two passes through a float temporary. */
static void two_passes(const tessel_cl_state *cl, const tessel_plan *plan, tessel_cl_passes *out)
{
    const tessel_geometry *g = &plan->geo;
    out->count = 2;
    out->temp_rows = (g->out_height - 1) * g->stride_y + g->kernel_height;
    out->temp_pitch = g->out_width * plan->channels;
    tessel_cl_pass_spec *row = &out->spec[0];
    *row = base_spec(plan);
    row->out_h = out->temp_rows;
    row->kh = 1;
    row->sy = 1;
    row->scale = 1.0f;
    row->offset = 0.0f;
    row->absolute = 0;
    row->out_dtype = TESSEL_F32;
    row->taps = plan->row_taps;
    tessel_cl_pass_spec *col = &out->spec[1];
    *col = base_spec(plan);
    col->in_w = g->out_width;
    col->in_h = out->temp_rows;
    col->kw = 1;
    col->sx = 1;
    col->ox = 0;
    col->oy = 0;
    col->in_dtype = TESSEL_F32;
    col->taps = plan->column_taps;
    for (int i = 0; i < 2; ++i) tessel_cl_pass_layout_of(cl, &out->spec[i], &out->layout[i]);
}

void tessel_cl_passes_of(const tessel_cl_state *cl, const tessel_plan *plan,
                         tessel_cl_passes *out)
{
    *out = (tessel_cl_passes){0};
    out->spec[0] = base_spec(plan);
    out->count = 1;
    if (plan->method != TESSEL_METHOD_SEPARABLE) {
        tessel_cl_pass_layout_of(cl, &out->spec[0], &out->layout[0]);
        return;
    }
    out->spec[0].taps = plan->row_taps;
    out->spec[0].column_taps = plan->column_taps;
    if (!tessel_cl_fused_layout_of(cl, &out->spec[0], &out->layout[0])) two_passes(cl, plan, out);
}

void tessel_cl_passes_describe(const tessel_cl_state *cl, const tessel_cl_passes *p,
                               char *family, size_t family_size, char *detail, size_t detail_size)
{
    const int vector = p->layout[0].kind == TESSEL_CL_KERNEL_VECTOR ||
                       (p->count == 2 && p->layout[1].kind == TESSEL_CL_KERNEL_VECTOR);
    snprintf(family, family_size, "%s", vector ? "vector" : "tiled");
    char first[200], second[200];
    tessel_cl_layout_describe(&p->layout[0], first, sizeof first);
    if (p->count == 1) {
        snprintf(detail, detail_size, "%s", first);
        return;
    }
    tessel_cl_layout_describe(&p->layout[1], second, sizeof second);
    snprintf(detail, detail_size, "two passes through a float temporary%s: row pass %s; "
             "column pass %s",
             cl->tiled ? " (the fused kernel does not fit local memory)" : "", first, second);
}
