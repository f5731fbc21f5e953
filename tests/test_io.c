/* tessel_io: round trips through every writable format and dtype (channels
 * 1-4, packed and strided views), the sample photographs in every readable
 * format, and bad input: missing, empty, truncated, random and lying files,
 * unwritable places. Each failure must give the right status and a message
 * naming the file, leave the caller's image untouched, and leave no output
 * or temporary file behind.
 *
 * Usage: test_io [DATA_DIR]   (default ../examples/data, from tests/) */
#define _GNU_SOURCE /* mkdtemp */

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tessel/tessel.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

static int failures;
static char temp_dir[64];
static const char *data_dir = "../examples/data";

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void
fail(int line, const char *what, const char *fmt, ...)
{
    va_list args;
    va_start(args, fmt);
    fprintf(stderr, "FAIL (line %d) %s: ", line, what);
    vfprintf(stderr, fmt, args);
    fputc('\n', stderr);
    va_end(args);
    ++failures;
}

/* ------------------------------------------------------------------ files */

typedef struct path_buf {
    char s[512];
} path_buf;

static path_buf temp_path(const char *name)
{
    path_buf p;
    snprintf(p.s, sizeof p.s, "%s/%s", temp_dir, name);
    return p;
}

static path_buf data_path(const char *name)
{
    path_buf p;
    snprintf(p.s, sizeof p.s, "%s/%s", data_dir, name);
    return p;
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* The whole file (NULL if it cannot be read); *n gets its size. */
static unsigned char *read_bytes(const char *path, size_t *n)
{
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *data = tu_xmalloc((size_t)size + 1);
    *n = fread(data, 1, (size_t)size, f);
    fclose(f);
    return data;
}

/* The bytes of the sample file `name` (NULL, a failure reported at line,
 * when it cannot be read); *n gets its size. */
static unsigned char *read_sample_bytes(int line, const char *name, size_t *n)
{
    path_buf src = data_path(name);
    unsigned char *bytes = read_bytes(src.s, n);
    if (!bytes) fail(line, src.s, "cannot read the sample");
    return bytes;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* No temporary file of an atomic write may survive in the folder. */
static void check_no_temporaries(int line, const char *what)
{
    DIR *d = opendir(temp_dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strstr(e->d_name, ".tessel-"))
            fail(line, what, "temporary file %s left behind", e->d_name);
    if (d) closedir(d);
}

static void remove_temp_dir(void)
{
    DIR *d = opendir(temp_dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        path_buf p = temp_path(e->d_name);
        remove(p.s);
    }
    if (d) closedir(d);
    rmdir(temp_dir);
}

/* ----------------------------------------------------------------- checks */

#define EXPECT_OK(call)                                                                            \
    do {                                                                                           \
        tessel_status s_ = (call);                                                                 \
        if (s_ != TESSEL_OK)                                                                       \
            fail(__LINE__, #call, "returned %s: %s", tessel_status_string(s_),                     \
                 tessel_last_error());                                                             \
    } while (0)

/* status must be want and the message must name the file and hold needle. */
static void check_failure(int line, const char *what, tessel_status got, tessel_status want,
                          const char *path, const char *needle)
{
    if (got != want) {
        fail(line, what, "returned %s, expected %s (%s)", tessel_status_string(got),
             tessel_status_string(want), tessel_last_error());
        return;
    }
    const char *msg = tessel_last_error();
    if (path && !strstr(msg, path)) fail(line, what, "message \"%s\" does not name %s", msg, path);
    if (needle && !strstr(msg, needle))
        fail(line, what, "message \"%s\" does not say \"%s\"", msg, needle);
}

/* A read that must fail, leaving the caller's image as it was. */
static void expect_read_failure(int line, const char *path, tessel_status want, const char *needle)
{
    tessel_image img;
    memset(&img, 0x5A, sizeof img);
    tessel_image before = img;
    tessel_status s = tessel_image_read(path, &img);
    char what[600];
    snprintf(what, sizeof what, "tessel_image_read(\"%s\")", path);
    check_failure(line, what, s, want, path, needle);
    if (s == TESSEL_OK)
        tessel_image_free(&img);
    else if (memcmp(&img, &before, sizeof img) != 0)
        fail(line, what, "changed the output image");
}

/* A write that must fail and leave neither the target nor a temporary. */
static void expect_write_failure(int line, const char *path, const tessel_image *img,
                                 const tessel_write_options *o, tessel_status want,
                                 const char *needle, int target_existed)
{
    char what[600];
    snprintf(what, sizeof what, "tessel_image_write(\"%s\")", path);
    check_failure(line, what, tessel_image_write(path, img, o), want, path, needle);
    if (!target_existed && exists(path)) fail(line, what, "left a file at %s", path);
    check_no_temporaries(line, what);
}

/* ---------------------------------------------------------------- samples */

static void set_sample(tessel_image *img, int x, int y, int c, double v)
{
    unsigned char *row = (unsigned char *)img->data + (size_t)y * tu_row_bytes(img);
    size_t i = (size_t)x * (size_t)img->channels + (size_t)c;
    if (img->dtype == TESSEL_U8)
        ((uint8_t *)row)[i] = (uint8_t)v;
    else if (img->dtype == TESSEL_U16)
        ((uint16_t *)row)[i] = (uint16_t)v;
    else
        ((float *)row)[i] = (float)v;
}

static uint32_t float_bits(double v)
{
    float f = (float)v;
    uint32_t bits;
    memcpy(&bits, &f, 4);
    return bits;
}

/* What an 8-bit file holds for a sample: round half up, saturate, NaN 0. */
static double expect_u8(double v)
{
    if (isnan(v) || v <= 0) return 0;
    if (v >= 255) return 255;
    return floor(v + 0.5);
}

/* The input channel an output channel shows when a format changes the
 * count: grey+alpha BMP is RGBA, JPEG has no alpha and is always YCbCr. */
static int source_channel(int in, int out, int k)
{
    if (in == out) return k;
    if (in == 2 && out == 4) return k == 3 ? 1 : 0;
    return in <= 2 ? 0 : k;
}

typedef struct compare_rule {
    int to_u8;        /* expected = expect_u8(source) */
    int bitwise;      /* f32 bit patterns must match */
    double max_error; /* else |got - want| per sample */
    double mean_error;
} compare_rule;

/* got against src (with the channel mapping above); returns 1 when equal
 * within the rule and prints the worst sample otherwise. */
static int compare(int line, const char *what, const tessel_image *got, const tessel_image *src,
                   compare_rule rule)
{
    if (got->width != src->width || got->height != src->height) {
        fail(line, what, "size %dx%d, expected %dx%d", got->width, got->height, src->width,
             src->height);
        return 0;
    }
    double worst = -1, total = 0, worst_got = 0, worst_want = 0;
    int wx = 0, wy = 0, wc = 0;
    for (int y = 0; y < src->height; ++y)
        for (int x = 0; x < src->width; ++x)
            for (int k = 0; k < got->channels; ++k) {
                double want = tu_sample(src, x, y, source_channel(src->channels, got->channels, k));
                double have = tu_sample(got, x, y, k);
                if (rule.to_u8) want = expect_u8(want);
                double err = rule.bitwise                   ? (float_bits(have) != float_bits(want))
                             : (isnan(want) && isnan(have)) ? 0
                                                            : fabs(have - want);
                if (isnan(err)) err = INFINITY;
                total += err;
                if (err > worst)
                    worst = err, worst_got = have, worst_want = want, wx = x, wy = y, wc = k;
            }
    double mean = total / ((double)src->width * src->height * got->channels);
    double limit = rule.bitwise ? 0 : rule.max_error;
    if (worst > limit || (rule.mean_error > 0 && mean > rule.mean_error)) {
        fail(line, what, "sample (%d,%d) channel %d is %.9g, expected %.9g; mean error %.4g", wx,
             wy, wc, worst_got, worst_want, mean);
        return 0;
    }
    return 1;
}

/* A smooth picture with a little noise: what JPEG is made for. */
static void fill_smooth(tessel_image *img, tu_rng *rng)
{
    for (int y = 0; y < img->height; ++y)
        for (int x = 0; x < img->width; ++x)
            for (int c = 0; c < img->channels; ++c)
                set_sample(img, x, y, c,
                           120 + 90 * sin(x / 9.0 + c) * cos(y / 7.0) + tu_rng_int(rng, -2, 2));
}

/* Floats that stress exact text and binary round trips. */
static void add_float_extremes(tessel_image *img)
{
    static const double values[] = {
        1e-30,      -3.4028234663852886e38, 1.1754943508222875e-38, 1e-45, 0.1, -0.0,
        16777217.0, 3.14159265358979};
    int n = img->width * img->height * img->channels, count = (int)(sizeof values / sizeof *values);
    for (int i = 0; i < count && i < n; ++i)
        set_sample(img, i % img->width, (i / img->width) % img->height, 0, values[i]);
}

/* ------------------------------------------------------------ round trips */

typedef struct round_trip_case {
    const char *ext;
    tessel_dtype dtype;
    int channels;
    tessel_dtype want_dtype;
    int want_channels; /* CSV: 1, the channels become columns */
    compare_rule rule;
} round_trip_case;

#define EXACT                                                                                      \
    {                                                                                              \
        0, 0, 0, 0                                                                                 \
    }
#define BITWISE                                                                                    \
    {                                                                                              \
        0, 1, 0, 0                                                                                 \
    }
#define TO_U8                                                                                      \
    {                                                                                              \
        1, 0, 0, 0                                                                                 \
    }
#define JPEG_CLOSE                                                                                 \
    {                                                                                              \
        0, 0, 24, 2.5                                                                              \
    } /* levels: worst sample, mean */

/* libjpeg-turbo writes grey as a grey JPEG; stb_image_write as colour. */
#ifdef TESSEL_TEST_TURBOJPEG
#define JPEG_GREY_CHANNELS 1
#else
#define JPEG_GREY_CHANNELS 3
#endif

static const round_trip_case round_trips[] = {
    {"png", TESSEL_U8, 1, TESSEL_U8, 1, EXACT},
    {"png", TESSEL_U8, 2, TESSEL_U8, 2, EXACT},
    {"png", TESSEL_U8, 3, TESSEL_U8, 3, EXACT},
    {"png", TESSEL_U8, 4, TESSEL_U8, 4, EXACT},
    {"png", TESSEL_U16, 1, TESSEL_U16, 1, EXACT},
    {"png", TESSEL_U16, 2, TESSEL_U16, 2, EXACT},
    {"png", TESSEL_U16, 3, TESSEL_U16, 3, EXACT},
    {"png", TESSEL_U16, 4, TESSEL_U16, 4, EXACT},
    {"png", TESSEL_F32, 1, TESSEL_U8, 1, TO_U8},
    {"png", TESSEL_F32, 3, TESSEL_U8, 3, TO_U8},
    {"bmp", TESSEL_U8, 1, TESSEL_U8, 1, EXACT},
    {"bmp", TESSEL_U8, 2, TESSEL_U8, 4, EXACT},
    {"bmp", TESSEL_U8, 3, TESSEL_U8, 3, EXACT},
    {"bmp", TESSEL_U8, 4, TESSEL_U8, 4, EXACT},
    {"bmp", TESSEL_U16, 3, TESSEL_U8, 3, TO_U8},
    {"tga", TESSEL_U8, 1, TESSEL_U8, 1, EXACT},
    {"tga", TESSEL_U8, 2, TESSEL_U8, 2, EXACT},
    {"tga", TESSEL_U8, 3, TESSEL_U8, 3, EXACT},
    {"tga", TESSEL_U8, 4, TESSEL_U8, 4, EXACT},
    {"tga", TESSEL_F32, 4, TESSEL_U8, 4, TO_U8},
    {"jpg", TESSEL_U8, 1, TESSEL_U8, JPEG_GREY_CHANNELS, JPEG_CLOSE},
    {"jpg", TESSEL_U8, 3, TESSEL_U8, 3, JPEG_CLOSE},
    {"jpg", TESSEL_U8, 4, TESSEL_U8, 3, JPEG_CLOSE},
    {"npy", TESSEL_U8, 1, TESSEL_U8, 1, BITWISE},
    {"npy", TESSEL_U8, 3, TESSEL_U8, 3, BITWISE},
    {"npy", TESSEL_U16, 2, TESSEL_U16, 2, BITWISE},
    {"npy", TESSEL_U16, 4, TESSEL_U16, 4, BITWISE},
    {"npy", TESSEL_F32, 1, TESSEL_F32, 1, BITWISE},
    {"npy", TESSEL_F32, 3, TESSEL_F32, 3, BITWISE},
    {"csv", TESSEL_F32, 1, TESSEL_F32, 1, EXACT},
    {"csv", TESSEL_F32, 3, TESSEL_F32, 1, EXACT},
    {"csv", TESSEL_U8, 1, TESSEL_F32, 1, EXACT},
    {"csv", TESSEL_U16, 2, TESSEL_F32, 1, EXACT},
};

/* A CSV read gives one channel with the channels side by side: view the
 * source the same way to compare. */
static tessel_image as_columns(const tessel_image *src)
{
    tessel_image v = *src;
    v.width = src->width * src->channels;
    v.channels = 1;
    if (v.stride == 0) v.stride = tu_row_bytes(src);
    return v;
}

static void run_round_trip(const round_trip_case *rc, tu_layout layout, tu_rng *rng, int index)
{
    char what[200], name[64];
    snprintf(what, sizeof what, "round trip .%s %s x%d (%s)", rc->ext, tessel_dtype_name(rc->dtype),
             rc->channels, tu_layout_name(layout));
    snprintf(name, sizeof name, "round_trip_%d.%s", index, rc->ext);
    path_buf path = temp_path(name);
    tu_image src;
    tu_image_alloc(&src, 37, 23, rc->channels, rc->dtype, layout);
    if (strcmp(rc->ext, "jpg") == 0)
        fill_smooth(&src.view, rng);
    else
        tu_image_fill_random(&src, rng);
    if (rc->dtype == TESSEL_F32 && !rc->rule.to_u8) add_float_extremes(&src.view);
    if (rc->dtype == TESSEL_F32 && rc->rule.bitwise) set_sample(&src.view, 5, 5, 0, NAN);
    if (rc->dtype == TESSEL_F32 &&
        rc->rule.to_u8) /* floats over the whole 8-bit range and beyond */
        for (int y = 0; y < src.view.height; ++y)
            for (int x = 0; x < src.view.width; ++x)
                set_sample(&src.view, x, y, 0, tu_rng_uniform(rng, -40, 300));
    tessel_status s = tessel_image_write(path.s, &src.view, NULL);
    tessel_image got = {0};
    if (s == TESSEL_OK) s = tessel_image_read(path.s, &got);
    if (s != TESSEL_OK) {
        fail(__LINE__, what, "%s: %s", tessel_status_string(s), tessel_last_error());
    } else if (got.dtype != rc->want_dtype || got.channels != rc->want_channels ||
               got.stride != 0) {
        fail(__LINE__, what, "read back as %s x%d stride %zu, expected %s x%d packed",
             tessel_dtype_name(got.dtype), got.channels, got.stride,
             tessel_dtype_name(rc->want_dtype), rc->want_channels);
    } else {
        tessel_image want = strcmp(rc->ext, "csv") == 0 ? as_columns(&src.view) : src.view;
        compare(__LINE__, what, &got, &want, rc->rule);
    }
    if (!tu_image_guard_intact(&src)) fail(__LINE__, what, "the source image was written to");
    tessel_image_free(&got);
    tu_image_free(&src);
    remove(path.s);
}

static void test_round_trips(tu_rng *rng)
{
    int n = (int)(sizeof round_trips / sizeof *round_trips), index = 0;
    for (int i = 0; i < n; ++i)
        for (int layout = 0; layout < TU_LAYOUT_COUNT; ++layout)
            run_round_trip(&round_trips[i], (tu_layout)layout, rng, index++);
}

/* Float and u16 samples written to 8-bit files: round half up, saturate. */
static void test_rounding(void)
{
    static const float in[] = {-5, 0, 0.49f, 0.5f, 1.5f, 254.49f, 254.5f, 255, 300, NAN};
    static const uint8_t want[] = {0, 0, 0, 1, 2, 254, 255, 255, 255, 0};
    static const uint16_t in16[] = {0, 7, 255, 256, 65535};
    static const uint8_t want16[] = {0, 7, 255, 255, 255};
    const char *exts[] = {"png", "bmp", "tga"};
    for (int e = 0; e < 3; ++e) {
        char name[32];
        snprintf(name, sizeof name, "rounding.%s", exts[e]);
        path_buf p = temp_path(name);
        for (int pass = 0; pass < (e == 0 ? 1 : 2); ++pass) { /* PNG keeps u16 16-bit */
            tessel_image img = pass == 0 ? tessel_image_view((void *)in, 10, 1, 1, TESSEL_F32)
                                         : tessel_image_view((void *)in16, 5, 1, 1, TESSEL_U16);
            const uint8_t *expected = pass == 0 ? want : want16;
            tessel_write_options o = {.struct_size = sizeof o, .overwrite = 1};
            tessel_image got = {0};
            EXPECT_OK(tessel_image_write(p.s, &img, &o));
            EXPECT_OK(tessel_image_read(p.s, &got));
            if (got.dtype != TESSEL_U8 || got.width != img.width || got.channels != 1) {
                fail(__LINE__, name, "read back as %s %dx%d x%d", tessel_dtype_name(got.dtype),
                     got.width, got.height, got.channels);
            } else {
                for (int i = 0; i < img.width; ++i)
                    if (((uint8_t *)got.data)[i] != expected[i])
                        fail(__LINE__, name, "%s sample %d became %d, expected %d",
                             tessel_dtype_name(img.dtype), i, ((uint8_t *)got.data)[i],
                             expected[i]);
            }
            tessel_image_free(&got);
        }
        remove(p.s);
    }
}

static void test_format_names(void)
{
    static const struct {
        const char *path;
        tessel_file_format format;
    } cases[] = {
        {"a.png", TESSEL_FORMAT_PNG},
        {"dir.x/B.JPG", TESSEL_FORMAT_JPEG},
        {"c.jpeg", TESSEL_FORMAT_JPEG},
        {"d.Bmp", TESSEL_FORMAT_BMP},
        {"e.tga", TESSEL_FORMAT_TGA},
        {"f.gif", TESSEL_FORMAT_GIF},
        {"g.pgm", TESSEL_FORMAT_PNM},
        {"h.ppm", TESSEL_FORMAT_PNM},
        {"i.pnm", TESSEL_FORMAT_PNM},
        {"j.hdr", TESSEL_FORMAT_HDR},
        {"k.npy", TESSEL_FORMAT_NPY},
        {"l.csv", TESSEL_FORMAT_CSV},
        {"m.TXT", TESSEL_FORMAT_CSV},
        {"noext", TESSEL_FORMAT_AUTO},
        {"dir.png/noext", TESSEL_FORMAT_AUTO},
        {"n.png.gz", TESSEL_FORMAT_AUTO},
        {"o.", TESSEL_FORMAT_AUTO},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        tessel_file_format f = tessel_format_from_path(cases[i].path);
        if (f != cases[i].format)
            fail(__LINE__, cases[i].path, "format %s, expected %s", tessel_format_name(f),
                 tessel_format_name(cases[i].format));
    }
    static const char *names[] = {"auto", "png", "jpeg", "bmp", "tga",
                                  "gif",  "pnm", "hdr",  "npy", "csv"};
    for (int f = 0; f <= TESSEL_FORMAT_CSV; ++f)
        if (strcmp(tessel_format_name((tessel_file_format)f), names[f]) != 0)
            fail(__LINE__, "tessel_format_name", "%d is \"%s\", expected \"%s\"", f,
                 tessel_format_name((tessel_file_format)f), names[f]);
    if (strcmp(tessel_format_name((tessel_file_format)99), "invalid") != 0)
        fail(__LINE__, "tessel_format_name(99)", "is not \"invalid\"");
    if (tessel_format_from_path(NULL) != TESSEL_FORMAT_AUTO)
        fail(__LINE__, "tessel_format_from_path(NULL)", "is not AUTO");
}

/* ------------------------------------------------------------ photographs */

/* Reads a sample file; 0 (and a failure) if it cannot be read as expected. */
static int read_sample(int line, const char *name, tessel_dtype dtype, int channels,
                       tessel_image *out)
{
    path_buf p = data_path(name);
    memset(out, 0, sizeof *out);
    tessel_status s = tessel_image_read(p.s, out);
    if (s != TESSEL_OK) {
        fail(line, name, "%s: %s", tessel_status_string(s), tessel_last_error());
        return 0;
    }
    if (out->dtype != dtype || out->channels != channels) {
        fail(line, name, "read as %s x%d, expected %s x%d", tessel_dtype_name(out->dtype),
             out->channels, tessel_dtype_name(dtype), channels);
        tessel_image_free(out);
        return 0;
    }
    return 1;
}

/* A sample file against the reference, after mapping each reference
 * sample v to v * multiply / divide (the 16-bit and float versions). */
static void check_sample(int line, const char *name, tessel_dtype dtype, int channels,
                         const tessel_image *ref, double multiply, double divide, compare_rule rule)
{
    tessel_image img;
    if (!read_sample(line, name, dtype, channels, &img)) return;
    size_t n = (size_t)ref->width * ref->height * ref->channels;
    float *scaled = tu_xmalloc(n * sizeof *scaled);
    for (size_t i = 0; i < n; ++i)
        scaled[i] = (float)(((uint8_t *)ref->data)[i] * multiply / divide);
    tessel_image want =
        tessel_image_view(scaled, ref->width, ref->height, ref->channels, TESSEL_F32);
    compare(line, name, &img, &want, rule);
    free(scaled);
    tessel_image_free(&img);
}

/* CRC-32 of PNG chunks (type and data). */
static uint32_t png_crc(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The first chunk of a PNG of that type, or NULL. */
static unsigned char *find_chunk(unsigned char *png, size_t n, const char *type)
{
    for (size_t i = 8; i + 8 <= n; i += 12 + (size_t)be32(png + i))
        if (memcmp(png + i + 4, type, 4) == 0) return png + i;
    return NULL;
}

/* camera_48.png with an empty IDAT chunk before its data, which PNG
 * allows: it must read the same. */
static void check_empty_idat(const tessel_image *grey)
{
    path_buf src = data_path("camera_48.png"), p = temp_path("empty_idat.png");
    size_t n;
    unsigned char *bytes = read_bytes(src.s, &n);
    unsigned char *idat = bytes ? find_chunk(bytes, n, "IDAT") : NULL;
    if (!idat) {
        fail(__LINE__, "camera_48.png", "has no IDAT chunk");
        free(bytes);
        return;
    }
    unsigned char chunk[12] = {0, 0, 0, 0, 'I', 'D', 'A', 'T'};
    uint32_t crc = png_crc(chunk + 4, 4);
    for (int k = 0; k < 4; ++k) chunk[8 + k] = (unsigned char)(crc >> (24 - 8 * k));
    size_t head = (size_t)(idat - bytes);
    unsigned char *edited = tu_xmalloc(n + 12);
    memcpy(edited, bytes, head);
    memcpy(edited + head, chunk, 12);
    memcpy(edited + head + 12, idat, n - head);
    write_bytes(p.s, edited, n + 12);
    tessel_image got = {0};
    tessel_status s = tessel_image_read(p.s, &got);
    compare_rule exact = EXACT;
    if (s != TESSEL_OK)
        fail(__LINE__, p.s, "%s: %s", tessel_status_string(s), tessel_last_error());
    else
        compare(__LINE__, p.s, &got, grey, exact);
    tessel_image_free(&got);
    free(edited);
    free(bytes);
    remove(p.s);
}

static void test_photographs(void)
{
    tessel_image big;
    if (read_sample(__LINE__, "astronaut.png", TESSEL_U8, 3, &big)) {
        if (big.width != 512 || big.height != 512) fail(__LINE__, "astronaut.png", "not 512x512");
        tessel_image_free(&big);
    }
    if (read_sample(__LINE__, "camera.pgm", TESSEL_U8, 1, &big)) {
        if (big.width != 512 || big.height != 512) fail(__LINE__, "camera.pgm", "not 512x512");
        tessel_image_free(&big);
    }
    tessel_image rgb, grey;
    if (read_sample(__LINE__, "astronaut_48.png", TESSEL_U8, 3, &rgb)) {
        compare_rule exact = EXACT, hdr = {0, 0, 0.008, 0}, gif = {0, 0, 255, 20},
                     jpeg = {0, 0, 255, 8};
        check_sample(__LINE__, "astronaut_48.bmp", TESSEL_U8, 3, &rgb, 1, 1, exact);
        check_sample(__LINE__, "astronaut_48.tga", TESSEL_U8, 3, &rgb, 1, 1, exact);
        check_sample(__LINE__, "astronaut_48.ppm", TESSEL_U8, 3, &rgb, 1, 1, exact);
        check_sample(__LINE__, "astronaut_48.hdr", TESSEL_F32, 3, &rgb, 1, 255, hdr);
        check_sample(__LINE__, "astronaut_48.jpg", TESSEL_U8, 3, &rgb, 1, 1, jpeg);
        check_sample(__LINE__, "astronaut_48.gif", TESSEL_U8, 3, &rgb, 1, 1, gif);
        tessel_image_free(&rgb);
    }
    if (read_sample(__LINE__, "camera_48.png", TESSEL_U8, 1, &grey)) {
        compare_rule exact = EXACT;
        check_sample(__LINE__, "camera_48.bmp", TESSEL_U8, 1, &grey, 1, 1, exact);
        check_sample(__LINE__, "camera_48.gif", TESSEL_U8, 1, &grey, 1, 1, exact);
        check_sample(__LINE__, "camera_48.npy", TESSEL_U8, 1, &grey, 1, 1, exact);
        check_sample(__LINE__, "camera_48_rle.tga", TESSEL_U8, 1, &grey, 1, 1, exact);
        check_sample(__LINE__, "camera_48_16bit.png", TESSEL_U16, 1, &grey, 257, 1, exact);
        check_sample(__LINE__, "camera_48_16bit.pgm", TESSEL_U16, 1, &grey, 257, 1, exact);
        /* float64 g/255 narrowed to float is the float nearest g/255 */
        check_sample(__LINE__, "camera_48_f64.npy", TESSEL_F32, 1, &grey, 1, 255, exact);
        check_empty_idat(&grey);
        tessel_image_free(&grey);
    }
}

/* tessel_image_info gives the shape tessel_image_read gives, from the
 * header; a palette image counts its palette's channels (at least as many
 * as the read gives). */
static void test_image_info(void)
{
    const char *names[] = {"astronaut.png",        "camera.pgm",          "astronaut_48.bmp",
                           "astronaut_48.gif",     "astronaut_48.hdr",    "astronaut_48.jpg",
                           "astronaut_48.ppm",     "astronaut_48.tga",    "camera_48.bmp",
                           "camera_48.gif",        "camera_48.npy",       "camera_48_16bit.pgm",
                           "camera_48_16bit.png",  "camera_48_f64.npy",   "camera_48_rle.tga"};
    for (size_t i = 0; i < sizeof names / sizeof *names; ++i) {
        path_buf p = data_path(names[i]);
        tessel_image shape, img;
        memset(&shape, 0x5A, sizeof shape);
        if (tessel_image_info(p.s, &shape) != TESSEL_OK || tessel_image_read(p.s, &img) != TESSEL_OK) {
            fail(__LINE__, names[i], "%s", tessel_last_error());
            continue;
        }
        int palette = strstr(names[i], ".gif") || strstr(names[i], ".bmp");
        if (shape.data || shape.width != img.width || shape.height != img.height ||
            shape.dtype != img.dtype || shape.channels < img.channels ||
            (!palette && shape.channels != img.channels))
            fail(__LINE__, names[i], "info %dx%d x%d %s, read %dx%d x%d %s", shape.width,
                 shape.height, shape.channels, tessel_dtype_name(shape.dtype), img.width,
                 img.height, img.channels, tessel_dtype_name(img.dtype));
        tessel_image_free(&img);
    }
    path_buf csv = temp_path("info.csv");
    write_bytes(csv.s, "x,y,z\n1,2,3\n4,5,6\n", 18);
    tessel_image shape;
    if (tessel_image_info(csv.s, &shape) != TESSEL_OK || shape.width != 3 || shape.height != 2 ||
        shape.dtype != TESSEL_F32 || shape.channels != 1)
        fail(__LINE__, csv.s, "info of a 3x2 CSV: %s", tessel_last_error());
    remove(csv.s);
    /* files the fuzzers found: a header that stb's own parser would
     * mishandle is refused by tessel's checks first, as a read refuses it */
    static const struct {
        const char *path, *needle;
    } found[] = {
        {"fuzz/corpus/jpeg/dht_overflow.jpg", "Huffman table"},
        {"fuzz/corpus/pnm/long_number.pnm", "PNM header"},
        {"fuzz/corpus/hdr/two_sizes.hdr", "one way"}, /* stb read a width of 0 */
    };
    for (size_t i = 0; i < sizeof found / sizeof *found; ++i) {
        check_failure(__LINE__, found[i].path, tessel_image_info(found[i].path, &shape),
                      TESSEL_ERR_FORMAT, found[i].path, found[i].needle);
        expect_read_failure(__LINE__, found[i].path, TESSEL_ERR_FORMAT, found[i].needle);
    }
    path_buf missing = temp_path("missing.png");
    check_failure(__LINE__, "tessel_image_info(missing)", tessel_image_info(missing.s, &shape),
                  TESSEL_ERR_IO, missing.s, "cannot open");
    check_failure(__LINE__, "tessel_image_info(NULL)", tessel_image_info(NULL, &shape),
                  TESSEL_ERR_NULL_POINTER, NULL, "NULL");
}

/* Each output format's largest image, checked without pixels, and by a
 * write before anything is written; formats without limits take any. */
/* The PNG writer deflates the whole image in one piece: stb's deflate
 * takes about 1 GiB, libdeflate's far more than these cases. */
#ifdef TESSEL_TEST_LIBDEFLATE
#define PNG_DEFLATE_LIMIT NULL
#else
#define PNG_DEFLATE_LIMIT "too large for PNG output"
#endif

static void test_write_limits(void)
{
    static const struct {
        const char *name;
        int width, height, channels;
        tessel_dtype dtype;
        const char *needle; /* NULL: writable */
    } cases[] = {
        {"w.png", 30000, 30000, 3, TESSEL_U8, PNG_DEFLATE_LIMIT},
        {"w.png", 16384, 16384, 3, TESSEL_U8, NULL},
        {"w.png", 16000, 16000, 4, TESSEL_U16, PNG_DEFLATE_LIMIT},
        {"w.jpg", 70000, 1, 1, TESSEL_U8, "sides are at most 65535"},
        {"w.jpg", 1, 65536, 3, TESSEL_F32, "sides are at most 65535"},
        {"w.jpg", 65535, 2, 3, TESSEL_U8, NULL},
        {"w.tga", 65536, 1, 4, TESSEL_U8, "sides are at most 65535"},
        {"w.bmp", 40000, 40000, 3, TESSEL_U8, "too large for BMP output"},
        {"w.bmp", 46000, 46000, 1, TESSEL_U8, NULL},
        {"w.bmp", 47000, 47000, 1, TESSEL_U8, "too large for BMP output"},
        {"w.tif", 100000, 100000, 4, TESSEL_F32, NULL},
        {"w.npy", 100000, 100000, 4, TESSEL_F32, NULL},
        {"w.csv", 100000, 100000, 1, TESSEL_F32, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        path_buf p = temp_path(cases[i].name);
        tessel_image shape = tessel_image_view(NULL, cases[i].width, cases[i].height,
                                               cases[i].channels, cases[i].dtype);
        char what[96];
        snprintf(what, sizeof what, "write check %s %dx%d x%d %s", cases[i].name, cases[i].width,
                 cases[i].height, cases[i].channels, tessel_dtype_name(cases[i].dtype));
        tessel_status s = tessel_image_write_check(p.s, &shape, NULL);
        if (cases[i].needle)
            check_failure(__LINE__, what, s, TESSEL_ERR_BAD_SIZE, p.s, cases[i].needle);
        else if (s != TESSEL_OK)
            fail(__LINE__, what, "%s", tessel_last_error());
        if (exists(p.s)) fail(__LINE__, what, "a file appeared");
    }
    /* a write of a 70000-wide JPEG fails (its header cannot say 70000), writing nothing */
    uint8_t *row = calloc(70000, 1);
    tessel_image wide = tessel_image_view(row, 70000, 1, 1, TESSEL_U8);
    path_buf jpg = temp_path("wide.jpg");
    expect_write_failure(__LINE__, jpg.s, &wide, NULL, TESSEL_ERR_BAD_SIZE,
                         "sides are at most 65535", 0);
    free(row);
    path_buf png = temp_path("check.png");
    tessel_image shape = tessel_image_view(NULL, 10, 10, 3, TESSEL_U8);
    tessel_write_options o = {.struct_size = sizeof o, .quality = 101};
    check_failure(__LINE__, "write check, quality 101", tessel_image_write_check(png.s, &shape, &o),
                  TESSEL_ERR_INVALID_ARGUMENT, png.s, "quality");
    path_buf xyz = temp_path("check.xyz");
    check_failure(__LINE__, "write check, .xyz", tessel_image_write_check(xyz.s, &shape, NULL),
                  TESSEL_ERR_INVALID_ARGUMENT, xyz.s, "format");
    shape.channels = 5;
    check_failure(__LINE__, "write check, 5 channels", tessel_image_write_check(png.s, &shape, NULL),
                  TESSEL_ERR_BAD_SIZE, png.s, "channels");
}

/* ---------------------------------------------------------------- signals */

/* A .npy file with the given header dict (padded as NumPy pads it) and data. */
static void write_npy(const char *path, const char *dict, const void *data, size_t n)
{
    size_t dict_length = strlen(dict), total = (10 + dict_length + 1 + 63) / 64 * 64;
    unsigned char *bytes = tu_xmalloc(total + n);
    memcpy(bytes, "\x93NUMPY\x01\x00", 8);
    bytes[8] = (unsigned char)((total - 10) & 0xFF);
    bytes[9] = (unsigned char)((total - 10) >> 8);
    memset(bytes + 10, ' ', total - 10);
    memcpy(bytes + 10, dict, dict_length);
    bytes[total - 1] = '\n';
    if (n) memcpy(bytes + total, data, n);
    write_bytes(path, bytes, total + n);
    free(bytes);
}

/* signal must be 1 x n f32 holding want. */
static void check_signal(int line, const char *what, const tessel_image *signal, const float *want,
                         int n)
{
    if (signal->height != 1 || signal->channels != 1 || signal->dtype != TESSEL_F32 ||
        signal->width != n) {
        fail(line, what, "signal is %dx%d x%d %s, expected 1 row of %d f32", signal->width,
             signal->height, signal->channels, tessel_dtype_name(signal->dtype), n);
        return;
    }
    for (int i = 0; i < n; ++i)
        if (float_bits(((float *)signal->data)[i]) != float_bits(want[i])) {
            fail(line, what, "sample %d is %.9g, expected %.9g", i, ((float *)signal->data)[i],
                 want[i]);
            return;
        }
}

static void expect_signal(int line, const char *path, const char *column, const float *want, int n)
{
    tessel_image s = {0};
    char what[600];
    snprintf(what, sizeof what, "tessel_signal_read(\"%s\", %s)", path, column ? column : "NULL");
    tessel_status status = tessel_signal_read(path, column, &s);
    if (status != TESSEL_OK)
        fail(line, what, "%s: %s", tessel_status_string(status), tessel_last_error());
    else
        check_signal(line, what, &s, want, n);
    tessel_image_free(&s);
}

static void expect_signal_failure(int line, const char *path, const char *column,
                                  tessel_status want, const char *needle)
{
    tessel_image s;
    memset(&s, 0x5A, sizeof s);
    tessel_image before = s;
    char what[600];
    snprintf(what, sizeof what, "tessel_signal_read(\"%s\", %s)", path, column ? column : "NULL");
    tessel_status status = tessel_signal_read(path, column, &s);
    check_failure(line, what, status, want, path, needle);
    if (status == TESSEL_OK)
        tessel_image_free(&s);
    else if (memcmp(&s, &before, sizeof s) != 0)
        fail(line, what, "changed the output signal");
}

static void test_signal_round_trips(tu_rng *rng)
{
    enum { N = 1000 };
    float values[N];
    tu_rng_floats(rng, values, N, -1000, 1000);
    values[3] = 1e-30f;
    values[4] = -0.0f;
    values[5] = 3.4028235e38f;
    tessel_image signal = tessel_image_view(values, N, 1, 1, TESSEL_F32);
    const char *names[] = {"signal.npy", "signal.csv"};
    for (int i = 0; i < 2; ++i) {
        path_buf p = temp_path(names[i]);
        EXPECT_OK(tessel_signal_write(p.s, &signal, NULL));
        expect_signal(__LINE__, p.s, NULL, values, N);
        expect_signal(__LINE__, p.s, "0", values, N);
        remove(p.s);
    }
    path_buf csv = temp_path("signal.csv");
    EXPECT_OK(tessel_signal_write(csv.s, &signal, NULL));
    size_t n;
    char *text = (char *)read_bytes(csv.s, &n);
    if (!text || n < 6 || memcmp(text, "value\n", 6) != 0)
        fail(__LINE__, "signal.csv", "no \"value\" header");
    free(text);
    expect_signal(__LINE__, csv.s, "value", values, N);
    remove(csv.s);

    uint16_t ints[5] = {0, 1, 999, 40000, 65535};
    float ints_f[5] = {0, 1, 999, 40000, 65535};
    tessel_image int_signal = tessel_image_view(ints, 5, 1, 1, TESSEL_U16);
    const char *int_names[] = {"ints.npy", "ints.csv"};
    for (int i = 0; i < 2; ++i) {
        path_buf p = temp_path(int_names[i]);
        EXPECT_OK(tessel_signal_write(p.s, &int_signal, NULL));
        expect_signal(__LINE__, p.s, NULL, ints_f, 5);
        remove(p.s);
    }
}

static void test_signal_columns(void)
{
    path_buf p = temp_path("weather.csv");
    const char *text = "date,temp,rain\n2020-01-01,1.5,0\n2020-01-02,-2.25,3e-1\n"
                       "# a comment\n\n2020-01-03,+7,.5\n";
    write_bytes(p.s, text, strlen(text));
    const float temp[] = {1.5f, -2.25f, 7}, rain[] = {0, 0.3f, 0.5f};
    expect_signal(__LINE__, p.s, "temp", temp, 3);
    expect_signal(__LINE__, p.s, "TEMP", temp, 3);
    expect_signal(__LINE__, p.s, "2", rain, 3);
    expect_signal(__LINE__, p.s, "rain", rain, 3);
    expect_signal_failure(__LINE__, p.s, NULL, TESSEL_ERR_FORMAT, "line 2, column 1");
    expect_signal_failure(__LINE__, p.s, "humidity", TESSEL_ERR_INVALID_ARGUMENT,
                          "date, temp, rain");
    expect_signal_failure(__LINE__, p.s, "7", TESSEL_ERR_INVALID_ARGUMENT, "out of range");
    /* a first line with a number in it is data: its bad cell is an error, not a header */
    path_buf typo = temp_path("typo.csv");
    const char *typo_text = "1,2O\n3,4\n5,6\n";
    write_bytes(typo.s, typo_text, strlen(typo_text));
    expect_signal_failure(__LINE__, typo.s, "1", TESSEL_ERR_FORMAT,
                          "line 1, column 2: \"2O\" is not a number");
    remove(typo.s);

    path_buf blanks = temp_path("blanks.txt");
    const char *spaced = "\xEF\xBB\xBF"
                         "1 2\r\n3\t4\r\n  5   6  \r\n";
    write_bytes(blanks.s, spaced, strlen(spaced));
    const float second[] = {2, 4, 6};
    expect_signal(__LINE__, blanks.s, "1", second, 3);

    path_buf npy = temp_path("table.npy");
    double table[5][3];
    float column2[5];
    for (int r = 0; r < 5; ++r)
        for (int c = 0; c < 3; ++c) table[r][c] = r * 10.25 + c;
    for (int r = 0; r < 5; ++r) column2[r] = (float)table[r][2];
    write_npy(npy.s, "{'descr': '<f8', 'fortran_order': False, 'shape': (5, 3), }", table,
              sizeof table);
    expect_signal(__LINE__, npy.s, "2", column2, 5);
    expect_signal_failure(__LINE__, npy.s, "3", TESSEL_ERR_INVALID_ARGUMENT, "out of range");
    expect_signal_failure(__LINE__, npy.s, "x", TESSEL_ERR_INVALID_ARGUMENT, "column");
    write_npy(npy.s, "{'descr': '<f8', 'fortran_order': False, 'shape': (5, 1, 3), }", table,
              sizeof table);
    expect_signal_failure(__LINE__, npy.s, NULL, TESSEL_ERR_FORMAT, "3-D");
    path_buf png = data_path("camera_48.png");
    expect_signal_failure(__LINE__, png.s, NULL, TESSEL_ERR_UNSUPPORTED, "signal");

    float two_rows[4] = {1, 2, 3, 4};
    tessel_image bad = tessel_image_view(two_rows, 2, 2, 1, TESSEL_F32);
    path_buf out = temp_path("two_rows.npy");
    check_failure(__LINE__, "tessel_signal_write(2 rows)", tessel_signal_write(out.s, &bad, NULL),
                  TESSEL_ERR_BAD_SIZE, NULL, "one row");
    bad.height = 1;
    out = temp_path("signal.png");
    check_failure(__LINE__, "tessel_signal_write(.png)", tessel_signal_write(out.s, &bad, NULL),
                  TESSEL_ERR_UNSUPPORTED, out.s, ".npy or CSV");
    if (exists(out.s)) fail(__LINE__, "tessel_signal_write(.png)", "wrote a file");
    remove(p.s);
    remove(blanks.s);
    remove(npy.s);
}

/* Matrices from CSV and text: separators, header line, line ends. */
static void test_csv_matrices(void)
{
    static const struct {
        const char *text;
        int width, height;
    } cases[] = {
        {"a;b;c\n1;2;3\n4;5;6\n", 3, 2},
        {"1\t2\t3\r\n4\t5\t6\r\n", 3, 2},
        {"# comment\n\n 1, 2 ,3\n4,5,6", 3, 2},
        {"\"x\",\"y\",\"z\"\n1,2,3\n4,5,6\n", 3, 2},
        {"1 2 3\n4 5 6\n", 3, 2},
    };
    const float want[6] = {1, 2, 3, 4, 5, 6};
    path_buf p = temp_path("matrix.csv");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        write_bytes(p.s, cases[i].text, strlen(cases[i].text));
        tessel_image m = {0};
        tessel_status s = tessel_image_read(p.s, &m);
        if (s != TESSEL_OK) {
            fail(__LINE__, cases[i].text, "%s: %s", tessel_status_string(s), tessel_last_error());
            continue;
        }
        if (m.width != cases[i].width || m.height != cases[i].height || m.dtype != TESSEL_F32 ||
            m.channels != 1 || memcmp(m.data, want, sizeof want) != 0)
            fail(__LINE__, cases[i].text, "read as %dx%d x%d %s with other values", m.width,
                 m.height, m.channels, tessel_dtype_name(m.dtype));
        tessel_image_free(&m);
    }
    remove(p.s);
}

/* -------------------------------------------------------------- bad reads */

static void test_unreadable_paths(tu_rng *rng)
{
    path_buf missing = temp_path("missing.png");
    expect_read_failure(__LINE__, missing.s, TESSEL_ERR_IO, "cannot open");
    expect_read_failure(__LINE__, temp_dir, TESSEL_ERR_IO, "directory");
    path_buf empty = temp_path("empty.png");
    write_bytes(empty.s, "", 0);
    expect_read_failure(__LINE__, empty.s, TESSEL_ERR_FORMAT, "empty");

    /* A FIFO with no writer is refused at once: opening it would wait
     * forever. The alarm ends the test (a failure) instead of hanging. */
    path_buf fifo = temp_path("fifo.png");
    if (mkfifo(fifo.s, 0600) != 0) {
        fail(__LINE__, fifo.s, "cannot make a FIFO: %s", strerror(errno));
    } else {
        alarm(30);
        expect_read_failure(__LINE__, fifo.s, TESSEL_ERR_IO, "not a regular file");
        tessel_image sig = {0};
        check_failure(__LINE__, "tessel_signal_read(FIFO)", tessel_signal_read(fifo.s, NULL, &sig),
                      TESSEL_ERR_IO, fifo.s, "not a regular file");
        alarm(0);
        remove(fifo.s);
    }

    unsigned char noise[4096];
    for (size_t i = 0; i < sizeof noise; ++i) noise[i] = (unsigned char)tu_rng_next(rng);
    static const struct {
        const char *name, *needle;
    } random_files[] = {
        {"noise.png", "not a PNG"},    {"noise.jpg", "not a JPEG"}, {"noise.npy", "not a .npy"},
        {"noise.dat", "unrecognised"}, {"noise", "unrecognised"},   {"noise.csv", "not a text"},
        {"noise.tga", "TGA"},
    };
    for (size_t i = 0; i < sizeof random_files / sizeof *random_files; ++i) {
        path_buf p = temp_path(random_files[i].name);
        write_bytes(p.s, noise, sizeof noise);
        expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, random_files[i].needle);
        remove(p.s);
    }
    path_buf text = temp_path("text.png");
    write_bytes(text.s, "1,2,3\n", 6);
    expect_read_failure(__LINE__, text.s, TESSEL_ERR_FORMAT, "not a PNG");
    remove(text.s);
    remove(empty.s);
    check_failure(__LINE__, "tessel_image_read(NULL)", tessel_image_read(NULL, &(tessel_image){0}),
                  TESSEL_ERR_NULL_POINTER, NULL, "NULL");
    check_failure(__LINE__, "tessel_image_read(out NULL)", tessel_image_read(missing.s, NULL),
                  TESSEL_ERR_NULL_POINTER, NULL, "NULL");
}

/* Every sample file cut short must fail cleanly; last: also cut just the
 * final byte (where it is pixel data, or an end marker stb needs). */
static void test_truncated_files(void)
{
    static const struct {
        const char *name;
        int cut_last;
    } files[] = {
        {"astronaut_48.png", 0},    {"astronaut_48.jpg", 1},    {"astronaut_48.bmp", 1},
        {"astronaut_48.tga", 1},    {"astronaut_48.ppm", 1},    {"astronaut_48.gif", 0},
        {"astronaut_48.hdr", 1},    {"camera_48.gif", 0},       {"camera_48_rle.tga", 1},
        {"camera_48_16bit.pgm", 1}, {"camera_48_16bit.png", 0}, {"camera_48.npy", 1},
        {"camera_48_f64.npy", 1},   {"camera_48.bmp", 1},
    };
    for (size_t f = 0; f < sizeof files / sizeof *files; ++f) {
        size_t n;
        unsigned char *bytes = read_sample_bytes(__LINE__, files[f].name, &n);
        if (!bytes) continue;
        size_t cuts[6] = {20, n / 4, n / 2, 3 * n / 4, n - 1};
        int count = files[f].cut_last ? 5 : 4;
        if (strstr(files[f].name, ".gif")) cuts[count++] = n - 2; /* the frame's last block */
        for (int c = 0; c < count; ++c) {
            char name[128];
            snprintf(name, sizeof name, "cut_%zu_%s", cuts[c], files[f].name);
            path_buf p = temp_path(name);
            write_bytes(p.s, bytes, cuts[c]);
            expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, NULL);
            remove(p.s);
        }
        free(bytes);
    }
}

/* A PNG cut anywhere is explained by tessel's own reading of its chunks,
 * never by a decoder's terse (and once garbled) words. */
static void test_truncated_png_messages(void)
{
    size_t n;
    unsigned char *bytes = read_sample_bytes(__LINE__, "camera_48.png", &n);
    if (!bytes) return;
    path_buf p = temp_path("cut.png");
    for (size_t cut = 8; cut < n; ++cut) {
        write_bytes(p.s, bytes, cut);
        tessel_image img = {0};
        tessel_status s = tessel_image_read(p.s, &img);
        char what[96];
        snprintf(what, sizeof what, "camera_48.png cut at %zu of %zu bytes", cut, n);
        check_failure(__LINE__, what, s, TESSEL_ERR_FORMAT, p.s, "truncated PNG");
        if (s == TESSEL_OK) tessel_image_free(&img);
    }
    /* a critical chunk no decoder knows */
    unsigned char odd[2048];
    size_t ihdr_end = 8 + 12 + 13;
    memcpy(odd, bytes, ihdr_end);
    memcpy(odd + ihdr_end, "\0\0\0\0ABCD\0\0\0\0", 12);
    memcpy(odd + ihdr_end + 12, bytes + ihdr_end, n - ihdr_end);
    write_bytes(p.s, odd, n + 12);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_UNSUPPORTED, "critical chunk ABCD");
    remove(p.s);
    free(bytes);
}

