/* The codecs against OpenCV: every file in tests/golden/codecs/manifest.txt
 * (made by make_codec_golden.py) decodes to the pixels cv2.imread gives,
 * exactly where this build decodes with the library OpenCV uses
 * (libjpeg-turbo; for PNG any correct decoder), within a few levels where
 * stb_image decodes a JPEG. Then what OpenCV has no part in: metadata
 * carried through writers and readers, the write options, and damaged
 * files through the new decoders. Run from the source's tests/ folder. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tessel/tessel_batch.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

#define GOLDEN "golden/codecs/"

/* Builds with libjpeg-turbo decode JPEG as OpenCV does and carry JPEG
 * metadata; builds with libspng read PNG metadata and check CRCs. The stb
 * fallback does neither. */
#ifdef TESSEL_TEST_TURBOJPEG
static const int jpeg_exact = 1;
#else
static const int jpeg_exact = 0;
#endif
#ifdef TESSEL_TEST_SPNG
static const int png_library = 1;
#else
static const int png_library = 0;
#endif
/* A build without libtiff has no TIFF to carry metadata in. */
#ifdef TESSEL_TEST_TIFF
static const int tiff_library = 1;
#else
static const int tiff_library = 0;
#endif

static char scratch[512];

static int mkdir_scratch(void)
{
    if (mkdir(scratch, 0777) == 0) return 0;
    perror(scratch);
    return -1;
}

static const char *scratch_path(const char *name)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", scratch, name);
    return path;
}

/* ------------------------------------------------------------ comparisons */

/* got against want exactly, or (JPEG through stb) within 24 levels and 2.5
 * on average. */
static void compare(const char *what, const tessel_image *got, const tessel_image *want, int exact)
{
    if (got->width != want->width || got->height != want->height ||
        got->channels != want->channels || got->dtype != want->dtype) {
        tu_fail(what, "decoded %dx%d x%d %s, OpenCV %dx%d x%d %s", got->width, got->height,
                got->channels, tessel_dtype_name(got->dtype), want->width, want->height,
                want->channels, tessel_dtype_name(want->dtype));
        return;
    }
    size_t n = (size_t)got->width * got->height * got->channels;
    double worst = 0, sum = 0;
    size_t at = 0;
    for (size_t i = 0; i < n; ++i) {
        double a =
            got->dtype == TESSEL_U16 ? ((uint16_t *)got->data)[i] : ((uint8_t *)got->data)[i];
        double b =
            want->dtype == TESSEL_U16 ? ((uint16_t *)want->data)[i] : ((uint8_t *)want->data)[i];
        if (fabs(a - b) > worst) worst = fabs(a - b), at = i;
        sum += fabs(a - b);
    }
    if (exact ? worst > 0 : worst > 24 || sum / n > 2.5) {
        size_t pixel = at / (size_t)got->channels;
        tu_fail(what, "differs from OpenCV by %g at x %zu, y %zu, channel %zu (mean %.3f)", worst,
                pixel % (size_t)got->width, pixel / (size_t)got->width, at % got->channels,
                sum / n);
    }
}

static uint64_t fnv64(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 0x100000001b3u;
    return h;
}

/* -------------------------------------------------------------- manifest */

static void check_file(const char *file, const char *want_npy, const char *mode)
{
    char path[300], want_path[300], what[400];
    snprintf(path, sizeof path, GOLDEN "%s", file);
    snprintf(want_path, sizeof want_path, GOLDEN "%s", want_npy);
    snprintf(what, sizeof what, "%s (%s)", file, mode);
    tessel_read_options o = {0};
    o.struct_size = sizeof o;
    o.keep_orientation = strcmp(mode, "stored") == 0;
    tessel_image got = {0}, want = {0};
    if (tessel_image_read_ex(path, &o, &got, NULL) != TESSEL_OK)
        tu_fail(what, "read: %s", tessel_last_error());
    else if (tessel_image_read(want_path, &want) != TESSEL_OK)
        tu_fail(what, "the golden pixels: %s", tessel_last_error());
    else
        compare(what, &got, &want, strstr(file, ".jpg") ? jpeg_exact : 1);
    tessel_image_free(&got);
    tessel_image_free(&want);
}

