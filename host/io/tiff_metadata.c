/* The metadata of a TIFF: its ICC profile (tag 34675) and resolution
 * (XResolution, YResolution, ResolutionUnit), read from an open reader and
 * set on a writer's directory. */
#include <math.h>

#include "metadata.h"
#include "tiff_reader.h"

static tessel_status read_tags(const char *path, TIFF *tif, tessel_image_metadata *m)
{
    float x = 0, y = 0;
    uint16_t unit = RESUNIT_INCH; /* TIFF's default */
    if (TIFFGetField(tif, TIFFTAG_XRESOLUTION, &x) && TIFFGetField(tif, TIFFTAG_YRESOLUTION, &y) &&
        x > 0 && y > 0 && isfinite(x) && isfinite(y)) {
        TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
        m->resolution_unit = unit == RESUNIT_CENTIMETER ? TESSEL_RESOLUTION_CENTIMETRE
                             : unit == RESUNIT_NONE     ? TESSEL_RESOLUTION_ASPECT
                                                        : TESSEL_RESOLUTION_INCH;
        m->resolution_x = x;
        m->resolution_y = y;
    }
    uint32_t size = 0;
    void *profile = NULL;
    if (TIFFGetField(tif, TIFFTAG_ICCPROFILE, &size, &profile) && profile && size)
        return tessel_metadata_copy_profile(path, profile, size, m);
    return TESSEL_OK;
}

tessel_status tessel_tiff_reader_metadata(const tessel_tiff_reader *reader,
                                          tessel_image_metadata *metadata)
{
    RETURN_ERROR_IF(!reader || !metadata, NULL, TESSEL_ERR_NULL_POINTER, "%s is NULL",
                    reader ? "metadata" : "TIFF reader");
    tessel_image_metadata m = {0};
    tessel_status status = read_tags(reader->path, reader->handle.tif, &m);
    if (status != TESSEL_OK) return status;
    *metadata = m;
    return TESSEL_OK;
}

int tessel_tiff_set_metadata(TIFF *tif, const tessel_image_metadata *m)
{
    if (!m) return 1;
    int ok = 1;
    if (m->icc_profile && m->icc_size && m->icc_size <= UINT32_MAX)
        ok = TIFFSetField(tif, TIFFTAG_ICCPROFILE, (uint32_t)m->icc_size, m->icc_profile);
    int has_resolution = m->resolution_unit != TESSEL_RESOLUTION_NONE && m->resolution_x > 0 &&
                         m->resolution_y > 0 && isfinite(m->resolution_x) &&
                         isfinite(m->resolution_y);
    if (ok && has_resolution) {
        uint16_t unit = m->resolution_unit == TESSEL_RESOLUTION_CENTIMETRE ? RESUNIT_CENTIMETER
                        : m->resolution_unit == TESSEL_RESOLUTION_ASPECT   ? RESUNIT_NONE
                                                                           : RESUNIT_INCH;
        ok = TIFFSetField(tif, TIFFTAG_XRESOLUTION, (float)m->resolution_x) &&
             TIFFSetField(tif, TIFFTAG_YRESOLUTION, (float)m->resolution_y) &&
             TIFFSetField(tif, TIFFTAG_RESOLUTIONUNIT, unit);
    }
    return ok;
}