/* Headers that claim far more pixels than the file holds must fail before
 * anything that size is allocated. */
static void test_lying_headers(void)
{
    static const unsigned char png_head[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                             0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    const uint32_t sides[2] = {100000, 40000};
    const char *needles[2] = {"limit", "more than"};
    for (int i = 0; i < 2; ++i) {
        unsigned char png[64] = {0};
        memcpy(png, png_head, sizeof png_head);
        for (int k = 0; k < 4; ++k)
            png[16 + k] = png[20 + k] = (unsigned char)(sides[i] >> (24 - 8 * k));
        png[24] = 8; /* depth */
        png[25] = 2; /* RGB */
        memcpy(png + 33, "\0\0\0\0IDAT\0\0\0\0", 12); /* well formed but for the size */
        memcpy(png + 45, "\0\0\0\0IEND", 8);
        path_buf p = temp_path(i ? "huge_40000.png" : "huge_100000.png");
        write_bytes(p.s, png, sizeof png);
        expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, needles[i]);
        remove(p.s);
    }
    unsigned char bmp[100] = {'B', 'M'};
    bmp[10] = 54;
    bmp[14] = 40;
    bmp[18] = 0x30, bmp[19] = 0x75; /* 30000 */
    bmp[22] = 0x30, bmp[23] = 0x75;
    bmp[26] = 1;
    bmp[28] = 24;
    path_buf p = temp_path("huge.bmp");
    write_bytes(p.s, bmp, sizeof bmp);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "truncated BMP");
    const char pnm[] = "P5\n30000 30000\n255\nabcdefgh";
    p = temp_path("huge.pgm");
    write_bytes(p.s, pnm, sizeof pnm - 1);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "truncated PNM");
    const char pnm_big[] = "P6\n99999999999 2\n255\n";
    write_bytes(p.s, pnm_big, sizeof pnm_big - 1);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "PNM");
    /* a zero-length run: stb_image itself would loop forever on it */
    const char hdr[] = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 2 +X 8\n\x02\x02\x00\x08\x00";
    p = temp_path("zero_run.hdr");
    write_bytes(p.s, hdr, sizeof hdr - 1);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "HDR");
    unsigned char tga[30] = {0, 0, 2};
    tga[12] = tga[14] = 0x40, tga[13] = tga[15] = 0x9C; /* 40000 x 40000 */
    tga[16] = 32;
    p = temp_path("huge.tga");
    write_bytes(p.s, tga, sizeof tga);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "truncated TGA");
    remove(p.s);
    remove(temp_path("huge.bmp").s);
    remove(temp_path("huge.pgm").s);
    remove(temp_path("zero_run.hdr").s);
}