static void check_photo(const char *path, int w, int h, int c, const char *dtype, const char *hash)
{
    char full[300];
    snprintf(full, sizeof full, "../%s", path);
    tessel_image got = {0};
    if (tessel_image_read(full, &got) != TESSEL_OK) {
        tu_fail(path, "read: %s", tessel_last_error());
        return;
    }
    if (got.width != w || got.height != h || got.channels != c ||
        strcmp(tessel_dtype_name(got.dtype), dtype) != 0) {
        tu_fail(path, "decoded %dx%d x%d %s, OpenCV %dx%d x%d %s", got.width, got.height,
                got.channels, tessel_dtype_name(got.dtype), w, h, c, dtype);
    } else if (jpeg_exact || !strstr(path, ".jpg")) {
        size_t n = (size_t)w * h * c * tessel_dtype_size(got.dtype);
        char mine[32];
        snprintf(mine, sizeof mine, "%016llx", (unsigned long long)fnv64(got.data, n));
        if (strcmp(mine, hash) != 0) tu_fail(path, "pixels hash to %s, OpenCV's to %s", mine, hash);
    }
    tessel_image_free(&got);
}

static void test_manifest(void)
{
    FILE *f = fopen(GOLDEN "manifest.txt", "r");
    if (!f) {
        tu_fail("manifest", "cannot open " GOLDEN "manifest.txt (run from tests/)");
        return;
    }
    char line[512];
    int files = 0, photos = 0;
    while (fgets(line, sizeof line, f)) {
        char a[256], b[256], c[64], d[32], e[32];
        int w, h, ch;
        if (sscanf(line, "file %255s %255s %63s", a, b, c) == 3) {
            check_file(a, b, c);
            ++files;
        } else if (sscanf(line, "photo %255s %d %d %d %31s %31s", a, &w, &h, &ch, d, e) == 6) {
            check_photo(a, w, h, ch, d, e);
            ++photos;
        }
    }
    fclose(f);
    if (files < 40 || photos < 5) tu_fail("manifest", "only %d files and %d photos", files, photos);
    printf("  %d golden files and %d photographs against OpenCV (%s JPEG)\n", files, photos,
           jpeg_exact ? "exact" : "close");
}

/* --------------------------------------------------------------- metadata */

static tessel_image smooth_image(int w, int h, int c, tu_rng *rng)
{
    tessel_image img = tessel_image_view(tu_xmalloc((size_t)w * h * c), w, h, c, TESSEL_U8);
    unsigned char *p = img.data;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int k = 0; k < c; ++k)
                p[((size_t)y * w + x) * c + k] =
                    (unsigned char)(100 + 60 * sin(x / 9.0 + k) * cos(y / 7.0) +
                                    tu_rng_int(rng, -3, 3));
    return img;
}

static void check_metadata(const char *what, const tessel_image_metadata *got,
                           const tessel_image_metadata *want, double x_want, double y_want,
                           tessel_resolution_unit unit_want)
{
    if (got->icc_size != want->icc_size ||
        (want->icc_size && memcmp(got->icc_profile, want->icc_profile, want->icc_size) != 0))
        tu_fail(what, "ICC profile of %zu bytes read back as %zu bytes%s", want->icc_size,
                got->icc_size, got->icc_size == want->icc_size ? " that differ" : "");
    if (got->resolution_unit != unit_want || fabs(got->resolution_x - x_want) > 0.01 ||
        fabs(got->resolution_y - y_want) > 0.01)
        tu_fail(what, "resolution %g x %g (unit %d), expected %g x %g (unit %d)", got->resolution_x,
                got->resolution_y, (int)got->resolution_unit, x_want, y_want, (int)unit_want);
}

/* Each format written with an ICC profile (JPEG: one larger than a segment,
 * in several) and a resolution of 300 x 150 dpi reads them back; PNG keeps
 * its resolution per metre, read as per centimetre. */
