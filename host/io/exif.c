/* The orientation tag of an EXIF block: a small TIFF structure whose first
 * directory (IFD0) may hold tag 0x0112, a SHORT from 1 to 8. Every offset
 * is checked against the block, which comes from an untrusted file. */
#include "metadata.h"

#define TAG_ORIENTATION 0x0112
#define TYPE_SHORT 3
#define ENTRY_BYTES 12

typedef struct exif_block {
    const unsigned char *p;
    size_t n;
    int big_endian;
} exif_block;

static unsigned read16(const exif_block *b, size_t at)
{
    return b->big_endian ? tessel_io_be16(b->p + at) : tessel_io_le16(b->p + at);
}

static uint32_t read32(const exif_block *b, size_t at)
{
    return b->big_endian ? tessel_io_be32(b->p + at) : tessel_io_le32(b->p + at);
}

int tessel_exif_orientation(const unsigned char *tiff, size_t n)
{
    if (n < 8) return 0;
    exif_block b = {tiff, n, tiff[0] == 'M'};
    if (!((tiff[0] == 'I' && tiff[1] == 'I') || (tiff[0] == 'M' && tiff[1] == 'M'))) return 0;
    if (read16(&b, 2) != 42) return 0;
    uint32_t ifd = read32(&b, 4);
    if (ifd > n - 2) return 0;
    unsigned count = read16(&b, ifd);
    for (unsigned i = 0; i < count; ++i) {
        size_t entry = (size_t)ifd + 2 + (size_t)i * ENTRY_BYTES;
        if (entry + ENTRY_BYTES > n) return 0;
        if (read16(&b, entry) != TAG_ORIENTATION) continue;
        if (read16(&b, entry + 2) != TYPE_SHORT || read32(&b, entry + 4) < 1) return 0;
        unsigned value = read16(&b, entry + 8); /* a SHORT sits in the entry itself */
        return value >= 1 && value <= 8 ? (int)value : 0;
    }
    return 0;
}