static void test_bad_npy(void)
{
    static const struct {
        const char *dict;
        size_t data_bytes;
        const char *needle;
    } cases[] = {
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", 120,
         "header claims 40000000000 bytes of data but the file holds 120"},
        {"{'descr': '<f4' 'fortran_order': False, 'shape': (2,), }", 8, "malformed"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 8, "malformed"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,) }x", 8, "malformed"},
        {"{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", 8, "malformed"},
        {"{'descr': '<f4', 'fortran_order': Maybe, 'shape': (2,), }", 8, "True or False"},
        {"{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16, "Fortran"},
        {"{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", 8, "little-endian"},
        {"{'descr': '>u2', 'fortran_order': False, 'shape': (2,), }", 4, "little-endian"},
        {"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 8, "'<i4' is not supported"},
        {"{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }", 16, "not supported"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2, 2), }", 16, "dimensions"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 5), }", 20, "4 channels"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (), }", 1, "single number"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (0, 3), }", 0, "empty"},
        {"{'descr': '|u1', 'shape': (2,), }", 2, "lacks"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (2,), 'x': 1, }", 2, "unexpected key"},
        {"{'descr': '|u1', 'fortran_order': False, 'shape': (3000000000, 2), }", 6,
         "header claims"},
    };
    unsigned char data[200];
    memset(data, 0x3F, sizeof data);
    path_buf p = temp_path("bad.npy");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        write_npy(p.s, cases[i].dict, data, cases[i].data_bytes);
        expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, cases[i].needle);
    }
    /* A header length beyond the file, an absurd one (version 2 has 4
     * bytes for it), an unknown version, and a file that stops early. */
    unsigned char raw[64] = "\x93NUMPY\x01\x00\xff\xff{'descr'";
    write_bytes(p.s, raw, 20);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "truncated .npy header");
    memcpy(raw, "\x93NUMPY\x02\x00\xf0\xff\xff\x7f{'descr'", 20);
    write_bytes(p.s, raw, 20);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "implausibly long");
    memcpy(raw, "\x93NUMPY\x09\x00\x10\x00", 10);
    write_bytes(p.s, raw, 40);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "version 9");
    write_bytes(p.s, "\x93NUMPY\x01", 7);
    expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, "truncated");
    remove(p.s);
}

