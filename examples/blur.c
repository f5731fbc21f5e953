/*
 * Gaussian blur of an 8-bit gray image.
 *
 *   example_blur                    blur a synthetic image made in memory
 *   example_blur IN.pgm OUT.pgm     blur a binary PGM file into another
 *
 * The program checks its own result: a normalised blur keeps the mean
 * brightness and makes neighbouring pixels more alike. It exits non-zero
 * when a tessel call fails or the check does not hold.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <tessel/tessel.h>

#include "pgm.h"

/* Reports a failed tessel call with the library's detailed message. */
static int report(const char *call, tessel_status status)
{
    fprintf(stderr, "%s failed: %s\n  %s\n", call, tessel_status_string(status),
            tessel_last_error());
    return -1;
}

/* out = in blurred with a Gaussian of sigma 2, same size as the input. */
static int blur(const uint8_t *in, uint8_t *out, int width, int height)
{
    tessel_context *ctx = NULL;
    tessel_kernel *gaussian = NULL;
    int result = -1;

    /* NULL options: default backend, all CPU cores. */
    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s != TESSEL_OK) return report("tessel_context_create", s);

    /* The built-in library sizes the kernel from sigma (here 2). */
    s = tessel_kernel_builtin("gaussian:sigma=2", &gaussian);
    if (s != TESSEL_OK) {
        report("tessel_kernel_builtin", s);
        goto done;
    }

    /* Views describe memory the caller owns; tessel copies nothing. */
    tessel_image src = tessel_image_view((void *)in, width, height, 1, TESSEL_U8);
    tessel_image dst = tessel_image_view(out, width, height, 1, TESSEL_U8);

    /* NULL options: mode "same" (output as large as the input), border
     * "reflect", true convolution. A u8 output is rounded and saturated. */
    s = tessel_convolve2d(ctx, &src, gaussian, NULL, &dst);
    if (s != TESSEL_OK) {
        report("tessel_convolve2d", s);
        goto done;
    }
    result = 0;

done:
    /* Destroy functions accept NULL, so one cleanup path serves all exits. */
    tessel_kernel_destroy(gaussian);
    tessel_context_destroy(ctx);
    return result;
}

/* Mean brightness and mean absolute difference between neighbours. */
static void measure(const uint8_t *img, int width, int height, double *mean, double *roughness)
{
    double sum = 0, diff = 0;
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            int v = img[(size_t)y * width + x];
            sum += v;
            if (x + 1 < width) diff += abs(img[(size_t)y * width + x + 1] - v);
            if (y + 1 < height) diff += abs(img[(size_t)(y + 1) * width + x] - v);
        }
    }
    *mean = sum / ((double)width * height);
    *roughness = diff / ((double)width * height);
}

static int check(const uint8_t *in, const uint8_t *out, int width, int height)
{
    double mean_in, mean_out, rough_in, rough_out;
    measure(in, width, height, &mean_in, &rough_in);
    measure(out, width, height, &mean_out, &rough_out);
    printf("mean %.2f -> %.2f, neighbour difference %.2f -> %.2f\n", mean_in, mean_out,
           rough_in, rough_out);
    if (fabs(mean_out - mean_in) > 1.0 || rough_out >= rough_in) {
        fprintf(stderr, "check failed: the blur should keep the mean and smooth the image\n");
        return -1;
    }
    return 0;
}

/* A gradient with a checkerboard on top: plenty of edges to smooth. */
static uint8_t *synthetic_image(int width, int height)
{
    uint8_t *img = malloc((size_t)width * height);
    if (!img) return NULL;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            img[(size_t)y * width + x] = (uint8_t)(x * 100 / width + ((x / 8 + y / 8) % 2) * 120);
    return img;
}

int main(int argc, char **argv)
{
    if (argc != 1 && argc != 3) {
        fprintf(stderr, "usage: %s [IN.pgm OUT.pgm]\n", argv[0]);
        return 2;
    }
    const char *in_path = argc == 3 ? argv[1] : NULL, *out_path = argc == 3 ? argv[2] : NULL;

    int width = 320, height = 240;
    uint8_t *in = NULL;
    if (in_path) {
        if (pgm_read(in_path, &in, &width, &height) != 0) return 1;
    } else {
        in = synthetic_image(width, height);
    }
    uint8_t *out = malloc((size_t)width * height);
    if (!in || !out) {
        fprintf(stderr, "out of memory\n");
        free(in);
        return 1;
    }

    int ok = blur(in, out, width, height) == 0 && check(in, out, width, height) == 0;
    if (ok && out_path) ok = pgm_write(out_path, out, width, height) == 0;
    if (ok) printf("blurred %dx%d image%s%s\n", width, height, out_path ? " into " : "",
                   out_path ? out_path : "");
    free(in);
    free(out);
    return ok ? 0 : 1;
}
