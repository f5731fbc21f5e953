/* Internal pieces of tessel_io shared by the readers and writers: messages
 * that name the file, whole-file reading, the size limits every reader
 * enforces before allocating, and byte-order helpers. */
#ifndef TESSEL_IO_IO_H
#define TESSEL_IO_IO_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tessel/tessel.h"
#include "tessel/tessel_io.h"

/* Most pixels (width x height) a file may hold: keeps every size computation
 * far from overflow and bounds what a lying header can make us allocate. */
#define TESSEL_IO_MAX_PIXELS ((uint64_t)1 << 31)
#define TESSEL_IO_MAX_PIXELS_TEXT "2^31"

/* Most pixels a compressed image may decode to per byte of file: deflate
 * expands at most 1032:1 and a 1-bit PNG packs 8 pixels in a byte; no other
 * format stb_image reads (JPEG, GIF, RLE TGA, HDR) packs more. */
#define TESSEL_IO_MAX_PIXELS_PER_BYTE (8u * 1032u)

/* Records `"PATH": MESSAGE` as the thread's last error and returns status. */
tessel_status tessel_io_fail(tessel_status status, const char *path, const char *fmt, ...)
    TESSEL_PRINTF(3, 4);

/* tessel_image_check's checks of img (`what` names it in the message: "output",
 * "source", ...; data NULL allowed unless require_data), the message naming
 * the file at path. */
tessel_status tessel_io_check_image(const char *path, const char *what, const tessel_image *img,
                                    int require_data);

/* ----------------------------------------------------------- file reading */

/* An open regular file, not empty. */
typedef struct tessel_io_file {
    const char *path;
    int fd;
    uint64_t size;
} tessel_io_file;

/* Opens path for reading: a missing file, a directory, something that is not
 * a regular file and an empty file each fail with a message. */
tessel_status tessel_io_file_open(tessel_io_file *file, const char *path);
void tessel_io_file_close(tessel_io_file *file);

/* Reads exactly n bytes at offset (which the caller checked against the
 * file's size). */
tessel_status tessel_io_file_read(const tessel_io_file *file, uint64_t offset, void *buf, size_t n);

/* Reads the whole file into a fresh allocation (free with free()). */
tessel_status tessel_io_file_read_all(const tessel_io_file *file, unsigned char **out);

/* ----------------------------------------------------------------- limits */

/* Checks a width x height claimed by a file: both at least 1, each within
 * int, the product within TESSEL_IO_MAX_PIXELS. */
tessel_status tessel_io_check_pixels(const char *path, uint64_t width, uint64_t height);

/* What a file's header claims, checked by every reader before it allocates
 * anything for the image: both sides at least 1 and within int, no more
 * pixels than a file of file_size bytes can hold (at most
 * TESSEL_IO_MAX_PIXELS_PER_BYTE in a byte), and for an image read whole
 * (whole != 0) the limits of tessel_io_check_pixels. A reader by bands
 * (whole == 0) needs no more memory than a band, so it has no pixel limit. */
tessel_status tessel_io_check_claim(const char *path, const char *format, uint64_t width,
                                    uint64_t height, uint64_t file_size, int whole);

/* Allocates a packed image; sizes already passed tessel_io_check_pixels. */
tessel_status tessel_io_image_alloc(const char *path, int width, int height, int channels,
                                    tessel_dtype dtype, tessel_image *out);

/* ------------------------------------------------------------ byte order */

static inline uint32_t tessel_io_le16(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static inline uint32_t tessel_io_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t tessel_io_be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | (uint32_t)p[1];
}

static inline uint32_t tessel_io_be32(const unsigned char *p)
{
    return tessel_io_be16(p) << 16 | tessel_io_be16(p + 2);
}

static inline void tessel_io_put_le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static inline void tessel_io_put_le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (8 * i));
}

static inline void tessel_io_put_be32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; ++i) p[i] = (unsigned char)(v >> (24 - 8 * i));
}

#endif
