/* Image metadata inside the I/O layer: what JPEG headers and EXIF say,
 * orientation, and the metadata's own helpers (metadata.c). */
#ifndef TESSEL_IO_METADATA_H
#define TESSEL_IO_METADATA_H

#include "io.h"

/* The orientation (1..8) in an EXIF block (the TIFF structure after
 * "Exif\0\0"), or 0 when it has none or the block is malformed. */
int tessel_exif_orientation(const unsigned char *tiff, size_t n);

/* Replaces img (packed, its data from malloc) by the image turned upright
 * for an EXIF orientation; 0 and 1 leave it as it is. */
tessel_status tessel_orient_upright(const char *path, tessel_image *img, int orientation);

/* The ICC profile, JFIF density and EXIF orientation of a JPEG's header
 * segments into *out (zeroed before). Malformed or inconsistent segments
 * are passed over, as decoders pass over them: metadata never makes a file
 * unreadable. Fails only when out of memory. */
tessel_status tessel_jpeg_read_metadata(const char *path, const unsigned char *b, size_t n,
                                        tessel_image_metadata *out);

/* A copy of the profile of src into dst (which owns nothing yet). */
tessel_status tessel_metadata_copy_profile(const char *path, const unsigned char *profile,
                                           size_t size, tessel_image_metadata *dst);

#endif
