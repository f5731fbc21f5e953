/* libFuzzer harness of the TIFF reader: whole (tessel_image_read) and by
 * bands (tessel_tiff_reader), forward in bands of 7 rows, then backward in
 * overlapping bands (which restarts compressed strips and uses the ring of
 * recent rows). Both ways must give the same pixels. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_file.h"
#include "tessel/tessel_io.h"

#define BAND_ROWS 7
#define MAX_BAND_BYTES ((size_t)64 << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t row_bytes(const tessel_image *shape)
{
    return (size_t)shape->width * (size_t)shape->channels * tessel_dtype_size(shape->dtype);
}

/* Reads rows y0.. into band; aborts if they differ from the whole image's. */
static void read_band(tessel_tiff_reader *r, const tessel_image *shape, int y0,
                      unsigned char *band, const tessel_image *whole)
{
    int rows = shape->height - y0 < BAND_ROWS ? shape->height - y0 : BAND_ROWS;
    tessel_image dst = tessel_image_view(band, shape->width, rows, shape->channels, shape->dtype);
    tessel_status s = tessel_tiff_reader_read_rows(r, y0, &dst);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        return;
    }
    size_t n = row_bytes(shape);
    if (whole && memcmp(band, (const unsigned char *)whole->data + (size_t)y0 * n,
                        (size_t)rows * n) != 0)
        abort();
}

static void read_by_bands(const char *path, const tessel_image *whole)
{
    tessel_tiff_reader *r = NULL;
    tessel_status s = tessel_tiff_reader_open(path, &r);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        return;
    }
    tessel_image shape;
    if (tessel_tiff_reader_shape(r, &shape) != TESSEL_OK) abort();
    unsigned char *band = row_bytes(&shape) <= MAX_BAND_BYTES / BAND_ROWS
                              ? malloc(row_bytes(&shape) * BAND_ROWS)
                              : NULL;
    for (int y = 0; band && y < shape.height; y += BAND_ROWS)
        read_band(r, &shape, y, band, whole);
    for (int y = shape.height - 1; band && y >= 0; y -= BAND_ROWS / 2 + 1)
        read_band(r, &shape, y, band, whole);
    free(band);
    tessel_tiff_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".tif");
    tessel_image img;
    tessel_status s = tessel_image_read(path, &img);
    if (s == TESSEL_OK)
        fuzz_check_image(&img);
    else
        fuzz_check_failure(s);
    read_by_bands(path, s == TESSEL_OK ? &img : NULL);
    if (s == TESSEL_OK) tessel_image_free(&img);
    return 0;
}
