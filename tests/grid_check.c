/* Checking large outputs on a grid (see grid_check.h). */
#include "grid_check.h"

#include <stdlib.h>
#include <string.h>

#include "reference.h"

double *grid_reference(const tessel_image *src, const double *coeffs, int kw, int kh,
                       const tessel_conv_options *o, int gx, int gy, int *gw, int *gh)
{
    tessel_conv_options r = *o;
    r.stride_x = (r.stride_x ? r.stride_x : 1) * gx;
    r.stride_y = (r.stride_y ? r.stride_y : 1) * gy;
    if (ref_output_size(src->width, src->height, kw, kh, &r, gw, gh) != 0) return NULL;
    double *in = tu_xmalloc((size_t)src->width * src->height * src->channels * sizeof *in);
    double *out = tu_xmalloc((size_t)*gw * *gh * src->channels * sizeof *out);
    tu_image_to_doubles(src, in);
    ref_convolve2d(in, src->width, src->height, src->channels, coeffs, kw, kh, &r, out);
    free(in);
    return out;
}

void grid_sample(const tessel_image *out, int gx, int gy, int gw, int gh, tu_image *grid)
{
    tu_image_alloc(grid, gw, gh, out->channels, out->dtype, TU_PACKED);
    const size_t pixel = tessel_dtype_size(out->dtype) * out->channels;
    for (int y = 0; y < gh; ++y)
        for (int x = 0; x < gw; ++x)
            memcpy((char *)grid->view.data + ((size_t)y * gw + x) * pixel,
                   (const char *)out->data + (size_t)y * gy * tu_row_bytes(out) +
                       (size_t)x * gx * pixel,
                   pixel);
}