static void test_metadata_round_trips(tu_rng *rng)
{
    static const char *names[] = {"meta.png", "meta.jpg", "meta.tif"};
    tessel_image img = smooth_image(40, 30, 3, rng);
    for (int f = 0; f < 3; ++f) {
        if ((f == 0 && !png_library) || (f == 1 && !jpeg_exact) || (f == 2 && !tiff_library))
            continue;
        tessel_image_metadata m = {0};
        m.icc_size = f == 1 ? 150000 : 3000;
        m.icc_profile = tu_xmalloc(m.icc_size);
        for (size_t i = 0; i < m.icc_size; ++i) m.icc_profile[i] = (unsigned char)tu_rng_next(rng);
        m.resolution_unit = TESSEL_RESOLUTION_INCH;
        m.resolution_x = 300;
        m.resolution_y = 150;
        m.orientation = 6; /* never written: images are written upright */
        tessel_write_options w = {0};
        w.struct_size = sizeof w;
        w.overwrite = 1;
        w.metadata = &m;
        const char *path = scratch_path(names[f]);
        tessel_image back = {0};
        tessel_image_metadata got = {0};
        if (tessel_image_write(path, &img, &w) != TESSEL_OK ||
            tessel_image_read_ex(path, NULL, &back, &got) != TESSEL_OK) {
            tu_fail(names[f], "%s", tessel_last_error());
        } else {
            int png = f == 0;
            check_metadata(names[f], &got, &m, png ? 300 / 2.54 : 300, png ? 150 / 2.54 : 150,
                           png ? TESSEL_RESOLUTION_CENTIMETRE : TESSEL_RESOLUTION_INCH);
            if (got.orientation != 0 || back.width != 40)
                tu_fail(names[f], "orientation %d, width %d after writing upright", got.orientation,
                        back.width);
        }
        tessel_image_free(&back);
        tessel_image_metadata_free(&got);
        tessel_image_metadata_free(&m);
        unlink(path);
    }
    free(img.data);
}

/* A batch carries each input's profile and resolution to its output, in
 * another format, the resolution divided by the stride. */
static void test_batch_carries_metadata(tu_rng *rng)
{
    const char *what = "batch metadata";
    if (!png_library || !jpeg_exact) return;
    tessel_image img = smooth_image(64, 48, 3, rng);
    tessel_image_metadata m = {0};
    unsigned char profile[500];
    for (size_t i = 0; i < sizeof profile; ++i) profile[i] = (unsigned char)(i * 7);
    m.icc_profile = profile;
    m.icc_size = sizeof profile;
    m.resolution_unit = TESSEL_RESOLUTION_CENTIMETRE;
    m.resolution_x = m.resolution_y = 120;
    tessel_write_options w = {0};
    w.overwrite = 1;
    w.metadata = &m;
    char in[600], out[600];
    snprintf(in, sizeof in, "%s", scratch_path("carry_in.png"));
    snprintf(out, sizeof out, "%s", scratch_path("carry_out.jpg"));
    tessel_kernel *k = NULL;
    tessel_batch *b = NULL;
    tessel_batch_options bo = {0};
    bo.devices = "cpu";
    bo.force = 1;
    tessel_batch_filter f = {0};
    f.struct_size = sizeof f;
    f.conv.stride_x = f.conv.stride_y = 2;
    const char *ins[1] = {in}, *outs[1] = {out};
    tessel_batch_progress sum;
    tessel_image back = {0};
    tessel_image_metadata got = {0};
    tessel_status s = tessel_image_write(in, &img, &w);
    if (s == TESSEL_OK) s = tessel_kernel_builtin("gaussian:sigma=1", &k);
    if (s == TESSEL_OK) s = tessel_batch_create(&bo, &b);
    f.kernel = k;
    if (s == TESSEL_OK) s = tessel_batch_run(b, 1, ins, outs, &f, &sum);
    if (s == TESSEL_OK && sum.written != 1) s = TESSEL_ERR_IO;
    if (s == TESSEL_OK) s = tessel_image_read_ex(out, NULL, &back, &got);
    if (s != TESSEL_OK)
        tu_fail(what, "%s", tessel_last_error());
    else
        check_metadata(what, &got, &m, 60, 60, TESSEL_RESOLUTION_CENTIMETRE);
    tessel_image_free(&back);
    tessel_image_metadata_free(&got);
    tessel_batch_destroy(b);
    tessel_kernel_destroy(k);
    free(img.data);
    unlink(in);
    unlink(out);
}

/* ---------------------------------------------------------- write options */

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

static long write_size(const char *name, const tessel_image *img, tessel_write_options *w)
{
    w->struct_size = sizeof *w;
    w->overwrite = 1;
    const char *path = scratch_path(name);
    if (tessel_image_write(path, img, w) != TESSEL_OK) {
        tu_fail(name, "write: %s", tessel_last_error());
        return -1;
    }
    long n = file_size(path);
    unlink(path);
    return n;
}

/* Levels and subsampling change the files as they should; values out of
 * range are refused. */
