/* JPEG: the segments are walked as stb_image will read them, up to the
 * end-of-image marker, before it decodes anything:
 *  - stb decodes a truncated scan without complaint when the cut falls
 *    between markers, so the end-of-image marker must be there;
 *  - stb 2.27 writes past its tables when a Huffman table (DHT) declares
 *    more than 256 codes, so every DHT is checked;
 *  - the size comes from the frame header (SOFn). */
#include <string.h>

#include "formats.h"

#define MARKER_SOS 0xDA
#define MARKER_EOI 0xD9
#define MARKER_DHT 0xC4
#define HUFFMAN_MAX_CODES 256

/* Start-of-frame markers: C0..CF except DHT (C4), JPG (C8) and DAC (CC). */
static int is_frame(unsigned marker)
{
    return marker >= 0xC0 && marker <= 0xCF && marker != MARKER_DHT && marker != 0xC8 &&
           marker != 0xCC;
}

/* Markers without a length field: TEM and RST0..7 (SOI is skipped before). */
static int is_standalone(unsigned marker)
{
    return marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
}

static tessel_status truncated(const char *path)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                          "truncated JPEG: it ends before its end-of-image marker");
}

/* The tables of one DHT segment (data: its bytes after the length). */
static tessel_status check_huffman_tables(const char *path, const unsigned char *data, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        if (n - pos < 17)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt JPEG Huffman table");
        unsigned codes = 0;
        for (int i = 1; i <= 16; ++i) codes += data[pos + (size_t)i];
        if (codes > HUFFMAN_MAX_CODES || n - pos - 17 < codes)
            return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                                  "corrupt JPEG Huffman table of %u codes (at most %d)", codes,
                                  HUFFMAN_MAX_CODES);
        pos += 17 + codes;
    }
    return TESSEL_OK;
}

/* Skips entropy-coded data: inside it 0xFF is followed by 0x00 (a stuffed
 * byte), a restart marker, or more 0xFF fill; anything else is a marker. */
static size_t skip_scan(const unsigned char *b, size_t n, size_t pos)
{
    while (pos + 1 < n) {
        const unsigned char *ff = memchr(b + pos, 0xFF, n - 1 - pos); /* rare in scans */
        if (!ff) return n;
        pos = (size_t)(ff - b);
        if (b[pos + 1] != 0 && b[pos + 1] != 0xFF && !(b[pos + 1] >= 0xD0 && b[pos + 1] <= 0xD7))
            return pos;
        ++pos;
    }
    return n;
}

tessel_status tessel_check_jpeg(const char *path, const unsigned char *b, size_t n,
                                tessel_raster_facts *facts)
{
    size_t pos = 2; /* after SOI */
    int have_frame = 0, have_scan = 0;
    for (;;) {
        while (pos < n && b[pos] != 0xFF) ++pos; /* stray bytes: stb skips them too */
        while (pos < n && b[pos] == 0xFF) ++pos; /* fill bytes */
        if (pos >= n) return truncated(path);
        unsigned marker = b[pos++];
        if (marker == MARKER_EOI) break;
        if (is_standalone(marker)) continue;
        if (n - pos < 2 || n - pos < tessel_io_be16(b + pos)) return truncated(path);
        size_t length = tessel_io_be16(b + pos);
        if (length < 2) return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt JPEG segment");
        if (marker == MARKER_DHT)
            FORWARD_IF_ERROR(check_huffman_tables(path, b + pos + 2, length - 2));
        if (is_frame(marker) && length >= 7 && !have_frame) { /* precision, height, width */
            facts->height = tessel_io_be16(b + pos + 3);
            facts->width = tessel_io_be16(b + pos + 5);
            have_frame = 1;
        }
        pos += length;
        if (marker == MARKER_SOS) {
            have_scan = 1;
            pos = skip_scan(b, n, pos);
        }
    }
    if (!have_frame || !have_scan)
        return tessel_io_fail(TESSEL_ERR_FORMAT, path, "JPEG holds no image data");
    return tessel_io_check_pixels(path, facts->width, facts->height);
}
