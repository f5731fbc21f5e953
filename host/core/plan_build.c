/* Defining and preparing plans (plan_build.h). */
#include "plan_build.h"

#include <stdlib.h>

#include "context.h"
#include "cost_model.h"
#include "kernel.h"

/* A method asked for is taken as it is (the backend says, when preparing,
 * whether it can run it), except that separable needs a rank-1 kernel and
 * running a box-like one; AUTO asks the backend's cost model (cost_model.h). */
static tessel_status choose_method(tessel_plan *plan, const tessel_kernel *k,
                                   tessel_method requested)
{
    if (requested == TESSEL_METHOD_AUTO) {
        const int separable = k->separable && k->width > 1 && k->height > 1;
        plan->method = tessel_cost_choose(plan, separable, tessel_kernel_box_like(k),
                                          plan->method_reason_text,
                                          sizeof plan->method_reason_text);
        plan->method_reason = plan->method_reason_text;
        return TESSEL_OK;
    }
    RETURN_ERROR_IF(requested == TESSEL_METHOD_SEPARABLE && !k->separable, plan->ctx,
                    TESSEL_ERR_UNSUPPORTED,
                    "kernel %dx%d is not separable (rank > 1); use method direct or auto",
                    k->width, k->height);
    RETURN_ERROR_IF(requested == TESSEL_METHOD_RUNNING && !tessel_kernel_box_like(k), plan->ctx,
                    TESSEL_ERR_UNSUPPORTED,
                    "kernel %dx%d is not box-like: running sums need a rank-1 kernel with a "
                    "constant row or column of two or more taps (box:WxH); use method auto",
                    k->width, k->height);
    plan->method = requested;
    plan->method_reason = "requested";
    return TESSEL_OK;
}

/* Taps in correlation orientation: reversed for convolution. */
static float *oriented_copy(const float *v, size_t n, int reverse)
{
    float *out = malloc(n * sizeof(float));
    if (!out) return NULL;
    for (size_t t = 0; t < n; ++t) out[t] = reverse ? v[n - 1 - t] : v[t];
    return out;
}

static tessel_status copy_taps(tessel_plan *plan, const tessel_kernel *k, int correlate)
{
    size_t n = (size_t)k->width * k->height;
    plan->taps = oriented_copy(k->coeffs, n, !correlate);
    if (plan->taps && k->separable) {
        plan->row_taps = oriented_copy(k->row, (size_t)k->width, !correlate);
        plan->column_taps = oriented_copy(k->column, (size_t)k->height, !correlate);
        if (!plan->row_taps || !plan->column_taps) {
            free(plan->taps);
            plan->taps = NULL;
        }
    }
    RETURN_ERROR_IF(!plan->taps, plan->ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a %dx%d kernel", k->width, k->height);
    return TESSEL_OK;
}

static tessel_status fill(tessel_plan *plan, const tessel_image *src, tessel_dtype dst_dtype,
                          const tessel_kernel *kernel, const tessel_conv_options *options,
                          const tessel_spectral_filter *filter)
{
    tessel_context *ctx = plan->ctx;
    tessel_conv_options o;
    char err[TESSEL_MESSAGE_SIZE];
    tessel_status s = tessel_options_resolve(options, &o, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", err);
    s = tessel_geometry_make(src->width, src->height, kernel->width, kernel->height, &o,
                             &plan->geo, err, sizeof err);
    RETURN_ERROR_IF(s != TESSEL_OK, ctx, s, "%s", err);
    plan->channels = src->channels;
    plan->in_dtype = src->dtype;
    plan->out_dtype = dst_dtype;
    plan->border = o.border;
    plan->cval = (float)o.cval;
    plan->scale = (float)o.scale;
    plan->offset = (float)o.offset;
    plan->absolute = o.absolute != 0;
    /* The taps first: AUTO's cost model reads the factors. */
    FORWARD_IF_ERROR(copy_taps(plan, kernel, o.correlate));
    FORWARD_IF_ERROR(choose_method(plan, kernel, o.method));
    tessel_integer_rule_of(plan, &plan->integer);
    if (filter) {
        /* Only the frequency-domain method has a spectrum to filter. */
        RETURN_ERROR_IF(o.method != TESSEL_METHOD_FFT, ctx, TESSEL_ERR_INVALID_ARGUMENT,
                        "a spectral filter needs method fft, not %s", tessel_method_name(o.method));
        plan->filter = *filter;
    }
    return TESSEL_OK;
}

tessel_status tessel_plan_define(tessel_context *context, const tessel_image *src_shape,
                                 tessel_dtype dst_dtype, const tessel_kernel *kernel,
                                 const tessel_conv_options *options,
                                 const tessel_spectral_filter *filter, tessel_plan **out)
{
    *out = NULL;
    RETURN_ERROR_IF(!kernel, context, TESSEL_ERR_NULL_POINTER, "kernel is NULL");
    FORWARD_IF_ERROR(tessel_image_check(context, "source", src_shape, 0));
    RETURN_ERROR_IF(tessel_dtype_size(dst_dtype) == 0, context, TESSEL_ERR_INVALID_ARGUMENT,
                    "unknown destination dtype %d", (int)dst_dtype);
    tessel_plan *plan = calloc(1, sizeof *plan);
    RETURN_ERROR_IF(!plan, context, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a plan");
    plan->ctx = context;
    tessel_status s = fill(plan, src_shape, dst_dtype, kernel, options, filter);
    if (s != TESSEL_OK) {
        tessel_plan_free(plan);
        return s;
    }
    *out = plan;
    return TESSEL_OK;
}

tessel_status tessel_plan_prepare(tessel_plan *plan)
{
    const tessel_backend_ops *ops = plan->ctx->ops;
    FORWARD_IF_ERROR(ops->plan_prepare(plan));
    if (ops->plan_kernels)
        ops->plan_kernels(plan, plan->kernel_family, sizeof plan->kernel_family,
                          plan->kernel_detail, sizeof plan->kernel_detail);
    return TESSEL_OK;
}

void tessel_plan_log_ready(const tessel_plan *plan)
{
    const tessel_geometry *g = &plan->geo;
    tessel_log(plan->ctx, TESSEL_LOG_DEBUG,
               "plan %dx%dx%d %s -> %dx%d %s, kernel %dx%d, %s (%s)%s%s", g->in_width,
               g->in_height, plan->channels, tessel_dtype_name(plan->in_dtype), g->out_width,
               g->out_height, tessel_dtype_name(plan->out_dtype), g->kernel_width,
               g->kernel_height, tessel_method_name(plan->method), plan->method_reason,
               plan->kernel_detail[0] ? ", " : "", plan->kernel_detail);
}

void tessel_plan_free(tessel_plan *plan)
{
    if (!plan) return;
    if (plan->backend_state) plan->ctx->ops->plan_release(plan);
    free(plan->taps);
    free(plan->row_taps);
    free(plan->column_taps);
    free(plan);
}
