/* PNG decoding through libspng: 8 and 16-bit samples as stored (16-bit in
 * host order), grey and grey+alpha, RGB and RGBA; palettes expanded to RGB,
 * or RGBA when they carry transparency; a tRNS colour key becomes an alpha
 * channel; 1, 2 and 4-bit grey scaled to 8 bits; no gamma applied. That is
 * what cv2.imread(IMREAD_UNCHANGED) gives, in RGB order. The ICC profile
 * (iCCP) and the resolution (pHYs) come with it. libspng reads the header
 * and metadata; the pixels of the commonest files come from
 * png_fast_read.c. tessel's checks (check_png.c) run first. A build without
 * libspng compiles png_read_missing.c instead. */
#include <spng.h>
#include <stdlib.h>

#include "core/plan.h"
#include "formats.h"
#include "metadata.h"
#include "png_fast_read.h"

#define PNG_CACHE_LIMIT ((size_t)64 << 20) /* ancillary chunks kept, profile included */

static tessel_status fail_spng(const char *path, int error)
{
    if (error == SPNG_EMEM)
        return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory decoding the PNG");
    return tessel_io_fail(TESSEL_ERR_FORMAT, path, "corrupt or unsupported PNG (libspng: %s)",
                          spng_strerror(error));
}

/* The format libspng decodes to, the channels and sample type it gives. */
typedef struct png_target {
    int fmt, flags, channels;
    tessel_dtype dtype;
} png_target;

static png_target target_of(const struct spng_ihdr *h, int has_trns)
{
    int wide = h->bit_depth == 16;
    png_target t = {SPNG_FMT_PNG, 0, 0, wide ? TESSEL_U16 : TESSEL_U8};
    switch (h->color_type) {
    case SPNG_COLOR_TYPE_GRAYSCALE:
        if (has_trns)
            return (png_target){wide ? SPNG_FMT_GA16 : SPNG_FMT_GA8, SPNG_DECODE_TRNS, 2, t.dtype};
        t.channels = 1;
        if (!wide) t.fmt = SPNG_FMT_G8; /* scales 1, 2 and 4-bit samples */
        return t;
    case SPNG_COLOR_TYPE_GRAYSCALE_ALPHA: t.channels = 2; return t;
    case SPNG_COLOR_TYPE_TRUECOLOR_ALPHA: t.channels = 4; return t;
    case SPNG_COLOR_TYPE_INDEXED:
        return has_trns ? (png_target){SPNG_FMT_RGBA8, SPNG_DECODE_TRNS, 4, TESSEL_U8}
                        : (png_target){SPNG_FMT_RGB8, 0, 3, TESSEL_U8};
    default: /* truecolour */
        if (has_trns)
            return (png_target){wide ? SPNG_FMT_RGBA16 : SPNG_FMT_RGBA8, SPNG_DECODE_TRNS, 4,
                                t.dtype};
        t.channels = 3;
        return t;
    }
}

static tessel_status read_metadata(const char *path, spng_ctx *ctx, tessel_image_metadata *m)
{
    struct spng_phys phys;
    if (spng_get_phys(ctx, &phys) == 0 && phys.ppu_x && phys.ppu_y && phys.unit_specifier <= 1) {
        m->resolution_unit =
            phys.unit_specifier ? TESSEL_RESOLUTION_CENTIMETRE : TESSEL_RESOLUTION_ASPECT;
        double per_unit = phys.unit_specifier ? 100.0 : 1.0; /* per metre -> per cm */
        m->resolution_x = phys.ppu_x / per_unit;
        m->resolution_y = phys.ppu_y / per_unit;
    }
    struct spng_iccp iccp;
    if (spng_get_iccp(ctx, &iccp) == 0 && iccp.profile_len)
        return tessel_metadata_copy_profile(path, (const unsigned char *)iccp.profile,
                                            iccp.profile_len, m);
    return TESSEL_OK;
}

/* The pixels of the commonest PNGs come from png_fast_read.c (in builds
 * with libdeflate): samples as stored, nothing to expand. */
static int read_fast(const unsigned char *b, size_t n, const struct spng_ihdr *h,
                     const png_target *t, tessel_image *out)
{
    if (h->interlace_method != 0 || t->fmt != SPNG_FMT_PNG || h->bit_depth < 8) return 0;
    return tessel_png_read_fast(b, n, (int)h->width, (int)h->height, t->channels, t->dtype, out);
}

static tessel_status decode(const char *path, spng_ctx *ctx, const unsigned char *b, size_t n,
                            tessel_image *out, tessel_image_metadata *metadata)
{
    struct spng_ihdr h;
    int e = spng_get_ihdr(ctx, &h);
    if (e) return fail_spng(path, e);
    struct spng_trns trns;
    png_target t = target_of(&h, spng_get_trns(ctx, &trns) == 0);
    FORWARD_IF_ERROR(tessel_io_check_pixels(path, h.width, h.height));
    if (read_fast(b, n, &h, &t, out)) {
        tessel_status status = read_metadata(path, ctx, metadata);
        if (status != TESSEL_OK) tessel_image_free(out);
        return status;
    }
    size_t size;
    if ((e = spng_decoded_image_size(ctx, t.fmt, &size)) != 0) return fail_spng(path, e);
    FORWARD_IF_ERROR(
        tessel_io_image_alloc(path, (int)h.width, (int)h.height, t.channels, t.dtype, out));
    if (size != tessel_image_row_bytes(out) * (size_t)out->height)
        e = SPNG_EINTERNAL; /* never: the sizes are PNG's own */
    if (!e) e = spng_decode_image(ctx, out->data, size, t.fmt, t.flags);
    tessel_status status = e ? fail_spng(path, e) : read_metadata(path, ctx, metadata);
    if (status != TESSEL_OK) tessel_image_free(out);
    return status;
}

tessel_status tessel_png_read(const char *path, const unsigned char *b, size_t n, tessel_image *out,
                              tessel_image_metadata *metadata)
{
    tessel_raster_facts facts;
    FORWARD_IF_ERROR(tessel_check_raster(path, TESSEL_FORMAT_PNG, b, n, &facts));
    spng_ctx *ctx = spng_ctx_new(0);
    if (!ctx) return tessel_io_fail(TESSEL_ERR_OUT_OF_MEMORY, path, "out of memory");
    /* As libpng: a damaged critical chunk is an error, a damaged ancillary
     * one is dropped. */
    spng_set_crc_action(ctx, SPNG_CRC_ERROR, SPNG_CRC_DISCARD);
    spng_set_chunk_limits(ctx, n, PNG_CACHE_LIMIT);
    tessel_image img = {0};
    int e = spng_set_png_buffer(ctx, b, n);
    tessel_status status = e ? fail_spng(path, e) : decode(path, ctx, b, n, &img, metadata);
    spng_ctx_free(ctx);
    if (status != TESSEL_OK) {
        tessel_image_metadata_free(metadata);
        return status;
    }
    *out = img;
    return TESSEL_OK;
}
