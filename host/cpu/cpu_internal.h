/* What the CPU backend's files share beyond cpu_plan.h. */
#ifndef TESSEL_CPU_CPU_INTERNAL_H
#define TESSEL_CPU_CPU_INTERNAL_H

#include "../core/backend.h"
#include "convert.h"

tessel_status cpu_plan_execute(tessel_plan *plan, const tessel_image *src,
                               const tessel_image *dst);
/* The context's conversions (chosen for this CPU). */
const tessel_converters *cpu_converters(tessel_context *ctx);

tessel_status cpu_buffer_alloc(tessel_buffer *b);
void cpu_buffer_release(tessel_buffer *b);
tessel_status cpu_buffer_upload(tessel_buffer *b, const tessel_image *src);
tessel_status cpu_buffer_download(const tessel_buffer *b, const tessel_image *dst);
tessel_status cpu_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                       const tessel_buffer *dst);
tessel_status cpu_combine(tessel_context *ctx, const tessel_buffer *a, const tessel_buffer *b,
                          tessel_combine_op op, const tessel_buffer *dst);
tessel_status cpu_finish(tessel_context *ctx);

#endif
