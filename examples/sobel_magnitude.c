/*
 * Edge strength of an 8-bit image: Sobel x and Sobel y into float images,
 * then the magnitude sqrt(gx^2 + gy^2), scaled and written to 8 bits.
 *
 *   example_sobel_magnitude             work on a synthetic image
 *   example_sobel_magnitude OUT.pgm     also save the edge image
 *
 * The derivatives go to f32 because they are signed and exceed 255; an 8-bit
 * output would clip them. The check: zero on flat areas, large on steps.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <tessel/tessel.h>

#include "pgm.h"

#define WIDTH 96
#define HEIGHT 64
#define DARK 40
#define BRIGHT 200

static int report(const char *call, tessel_status status)
{
    fprintf(stderr, "%s failed: %s\n  %s\n", call, tessel_status_string(status),
            tessel_last_error());
    return -1;
}

/* Dark everywhere except a bright bottom-right quadrant: one vertical and
 * one horizontal step edge. */
static void make_image(uint8_t *img)
{
    for (int y = 0; y < HEIGHT; ++y)
        for (int x = 0; x < WIDTH; ++x)
            img[y * WIDTH + x] = x >= WIDTH / 2 && y >= HEIGHT / 2 ? BRIGHT : DARK;
}

/* dst (f32) = src (u8) convolved with the built-in kernel `spec`. */
static int derivative(tessel_context *ctx, const char *spec, uint8_t *src_pixels, float *out)
{
    tessel_kernel *kernel = NULL;
    tessel_status s = tessel_kernel_builtin(spec, &kernel);
    if (s != TESSEL_OK) return report("tessel_kernel_builtin", s);
    tessel_image src = tessel_image_view(src_pixels, WIDTH, HEIGHT, 1, TESSEL_U8);
    tessel_image dst = tessel_image_view(out, WIDTH, HEIGHT, 1, TESSEL_F32);
    /* Default options: same size, reflect border, so the image edges are
     * flat and give no response. Input and output types may differ. */
    s = tessel_convolve2d(ctx, &src, kernel, NULL, &dst);
    tessel_kernel_destroy(kernel);
    return s == TESSEL_OK ? 0 : report("tessel_convolve2d", s);
}

static float magnitude_at(const float *gx, const float *gy, int x, int y)
{
    float a = gx[y * WIDTH + x], b = gy[y * WIDTH + x];
    return sqrtf(a * a + b * b);
}

/* The Sobel weights across an edge are 1, 2, 1: a step of height h gives 4h. */
static int check(const float *gx, const float *gy)
{
    const float step = 4.0f * (BRIGHT - DARK);
    struct { const char *where; int x, y; float want; } probes[] = {
        {"flat dark area", WIDTH / 4, HEIGHT / 4, 0.0f},
        {"flat bright area", 3 * WIDTH / 4, 3 * HEIGHT / 4, 0.0f},
        {"vertical edge", WIDTH / 2, 3 * HEIGHT / 4, step},
        {"horizontal edge", 3 * WIDTH / 4, HEIGHT / 2, step},
    };
    for (size_t i = 0; i < sizeof probes / sizeof probes[0]; ++i) {
        float got = magnitude_at(gx, gy, probes[i].x, probes[i].y);
        printf("%-16s (%2d,%2d): magnitude %6.1f\n", probes[i].where, probes[i].x,
               probes[i].y, got);
        if (fabsf(got - probes[i].want) > 1e-3f * step) {
            fprintf(stderr, "check failed: expected %.1f\n", probes[i].want);
            return -1;
        }
    }
    return 0;
}

/* Magnitude / 4 keeps a full-height step within 0..255; steeper corners saturate. */
static void to_u8(const float *gx, const float *gy, uint8_t *edges)
{
    for (int y = 0; y < HEIGHT; ++y) {
        for (int x = 0; x < WIDTH; ++x) {
            float v = magnitude_at(gx, gy, x, y) / 4.0f + 0.5f;
            edges[y * WIDTH + x] = v >= 255.0f ? 255 : (uint8_t)v;
        }
    }
}

int main(int argc, char **argv)
{
    static uint8_t image[WIDTH * HEIGHT], edges[WIDTH * HEIGHT];
    static float gx[WIDTH * HEIGHT], gy[WIDTH * HEIGHT];
    make_image(image);

    tessel_context *ctx = NULL;
    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s != TESSEL_OK) {
        report("tessel_context_create", s);
        return 1;
    }
    int ok = derivative(ctx, "sobel:x", image, gx) == 0 &&
             derivative(ctx, "sobel:y", image, gy) == 0 && check(gx, gy) == 0;
    tessel_context_destroy(ctx);
    if (!ok) return 1;

    to_u8(gx, gy, edges);
    if (argc > 1 && pgm_write(argv[1], edges, WIDTH, HEIGHT) != 0) return 1;
    printf("edge image %dx%d%s%s\n", WIDTH, HEIGHT, argc > 1 ? " written to " : "",
           argc > 1 ? argv[1] : "");
    return 0;
}
