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

/* The first TIFF option given, as written on the command line; NULL if none. */
static const char *tiff_option_given(const cli_options *o)
{
    if (o->compression != TESSEL_COMPRESSION_DEFAULT) return "--compression";
    if (o->tile_width) return "--tile";
    if (o->bigtiff) return "--bigtiff";
    return NULL;
}

/* The first output that would not be in format `want` (a path, or an
 * input whose name it takes), or NULL when all are. */
static const char *first_other_output(const cli_options *o, int folder, tessel_file_format want)
{
    if (o->format) return cli_write_format(o->format) == want ? NULL : o->output;
    if (!folder) return cli_write_format(paths_extension(o->output)) == want ? NULL : o->output;
    for (int i = 0; i < o->input_count; ++i)
        if (cli_write_format(paths_extension(o->inputs[i])) != want) return o->inputs[i];
    return NULL;
}

/* An option that only outputs of one format take (`option`, NULL when not
 * given): refused when some output would be of another. */
static int check_option_format(const cli_options *o, int folder, const char *option,
                               tessel_file_format want, const char *title,
                               const char *extensions, const char *format_name)
{
    const char *other = option ? first_other_output(o, folder, want) : NULL;
    if (!other) return CLI_EXIT_OK;
    if (o->format)
        return cli_usage(o->command_name, "%s applies to %s outputs only, not --format %s",
                         option, title, o->format);
    if (!folder)
        return cli_usage(o->command_name,
                         "%s applies to %s outputs only, and -o \"%s\" is not one (%s)", option,
                         title, o->output, extensions);
    return cli_usage(o->command_name,
                     "%s applies to %s outputs only, and the output of \"%s\" is not one "
                     "(choose %s for all with --format %s)",
                     option, title, other, title, format_name);
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

int cli_check_format_options(const cli_options *o, int folder)
{
    int status = check_format_agrees(o, folder);
    if (!status)
        status = check_option_format(o, folder, tiff_option_given(o), TESSEL_FORMAT_TIFF, "TIFF",
                                     ".tif, .tiff", "tif");
    if (!status)
        status = check_option_format(o, folder, o->quality ? "--quality" : NULL,
                                     TESSEL_FORMAT_JPEG, "JPEG", ".jpg, .jpeg", "jpg");
    return status;
}
