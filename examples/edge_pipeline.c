/*
 * A device pipeline: the image goes to the device once, is smoothed, then
 * differentiated along x and y, the gradient magnitude is formed, and only
 * the 8-bit result comes back. Every step runs buffer to buffer, so on a GPU
 * nothing crosses the bus in between. The same code runs on the CPU backend
 * (buffers are then host memory).
 *
 *   example_edge_pipeline            default device (an OpenCL GPU, else CPU)
 *   example_edge_pipeline DEVICE     e.g. cpu, opencl, opencl:0, gpu
 *
 * The check: no edge response on flat areas, a strong one along the step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <tessel/tessel.h>

#define WIDTH 128
#define HEIGHT 96

static int fail(const char *call, tessel_status status)
{
    fprintf(stderr, "%s failed: %s\n  %s\n", call, tessel_status_string(status),
            tessel_last_error());
    return 1;
}

#define TRY(call)                                    \
    do {                                             \
        tessel_status status_ = (call);              \
        if (status_ != TESSEL_OK) return fail(#call, status_); \
    } while (0)

/* A dark image with a bright disc: edges all around its rim. */
static void make_image(uint8_t *img)
{
    for (int y = 0; y < HEIGHT; ++y)
        for (int x = 0; x < WIDTH; ++x) {
            int dx = x - WIDTH / 2, dy = y - HEIGHT / 2;
            img[y * WIDTH + x] = dx * dx + dy * dy < 30 * 30 ? 220 : 30;
        }
}

static int run(tessel_context *ctx, const uint8_t *pixels, uint8_t *edges)
{
    tessel_kernel *smooth = NULL, *dx = NULL, *dy = NULL;
    TRY(tessel_kernel_builtin("gaussian:sigma=1", &smooth));
    TRY(tessel_kernel_builtin("sobel:x", &dx));
    TRY(tessel_kernel_builtin("sobel:y", &dy));

    /* Buffers live where the context computes. Float in between: the
     * derivatives are signed and exceed 255. */
    tessel_buffer *in = NULL, *blurred = NULL, *gx = NULL, *gy = NULL, *out = NULL;
    TRY(tessel_buffer_create(ctx, WIDTH, HEIGHT, 1, TESSEL_U8, &in));
    TRY(tessel_buffer_create(ctx, WIDTH, HEIGHT, 1, TESSEL_F32, &blurred));
    TRY(tessel_buffer_create(ctx, WIDTH, HEIGHT, 1, TESSEL_F32, &gx));
    TRY(tessel_buffer_create(ctx, WIDTH, HEIGHT, 1, TESSEL_F32, &gy));
    TRY(tessel_buffer_create(ctx, WIDTH, HEIGHT, 1, TESSEL_U8, &out));

    tessel_image host_in = tessel_image_view((void *)pixels, WIDTH, HEIGHT, 1, TESSEL_U8);
    tessel_image host_out = tessel_image_view(edges, WIDTH, HEIGHT, 1, TESSEL_U8);
    TRY(tessel_buffer_upload(in, &host_in));
    TRY(tessel_convolve2d_buffers(ctx, in, smooth, NULL, blurred));
    TRY(tessel_convolve2d_buffers(ctx, blurred, dx, NULL, gx));
    TRY(tessel_convolve2d_buffers(ctx, blurred, dy, NULL, gy));
    /* sqrt(gx^2 + gy^2), rounded and saturated to 8 bits on the device. */
    TRY(tessel_buffer_combine(ctx, gx, gy, TESSEL_COMBINE_MAGNITUDE, out));
    TRY(tessel_buffer_download(out, &host_out)); /* waits for the chain */

    tessel_buffer_destroy(in);
    tessel_buffer_destroy(blurred);
    tessel_buffer_destroy(gx);
    tessel_buffer_destroy(gy);
    tessel_buffer_destroy(out);
    tessel_kernel_destroy(smooth);
    tessel_kernel_destroy(dx);
    tessel_kernel_destroy(dy);
    return 0;
}

int main(int argc, char **argv)
{
    tessel_context_options options = {0};
    options.device = argc > 1 ? argv[1] : NULL;
    tessel_context *ctx = NULL;
    TRY(tessel_context_create(&options, &ctx));
    printf("device: %s\n", tessel_context_device_name(ctx));

    uint8_t *pixels = malloc(WIDTH * HEIGHT), *edges = malloc(WIDTH * HEIGHT);
    if (!pixels || !edges) return 1;
    make_image(pixels);
    int result = run(ctx, pixels, edges);
    tessel_context_destroy(ctx);

    /* Flat corner: no response. Rim of the disc (right of centre): strong. */
    int flat = edges[5 * WIDTH + 5], rim = edges[(HEIGHT / 2) * WIDTH + WIDTH / 2 + 30];
    printf("edge response: flat %d, rim %d\n", flat, rim);
    if (result == 0 && (flat != 0 || rim < 200)) {
        fprintf(stderr, "unexpected edge response\n");
        result = 1;
    }
    free(pixels);
    free(edges);
    return result;
}
