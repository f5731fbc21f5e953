/* The header of NumPy's .npy files (versions 1, 2 and 3): the magic, the
 * version, and a Python dict literal with descr, fortran_order and shape. */
#ifndef TESSEL_IO_NPY_HEADER_H
#define TESSEL_IO_NPY_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "io.h"

/* Longest header accepted; NumPy itself refuses more than 10000 bytes by
 * default, and the dicts of the dtypes read here take about a hundred. */
#define TESSEL_NPY_MAX_HEADER 65536

typedef enum tessel_npy_type {
    TESSEL_NPY_U1 = 0,
    TESSEL_NPY_U2 = 1,
    TESSEL_NPY_F4 = 2,
    TESSEL_NPY_F8 = 3
} tessel_npy_type;

typedef struct tessel_npy_header {
    tessel_npy_type type;
    size_t item_size;
    int ndim;          /* 1..3 */
    uint64_t shape[3]; /* each >= 1; a third dimension is 1..4 */
    uint64_t count;    /* product of the shape */
    uint64_t data_offset;
} tessel_npy_header;

/* Reads and checks the header: a supported little-endian dtype, C order,
 * 1 to 3 dimensions, and data that the file holds in full. */
tessel_status tessel_npy_read_header(const tessel_io_file *file, tessel_npy_header *header);

/* Writes a version 1.0 header for descr ("|u1", "<u2", "<f4") and shape
 * into buf (at least 256 bytes), padded so that the data starts on a
 * 64-byte boundary; returns its length. */
size_t tessel_npy_format_header(char *buf, size_t size, const char *descr, int ndim,
                                const uint64_t *shape);

#endif
