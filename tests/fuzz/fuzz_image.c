/* libFuzzer harness of one image reader (FUZZ_EXTENSION, e.g. ".png"):
 * the format's validator and decoder through tessel_image_info and
 * tessel_image_read. A failure must say why; a success must be an image
 * whose shape is the one the header gave. Built once per format. */
#include <stdlib.h>

#include "fuzz_file.h"
#include "tessel/tessel_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, FUZZ_EXTENSION);
    tessel_image shape, img;
    tessel_status info = tessel_image_info(path, &shape);
    if (info != TESSEL_OK) fuzz_check_failure(info);
    tessel_status read = tessel_image_read(path, &img);
    if (read != TESSEL_OK) {
        fuzz_check_failure(read);
        return 0;
    }
    fuzz_check_image(&img);
    if (info != TESSEL_OK) abort(); /* what reads has a header that says its shape */
    /* the header's shape is the image's (palettes may count more channels) */
    if (info == TESSEL_OK &&
        (shape.width != img.width || shape.height != img.height || shape.dtype != img.dtype ||
         shape.channels < img.channels))
        abort();
    tessel_image_free(&img);
    return 0;
}
