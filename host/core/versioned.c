/* Versioned structs in and out of the library (see versioned.h). */
#include "versioned.h"

#include <stdint.h>
#include <string.h>

#include "error.h"

/* cl_kernels came after cl_queue. */
const tessel_struct_kind tessel_context_options_kind = {
    "tessel_context_options",
    {sizeof(tessel_context_options), TESSEL_STRUCT_SIZE_UNTIL(tessel_context_options, cl_queue)}};
const tessel_struct_kind tessel_conv_options_kind = TESSEL_STRUCT_KIND(tessel_conv_options);
/* kernel_family and kernel_detail came after tile_height; integer_path
 * after kernel_detail. */
const tessel_struct_kind tessel_plan_properties_kind = {
    "tessel_plan_properties",
    {sizeof(tessel_plan_properties),
     TESSEL_STRUCT_SIZE_UNTIL(tessel_plan_properties, kernel_detail),
     TESSEL_STRUCT_SIZE_UNTIL(tessel_plan_properties, tile_height)}};
const tessel_struct_kind tessel_tune_options_kind = TESSEL_STRUCT_KIND(tessel_tune_options);
const tessel_struct_kind tessel_tune_result_kind = TESSEL_STRUCT_KIND(tessel_tune_result);

static uint32_t struct_size_of(const void *s)
{
    uint32_t size;
    memcpy(&size, s, sizeof size); /* the first field of every versioned struct */
    return size;
}

/* The bytes of the caller's struct: its struct_size, or the current size
 * for 0; fails for a size no version has. */
static tessel_status caller_bytes(tessel_context *ctx, const tessel_struct_kind *kind,
                                  uint32_t struct_size, size_t *bytes)
{
    *bytes = kind->sizes[0];
    if (struct_size == 0) return TESSEL_OK;
    for (int i = 0; i < TESSEL_STRUCT_VERSIONS && kind->sizes[i]; ++i)
        if (struct_size == kind->sizes[i]) {
            *bytes = struct_size;
            return TESSEL_OK;
        }
    return tessel_fail(ctx, TESSEL_ERR_INVALID_ARGUMENT,
                       "%s.struct_size is %lu, the size of no version of %s (this library's "
                       "is %zu; 0 also means it): set it to sizeof(%s)",
                       kind->name, (unsigned long)struct_size, kind->name, kind->sizes[0],
                       kind->name);
}

tessel_status tessel_struct_read(tessel_context *ctx, const tessel_struct_kind *kind,
                                 const void *src, void *dst)
{
    size_t size = kind->sizes[0], n = 0;
    if (src) FORWARD_IF_ERROR(caller_bytes(ctx, kind, struct_size_of(src), &n));
    memset(dst, 0, size);
    if (n) memcpy(dst, src, n);
    uint32_t current = (uint32_t)size;
    memcpy(dst, &current, sizeof current);
    return TESSEL_OK;
}

tessel_status tessel_struct_write(tessel_context *ctx, const tessel_struct_kind *kind,
                                  const void *src, void *dst)
{
    size_t n;
    FORWARD_IF_ERROR(caller_bytes(ctx, kind, struct_size_of(dst), &n));
    memcpy(dst, src, n);
    uint32_t written = (uint32_t)n; /* the caller's own size (0 became the current one) */
    memcpy(dst, &written, sizeof written);
    return TESSEL_OK;
}
