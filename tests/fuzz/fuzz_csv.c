/* libFuzzer harness of the CSV and text reader: as a matrix, and as a
 * signal by column index and by header name. (The format comes from the
 * contents: a mutated input may read as another format.) */
#include "fuzz_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size, ".csv");
    fuzz_read_image(path);
    fuzz_read_signal(path, NULL);
    fuzz_read_signal(path, "1");
    fuzz_read_signal(path, "value");
    return 0;
}
