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

/* The first output that would not be a TIFF (a path, or an input whose
 * name it takes), or NULL when all are. */
static const char *first_other_output(const cli_options *o, int folder)
{
    if (o->format) return cli_write_format(o->format) == TESSEL_FORMAT_TIFF ? NULL : o->output;
    if (!folder)
        return cli_write_format(paths_extension(o->output)) == TESSEL_FORMAT_TIFF ? NULL
                                                                                   : o->output;
    for (int i = 0; i < o->input_count; ++i)
        if (cli_write_format(paths_extension(o->inputs[i])) != TESSEL_FORMAT_TIFF)
            return o->inputs[i];
    return NULL;
}

int cli_check_tiff_options(const cli_options *o, int folder)
{
    const char *option = tiff_option_given(o);
    const char *other = option ? first_other_output(o, folder) : NULL;
    if (!other) return CLI_EXIT_OK;
    if (o->format)
        return cli_usage(o->command_name, "%s applies to TIFF outputs only, not --format %s",
                         option, o->format);
    if (!folder)
        return cli_usage(o->command_name,
                         "%s applies to TIFF outputs only, and -o \"%s\" is not one (.tif, "
                         ".tiff)",
                         option, o->output);
    return cli_usage(o->command_name,
                     "%s applies to TIFF outputs only, and the output of \"%s\" is not one "
                     "(choose TIFF for all with --format tif)",
                     option, other);
}
