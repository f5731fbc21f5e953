/* CSV output: one line per image row, channels interleaved, or one value
 * per line for a signal. Floats get the fewest digits that read back
 * exactly, with a decimal point whatever the locale. */
#include <stdio.h>
#include <string.h>

#include "core/plan.h"
#include "formats.h"
#include "number.h"

static int format_sample(char *buf, size_t size, const void *row, size_t i, tessel_dtype dtype)
{
    if (dtype == TESSEL_U8) return snprintf(buf, size, "%u", ((const uint8_t *)row)[i]);
    if (dtype == TESSEL_U16) return snprintf(buf, size, "%u", ((const uint16_t *)row)[i]);
    tessel_format_float(buf, size, ((const float *)row)[i]);
    return (int)strlen(buf);
}

tessel_status tessel_csv_write(tessel_atomic_file *file, const tessel_image *img,
                               const char *header_line, int one_per_line)
{
    tessel_c_numeric scope;
    FORWARD_IF_ERROR(tessel_c_numeric_enter(&scope, file->path));
    if (header_line) {
        tessel_atomic_write(file, header_line, strlen(header_line));
        tessel_atomic_write(file, "\n", 1);
    }
    size_t samples = (size_t)img->width * (size_t)img->channels;
    char buf[48];
    for (int y = 0; y < img->height; ++y) {
        const void *row =
            (const unsigned char *)img->data + (size_t)y * tessel_image_row_bytes(img);
        for (size_t i = 0; i < samples; ++i) {
            int n = format_sample(buf, sizeof buf - 1, row, i, img->dtype);
            buf[n] = (one_per_line || i + 1 == samples) ? '\n' : ',';
            tessel_atomic_write(file, buf, (size_t)n + 1);
        }
    }
    tessel_c_numeric_leave(&scope);
    return TESSEL_OK;
}
