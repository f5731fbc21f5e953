/* `tessel match INPUT --template FILE`: where a template appears in an
 * image (zero-mean normalised cross-correlation), the best matches printed
 * one per line, and the score map written when -o asks for it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "commands.h"
#include "context_open.h"
#include "paths.h"
#include "progress.h"
#include "report.h"
#include "temporaries.h"
#include "tessel/tessel_fourier.h"
#include "tessel/tessel_io.h"
#include "values.h"

static int check_arguments(const cli_options *o)
{
    if (o->input_count != 1)
        return cli_usage(o->command_name,
                         o->input_count ? "match takes one input image" : "no input image");
    if (!o->templ) return cli_usage(o->command_name, "no template: give --template FILE");
    if (o->output && !cli_is_write_format(paths_extension(o->output)))
        return cli_usage(o->command_name,
                         "-o \"%s\": tessel cannot write .%s files (write: %s)", o->output,
                         paths_extension(o->output), CLI_WRITE_FORMATS);
    return CLI_EXIT_OK;
}

/* Formats of 8 bits a sample get the scores as a picture; the others
 * (.npy, .csv) keep them as f32. */
static int is_picture(const char *path)
{
    tessel_file_format f = cli_write_format(paths_extension(path));
    return f == TESSEL_FORMAT_PNG || f == TESSEL_FORMAT_JPEG || f == TESSEL_FORMAT_BMP ||
           f == TESSEL_FORMAT_TGA;
}

/* Writes the score map (f32, packed); 0, or 1 after a message. */
static int write_scores(const cli_options *o, const tessel_image *scores)
{
    tessel_write_options w = {0};
    w.struct_size = sizeof w;
    w.overwrite = o->force;
    tessel_image out = *scores;
    unsigned char *bytes = NULL;
    if (is_picture(o->output)) {
        const size_t n = (size_t)scores->width * (size_t)scores->height;
        bytes = malloc(n);
        if (!bytes) {
            cli_error("out of memory for a %dx%d picture", scores->width, scores->height);
            return 1;
        }
        const float *v = scores->data;
        for (size_t i = 0; i < n; ++i) bytes[i] = (unsigned char)lround((v[i] + 1.0) * 127.5);
        out = tessel_image_view(bytes, scores->width, scores->height, 1, TESSEL_U8);
    }
    tessel_status s = tessel_image_write(o->output, &out, &w);
    if (s != TESSEL_OK) cli_file_status(o->output, s);
    free(bytes);
    return s != TESSEL_OK;
}

static void print_matches(const cli_options *o, const tessel_match *m, int count,
                          const tessel_image *templ)
{
    if (o->json) printf("[");
    for (int i = 0; i < count; ++i) {
        if (o->json)
            printf("%s\n  {\"x\": %d, \"y\": %d, \"score\": %.6f, \"width\": %d, \"height\": %d}",
                   i ? "," : "", m[i].x, m[i].y, m[i].score, templ->width, templ->height);
        else
            printf("x=%d y=%d score=%.6f width=%d height=%d\n", m[i].x, m[i].y, m[i].score,
                   templ->width, templ->height);
    }
    if (o->json) printf("%s]\n", count ? "\n" : "");
}

/* The default --min-distance: half the template's shorter side, so that
 * one object is not reported again one pixel off. */
static int min_distance(const cli_options *o, const tessel_image *templ)
{
    if (o->min_distance_set) return o->min_distance;
    int side = templ->width < templ->height ? templ->width : templ->height;
    return side / 2 > 1 ? side / 2 : 1;
}