static void test_bad_csv(void)
{
    static const struct {
        const char *text, *needle;
    } cases[] = {
        {"1,2,3\n4,5\n", "line 2 has 2 columns, expected 3 like line 1"},
        {"a,b\n1,2\n3,4,5\n", "line 3 has 3 columns, expected 2 like line 1"},
        {"1,2\n3,abc\n", "line 2, column 2: \"abc\" is not a number"},
        {"1,2,3\n4,,6\n", "line 2, column 2 is empty"},
        {"x,y\n", "header line but no data"},
        {"# only a comment\n\n", "holds no numbers"},
        {"1,2\n3,1e50\n", "line 2, column 2: \"1e50\" is beyond the range"},
        {"1 2\n0x10 3\n", "line 2, column 1: \"0x10\" is not a number"},
        {"1,5;2,5\n3,5;4,5\n", "line 1, column 2: \"5;2\" is not a number"},
        /* a first line with a number in it is data, never a header */
        {"1,2O,1\n1,2,1\n3,4,5\n", "line 1, column 2: \"2O\" is not a number"},
        {"1,,3\n4,5,6\n", "line 1, column 2 is empty"},
        {"0x10,1\n1,2\n", "line 1, column 1: \"0x10\" is not a number"},
        {"x,1e50\n1,2\n", "line 1, column 1: \"x\" is not a number"},
        {"a,b,c\n1,2\n", "line 2 has 2 columns, expected 3 like line 1"},
    };
    path_buf p = temp_path("bad.csv");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; ++i) {
        write_bytes(p.s, cases[i].text, strlen(cases[i].text));
        expect_read_failure(__LINE__, p.s, TESSEL_ERR_FORMAT, cases[i].needle);
    }
    remove(p.s);
}

