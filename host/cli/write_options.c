/* The write options of image outputs (write_options.h). */
#include "write_options.h"

#include "paths.h"
#include "report.h"
#include "values.h"

void cli_write_options(const cli_options *o, tessel_write_options *out)
{
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.format = o->format ? cli_write_format(o->format) : TESSEL_FORMAT_AUTO;
    w.quality = o->quality;
    w.compression = o->compression;
    w.tile_width = o->tile_width;
    w.tile_height = o->tile_height;
    w.bigtiff = o->bigtiff;
    w.compression_level = o->compression_level;
    w.jpeg_subsampling = o->subsampling;
    *out = w;
}

/* The output formats an option applies to, as its messages name them. */
typedef struct output_formats {
    tessel_file_format first, second; /* second: AUTO when one format */
    const char *title;                /* "JPEG", "PNG and TIFF" */
    const char *extensions;           /* of an -o FILE in those formats */
    const char *format_values;        /* --format's values for them */
} output_formats;

static const output_formats jpeg_outputs = {TESSEL_FORMAT_JPEG, TESSEL_FORMAT_AUTO, "JPEG",
                                            ".jpg, .jpeg", "jpg"};
static const output_formats tiff_outputs = {TESSEL_FORMAT_TIFF, TESSEL_FORMAT_AUTO, "TIFF",
                                            ".tif, .tiff", "tif"};
static const output_formats deflate_outputs = {TESSEL_FORMAT_PNG, TESSEL_FORMAT_TIFF,
                                               "PNG and TIFF", ".png, .tif, .tiff",
                                               "png or tif"};

static int is_one_of(const char *ext, const output_formats *f)
{
    tessel_file_format format = cli_write_format(ext);
    return format == f->first || (f->second != TESSEL_FORMAT_AUTO && format == f->second);
}

/* The first TIFF option given, as written on the command line; NULL if none. */
static const char *tiff_option_given(const cli_options *o)
{
    if (o->compression != TESSEL_COMPRESSION_DEFAULT) return "--compression";
    if (o->tile_width) return "--tile";
    if (o->bigtiff) return "--bigtiff";
    return NULL;
}

/* The first output that would not be in one of formats f (a path, or an
 * input whose name it takes), or NULL when all are. */
static const char *first_other_output(const cli_options *o, int folder, const output_formats *f)
{
    if (o->format) return is_one_of(o->format, f) ? NULL : o->output;
    if (!folder) return is_one_of(paths_extension(o->output), f) ? NULL : o->output;
    for (int i = 0; i < o->input_count; ++i)
        if (!is_one_of(paths_extension(o->inputs[i]), f)) return o->inputs[i];
    return NULL;
}

/* An option that only outputs of formats f take (`option`, NULL when not
 * given): refused when some output would be of another. */
static int check_option_format(const cli_options *o, int folder, const char *option,
                               const output_formats *f)
{
    const char *other = option ? first_other_output(o, folder, f) : NULL;
    if (!other) return CLI_EXIT_OK;
    if (o->format)
        return cli_usage(o->command_name, "%s applies to %s outputs only, not --format %s",
                         option, f->title, o->format);
    if (!folder)
        return cli_usage(o->command_name,
                         "%s applies to %s outputs only, and -o \"%s\" is not one (%s)", option,
                         f->title, o->output, f->extensions);
    return cli_usage(o->command_name,
                     "%s applies to %s outputs only, and the output of \"%s\" is not one "
                     "(choose a format for all with --format %s)",
                     option, f->title, other, f->format_values);
}

/* An -o FILE that tessel can write: by --format, else by its extension. */
static int check_output_writable(const cli_options *o, int folder)
{
    if (o->format || folder || cli_is_write_format(paths_extension(o->output)))
        return CLI_EXIT_OK;
    return cli_usage(o->command_name,
                     "-o \"%s\": tessel cannot write .%s files (write: %s; or choose with "
                     "--format)",
                     o->output, paths_extension(o->output), CLI_WRITE_FORMATS);
}

/* --format and -o FILE name the same format, when -o's extension names one. */
static int check_format_agrees(const cli_options *o, int folder)
{
    if (!o->format || folder) return CLI_EXIT_OK;
    tessel_file_format named = tessel_format_from_path(o->output);
    tessel_file_format chosen = cli_write_format(o->format);
    if (named == TESSEL_FORMAT_AUTO || named == chosen) return CLI_EXIT_OK;
    return cli_usage(o->command_name,
                     "--format %s writes %s, but -o \"%s\" names a %s file: make them agree "
                     "(or leave out --format)",
                     o->format, tessel_format_name(chosen), o->output, tessel_format_name(named));
}

/* --compression-level sets deflate's level: not with another TIFF
 * compression. */
static int check_level_compression(const cli_options *o)
{
    if (!o->compression_level || o->compression == TESSEL_COMPRESSION_DEFAULT ||
        o->compression == TESSEL_COMPRESSION_DEFLATE)
        return CLI_EXIT_OK;
    return cli_usage(o->command_name,
                     "--compression-level sets deflate's level, and --compression %s has none",
                     o->compression == TESSEL_COMPRESSION_LZW ? "lzw" : "none");
}

int cli_check_format_options(const cli_options *o, int folder)
{
    int status = check_output_writable(o, folder);
    if (!status) status = check_format_agrees(o, folder);
    if (!status) status = check_option_format(o, folder, tiff_option_given(o), &tiff_outputs);
    if (!status)
        status = check_option_format(o, folder, o->quality ? "--quality" : NULL, &jpeg_outputs);
    if (!status)
        status = check_option_format(
            o, folder, o->subsampling != TESSEL_JPEG_SUBSAMPLING_DEFAULT ? "--subsampling" : NULL,
            &jpeg_outputs);
    if (!status)
        status = check_option_format(o, folder,
                                     o->compression_level ? "--compression-level" : NULL,
                                     &deflate_outputs);
    if (!status) status = check_level_compression(o);
    return status;
}
