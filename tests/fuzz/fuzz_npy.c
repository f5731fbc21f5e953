/* libFuzzer harness of the .npy reader: as an image and as a signal (the
 * whole array, and a column of it). */
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".npy");
    fuzz_read_image(path);
    fuzz_read_signal(path, NULL);
    fuzz_read_signal(path, "1");
    return 0;
}