static void test_write_options(tu_rng *rng)
{
    tessel_image img = smooth_image(256, 128, 3, rng);
    tessel_write_options w = {0};
    w.compression_level = 1;
    long fast = write_size("level1.png", &img, &w);
    w.compression_level = 9;
    long small = write_size("level9.png", &img, &w);
    if (!(small > 0 && small < fast))
        tu_fail("PNG levels", "level 9 %ld, level 1 %ld bytes", small, fast);
    memset(&w, 0, sizeof w);
    w.jpeg_subsampling = TESSEL_JPEG_SUBSAMPLING_444;
    long full = write_size("s444.jpg", &img, &w);
    w.jpeg_subsampling = TESSEL_JPEG_SUBSAMPLING_420;
    long half = write_size("s420.jpg", &img, &w);
    if (jpeg_exact && !(half > 0 && half < full))
        tu_fail("JPEG subsampling", "4:2:0 %ld, 4:4:4 %ld bytes", half, full);
    tessel_write_options bad = {0};
    bad.compression_level = 10;
    if (tessel_image_write(scratch_path("bad.png"), &img, &bad) != TESSEL_ERR_INVALID_ARGUMENT ||
        !strstr(tessel_last_error(), "compression level 10"))
        tu_fail("level 10", "accepted, or unclear: %s", tessel_last_error());
    bad.compression_level = 0;
    bad.jpeg_subsampling = (tessel_jpeg_subsampling)9;
    if (tessel_image_write(scratch_path("bad.jpg"), &img, &bad) != TESSEL_ERR_INVALID_ARGUMENT)
        tu_fail("subsampling 9", "accepted");
    free(img.data);
}

/* ---------------------------------------------------------- damaged files */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    *n = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = tu_xmalloc(*n);
    if (fread(b, 1, *n, f) != *n) *n = 0;
    fclose(f);
    return b;
}

/* One byte of a golden file changed at `at` must fail with FORMAT and a
 * message naming the format. */
static void expect_damage_fails(const char *file, size_t at, const char *what)
{
    char src[300];
    snprintf(src, sizeof src, GOLDEN "%s", file);
    size_t n = 0;
    unsigned char *b = slurp(src, &n);
    if (!b || at >= n) {
        tu_fail(what, "cannot read %s", src);
        free(b);
        return;
    }
    b[at] ^= 0x5A;
    const char *path = scratch_path(file);
    FILE *f = fopen(path, "wb");
    fwrite(b, 1, n, f);
    fclose(f);
    tessel_image img = {0};
    tessel_status s = tessel_image_read(path, &img);
    const char *format = strstr(file, ".png") ? "PNG" : "JPEG";
    if (s != TESSEL_ERR_FORMAT || !strstr(tessel_last_error(), format))
        tu_fail(what, "status %s: %s", tessel_status_string(s), s ? tessel_last_error() : "");
    tessel_image_free(&img);
    free(b);
    unlink(path);
}

static void test_damaged_files(void)
{
    if (png_library) { /* stb_image reads past damaged CRCs */
        expect_damage_fails("png_rgb8.png", 40, "PNG with a damaged IDAT");
        expect_damage_fails("png_rgb8.png", 30, "PNG with a damaged IHDR CRC");
    }
    expect_damage_fails("png_rgb8.png", 24, "PNG of bit depth 82");
    expect_damage_fails("jpeg_420.jpg", 2, "JPEG with a damaged marker");
}

static void test_codec_names(void)
{
    const char *png = tessel_format_codec(TESSEL_FORMAT_PNG, 0);
    const char *jpeg = tessel_format_codec(TESSEL_FORMAT_JPEG, 1);
    if (!png || !jpeg || tessel_format_codec(TESSEL_FORMAT_GIF, 1) ||
        !strstr(tessel_format_codec(TESSEL_FORMAT_GIF, 0), "stb_image"))
        tu_fail("codec names", "png %s, jpeg %s", png ? png : "NULL", jpeg ? jpeg : "NULL");
    else if (jpeg_exact != (strstr(jpeg, "libjpeg-turbo") != NULL))
        tu_fail("codec names", "JPEG written by %s in a build %s TurboJPEG", jpeg,
                jpeg_exact ? "with" : "without");
    printf("  PNG read by %s, JPEG written by %s\n", png ? png : "-", jpeg ? jpeg : "-");
}

int main(void)
{
    snprintf(scratch, sizeof scratch, "%s/tessel_test_codecs_%d",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    if (mkdir_scratch() != 0) return 1;
    tu_rng rng;
    tu_rng_seed(&rng, 0xC0DEC);
    test_manifest();
    test_metadata_round_trips(&rng);
    test_batch_carries_metadata(&rng);
    test_write_options(&rng);
    test_damaged_files();
    test_codec_names();
    rmdir(scratch);
    if (tu_failures()) {
        printf("test_codecs: %d failure(s)\n", tu_failures());
        return 1;
    }
    printf("test_codecs: all passed\n");
    return 0;
}
