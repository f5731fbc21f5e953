/* Plans and buffers for one image shape (see pipeline.h). */
#include "pipeline.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alpha.h"

tessel_image pipeline_alloc_image(int w, int h, int c, tessel_dtype dtype)
{
    tessel_image img = tessel_image_view(NULL, w, h, c, dtype);
    size_t sample = tessel_dtype_size(dtype);
    if (w <= 0 || h <= 0 || c <= 0 || sample == 0) return img;
    size_t row = (size_t)w * (size_t)c * sample; /* w, c < 2^31: no overflow in 64 bits */
    if (row > SIZE_MAX / (size_t)h) return img;
    img.data = malloc(row * (size_t)h);
    return img;
}

static void free_image(tessel_image *img)
{
    free(img->data);
    img->data = NULL;
}

int pipeline_matches(const pipeline *p, const tessel_image *img, tessel_dtype out_dtype)
{
    return p->kernel_count > 0 && p->width == img->width && p->height == img->height &&
           p->channels == img->channels && p->in_dtype == img->dtype && p->out_dtype == out_dtype;
}

/* Plans one stage; with `own_output` it also gets a buffer of the plan's
 * output size. */
static tessel_status make_stage(pipeline_stage *st, tessel_context *ctx, const tessel_image *shape,
                                tessel_dtype out_dtype, const tessel_kernel *kernel,
                                const tessel_conv_options *conv, int own_output)
{
    tessel_status s = tessel_plan_create(ctx, shape, out_dtype, kernel, conv, &st->plan);
    if (s != TESSEL_OK || !own_output) return s;
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    s = tessel_plan_info(st->plan, &info);
    if (s != TESSEL_OK) return s;
    st->out = pipeline_alloc_image(info.out_width, info.out_height, shape->channels, out_dtype);
    return st->out.data ? TESSEL_OK : TESSEL_ERR_OUT_OF_MEMORY;
}

/* The plan of each -k kernel, and the output size. */
static tessel_status make_kernel_stages(pipeline *p, tessel_context *ctx, const tessel_image *shape,
                                        tessel_kernel *const *kernels, const cli_options *o)
{
    tessel_conv_options conv = o->conv;
    tessel_dtype dtype = p->out_dtype;
    if (p->kernel_count > 1) { /* raw sums; scale etc. apply to the magnitude */
        conv.scale = conv.offset = 0;
        conv.absolute = 0;
        dtype = TESSEL_F32;
    }
    int own = p->kernel_count > 1 || p->split_alpha;
    for (int i = 0; i < p->kernel_count; ++i) {
        tessel_status s = make_stage(&p->kernels[i], ctx, shape, dtype, kernels[i], &conv, own);
        if (s != TESSEL_OK) return s;
    }
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info;
    tessel_status s = tessel_plan_info(p->kernels[0].plan, &info);
    p->out_width = info.out_width;
    p->out_height = info.out_height;
    return s;
}

/* 1x1 identity from the f32 magnitude to the output dtype, with the user's
 * scale, offset and absolute value. */
static tessel_status make_finish_stage(pipeline *p, tessel_context *ctx, int channels,
                                       const cli_options *o)
{
    const float one = 1.0f;
    tessel_kernel *identity = NULL;
    tessel_status s = tessel_kernel_create(1, 1, &one, &identity);
    tessel_conv_options conv = {0};
    conv.struct_size = sizeof conv;
    conv.scale = o->conv.scale;
    conv.offset = o->conv.offset;
    conv.absolute = o->conv.absolute;
    tessel_image shape = tessel_image_view(NULL, p->out_width, p->out_height, channels, TESSEL_F32);
    if (s == TESSEL_OK)
        s = make_stage(&p->finish, ctx, &shape, p->out_dtype, identity, &conv, p->split_alpha);
    tessel_kernel_destroy(identity);
    return s;
}

static tessel_status make_alpha_stage(pipeline *p, tessel_context *ctx, const tessel_kernel *kernel,
                                      const cli_options *o)
{
    tessel_kernel *impulse = NULL;
    tessel_conv_options conv;
    tessel_status s = alpha_passthrough(tessel_kernel_width(kernel), tessel_kernel_height(kernel),
                                        &o->conv, &impulse, &conv);
    tessel_image shape = tessel_image_view(NULL, p->width, p->height, 1, p->in_dtype);
    if (s == TESSEL_OK) s = make_stage(&p->alpha, ctx, &shape, p->out_dtype, impulse, &conv, 1);
    tessel_kernel_destroy(impulse);
    return s;
}

