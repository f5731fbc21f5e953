/* The passes of a direct or separable plan (cl_passes.h). */
#include "cl_passes.h"

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

void tessel_cl_passes_of(const tessel_plan *plan, tessel_cl_passes *out)
{
    const tessel_geometry *g = &plan->geo;
    *out = (tessel_cl_passes){{base_spec(plan)}, 1, 0, 0};
    if (plan->method != TESSEL_METHOD_SEPARABLE) return;
    out->count = 2;
    out->temp_rows = (g->out_height - 1) * g->stride_y + g->kernel_height;
    out->temp_pitch = g->out_width * plan->channels;
    tessel_cl_pass_spec *row = &out->spec[0];
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
}
