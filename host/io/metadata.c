/* tessel_image_metadata: freeing it, and copying a profile into it. */
#include <stdlib.h>
#include <string.h>

#include "metadata.h"

void tessel_image_metadata_free(tessel_image_metadata *metadata)
{
    if (!metadata) return;
    free(metadata->icc_profile);
    memset(metadata, 0, sizeof *metadata);
}

tessel_status tessel_metadata_copy_profile(const char *path, const unsigned char *profile,
                                           size_t size, tessel_image_metadata *dst)
{
    dst->icc_profile = malloc(size ? size : 1);
    if (!dst->icc_profile)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory for an ICC profile");
    memcpy(dst->icc_profile, profile, size);
    dst->icc_size = size;
    return TESSEL_OK;
}
