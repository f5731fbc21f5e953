/* What a JPEG's header segments say besides the image, read from the
 * segments before the first scan:
 *   APP0 "JFIF\0": density units (0 aspect ratio, 1 per inch, 2 per cm), x, y;
 *   APP1 "Exif\0\0": a TIFF structure holding the orientation;
 *   APP2 "ICC_PROFILE\0": one chunk of the ICC profile (sequence number and
 *   count, both from 1), the chunks joined in sequence order. */
#include <stdlib.h>
#include <string.h>

#include "metadata.h"

#define MARKER_SOS 0xDA
#define MARKER_EOI 0xD9
#define MARKER_APP0 0xE0
#define MARKER_APP1 0xE1
#define MARKER_APP2 0xE2
#define ICC_TAG "ICC_PROFILE"
#define ICC_HEADER 14 /* the tag, its NUL, sequence number, count */
#define MAX_ICC_CHUNKS 255

typedef struct icc_chunks {
    const unsigned char *data[MAX_ICC_CHUNKS + 1]; /* by sequence number */
    size_t size[MAX_ICC_CHUNKS + 1];
    int count; /* as the chunks say it; -1 once they disagree */
} icc_chunks;

static void read_jfif(const unsigned char *d, size_t n, tessel_image_metadata *out)
{
    if (n < 14 || memcmp(d, "JFIF", 5) != 0) return;
    unsigned units = d[7], x = tessel_io_be16(d + 8), y = tessel_io_be16(d + 10);
    if (x == 0 || y == 0 || units > 2) return;
    if (units == 0 && x == y) return; /* 1:1 without a unit: JFIF's "nothing said" */
    out->resolution_unit = units == 1   ? TESSEL_RESOLUTION_INCH
                           : units == 2 ? TESSEL_RESOLUTION_CENTIMETRE
                                        : TESSEL_RESOLUTION_ASPECT;
    out->resolution_x = x;
    out->resolution_y = y;
}

static void add_icc_chunk(const unsigned char *d, size_t n, icc_chunks *icc)
{
    if (n <= ICC_HEADER || memcmp(d, ICC_TAG, sizeof ICC_TAG) != 0 || icc->count < 0) return;
    int seq = d[12], count = d[13];
    if (seq < 1 || seq > count || (icc->count && icc->count != count) || icc->data[seq]) {
        icc->count = -1;
        return;
    }
    icc->count = count;
    icc->data[seq] = d + ICC_HEADER;
    icc->size[seq] = n - ICC_HEADER;
}

static tessel_status join_icc(const char *path, const icc_chunks *icc, tessel_image_metadata *out)
{
    size_t total = 0;
    for (int i = 1; i <= icc->count; ++i) {
        if (!icc->data[i]) return TESSEL_OK; /* a chunk is missing: no profile */
        total += icc->size[i];
    }
    if (icc->count <= 0) return TESSEL_OK;
    out->icc_profile = malloc(total);
    if (!out->icc_profile)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory for an ICC profile");
    out->icc_size = total;
    size_t at = 0;
    for (int i = 1; i <= icc->count; ++i) {
        memcpy(out->icc_profile + at, icc->data[i], icc->size[i]);
        at += icc->size[i];
    }
    return TESSEL_OK;
}

tessel_status tessel_jpeg_read_metadata(const char *path, const unsigned char *b, size_t n,
                                        tessel_image_metadata *out)
{
    memset(out, 0, sizeof *out);
    icc_chunks *icc = calloc(1, sizeof *icc);
    if (!icc) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    size_t pos = 2; /* after SOI */
    for (;;) {
        while (pos < n && b[pos] != 0xFF) ++pos;
        while (pos < n && b[pos] == 0xFF) ++pos;
        if (pos >= n) break;
        unsigned marker = b[pos++];
        if (marker == MARKER_SOS || marker == MARKER_EOI) break;
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) continue; /* no length */
        if (n - pos < 2) break;
        size_t length = tessel_io_be16(b + pos);
        if (length < 2 || n - pos < length) break;
        const unsigned char *d = b + pos + 2;
        if (marker == MARKER_APP0) read_jfif(d, length - 2, out);
        if (marker == MARKER_APP1 && length - 2 > 6 && memcmp(d, "Exif\0\0", 6) == 0)
            out->orientation = tessel_exif_orientation(d + 6, length - 2 - 6);
        if (marker == MARKER_APP2) add_icc_chunk(d, length - 2, icc);
        pos += length;
    }
    tessel_status status = join_icc(path, icc, out);
    free(icc);
    return status;
}