static tessel_status make_split_buffers(pipeline *p, int colour_channels)
{
    p->colour_in = pipeline_alloc_image(p->width, p->height, colour_channels, p->in_dtype);
    p->alpha_in = pipeline_alloc_image(p->width, p->height, 1, p->in_dtype);
    return p->colour_in.data && p->alpha_in.data ? TESSEL_OK : TESSEL_ERR_OUT_OF_MEMORY;
}

tessel_status pipeline_create(pipeline *p, tessel_context *ctx, const tessel_image *img,
                              tessel_dtype out_dtype, tessel_kernel *const *kernels,
                              int kernel_count, const cli_options *o)
{
    memset(p, 0, sizeof *p);
    p->width = img->width;
    p->height = img->height;
    p->channels = img->channels;
    p->in_dtype = img->dtype;
    p->out_dtype = out_dtype;
    p->kernel_count = kernel_count;
    p->split_alpha = alpha_present(img->channels) && !o->filter_alpha;
    int colour = p->split_alpha ? img->channels - 1 : img->channels;
    tessel_image shape = tessel_image_view(NULL, img->width, img->height, colour, img->dtype);

    tessel_status s = p->split_alpha ? make_split_buffers(p, colour) : TESSEL_OK;
    if (s == TESSEL_OK) s = make_kernel_stages(p, ctx, &shape, kernels, o);
    if (s == TESSEL_OK && kernel_count > 1) s = make_finish_stage(p, ctx, colour, o);
    if (s == TESSEL_OK && p->split_alpha) s = make_alpha_stage(p, ctx, kernels[0], o);
    if (s != TESSEL_OK) pipeline_destroy(p);
    return s;
}

/* kernels[0].out = sqrt(sum over kernels of out^2), sample by sample. */
static void combine_magnitude(pipeline *p)
{
    tessel_image *first = &p->kernels[0].out;
    size_t n = (size_t)first->width * (size_t)first->height * (size_t)first->channels;
    float *sum = first->data;
    for (size_t i = 0; i < n; ++i) {
        double acc = 0;
        for (int k = 0; k < p->kernel_count; ++k) {
            double v = ((const float *)p->kernels[k].out.data)[i];
            acc += v * v;
        }
        sum[i] = (float)sqrt(acc);
    }
}

/* Colour (or all) channels: src -> dst through the kernel stages. */
static tessel_status run_kernels(pipeline *p, const tessel_image *src, tessel_image *dst)
{
    if (p->kernel_count == 1) return tessel_plan_execute(p->kernels[0].plan, src, dst);
    for (int k = 0; k < p->kernel_count; ++k) {
        tessel_status s = tessel_plan_execute(p->kernels[k].plan, src, &p->kernels[k].out);
        if (s != TESSEL_OK) return s;
    }
    combine_magnitude(p);
    return tessel_plan_execute(p->finish.plan, &p->kernels[0].out, dst);
}

/* The buffer the colour result lands in when alpha is split off. */
static tessel_image *colour_result(pipeline *p)
{
    return p->kernel_count > 1 ? &p->finish.out : &p->kernels[0].out;
}

tessel_status pipeline_run(pipeline *p, const tessel_image *src, tessel_image *dst)
{
    tessel_status s;
    if (!p->split_alpha) {
        s = run_kernels(p, src, dst);
    } else {
        alpha_split(src, &p->colour_in, &p->alpha_in);
        s = run_kernels(p, &p->colour_in, colour_result(p));
        if (s == TESSEL_OK) s = tessel_plan_execute(p->alpha.plan, &p->alpha_in, &p->alpha.out);
        if (s == TESSEL_OK) alpha_merge(colour_result(p), &p->alpha.out, dst);
    }
    return s;
}

static void destroy_stage(pipeline_stage *st)
{
    tessel_plan_destroy(st->plan);
    st->plan = NULL;
    free_image(&st->out);
}

void pipeline_destroy(pipeline *p)
{
    for (int k = 0; k < CLI_MAX_KERNELS; ++k) destroy_stage(&p->kernels[k]);
    destroy_stage(&p->finish);
    destroy_stage(&p->alpha);
    free_image(&p->colour_in);
    free_image(&p->alpha_in);
    memset(p, 0, sizeof *p);
}