/* ------------------------------------------------------------- bad writes */

static void test_unwritable_places(tu_rng *rng)
{
    tu_image img;
    tu_image_alloc(&img, 16, 9, 3, TESSEL_U8, TU_PACKED);
    tu_image_fill_random(&img, rng);
    path_buf regular = temp_path("regular_file");
    write_bytes(regular.s, "x", 1);
    path_buf no_dir = temp_path("no_such_dir/out.png"),
             under_file = temp_path("regular_file/out.png");
    expect_write_failure(__LINE__, no_dir.s, &img.view, NULL, TESSEL_ERR_IO, "cannot create", 0);
    expect_write_failure(__LINE__, under_file.s, &img.view, NULL, TESSEL_ERR_IO, "cannot create",
                         0);
    expect_write_failure(__LINE__, "/proc/tessel_test_io.png", &img.view, NULL, TESSEL_ERR_IO, NULL,
                         0);
    path_buf folder = temp_path("folder.png");
    mkdir(folder.s, 0755);
    expect_write_failure(__LINE__, folder.s, &img.view, NULL, TESSEL_ERR_IO, "directory", 1);
    rmdir(folder.s);

    path_buf p = temp_path("bad_args.png");
    tessel_write_options o = {.struct_size = sizeof o, .quality = 101};
    expect_write_failure(__LINE__, p.s, &img.view, &o, TESSEL_ERR_INVALID_ARGUMENT, "quality", 0);
    o.quality = 0;
    o.format = (tessel_file_format)42;
    expect_write_failure(__LINE__, p.s, &img.view, &o, TESSEL_ERR_INVALID_ARGUMENT, "format", 0);
    o.format = TESSEL_FORMAT_GIF;
    expect_write_failure(__LINE__, p.s, &img.view, &o, TESSEL_ERR_UNSUPPORTED, "GIF", 0);
    path_buf unknown = temp_path("out.xyz"), pgm = temp_path("out.pgm");
    expect_write_failure(__LINE__, unknown.s, &img.view, NULL, TESSEL_ERR_INVALID_ARGUMENT,
                         "format", 0);
    expect_write_failure(__LINE__, pgm.s, &img.view, NULL, TESSEL_ERR_UNSUPPORTED, "PNM", 0);
    tessel_image bad = img.view;
    bad.channels = 5;
    expect_write_failure(__LINE__, p.s, &bad, NULL, TESSEL_ERR_BAD_SIZE, "channels", 0);
    bad = img.view;
    bad.data = NULL;
    expect_write_failure(__LINE__, p.s, &bad, NULL, TESSEL_ERR_NULL_POINTER, NULL, 0);
    check_failure(__LINE__, "tessel_image_write(NULL path)",
                  tessel_image_write(NULL, &img.view, NULL), TESSEL_ERR_NULL_POINTER, NULL, "NULL");
    remove(regular.s);
    tu_image_free(&img);
}

