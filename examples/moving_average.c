/*
 * 7-day moving average of a daily series with tessel_convolve1d.
 *
 * A year of made-up daily readings (a seasonal swing, a weekly pattern and
 * some noise) is smoothed with a box of 7 equal taps. Mode "same" keeps one
 * output per day; border "nearest" repeats the first and last day, so the
 * ends are averaged over real values instead of zeros. The weekly pattern
 * sums to zero over any 7 consecutive days, so the average removes it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <tessel/tessel.h>

#define DAYS 365
#define WINDOW 7

static int report(const char *call, tessel_status status)
{
    fprintf(stderr, "%s failed: %s\n  %s\n", call, tessel_status_string(status),
            tessel_last_error());
    return -1;
}

static void make_series(float *series)
{
    static const float weekly[WINDOW] = {-3, -1, 0, 1, 2, 3, -2}; /* sums to 0 */
    unsigned noise = 12345;
    for (int day = 0; day < DAYS; ++day) {
        noise = noise * 1103515245u + 12345u; /* a tiny deterministic generator */
        float jitter = (float)((noise >> 16) % 100) / 100.0f - 0.5f;
        series[day] = 15.0f - 10.0f * cosf(2.0f * 3.14159265f * (float)day / DAYS) +
                      weekly[day % WINDOW] + jitter;
    }
}

/* The same average written out by hand, with the "nearest" border. */
static float expected_average(const float *series, int day)
{
    double sum = 0;
    for (int k = day - WINDOW / 2; k <= day + WINDOW / 2; ++k) {
        int clamped = k < 0 ? 0 : k >= DAYS ? DAYS - 1 : k;
        sum += series[clamped];
    }
    return (float)(sum / WINDOW);
}

static int smooth(const float *series, float *average)
{
    float taps[WINDOW];
    for (int i = 0; i < WINDOW; ++i) taps[i] = 1.0f / WINDOW;

    tessel_context *ctx = NULL;
    tessel_kernel *box = NULL;
    tessel_status s = tessel_context_create(NULL, &ctx);
    if (s != TESSEL_OK) return report("tessel_context_create", s);
    s = tessel_kernel_create(WINDOW, 1, taps, &box); /* 7 columns, 1 row */
    if (s != TESSEL_OK) {
        tessel_context_destroy(ctx);
        return report("tessel_kernel_create", s);
    }

    /* A signal is an image of one row. */
    tessel_image src = tessel_image_view((void *)series, DAYS, 1, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(average, DAYS, 1, 1, TESSEL_F32);
    tessel_conv_options options = {0}; /* all-zero = defaults */
    options.struct_size = sizeof options;
    options.mode = TESSEL_MODE_SAME;
    options.border = TESSEL_BORDER_NEAREST;
    s = tessel_convolve1d(ctx, &src, box, &options, &dst);
    if (s != TESSEL_OK) report("tessel_convolve1d", s);

    tessel_kernel_destroy(box);
    tessel_context_destroy(ctx);
    return s == TESSEL_OK ? 0 : -1;
}

int main(void)
{
    float series[DAYS], average[DAYS];
    make_series(series);
    if (smooth(series, average) != 0) return 1;

    printf("day   reading  7-day average\n");
    for (int day = 0; day < DAYS; day += 45)
        printf("%3d  %8.2f  %8.2f\n", day, series[day], average[day]);

    /* Check every day against the hand-written average, and that the
     * weekly wobble is gone: day-to-day changes become much smaller. */
    double change_in = 0, change_out = 0;
    for (int day = 0; day < DAYS; ++day) {
        float want = expected_average(series, day);
        if (fabsf(average[day] - want) > 1e-4f * (1.0f + fabsf(want))) {
            fprintf(stderr, "day %d: got %.6f, expected %.6f\n", day, average[day], want);
            return 1;
        }
        if (day > 0) {
            change_in += fabs(series[day] - series[day - 1]);
            change_out += fabs(average[day] - average[day - 1]);
        }
    }
    printf("mean day-to-day change: %.3f raw, %.3f averaged\n", change_in / (DAYS - 1),
           change_out / (DAYS - 1));
    if (change_out > 0.25 * change_in) {
        fprintf(stderr, "check failed: the average should remove the weekly pattern\n");
        return 1;
    }
    return 0;
}