/* Scores, matches, output; 0, or 1 after a message. */
static int match_and_report(const cli_options *o, tessel_context *ctx, const tessel_image *img,
                            const tessel_image *templ)
{
    const char *input = o->inputs[0];
    double started = cli_seconds();
    int ow = img->width - templ->width + 1, oh = img->height - templ->height + 1;
    tessel_image scores = {0};
    if (ow > 0 && oh > 0)
        scores = tessel_image_view(malloc((size_t)ow * (size_t)oh * sizeof(float)), ow, oh, 1,
                                   TESSEL_F32);
    const int wanted = o->match_count ? o->match_count : 1;
    tessel_match *found = malloc((size_t)wanted * sizeof *found);
    int count = 0;
    tessel_status s = TESSEL_ERR_OUT_OF_MEMORY;
    if ((scores.data || ow <= 0 || oh <= 0) && found) {
        s = tessel_match_template(ctx, img, templ, &scores);
        if (s == TESSEL_OK)
            s = tessel_match_best(ctx, &scores, o->min_score_set ? (float)o->min_score : -1.0f,
                                  min_distance(o, templ), wanted, found, &count);
    }
    int failed = s != TESSEL_OK;
    if (failed) cli_file_status(input, s);
    if (!failed && o->verbose)
        cli_note("\"%s\": %dx%d, %d channel%s, %s; template \"%s\": %dx%d, %s; %s backend, "
                 "device %s; %dx%d scores, %.1f ms",
                 input, img->width, img->height, img->channels, img->channels == 1 ? "" : "s",
                 tessel_dtype_name(img->dtype),
                 o->templ, templ->width, templ->height, tessel_dtype_name(templ->dtype),
                 tessel_backend_name(tessel_context_backend(ctx)), tessel_context_device_name(ctx),
                 ow, oh, (cli_seconds() - started) * 1e3);
    if (!failed && o->output) failed = write_scores(o, &scores);
    if (!failed) {
        print_matches(o, found, count, templ);
        if (count == 0 && !o->quiet)
            cli_note("\"%s\": no match scored at least %g", input,
                     o->min_score_set ? o->min_score : -1.0);
    }
    free(found);
    free(scores.data);
    return failed;
}

static int run_match(const cli_options *o)
{
    int status = check_arguments(o);
    if (status) return status;
    const char *input = o->inputs[0];
    cli_temporaries_sweep(o, 0);
    if (o->output && !o->force && paths_exists(o->output)) {
        cli_file_error(input, "output \"%s\" exists (use --force to overwrite it)", o->output);
        return CLI_EXIT_FAILED;
    }
    tessel_context *ctx = NULL;
    tessel_image img = {0}, templ = {0};
    status = cli_open_context(o, &ctx);
    if (!status) {
        tessel_status s = tessel_image_read(input, &img);
        if (s != TESSEL_OK) cli_file_status(input, s);
        tessel_status t = s == TESSEL_OK ? tessel_image_read(o->templ, &templ) : s;
        if (s == TESSEL_OK && t != TESSEL_OK) cli_file_status(o->templ, t);
        status = s != TESSEL_OK || t != TESSEL_OK          ? CLI_EXIT_FAILED
                 : match_and_report(o, ctx, &img, &templ) ? CLI_EXIT_FAILED
                                                          : CLI_EXIT_OK;
    }
    tessel_image_free(&templ);
    tessel_image_free(&img);
    tessel_context_destroy(ctx);
    return status;
}

const cli_command cli_match_command = {
    "match",
    CLI_MATCH,
    "find a template in an image (normalised cross-correlation)",
    "tessel match INPUT --template FILE [-n N] [--min-score S] [--min-distance D]\n"
    "       [-o SCORES] [--json] [options]",
    "Scores every placement of the template inside the image by zero-mean normalised\n"
    "cross-correlation (OpenCV's TM_CCOEFF_NORMED): 1 is a perfect match up to\n"
    "brightness and contrast, 0 none, -1 the negative; a window or template without\n"
    "variation scores 0. Image and template need the same channels (any types).\n"
    "Prints the best matches, best first, one per line:\n"
    "  x=X y=Y score=S width=W height=H\n"
    "where (X, Y) is the template's top-left corner in the image (or, with --json, an\n"
    "array of objects with those keys). Matches are local maxima of the scores, at\n"
    "least --min-distance pixels apart in x or y; none scoring at least --min-score is\n"
    "no error (nothing is printed). -o writes the score map, one score per placement\n"
    "((image width - template width + 1) x (image height - template height + 1)).",
    "  tessel match photo.png --template logo.png\n"
    "  tessel match board.png -t piece.png -n 20 --min-score 0.8 --json\n"
    "  tessel match scan.npy -t mark.npy --min-distance 30 -n 4 -o scores.npy\n"
    "  tessel match photo.png -t face.png -o scores.png          # a picture of the scores\n",
    run_match,
};
