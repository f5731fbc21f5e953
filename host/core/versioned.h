/* The option and result structs a caller passes with a struct_size (their
 * first field), read and written only as far as the caller's version of
 * the struct goes, so that the structs can grow without an older caller's
 * smaller struct being over-read or over-written. */
#ifndef TESSEL_CORE_VERSIONED_H
#define TESSEL_CORE_VERSIONED_H

#include <stddef.h>

#include "tessel/tessel.h"

#define TESSEL_STRUCT_VERSIONS 8

/* A versioned struct: its name for messages and the sizes of its released
 * versions, newest (its sizeof) first, 0 after the last. When a struct
 * gains fields, the size it had before joins the list (the end of its old
 * last field, rounded up to the struct's alignment), so callers built
 * against the older header keep working. */
typedef struct tessel_struct_kind {
    const char *name;
    size_t sizes[TESSEL_STRUCT_VERSIONS];
} tessel_struct_kind;

/* The kind of a struct that has had one version so far. */
#define TESSEL_STRUCT_KIND(type) {#type, {sizeof(type)}}

/* The size a struct had when `last` was its last field: the end of that
 * field, rounded up to the struct's alignment (the added fields did not
 * change it). */
#define TESSEL_STRUCT_SIZE_UNTIL(type, last)                                   \
    ((offsetof(type, last) + sizeof(((type *)0)->last) + _Alignof(type) - 1) / \
     _Alignof(type) * _Alignof(type))

/* The versioned structs of tessel.h; those of the other headers are
 * defined where they are read. */
extern const tessel_struct_kind tessel_context_options_kind;
extern const tessel_struct_kind tessel_conv_options_kind;
extern const tessel_struct_kind tessel_plan_properties_kind;
extern const tessel_struct_kind tessel_tune_options_kind;
extern const tessel_struct_kind tessel_tune_result_kind;

/* Copies the caller's struct src (NULL: all defaults) into dst, which has
 * the current size: as many bytes as the caller's struct_size says it has
 * (0 means the current version), zeros after them, and struct_size set to
 * the current size. A struct_size that is no version's size fails with
 * TESSEL_ERR_INVALID_ARGUMENT and a message recorded for ctx (may be NULL). */
tessel_status tessel_struct_read(tessel_context *ctx, const tessel_struct_kind *kind,
                                 const void *src, void *dst);

/* Gives a result src (of the current size) to the caller's struct dst: as
 * many bytes as dst's struct_size says it has (0: the current size), and
 * that size as its struct_size. The same check as tessel_struct_read. */
tessel_status tessel_struct_write(tessel_context *ctx, const tessel_struct_kind *kind,
                                  const void *src, void *dst);

#endif