static int files_equal(const char *a, const char *b)
{
    size_t na = 0, nb = 0;
    unsigned char *da = read_bytes(a, &na), *db = read_bytes(b, &nb);
    int same = da && db && na == nb && memcmp(da, db, na) == 0;
    free(da);
    free(db);
    return same;
}

/* An existing file is kept, untouched, unless overwrite is set. */
static void test_overwrite(tu_rng *rng)
{
    tu_image first, second;
    tu_image_alloc(&first, 12, 7, 1, TESSEL_U8, TU_PACKED);
    tu_image_alloc(&second, 12, 7, 1, TESSEL_U8, TU_PACKED);
    tu_image_fill_random(&first, rng);
    tu_image_fill_random(&second, rng);
    const char *names[] = {"keep.png", "keep.npy", "keep.csv", "keep.bmp"};
    for (int i = 0; i < 4; ++i) {
        path_buf p = temp_path(names[i]), copy = temp_path("keep_copy");
        EXPECT_OK(tessel_image_write(p.s, &first.view, NULL));
        size_t n;
        unsigned char *before = read_bytes(p.s, &n);
        write_bytes(copy.s, before, n);
        free(before);
        expect_write_failure(__LINE__, p.s, &second.view, NULL, TESSEL_ERR_IO, "already exists", 1);
        if (!files_equal(p.s, copy.s)) fail(__LINE__, names[i], "the existing file changed");
        tessel_write_options o = {.overwrite = 1};
        EXPECT_OK(tessel_image_write(p.s, &second.view, &o));
        tessel_image got = {0};
        EXPECT_OK(tessel_image_read(p.s, &got));
        compare_rule exact = EXACT;
        if (got.data) compare(__LINE__, names[i], &got, &second.view, exact);
        tessel_image_free(&got);
        check_no_temporaries(__LINE__, names[i]);
        remove(p.s);
        remove(copy.s);
    }
    tu_image_free(&first);
    tu_image_free(&second);
}

