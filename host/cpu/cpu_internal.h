/* What the CPU backend's files share beyond cpu_plan.h. */
#ifndef TESSEL_CPU_CPU_INTERNAL_H
#define TESSEL_CPU_CPU_INTERNAL_H

#include "convert.h"
#include "core/backend.h"
#include "correlate.h"

tessel_status tessel_cpu_plan_execute(tessel_plan *plan, const tessel_image *src,
                                      const tessel_image *dst);
/* The context's conversions and correlation loops (chosen for this CPU). */
const tessel_converters *tessel_cpu_converters(tessel_context *ctx);
const tessel_correlate_kernels *tessel_cpu_kernels(const tessel_context *ctx);

/* The table's device slots (cpu_devices.c). */
int tessel_cpu_device_claim(const char *device);
int tessel_cpu_auto_device(char *spec, size_t spec_size);
tessel_status tessel_cpu_list_devices(tessel_device_desc *out, int capacity, const char *auto_spec,
                                      int *count);
/* The table's cost slots (cpu_cost.c). */
void tessel_cpu_cost_work(const tessel_plan *plan, tessel_method method,
                          struct tessel_cost_work *out);
const char *tessel_cpu_cost_defaults(const tessel_context *ctx, struct tessel_cost_constants *k);
/* The table's damped_ratio slot (damped_ratio.c). */
tessel_status tessel_cpu_damped_ratio(tessel_context *ctx, const tessel_buffer *data,
                                      const tessel_buffer *blurred, float half_t2, int power,
                                      tessel_buffer *ratio);

tessel_status tessel_cpu_buffer_alloc(tessel_buffer *b);
void tessel_cpu_buffer_release(tessel_buffer *b);
tessel_status tessel_cpu_buffer_upload(tessel_buffer *b, const tessel_image *src);
tessel_status tessel_cpu_buffer_download(const tessel_buffer *b, const tessel_image *dst);
tessel_status tessel_cpu_plan_execute_buffers(tessel_plan *plan, const tessel_buffer *src,
                                              const tessel_buffer *dst);
tessel_status tessel_cpu_combine(tessel_context *ctx, const tessel_buffer *a,
                                 const tessel_buffer *b, tessel_combine_op op,
                                 const tessel_buffer *dst);
tessel_status tessel_cpu_finish(tessel_context *ctx);

#endif
