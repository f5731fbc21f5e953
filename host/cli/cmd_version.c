/* `tessel version`: the command's and the library's versions; with -v, the
 * library serving each file format in this build. */
#include <stdio.h>

#include "commands.h"
#include "report.h"
#include "tessel/tessel_io.h"

static void print_codecs(void)
{
    static const tessel_file_format formats[] = {
        TESSEL_FORMAT_PNG, TESSEL_FORMAT_JPEG, TESSEL_FORMAT_TIFF, TESSEL_FORMAT_BMP,
        TESSEL_FORMAT_TGA, TESSEL_FORMAT_GIF,  TESSEL_FORMAT_PNM,  TESSEL_FORMAT_HDR,
        TESSEL_FORMAT_NPY, TESSEL_FORMAT_CSV};
    printf("file formats (read / write):\n");
    for (size_t i = 0; i < sizeof formats / sizeof *formats; ++i) {
        const char *read = tessel_format_codec(formats[i], 0);
        const char *write = tessel_format_codec(formats[i], 1);
        printf("  %-5s %s / %s\n", tessel_format_name(formats[i]), read ? read : "-",
               write ? write : "-");
    }
}

static int run_version(const cli_options *o)
{
    if (o->input_count) return cli_usage(o->command_name, "version takes no arguments");
    printf("tessel %d.%d.%d (library %s)\n", TESSEL_VERSION_MAJOR, TESSEL_VERSION_MINOR,
           TESSEL_VERSION_PATCH, tessel_version());
    if (o->verbose) print_codecs();
    return CLI_EXIT_OK;
}

const cli_command cli_version_command = {
    "version",
    CLI_VERSION,
    "print the version",
    "tessel version [-v]",
    "Prints the version of the tessel command and of the library it runs on; with -v,\n"
    "also the library that reads and writes each file format in this build.",
    "  tessel version\n"
    "  tessel version -v\n",
    run_version,
};
