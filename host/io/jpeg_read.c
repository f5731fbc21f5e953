/* JPEG decoding through libjpeg-turbo's TurboJPEG API, as OpenCV decodes
 * (the same library, accurate integer IDCT, smooth chroma upsampling), so
 * the pixels equal cv2.imread's. Grey JPEGs stay grey; CMYK and YCCK ones
 * become RGB by OpenCV's formula for the inverted CMYK that Adobe writes;
 * the EXIF orientation is applied unless asked not to. tessel's checks
 * (check_jpeg.c) run first. A build without libjpeg-turbo compiles
 * jpeg_missing.c instead. */
#include <stdlib.h>
#include <turbojpeg.h>

#include "formats.h"
#include "metadata.h"

static tessel_status fail_tj(const char *path, tjhandle tj)
{
    return tessel_io_fail(TESSEL_ERR_FORMAT, path,
                          "corrupt or unsupported JPEG (libjpeg-turbo: %s)", tjGetErrorStr2(tj));
}

/* Inverted CMYK (0 = full ink) to RGB in place, 4 samples into 3. */
static void cmyk_to_rgb(unsigned char *p, size_t pixels)
{
    for (size_t i = 0; i < pixels; ++i) {
        const unsigned char *s = p + 4 * i;
        int c = s[0], m = s[1], y = s[2], k = s[3];
        unsigned char *d = p + 3 * i;
        d[0] = (unsigned char)(k - ((255 - c) * k >> 8));
        d[1] = (unsigned char)(k - ((255 - m) * k >> 8));
        d[2] = (unsigned char)(k - ((255 - y) * k >> 8));
    }
}

static tessel_status decode(const char *path, tjhandle tj, const unsigned char *b, size_t n,
                            tessel_image *out)
{
    int w, h, subsampling, colourspace;
    if (tjDecompressHeader3(tj, b, (unsigned long)n, &w, &h, &subsampling, &colourspace) != 0)
        return fail_tj(path, tj);
    int cmyk = colourspace == TJCS_CMYK || colourspace == TJCS_YCCK;
    int grey = colourspace == TJCS_GRAY;
    int pixel_format = cmyk ? TJPF_CMYK : grey ? TJPF_GRAY : TJPF_RGB;
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, (uint64_t)w, (uint64_t)h));
    FORWARD_IF_ERROR(tessel_io_image_alloc(path, w, h, cmyk ? 4 : grey ? 1 : 3, TESSEL_U8, out));
    /* A warning (a damaged but decodable stream) still gives the image, as
     * in OpenCV; progressive files with absurd scan counts are refused. */
    if (tjDecompress2(tj, b, (unsigned long)n, out->data, w, 0, h, pixel_format,
                      TJFLAG_LIMITSCANS) != 0 &&
        tjGetErrorCode(tj) != TJERR_WARNING) {
        tessel_status status = fail_tj(path, tj);
        tessel_image_free(out);
        return status;
    }
    if (cmyk) {
        cmyk_to_rgb(out->data, (size_t)w * (size_t)h);
        out->channels = 3;
    }
    return TESSEL_OK;
}

tessel_status tessel_jpeg_read(const char *path, const unsigned char *b, size_t n,
                               const tessel_read_options *options, tessel_image *out,
                               tessel_image_metadata *metadata)
{
    tessel_raster_facts facts;
    FORWARD_IF_ERROR(tessel_check_raster(path, TESSEL_FORMAT_JPEG, b, n, &facts));
    tjhandle tj = tjInitDecompress();
    if (!tj) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    tessel_image img = {0};
    tessel_status status = decode(path, tj, b, n, &img);
    tjDestroy(tj);
    if (status == TESSEL_OK) status = tessel_jpeg_read_metadata(path, b, n, metadata);
    if (status == TESSEL_OK && !options->keep_orientation)
        status = tessel_orient_upright(path, &img, metadata->orientation);
    if (status != TESSEL_OK) {
        tessel_image_free(&img);
        tessel_image_metadata_free(metadata);
        return status;
    }
    *out = img;
    return TESSEL_OK;
}
