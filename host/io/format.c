/* Format names, extensions and signatures. */
#include <string.h>

#include "formats.h"

typedef struct format_desc {
    tessel_file_format format;
    const char *name;
    const char *title;
} format_desc;

static const format_desc formats[] = {
    {TESSEL_FORMAT_PNG, "png", "PNG"}, {TESSEL_FORMAT_JPEG, "jpeg", "JPEG"},
    {TESSEL_FORMAT_BMP, "bmp", "BMP"}, {TESSEL_FORMAT_TGA, "tga", "TGA"},
    {TESSEL_FORMAT_GIF, "gif", "GIF"}, {TESSEL_FORMAT_PNM, "pnm", "PNM"},
    {TESSEL_FORMAT_HDR, "hdr", "HDR"}, {TESSEL_FORMAT_NPY, "npy", ".npy"},
    {TESSEL_FORMAT_CSV, "csv", "CSV"}, {TESSEL_FORMAT_TIFF, "tiff", "TIFF"},
};

static const struct {
    const char *extension;
    tessel_file_format format;
} extensions[] = {
    {"png", TESSEL_FORMAT_PNG}, {"jpg", TESSEL_FORMAT_JPEG}, {"jpeg", TESSEL_FORMAT_JPEG},
    {"bmp", TESSEL_FORMAT_BMP}, {"tga", TESSEL_FORMAT_TGA},  {"gif", TESSEL_FORMAT_GIF},
    {"pgm", TESSEL_FORMAT_PNM}, {"ppm", TESSEL_FORMAT_PNM},  {"pnm", TESSEL_FORMAT_PNM},
    {"hdr", TESSEL_FORMAT_HDR}, {"npy", TESSEL_FORMAT_NPY},  {"csv", TESSEL_FORMAT_CSV},
    {"txt", TESSEL_FORMAT_CSV}, {"tif", TESSEL_FORMAT_TIFF},  {"tiff", TESSEL_FORMAT_TIFF},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *tessel_format_name(tessel_file_format format)
{
    if (format == TESSEL_FORMAT_AUTO) return "auto";
    for (size_t i = 0; i < COUNT(formats); ++i)
        if (formats[i].format == format) return formats[i].name;
    return "invalid";
}

const char *tessel_format_title(tessel_file_format format)
{
    for (size_t i = 0; i < COUNT(formats); ++i)
        if (formats[i].format == format) return formats[i].title;
    return "unknown";
}

static int equals_ascii_nocase(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
        if (x != *b) return 0;
    }
    return *a == *b;
}

tessel_file_format tessel_format_from_path(const char *path)
{
    if (!path) return TESSEL_FORMAT_AUTO;
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot) return TESSEL_FORMAT_AUTO;
    for (size_t i = 0; i < COUNT(extensions); ++i)
        if (equals_ascii_nocase(dot + 1, extensions[i].extension)) return extensions[i].format;
    return TESSEL_FORMAT_AUTO;
}

static int starts_with(const unsigned char *head, size_t n, const char *magic, size_t length)
{
    return n >= length && memcmp(head, magic, length) == 0;
}

/* "BM" alone starts too many words (a CSV header "BMI,..."): the info
 * header's size must follow, a binary field no text has. */
static int is_bmp(const unsigned char *head, size_t n)
{
    if (!starts_with(head, n, "BM", 2) || n < 18) return 0;
    uint32_t info_size = tessel_io_le32(head + 14);
    return info_size == 12 || info_size == 40 || info_size == 52 || info_size == 56 ||
           info_size == 108 || info_size == 124;
}

/* P1..P7, whitespace, then a digit or a comment: not the start of a word. */
static int is_pnm(const unsigned char *head, size_t n)
{
    if (n < 4 || head[0] != 'P' || head[1] < '1' || head[1] > '7') return 0;
    size_t i = 2;
    if (head[i] != ' ' && head[i] != '\t' && head[i] != '\n' && head[i] != '\r') return 0;
    while (i < n && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) ++i;
    return i < n && ((head[i] >= '0' && head[i] <= '9') || head[i] == '#');
}

tessel_file_format tessel_format_sniff(const unsigned char *head, size_t n)
{
    if (starts_with(head, n, "\x89PNG\r\n\x1a\n", 8)) return TESSEL_FORMAT_PNG;
    if (starts_with(head, n, "\xff\xd8\xff", 3)) return TESSEL_FORMAT_JPEG;
    if (starts_with(head, n, "GIF87a", 6) || starts_with(head, n, "GIF89a", 6))
        return TESSEL_FORMAT_GIF;
    if (starts_with(head, n, "\x93NUMPY", 6)) return TESSEL_FORMAT_NPY;
    if (starts_with(head, n, "#?RADIANCE\n", 11) || starts_with(head, n, "#?RGBE\n", 7))
        return TESSEL_FORMAT_HDR;
    /* classic TIFF (42) and BigTIFF (43), either byte order */
    if (starts_with(head, n, "II*\0", 4) || starts_with(head, n, "MM\0*", 4) ||
        starts_with(head, n, "II+\0", 4) || starts_with(head, n, "MM\0+", 4))
        return TESSEL_FORMAT_TIFF;
    if (is_bmp(head, n)) return TESSEL_FORMAT_BMP;
    if (is_pnm(head, n)) return TESSEL_FORMAT_PNM;
    return TESSEL_FORMAT_AUTO;
}

int tessel_format_is_text(const unsigned char *head, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (head[i] < 0x20 && head[i] != '\t' && head[i] != '\n' && head[i] != '\r') return 0;
    return 1;
}