/* A write that fails half-way (the file size limit here) leaves nothing. */
static void test_failure_mid_write(tu_rng *rng)
{
    tu_image img;
    tu_image_alloc(&img, 200, 100, 3, TESSEL_F32, TU_PADDED);
    tu_image_fill_random(&img, rng);
    if (tu_file_size_limit_lower(4096) != 0) {
        fprintf(stderr, "note: cannot lower RLIMIT_FSIZE, mid-write failure not tested\n");
    } else {
        const char *names[] = {"big.npy", "big.csv", "big.bmp", "big.tga"};
        for (int i = 0; i < 4; ++i) {
            path_buf p = temp_path(names[i]);
            expect_write_failure(__LINE__, p.s, &img.view, NULL, TESSEL_ERR_IO, "write failed", 0);
        }
        tu_file_size_limit_restore();
    }
    tu_image_free(&img);
}

/* -------------------------------------------------- threads and locales */

typedef struct thread_job {
    int index, errors;
} thread_job;

static void *thread_round_trips(void *arg)
{
    thread_job *job = arg;
    tu_rng rng;
    tu_rng_seed(&rng, 1000u + (unsigned)job->index);
    const char *exts[] = {"png", "csv", "npy", "jpg"};
    for (int i = 0; i < 8; ++i) {
        char name[64];
        snprintf(name, sizeof name, "thread_%d_%d.%s", job->index, i, exts[i % 4]);
        path_buf p = temp_path(name);
        tu_image img;
        tu_image_alloc(&img, 31, 17, 1, TESSEL_U8, TU_PACKED);
        tu_image_fill_random(&img, &rng);
        tessel_image got = {0};
        if (tessel_image_write(p.s, &img.view, NULL) != TESSEL_OK ||
            tessel_image_read(p.s, &got) != TESSEL_OK || got.width != 31 || got.height != 17)
            ++job->errors;
        tessel_image_free(&got);
        tu_image_free(&img);
        remove(p.s);
    }
    return NULL;
}

