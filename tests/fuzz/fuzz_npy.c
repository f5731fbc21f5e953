/* libFuzzer harness of the .npy reader: as an image and as a signal (the
 * whole array, and a column of it). */
#include <stdlib.h>

#include "fuzz_file.h"
#include "tessel/tessel_io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_signal(const char *path, const char *column)
{
    tessel_image signal;
    tessel_status s = tessel_signal_read(path, column, &signal);
    if (s != TESSEL_OK) {
        fuzz_check_failure(s);
        return;
    }
    fuzz_check_image(&signal);
    if (signal.height != 1 || signal.channels != 1 || signal.dtype != TESSEL_F32) abort();
    tessel_image_free(&signal);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".npy");
    tessel_image img;
    tessel_status s = tessel_image_read(path, &img);
    if (s == TESSEL_OK) {
        fuzz_check_image(&img);
        tessel_image_free(&img);
    } else {
        fuzz_check_failure(s);
    }
    read_signal(path, NULL);
    read_signal(path, "1");
    return 0;
}
