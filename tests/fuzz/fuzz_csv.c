/* libFuzzer harness of the CSV and text reader: as a matrix, and as a
 * signal by column index and by header name. (The format comes from the
 * contents: a mutated input may read as another format.) */
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
    const char *path = fuzz_file(data, size, ".csv");
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
    read_signal(path, "value");
    return 0;
}