static void test_threads(void)
{
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    thread_job jobs[THREADS];
    for (int t = 0; t < THREADS; ++t) {
        jobs[t] = (thread_job){t, 0};
        if (pthread_create(&threads[t], NULL, thread_round_trips, &jobs[t]) != 0) {
            fprintf(stderr, "cannot start a thread\n");
            exit(2);
        }
    }
    for (int t = 0; t < THREADS; ++t) {
        pthread_join(threads[t], NULL);
        if (jobs[t].errors)
            fail(__LINE__, "threads", "thread %d had %d failed round trips", t, jobs[t].errors);
    }
}

/* Damaged PNGs read at once from several threads: each failure's message
 * is its own file's, whole (decoders' failure reasons were process-wide). */
typedef struct damaged_png_job {
    const char *path, *needle;
    int errors;
    char last[600];
} damaged_png_job;

static void *read_damaged_png(void *arg)
{
    damaged_png_job *job = arg;
    for (int i = 0; i < 300; ++i) {
        tessel_image img = {0};
        tessel_status s = tessel_image_read(job->path, &img);
        const char *message = tessel_last_error();
        if (s == TESSEL_OK || !strstr(message, job->path) || !strstr(message, job->needle)) {
            ++job->errors;
            snprintf(job->last, sizeof job->last, "%s", message);
        }
        if (s == TESSEL_OK) tessel_image_free(&img);
    }
    return NULL;
}

static void test_threads_damaged_png(void)
{
    size_t n;
    unsigned char *bytes = read_sample_bytes(__LINE__, "camera_48.png", &n);
    if (!bytes) return;
    enum { JOBS = 4 };
    path_buf paths[JOBS] = {temp_path("dmg_cut_type.png"), temp_path("dmg_cut_data.png"),
                            temp_path("dmg_zlib.png"), temp_path("dmg_cut_end.png")};
    size_t first_data = 8 + 12 + 13; /* where the chunk after IHDR starts */
    write_bytes(paths[0].s, bytes, first_data + 7); /* inside a chunk's type */
    write_bytes(paths[1].s, bytes, n / 2);
    unsigned char *zlib = malloc(n);
    memcpy(zlib, bytes, n);
    for (size_t i = first_data; i + 8 < n; ++i) /* the first IDAT's zlib header, broken */
        if (memcmp(zlib + i + 4, "IDAT", 4) == 0) {
            zlib[i + 8] = 0xFF;
            zlib[i + 9] = 0xFF;
            break;
        }
    write_bytes(paths[2].s, zlib, n);
    write_bytes(paths[3].s, bytes, n - 3);
    damaged_png_job jobs[JOBS] = {{paths[0].s, "truncated PNG", 0, ""},
                                  {paths[1].s, "truncated PNG", 0, ""},
                                  {paths[2].s, "PNG", 0, ""},
                                  {paths[3].s, "truncated PNG", 0, ""}};
    pthread_t threads[JOBS];
    for (int t = 0; t < JOBS; ++t)
        if (pthread_create(&threads[t], NULL, read_damaged_png, &jobs[t]) != 0) {
            fprintf(stderr, "cannot start a thread\n");
            exit(2);
        }
    for (int t = 0; t < JOBS; ++t) {
        pthread_join(threads[t], NULL);
        if (jobs[t].errors)
            fail(__LINE__, jobs[t].path, "%d of 300 reads gave another message, e.g. \"%s\"",
                 jobs[t].errors, jobs[t].last);
        remove(jobs[t].path);
    }
    free(zlib);
    free(bytes);
}

/* Under a decimal-comma locale CSV still reads and writes a point. Only
 * where such a locale is installed. */
static void test_locale(void)
{
    const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
                             "ru_RU.UTF-8"};
    const char *chosen = NULL;
    for (size_t i = 0; i < sizeof locales / sizeof *locales && !chosen; ++i)
        if (setlocale(LC_NUMERIC, locales[i])) chosen = locales[i];
    if (!chosen) {
        printf("note: no decimal-comma locale installed; locale check skipped\n");
        return;
    }
    float v[2] = {0.5f, -1.25f};
    tessel_image signal = tessel_image_view(v, 2, 1, 1, TESSEL_F32);
    path_buf p = temp_path("locale.csv");
    EXPECT_OK(tessel_signal_write(p.s, &signal, NULL));
    size_t n;
    char *text = (char *)read_bytes(p.s, &n);
    if (!text || n != 17 || memcmp(text, "value\n0.5\n-1.25\n", 16) != 0)
        fail(__LINE__, chosen, "CSV written as \"%.*s\"", text ? (int)n : 0, text ? text : "");
    free(text);
    expect_signal(__LINE__, p.s, NULL, v, 2);
    setlocale(LC_NUMERIC, "C");
    remove(p.s);
}

int main(int argc, char **argv)
{
    if (argc > 1) data_dir = argv[1];
    snprintf(temp_dir, sizeof temp_dir, "/tmp/tessel_test_io_XXXXXX");
    if (!mkdtemp(temp_dir)) {
        fprintf(stderr, "cannot make a temporary folder: %s\n", strerror(errno));
        return 2;
    }
    tu_rng rng;
    tu_rng_seed(&rng, 20240611);
    test_format_names();
    test_round_trips(&rng);
    test_rounding();
    test_photographs();
    test_signal_round_trips(&rng);
    test_signal_columns();
    test_csv_matrices();
    test_unreadable_paths(&rng);
    test_truncated_files();
    test_truncated_png_messages();
    test_image_info();
    test_write_limits();
    test_lying_headers();
    test_bad_npy();
    test_bad_csv();
    test_unwritable_places(&rng);
    test_overwrite(&rng);
    test_failure_mid_write(&rng);
    test_threads();
    test_threads_damaged_png();
    test_locale();
    check_no_temporaries(__LINE__, "the whole run");
    remove_temp_dir();
    if (failures) {
        fprintf(stderr, "test_io: %d failure(s)\n", failures);
        return 1;
    }
    printf("test_io: all checks passed\n");
    return 0;
}
