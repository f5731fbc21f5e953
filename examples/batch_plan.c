/*
 * One plan reused over a batch of same-size images.
 *
 * A plan fixes the input shape, the output type, the kernel and the options,
 * and does all the setup once: choosing the method, preparing the backend.
 * Executing it is then only the arithmetic. tessel_plan_info tells what the
 * plan will do and why. Each result is checked against a one-shot
 * tessel_convolve2d of the same image, which must give the same pixels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tessel/tessel.h>
#include <time.h>

#define WIDTH 640
#define HEIGHT 480
#define BATCH 8
#define PIXELS ((size_t)WIDTH * HEIGHT)

static int report(const char *call, tessel_status status)
{
    fprintf(stderr, "%s failed: %s\n  %s\n", call, tessel_status_string(status),
            tessel_last_error());
    return -1;
}

/* Image `index` of the batch: stripes whose angle and spacing vary per image. */
static void make_image(uint8_t *img, int index)
{
    for (int y = 0; y < HEIGHT; ++y)
        for (int x = 0; x < WIDTH; ++x)
            img[(size_t)y * WIDTH + x] = (uint8_t)((x * (index + 1) + y * 3) % (16 + index) * 10);
}

static void print_plan(const tessel_plan *plan)
{
    tessel_plan_properties info = {0};
    info.struct_size = sizeof info; /* lets a newer library fill only what we know */
    if (tessel_plan_info(plan, &info) != TESSEL_OK) return;
    printf("plan: %dx%d %s -> %dx%d %s, kernel %dx%d\n", info.in_width, info.in_height,
           tessel_dtype_name(info.in_dtype), info.out_width, info.out_height,
           tessel_dtype_name(info.out_dtype), info.kernel_width, info.kernel_height);
    printf("      backend %s on %s, %d thread(s)\n", info.backend_name, info.device_name,
           info.threads);
    printf("      method %s: %s\n", info.method_name, info.method_reason);
}

static double seconds_now(void)
{
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Runs the plan over every image, then compares each with a one-shot call. */
static int run_batch(tessel_context *ctx, tessel_plan *plan, const tessel_kernel *kernel,
                     uint8_t *images, uint8_t *results, uint8_t *check)
{
    double start = seconds_now();
    for (int i = 0; i < BATCH; ++i) {
        tessel_image src = tessel_image_view(images + i * PIXELS, WIDTH, HEIGHT, 1, TESSEL_U8);
        tessel_image dst = tessel_image_view(results + i * PIXELS, WIDTH, HEIGHT, 1, TESSEL_U8);
        tessel_status s = tessel_plan_execute(plan, &src, &dst);
        if (s != TESSEL_OK) return report("tessel_plan_execute", s);
    }
    double elapsed = seconds_now() - start;
    printf("%d images in %.1f ms (%.0f megapixels/s)\n", BATCH, 1e3 * elapsed,
           BATCH * (double)PIXELS / 1e6 / (elapsed > 0 ? elapsed : 1e-9));

    for (int i = 0; i < BATCH; ++i) {
        tessel_image src = tessel_image_view(images + i * PIXELS, WIDTH, HEIGHT, 1, TESSEL_U8);
        tessel_image dst = tessel_image_view(check, WIDTH, HEIGHT, 1, TESSEL_U8);
        tessel_status s = tessel_convolve2d(ctx, &src, kernel, NULL, &dst);
        if (s != TESSEL_OK) return report("tessel_convolve2d", s);
        if (memcmp(check, results + i * PIXELS, PIXELS) != 0) {
            fprintf(stderr, "image %d: the plan and the one-shot call differ\n", i);
            return -1;
        }
    }
    return 0;
}

/* A plan accepts only its own shape; anything else is a clear error. */
static int show_shape_check(tessel_plan *plan, uint8_t *buffer)
{
    tessel_image small = tessel_image_view(buffer, WIDTH / 2, HEIGHT / 2, 1, TESSEL_U8);
    tessel_image out = tessel_image_view(buffer + PIXELS / 2, WIDTH / 2, HEIGHT / 2, 1, TESSEL_U8);
    tessel_status s = tessel_plan_execute(plan, &small, &out);
    if (s != TESSEL_ERR_PLAN_MISMATCH) {
        fprintf(stderr, "a wrong-size image gave %s\n", tessel_status_string(s));
        return -1;
    }
    printf("wrong-size image refused as expected: %s\n", tessel_last_error());
    return 0;
}

int main(void)
{
    uint8_t *images = malloc(BATCH * PIXELS), *results = malloc(BATCH * PIXELS);
    uint8_t *check = malloc(PIXELS);
    tessel_context *ctx = NULL;
    tessel_kernel *kernel = NULL;
    tessel_plan *plan = NULL;
    int ok = 0;
    if (!images || !results || !check) {
        fprintf(stderr, "out of memory\n");
        goto done;
    }
    for (int i = 0; i < BATCH; ++i) make_image(images + i * PIXELS, i);

    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s != TESSEL_OK) {
        report("tessel_context_create", s);
        goto done;
    }
    s = tessel_kernel_builtin("gaussian:sigma=1.5", &kernel);
    if (s != TESSEL_OK) {
        report("tessel_kernel_builtin", s);
        goto done;
    }
    /* The shape's data pointer is not used: only its size and type count. */
    tessel_image shape = tessel_image_view(NULL, WIDTH, HEIGHT, 1, TESSEL_U8);
    s = tessel_plan_create(ctx, &shape, TESSEL_U8, kernel, NULL, &plan);
    if (s != TESSEL_OK) {
        report("tessel_plan_create", s);
        goto done;
    }
    print_plan(plan);
    ok = run_batch(ctx, plan, kernel, images, results, check) == 0 &&
         show_shape_check(plan, check) == 0;

done:
    tessel_plan_destroy(plan);
    tessel_kernel_destroy(kernel);
    tessel_context_destroy(ctx);
    free(images);
    free(results);
    free(check);
    return ok ? 0 : 1;
}
