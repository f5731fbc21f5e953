/* The command line: one table of options shared by the subcommands, with
 * the names of the contract (-k/--kernel, --mode, --border, ...), and the
 * parsed result.
 *
 * Forms accepted: `--name VALUE`, `--name=VALUE`, `-x VALUE`, `-xVALUE`,
 * flags without values, `--` to end the options; options and inputs may
 * come in any order. */
#ifndef TESSEL_CLI_OPTIONS_H
#define TESSEL_CLI_OPTIONS_H

#include "tessel/tessel.h"
#include "tessel/tessel_fourier.h"
#include "tessel/tessel_io.h"

/* The subcommands, as bits so that an option can name those it serves. */
typedef enum cli_command_id {
    CLI_FILTER = 1 << 0,
    CLI_SIGNAL = 1 << 1,
    CLI_KERNELS = 1 << 2,
    CLI_DEVICES = 1 << 3,
    CLI_VERSION = 1 << 4,
    CLI_DECONVOLVE = 1 << 5,
    CLI_MATCH = 1 << 6,
    CLI_TUNE = 1 << 7
} cli_command_id;

/* Most -k options one command takes (several give their magnitude). */
#define CLI_MAX_KERNELS 8

typedef struct cli_options {
    cli_command_id command;
    const char *command_name;

    const char *kernels[CLI_MAX_KERNELS]; /* -k, in order */
    int kernel_count;
    const char *output;       /* -o; NULL if not given */
    tessel_conv_options conv; /* mode, border, cval, correlate, stride, anchor,
                                 method, scale, offset, abs */
    const char *psf;          /* --psf (deconvolve); NULL if not given */
    tessel_deconv_options deconv; /* --method, --nsr, --lambda, --iterations, --damping,
                                     --taper (deconvolve) */
    const char *device;       /* --device; NULL = $TESSEL_DEVICE or auto */
    const char *devices;      /* --devices (filter): the batch's devices; NULL = see
                                 cli_open_batch */
    int jobs;                 /* --jobs (filter): decode/encode threads; 0 = the cores */
    int dtype_keep;           /* --dtype keep (the default) */
    tessel_dtype dtype;       /* --dtype when not keep */
    int threads;              /* --threads; 0 = all cores */
    int quiet;
    int verbose;
    int force;
    int filter_alpha;
    int quality;        /* --quality; 0 = the writer's default */
    const char *format; /* --format: output extension without the dot */
    tessel_compression compression; /* --compression (TIFF); DEFAULT if not given */
    int tile_width, tile_height;    /* --tile (TIFF); 0 = strips */
    int bigtiff;                    /* --bigtiff (TIFF) */
    int compression_level;          /* --compression-level (PNG, TIFF deflate); 0 = default */
    tessel_jpeg_subsampling subsampling; /* --subsampling (JPEG); DEFAULT if not given */
    int keep_orientation;           /* --keep-orientation: JPEG pixels as stored */
    const char *column; /* --column (signal) */
    const char *templ;  /* --template (match); NULL if not given */
    int match_count;    /* -n (match); 0 = 1 */
    int min_score_set;  /* --min-score (match) given: min_score */
    double min_score;
    int min_distance_set; /* --min-distance (match) given: min_distance */
    int min_distance;
    int json;           /* --json (match) */
    int quick;          /* --quick (tune) */
    int help;

    const char **inputs; /* the operands, in order (points into argv) */
    int input_count;
} cli_options;

/* Parses argv[0..argc) (the words after the subcommand) for `command`.
 * `inputs` must have room for argc pointers. Returns 0, or CLI_EXIT_USAGE
 * after printing a message that names the option and the accepted values. */
int cli_parse(cli_command_id command, const char *command_name, int argc, char **argv,
              const char **inputs, cli_options *out);

/* Prints the options `command` takes, one per line with its help, to stdout. */
void cli_print_options(cli_command_id command);

#endif
