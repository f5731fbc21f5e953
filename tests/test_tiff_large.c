/* The band reader and writer on an image far larger than the memory they
 * may use: a 20000 x 20000 8-bit grey TIFF (400 MB) written band by band,
 * then read back in overlapping bands (as a filter with a halo reads) with
 * every pixel checked; then a tiled, deflate-compressed 20000 x 4000 one the
 * same way. All of it runs in a child process whose peak resident memory
 * (VmHWM) must stay under a quarter of the large image.
 *
 * Files go to $TMPDIR (or /tmp) and are removed at the end. */
#define _POSIX_C_SOURCE 200809L /* unlink */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "large_image.h"
#include "tessel/tessel_io.h"
#include "test_util.h"
#include "tiff_files.h"

#define SIDE 20000
#define BAND 512 /* rows per band */
#define HALO 16  /* rows read again above and below each band */

/* Reads bands of BAND rows with HALO rows more on each side; 0 when every
 * pixel is the pattern's. */
static int read_bands(const char *path, int width, int height, uint8_t *buf)
{
    tessel_tiff_reader *reader = NULL;
    if (tessel_tiff_reader_open(path, &reader) != TESSEL_OK) {
        tu_fail(path, "reader open: %s", tessel_last_error());
        return -1;
    }
    tessel_image shape;
    tessel_tiff_reader_shape(reader, &shape);
    int bad = shape.width != width || shape.height != height || shape.channels != 1 ||
              shape.dtype != TESSEL_U8;
    if (bad) tu_fail(path, "shape %dx%dx%d %s", shape.width, shape.height, shape.channels,
                     tessel_dtype_name(shape.dtype));
    for (int b = 0; !bad && b * BAND < height; ++b) {
        int y0 = b * BAND - HALO < 0 ? 0 : b * BAND - HALO;
        int y1 = (b + 1) * BAND + HALO > height ? height : (b + 1) * BAND + HALO;
        memset(buf, 0xA5, (size_t)(y1 - y0) * (size_t)width);
        tessel_image band = tessel_image_view(buf, width, y1 - y0, 1, TESSEL_U8);
        if (tessel_tiff_reader_read_rows(reader, y0, &band) != TESSEL_OK) {
            tu_fail(path, "rows %d..%d: %s", y0, y1 - 1, tessel_last_error());
            bad = 1;
            break;
        }
        for (int y = y0; !bad && y < y1; ++y)
            for (int x = 0; !bad && x < width; ++x)
                if (buf[(size_t)(y - y0) * (size_t)width + (size_t)x] !=
                    li_pattern((uint32_t)x, (uint32_t)y)) {
                    tu_fail(path, "pixel (%d, %d) is %d, expected %d", x, y,
                            buf[(size_t)(y - y0) * (size_t)width + (size_t)x],
                            li_pattern((uint32_t)x, (uint32_t)y));
                    bad = 1;
                }
    }
    tessel_tiff_reader_close(reader);
    return bad ? -1 : 0;
}

static int round_trip(const char *what, const char *path, int width, int height,
                      const tessel_write_options *o, uint8_t *buf)
{
    double t0 = li_seconds();
    if (li_write_pattern(path, width, height, o, BAND, buf) != TESSEL_OK) {
        tu_fail(what, "write: %s", tessel_last_error());
        return -1;
    }
    double t1 = li_seconds();
    int status = read_bands(path, width, height, buf);
    printf("%s: %dx%d written in %.1f s, read and checked in %.1f s\n", what, width, height,
           t1 - t0, li_seconds() - t1);
    unlink(path);
    return status;
}

/* The child: both round trips, then the memory check. */
static int child(const void *unused)
{
    (void)unused;
    uint8_t *buf = tu_xmalloc((size_t)SIDE * (BAND + 2 * HALO));
    tessel_write_options strips = {0};
    strips.compression = TESSEL_COMPRESSION_NONE;
    tessel_write_options tiles = {0};
    tiles.tile_width = tiles.tile_height = 256;
    round_trip("strips, uncompressed", tf_path("large_strips.tif"), SIDE, SIDE, &strips, buf);
    round_trip("tiles, deflate", tf_path("large_tiles.tif"), SIDE, SIDE / 5, &tiles, buf);
    free(buf);
    size_t peak = li_peak_resident(), limit = (size_t)SIDE * SIDE / 4;
    printf("peak resident memory %.1f MiB (limit %.1f MiB: a quarter of the %.0f MB image)\n",
           (double)peak / 1048576, (double)limit / 1048576, (double)SIDE * SIDE / 1e6);
    if (peak == 0) tu_fail("memory", "VmHWM is not in /proc/self/status");
    if (peak >= limit) tu_fail("memory", "peak resident memory %zu bytes is over %zu", peak, limit);
    return tu_failures() ? 1 : 0;
}

int main(void)
{
    tf_make_temp_dir("tessel_test_tiff_large");
    const int status = li_in_child(child, NULL);
    tf_remove_temp_dir();
    if (status != 0) {
        printf("test_tiff_large: FAILED\n");
        return 1;
    }
    printf("test_tiff_large: all passed\n");
    return 0;
}
