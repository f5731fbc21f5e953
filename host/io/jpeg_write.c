/* JPEG encoding through libjpeg-turbo's TurboJPEG API: grey as a grey
 * JPEG, colour with the chroma subsampling asked for, alpha dropped. The
 * resolution goes into the JFIF header TurboJPEG writes, the ICC profile
 * into APP2 segments after it. A build without libjpeg-turbo compiles
 * jpeg_missing.c instead. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "core/plan.h"
#include "formats.h"

#define ICC_TAG "ICC_PROFILE"
#define ICC_HEADER 14                        /* the tag, its NUL, sequence number, count */
#define ICC_CHUNK_BYTES (65533 - ICC_HEADER) /* a segment holds 65533 bytes after its length */
#define JFIF_END 20                          /* SOI and a 16-byte APP0 */

static int subsampling_of(tessel_jpeg_subsampling s)
{
    return s == TESSEL_JPEG_SUBSAMPLING_444   ? TJSAMP_444
           : s == TESSEL_JPEG_SUBSAMPLING_422 ? TJSAMP_422
                                              : TJSAMP_420;
}

/* What TurboJPEG compresses: img itself when it is u8 with 1, 3 or 4
 * channels, else a packed u8 copy (grey+alpha: the grey channel alone) in
 * *owned. */
static tessel_status source_of(const char *path, const tessel_image *img, tessel_image *src,
                               void **owned)
{
    *owned = NULL;
    if (img->dtype == TESSEL_U8 && img->channels != 2) {
        *src = *img;
        return TESSEL_OK;
    }
    FORWARD_IF_ERROR(tessel_io_packed_u8(path, img, src));
    *owned = src->data;
    if (src->channels == 2) {
        unsigned char *p = src->data;
        size_t pixels = (size_t)src->width * (size_t)src->height;
        for (size_t i = 0; i < pixels; ++i) p[i] = p[2 * i];
        src->channels = 1;
    }
    return TESSEL_OK;
}

/* The JFIF density fields (units, x, y) of the APP0 TurboJPEG wrote. */
static void set_density(unsigned char *jpeg, unsigned long size, const tessel_image_metadata *m)
{
    if (!m || m->resolution_unit == TESSEL_RESOLUTION_NONE) return;
    if (size < JFIF_END || jpeg[2] != 0xFF || jpeg[3] != 0xE0 || memcmp(jpeg + 6, "JFIF", 5) != 0)
        return;
    double x = round(m->resolution_x), y = round(m->resolution_y);
    if (!(x >= 1 && y >= 1 && x <= 65535 && y <= 65535)) return; /* JFIF cannot hold it */
    jpeg[13] = m->resolution_unit == TESSEL_RESOLUTION_INCH         ? 1
               : m->resolution_unit == TESSEL_RESOLUTION_CENTIMETRE ? 2
                                                                    : 0;
    jpeg[14] = (unsigned char)((unsigned)x >> 8), jpeg[15] = (unsigned char)x;
    jpeg[16] = (unsigned char)((unsigned)y >> 8), jpeg[17] = (unsigned char)y;
}

static void write_profile(tessel_atomic_file *file, const unsigned char *icc, size_t size)
{
    size_t chunks = (size + ICC_CHUNK_BYTES - 1) / ICC_CHUNK_BYTES;
    for (size_t i = 0; i < chunks; ++i) {
        size_t n = size - i * ICC_CHUNK_BYTES < ICC_CHUNK_BYTES ? size - i * ICC_CHUNK_BYTES
                                                                : ICC_CHUNK_BYTES;
        unsigned char head[4 + ICC_HEADER] = {0xFF, 0xE2};
        head[2] = (unsigned char)((n + 2 + ICC_HEADER) >> 8);
        head[3] = (unsigned char)(n + 2 + ICC_HEADER);
        memcpy(head + 4, ICC_TAG, sizeof ICC_TAG);
        head[4 + 12] = (unsigned char)(i + 1);
        head[4 + 13] = (unsigned char)chunks;
        tessel_atomic_write(file, head, sizeof head);
        tessel_atomic_write(file, icc + i * ICC_CHUNK_BYTES, n);
    }
}

/* The JPEG, with the profile's segments after SOI and the JFIF APP0 (a
 * profile longer than 255 segments, 16 MiB, cannot be stored: none is). */
static void write_out(tessel_atomic_file *file, unsigned char *jpeg, unsigned long size,
                      const tessel_image_metadata *m)
{
    set_density(jpeg, size, m);
    int with_profile =
        m && m->icc_profile && m->icc_size && m->icc_size <= (size_t)255 * ICC_CHUNK_BYTES;
    size_t head = size >= JFIF_END && jpeg[3] == 0xE0 ? JFIF_END : 2;
    if (!with_profile) head = size;
    tessel_atomic_write(file, jpeg, head);
    if (with_profile) write_profile(file, m->icc_profile, m->icc_size);
    tessel_atomic_write(file, jpeg + head, size - head);
}

#define JPEG_MAX_SIDE 65535

tessel_status tessel_jpeg_write(tessel_atomic_file *file, const tessel_image *img,
                                const tessel_write_options *o)
{
    if (img->width > JPEG_MAX_SIDE || img->height > JPEG_MAX_SIDE)
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, file->path,
                              "a %dx%d image is too large for JPEG (65535 pixels a side at most)",
                              img->width, img->height);
    tessel_image src;
    void *owned;
    FORWARD_IF_ERROR(source_of(file->path, img, &src, &owned));
    static const int formats[5] = {0, TJPF_GRAY, 0, TJPF_RGB, TJPF_RGBA};
    int subsampling = src.channels == 1 ? TJSAMP_GRAY : subsampling_of(o->jpeg_subsampling);
    unsigned long size = tjBufSize(src.width, src.height, subsampling);
    if (size > INT_MAX) {
        free(owned);
        return tessel_io_fail(TESSEL_ERR_BAD_SIZE, file->path,
                              "a %dx%d image is too large for the JPEG encoder (its buffer would "
                              "pass 2 GiB)",
                              img->width, img->height);
    }
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = tj ? tjAlloc((int)size) : NULL;
    tessel_status status = TESSEL_OK;
    if (!jpeg)
        status = tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, file->path, "out of memory");
    else if (tjCompress2(tj, src.data, src.width, (int)tessel_image_row_bytes(&src), src.height,
                         formats[src.channels], &jpeg, &size, subsampling, o->quality,
                         TJFLAG_NOREALLOC) != 0)
        status = tessel_io_fail(TESSEL_ERR_IO, file->path, "the JPEG encoder failed: %s",
                                tjGetErrorStr2(tj));
    else
        write_out(file, jpeg, size, o->metadata);
    tjFree(jpeg);
    if (tj) tjDestroy(tj);
    free(owned);
    return status;
}

int tessel_jpeg_write_by_stb(void)
{
    return 0;
}
