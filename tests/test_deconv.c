/* Deconvolution (tessel_deconvolve) on the CPU backend and on every OpenCL
 * device present:
 *   - exactness: an image blurred circularly by a well-conditioned PSF comes
 *     back from Wiener and Tikhonov with a tiny regulariser and no taper
 *     (the image is periodic), to 0.01 of a grey level;
 *   - restoration of a photograph (128x128 crops of examples/data/camera.pgm
 *     and, in colour, astronaut.png) blurred by tessel itself with a
 *     Gaussian, a disc and a 33x33 disc (Richardson-Lucy by FFT) PSF, with
 *     seeded noise (Gaussian; Poisson-like photon counts for
 *     Richardson-Lucy): each case raises the PSNR against the original by a
 *     stated margin over the degraded input's (about 3/4 of what it gains),
 *     and the OpenCL results agree with the CPU backend's to 0.01-0.02 of a
 *     grey level;
 *   - damping: over-iterated Richardson-Lucy on noisy counts loses PSNR,
 *     the damped one keeps at least 1.5 dB more;
 *   - u8/u16 outputs are the float result rounded, a flat image stays flat,
 *     dst may be src, an older (smaller) options struct;
 *   - bad input: NULL pointers, options out of range, NaN samples,
 *     mismatched shapes, PSFs that are too large or not PSFs; dst is never
 *     written then.
 * Outputs are poisoned (NaN, or a sentinel) before every run. The images
 * are sized so that every frequency-domain run has one transform size
 * (192x192): PoCL compiles each size's kernels once (tens of seconds). */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tessel/tessel_fourier.h"
#include "tessel/tessel_io.h"
#include "test_util.h"

#ifdef TESSEL_TEST_FFTW
#define CPU_HAS_FFT 1
#else
#define CPU_HAS_FFT 0
#endif
#ifdef TESSEL_HAVE_CLFFT
#define CL_HAS_FFT 1
#else
#define CL_HAS_FFT 0
#endif

#define PSF_SIDE 13     /* every restoration PSF: one transform size per image */
#define LARGE_SIDE 33   /* a PSF that Richardson-Lucy convolves by FFT, with taper 16 */
#define CROP 128        /* side of the photograph crops */
#define MAX_DEVICES 8
#define MAX_CASES 16
#define SCENES 9
#define PHOTONS 40.0    /* counts per grey level in the photon-noise scenes */

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ------------------------------------------------------------ images */

/* A packed float image the test owns. */
typedef struct fimage {
    float *v;
    int w, h, c;
} fimage;

static fimage fimage_new(int w, int h, int c)
{
    fimage f = {tu_xmalloc((size_t)w * h * c * sizeof(float)), w, h, c};
    for (size_t i = 0; i < (size_t)w * h * c; ++i) f.v[i] = NAN;
    return f;
}

static size_t fimage_count(const fimage *f)
{
    return (size_t)f->w * f->h * f->c;
}

static tessel_image fimage_view(const fimage *f)
{
    return tessel_image_view(f->v, f->w, f->h, f->c, TESSEL_F32);
}

/* Against a peak of 255 levels, or `counts` times that. */
static double psnr(const fimage *got, const fimage *want, double peak)
{
    double sum = 0.0;
    for (size_t i = 0; i < fimage_count(got); ++i) {
        const double d = (double)got->v[i] - want->v[i];
        sum += isfinite(d) ? d * d : 1e30;
    }
    const double mse = sum / (double)fimage_count(got);
    return 10.0 * log10(peak * peak / (mse > 1e-30 ? mse : 1e-30));
}

static double max_abs_diff(const fimage *a, const fimage *b)
{
    double worst = 0.0;
    for (size_t i = 0; i < fimage_count(a); ++i) {
        const double d = fabs((double)a->v[i] - b->v[i]);
        worst = isfinite(d) ? fmax(worst, d) : INFINITY;
    }
    return worst;
}

/* A w x h crop from the middle of a sample photograph, as floats. */
static fimage read_crop(const char *path, int w, int h)
{
    tessel_image img = {0};
    if (tessel_image_read(path, &img) != TESSEL_OK || img.width < w || img.height < h) {
        fprintf(stderr, "test_deconv: cannot read %s: %s\n", path, tessel_last_error());
        exit(2);
    }
    fimage f = fimage_new(w, h, img.channels);
    const int x0 = (img.width - w) / 2, y0 = (img.height - h) / 2;
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            for (int ch = 0; ch < f.c; ++ch)
                f.v[((size_t)y * w + x) * f.c + ch] = (float)tu_sample(&img, x0 + x, y0 + y, ch);
    tessel_image_free(&img);
    return f;
}

/* ------------------------------------------------------------- PSFs */

/* A uniform disc in a side x side square (side odd, at most LARGE_SIDE). */
static tessel_kernel *disc_psf(int side, double radius)
{
    float taps[LARGE_SIDE * LARGE_SIDE];
    double sum = 0.0;
    const int r = side / 2;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x) {
            const double d2 = (double)(x - r) * (x - r) + (double)(y - r) * (y - r);
            taps[y * side + x] = d2 <= radius * radius ? 1.0f : 0.0f;
            sum += taps[y * side + x];
        }
    for (int i = 0; i < side * side; ++i) taps[i] = (float)(taps[i] / sum);
    tessel_kernel *k = NULL;
    tessel_kernel_create(side, side, taps, &k);
    return k;
}

static tessel_kernel *gaussian_psf(void)
{
    tessel_kernel *k = NULL;
    tessel_kernel_builtin("gaussian:sigma=2,size=13", &k);
    return k;
}

/* --------------------------------------------------------- degradation */

static tessel_context *tessel_cpu_context(void)
{
    tessel_context_options o = {0};
    o.backend = TESSEL_BACKEND_CPU;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&o, &ctx) != TESSEL_OK) {
        fprintf(stderr, "test_deconv: no CPU context: %s\n", tessel_last_error());
        exit(2);
    }
    return ctx;
}

/* in convolved with psf (mode same, the given border), by tessel itself. */
static fimage blur(const fimage *in, const tessel_kernel *psf, tessel_border border)
{
    tessel_context *ctx = tessel_cpu_context();
    fimage out = fimage_new(in->w, in->h, in->c);
    tessel_conv_options o = {0};
    o.border = border;
    tessel_image src = fimage_view(in), dst = fimage_view(&out);
    if (tessel_convolve2d(ctx, &src, psf, &o, &dst) != TESSEL_OK) {
        fprintf(stderr, "test_deconv: blurring failed: %s\n", tessel_last_error());
        exit(2);
    }
    tessel_context_destroy(ctx);
    return out;
}

static double gaussian_noise(tu_rng *rng)
{
    const double u = tu_rng_uniform(rng, 1e-12, 1.0), v = tu_rng_uniform(rng, 0.0, 1.0);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

/* Gaussian noise of `sigma` levels. */
static void add_gaussian_noise(fimage *f, double sigma, tu_rng *rng)
{
    for (size_t i = 0; i < fimage_count(f); ++i) f->v[i] += (float)(sigma * gaussian_noise(rng));
}

/* f in photon counts, PHOTONS per level. */
static fimage as_counts(const fimage *f)
{
    fimage counts = fimage_new(f->w, f->h, f->c);
    for (size_t i = 0; i < fimage_count(f); ++i) counts.v[i] = (float)(f->v[i] * PHOTONS);
    return counts;
}

/* Each sample (in counts) a Poisson draw, by its normal approximation
 * (close at these counts: about 100 at the darkest). */
static void add_photon_noise(fimage *f, tu_rng *rng)
{
    for (size_t i = 0; i < fimage_count(f); ++i) {
        const double drawn = round(f->v[i] + sqrt(f->v[i]) * gaussian_noise(rng));
        f->v[i] = (float)(drawn > 0.0 ? drawn : 0.0);
    }
}

/* ------------------------------------------------------- restorations */

typedef struct restore_case {
    const char *name;
    const fimage *original, *degraded;
    const tessel_kernel *psf;
    tessel_deconv_options options;
    double min_gain_db; /* restored PSNR - degraded PSNR, at least */
    double agree;       /* largest |OpenCL - CPU| in levels */
    int counts;         /* the images are in photon counts, PHOTONS per level */
} restore_case;

typedef struct device {
    char spec[32];
    char name[160];
    tessel_backend backend;
    tessel_context *ctx;
} device;

/* 1 when the device's build cannot run the case's method (no FFT library). */
static int fft_missing(const device *d, const restore_case *rc)
{
    if (rc->options.method == TESSEL_DECONV_RICHARDSON_LUCY) return 0;
    return d->backend == TESSEL_BACKEND_CPU ? !CPU_HAS_FFT : !CL_HAS_FFT;
}

/* Runs rc on d into out (f32); returns 0 when it ran. */
static int run_restore(const device *d, const restore_case *rc, fimage *out)
{
    char what[160];
    snprintf(what, sizeof what, "%.40s: %s", d->spec, rc->name);
    tessel_image src = fimage_view(rc->degraded), dst = fimage_view(out);
    for (size_t i = 0; i < fimage_count(out); ++i) out->v[i] = NAN;
    const double started = seconds();
    tessel_status s = tessel_deconvolve(d->ctx, &src, rc->psf, &rc->options, &dst);
    const double elapsed = seconds() - started;
    if (s == TESSEL_ERR_UNSUPPORTED && fft_missing(d, rc)) return 1;
    if (s != TESSEL_OK) {
        tu_fail(what, "%s: %s", tessel_status_string(s), tessel_context_last_error(d->ctx));
        return 1;
    }
    const double peak = rc->counts ? 255.0 * PHOTONS : 255.0;
    const double before = psnr(rc->degraded, rc->original, peak);
    const double after = psnr(out, rc->original, peak);
    printf("  %-44s PSNR %.2f -> %.2f dB (%+.2f), %.0f ms\n", what, before, after, after - before,
           elapsed * 1e3);
    if (!(after - before >= rc->min_gain_db))
        tu_fail(what, "PSNR rose by %.2f dB, expected at least %.2f", after - before,
                rc->min_gain_db);
    return 0;
}

/* The scenes and their cases; returns the count. Margins (dB of PSNR gained)
 * are about 3/4 of what the cases gain; `agree` is in the scene's units. */
static int make_cases(restore_case *cases, fimage *scenes, tessel_kernel **psfs)
{
    tu_rng rng;
    tu_rng_seed(&rng, 20240611);
    psfs[0] = gaussian_psf();
    psfs[1] = disc_psf(PSF_SIDE, 3.5);
    psfs[2] = disc_psf(LARGE_SIDE, 7.5);
    fimage *camera = &scenes[0], *astronaut = &scenes[1];
    *camera = read_crop("../examples/data/camera.pgm", CROP, CROP);
    *astronaut = read_crop("../examples/data/astronaut.png", CROP, CROP);
    /* Gaussian noise of 1 level after the Gaussian blur, 0.5 after the disc. */
    scenes[2] = blur(camera, psfs[0], TESSEL_BORDER_REFLECT);
    add_gaussian_noise(&scenes[2], 1.0, &rng);
    scenes[3] = blur(camera, psfs[1], TESSEL_BORDER_REFLECT);
    add_gaussian_noise(&scenes[3], 0.5, &rng);
    /* Photon counts (Richardson-Lucy's model; damping is in their units). */
    scenes[4] = as_counts(camera);
    scenes[5] = blur(&scenes[4], psfs[1], TESSEL_BORDER_REFLECT);
    add_photon_noise(&scenes[5], &rng);
    scenes[6] = as_counts(astronaut);
    scenes[7] = blur(&scenes[6], psfs[0], TESSEL_BORDER_REFLECT);
    add_photon_noise(&scenes[7], &rng);
    scenes[8] = blur(&scenes[4], psfs[2], TESSEL_BORDER_REFLECT);
    add_photon_noise(&scenes[8], &rng);
    const tessel_deconv_method rl = TESSEL_DECONV_RICHARDSON_LUCY;
    const tessel_deconv_options wiener = {0, TESSEL_DECONV_WIENER, 1e-3, 0, 0, 0, 0};
    const tessel_deconv_options tikhonov = {0, TESSEL_DECONV_TIKHONOV, 0, 2e-3, 0, 0, 0};
    const tessel_deconv_options lucy = {0, rl, 0, 0, 0, 0, 0};
    const tessel_deconv_options damped = {0, rl, 0, 0, 0, 2.0, 0};
    /* taper 16: 128 + 2 * 16 + 33 - 1, the transform size of the others */
    const tessel_deconv_options lucy_fft = {0, rl, 0, 0, 15, 0, 16};
    const double in_counts = 0.02 * PHOTONS;
    const fimage *counts = &scenes[4];
    int n = 0;
    cases[n++] = (restore_case){"wiener, gaussian", camera, &scenes[2], psfs[0], wiener, 3.0,
                                0.01, 0};
    cases[n++] = (restore_case){"tikhonov, gaussian", camera, &scenes[2], psfs[0], tikhonov, 3.0,
                                0.01, 0};
    cases[n++] = (restore_case){"wiener, disc", camera, &scenes[3], psfs[1], wiener, 4.5, 0.01, 0};
    cases[n++] = (restore_case){"tikhonov, disc", camera, &scenes[3], psfs[1], tikhonov, 3.5,
                                0.01, 0};
    cases[n++] = (restore_case){"richardson-lucy, disc", counts, &scenes[5], psfs[1], lucy, 3.0,
                                in_counts, 1};
    cases[n++] = (restore_case){"richardson-lucy damped, disc", counts, &scenes[5], psfs[1],
                                damped, 3.0, in_counts, 1};
    cases[n++] = (restore_case){"richardson-lucy, gaussian, rgb", &scenes[6], &scenes[7], psfs[0],
                                lucy, 2.0, in_counts, 1};
    cases[n++] = (restore_case){"wiener, gaussian, rgb", &scenes[6], &scenes[7], psfs[0], wiener,
                                2.0, in_counts, 1};
    cases[n++] = (restore_case){"richardson-lucy, 33x33 disc (fft)", counts, &scenes[8], psfs[2],
                                lucy_fft, 1.5, in_counts, 1};
    return n;
}

/* Run far past its best, Richardson-Lucy amplifies noise; damping holds
 * the result near the data where that is within the noise: at one photon
 * per grey level (about 20 at the darkest) and 200 iterations, damping at
 * 3 sigma keeps the PSNR at least 1.5 dB above the undamped result. */
static void test_damping(const device *d)
{
    const int side = 96;
    tu_rng rng;
    tu_rng_seed(&rng, 4242);
    tessel_kernel *psf = gaussian_psf();
    fimage original = read_crop("../examples/data/camera.pgm", side, side); /* 1 count a level */
    fimage noisy = blur(&original, psf, TESSEL_BORDER_REFLECT);
    add_photon_noise(&noisy, &rng);
    double gained[2] = {0, 0};
    for (int damped = 0; damped < 2; ++damped) {
        restore_case rc = {damped ? "over-iterated, damped 3" : "over-iterated, undamped",
                           &original, &noisy, psf,
                           {sizeof(tessel_deconv_options), TESSEL_DECONV_RICHARDSON_LUCY, 0, 0,
                            200, damped ? 3.0 : 0.0, 0},
                           -100.0, 0.0, 0};
        fimage out = fimage_new(side, side, 1);
        if (run_restore(d, &rc, &out) == 0)
            gained[damped] = psnr(&out, &original, 255.0) - psnr(&noisy, &original, 255.0);
        free(out.v);
    }
    if (!(gained[1] >= gained[0] + 1.5))
        tu_fail(d->spec, "damping raised the over-iterated PSNR by %.2f dB, expected >= 1.5",
                gained[1] - gained[0]);
    free(noisy.v);
    free(original.v);
    tessel_kernel_destroy(psf);
}

/* Every case on every device; OpenCL results against the CPU's. */
static void test_restorations(device *devices, int count)
{
    restore_case cases[MAX_CASES];
    fimage scenes[SCENES];
    tessel_kernel *psfs[3];
    const int n = make_cases(cases, scenes, psfs);
    for (int k = 0; k < n; ++k) {
        fimage cpu_result = fimage_new(cases[k].original->w, cases[k].original->h,
                                       cases[k].original->c);
        fimage result = fimage_new(cpu_result.w, cpu_result.h, cpu_result.c);
        const int cpu_ran = run_restore(&devices[0], &cases[k], &cpu_result) == 0;
        for (int i = 1; i < count; ++i) {
            if (run_restore(&devices[i], &cases[k], &result) != 0 || !cpu_ran) continue;
            const double d = max_abs_diff(&result, &cpu_result);
            printf("  %s: %s differs from cpu by %.3g (limit %g)\n", devices[i].spec,
                   cases[k].name, d, cases[k].agree);
            if (!(d <= cases[k].agree))
                tu_fail(cases[k].name, "%s differs from the CPU backend by %.4g levels (limit %g)",
                        devices[i].spec, d, cases[k].agree);
        }
        free(result.v);
        free(cpu_result.v);
    }
    for (int i = 0; i < SCENES; ++i) free(scenes[i].v);
    for (int i = 0; i < 3; ++i) tessel_kernel_destroy(psfs[i]);
}

/* ------------------------------------------------------------ exactness */

/* Blurred circularly (border wrap) by a PSF whose spectrum stays far from
 * 0, a random image comes back from an almost unregularised inverse. */
static void test_periodic_exact(const device *d)
{
    tu_rng rng;
    tu_rng_seed(&rng, 99);
    /* Odd and even sides; extended by 10 and padded, the restorations' 192. */
    fimage original = fimage_new(167, 166, 2);
    tu_rng_floats(&rng, original.v, fimage_count(&original), 0.0, 255.0);
    float taps[25];
    tu_rng_floats(&rng, taps, 25, 0.0, 1.0);
    double rest = 0.0;
    for (int i = 0; i < 25; ++i) rest += i == 12 ? 0.0 : taps[i];
    for (int i = 0; i < 25; ++i) taps[i] = i == 12 ? 0.8f : (float)(0.2 * taps[i] / rest);
    tessel_kernel *psf = NULL;
    tessel_kernel_create(5, 5, taps, &psf);
    fimage blurred = blur(&original, psf, TESSEL_BORDER_WRAP);
    const tessel_deconv_method methods[2] = {TESSEL_DECONV_WIENER, TESSEL_DECONV_TIKHONOV};
    for (int m = 0; m < 2; ++m) {
        char what[96];
        snprintf(what, sizeof what, "%.40s: periodic %s", d->spec,
                 tessel_deconv_method_name(methods[m]));
        tessel_deconv_options o = {0};
        o.method = methods[m];
        o.noise_to_signal = o.regularization = 1e-9;
        o.taper = -1;
        restore_case rc = {what, &original, &blurred, psf, o, 0.0, 0.0, 0};
        if (fft_missing(d, &rc)) continue;
        fimage out = fimage_new(original.w, original.h, original.c);
        tessel_image src = fimage_view(&blurred), dst = fimage_view(&out);
        tessel_status s = tessel_deconvolve(d->ctx, &src, psf, &o, &dst);
        const double err = max_abs_diff(&out, &original);
        if (s != TESSEL_OK)
            tu_fail(what, "%s: %s", tessel_status_string(s), tessel_context_last_error(d->ctx));
        else if (!(err <= 0.01))
            tu_fail(what, "max error %.4g levels of 255 (limit 0.01)", err);
        else
            printf("  %-44s max error %.2g levels\n", what, err);
        free(out.v);
    }
    free(blurred.v);
    free(original.v);
    tessel_kernel_destroy(psf);
}

/* ---------------------------------------------------------- conversions */

/* u8 and u16 outputs are the float result rounded and saturated; a flat
 * image stays flat; dst may be src; a smaller (older) options struct. */
static void test_outputs(const device *d, tu_rng *rng)
{
    const int w = CROP, h = CROP; /* the restorations' transform size: compiled once */
    tessel_kernel *psf = gaussian_psf();
    for (int method = 0; method < 3; ++method) {
        char what[96];
        snprintf(what, sizeof what, "%.40s: outputs, %s", d->spec,
                 tessel_deconv_method_name((tessel_deconv_method)method));
        tessel_deconv_options o = {0};
        o.method = (tessel_deconv_method)method;
        o.iterations = 5;
        restore_case probe = {what, NULL, NULL, psf, o, 0, 0, 0};
        if (fft_missing(d, &probe)) continue;
        tu_image src, as_u8, as_u16;
        tu_image_alloc(&src, w, h, 3, TESSEL_U8, TU_PADDED);
        tu_image_fill_random(&src, rng);
        tu_image_alloc(&as_u8, w, h, 3, TESSEL_U8, TU_VIEW);
        tu_image_alloc(&as_u16, w, h, 3, TESSEL_U16, TU_PACKED);
        fimage f = fimage_new(w, h, 3);
        tessel_image fv = fimage_view(&f);
        tu_image_poison(&as_u8);
        tu_image_poison(&as_u16);
        int ok = tessel_deconvolve(d->ctx, &src.view, psf, &o, &fv) == TESSEL_OK &&
                 tessel_deconvolve(d->ctx, &src.view, psf, &o, &as_u8.view) == TESSEL_OK &&
                 tessel_deconvolve(d->ctx, &src.view, psf, &o, &as_u16.view) == TESSEL_OK;
        if (!ok) tu_fail(what, "failed: %s", tessel_context_last_error(d->ctx));
        double worst = 0.0;
        for (int y = 0; ok && y < h; ++y)
            for (int x = 0; x < w; ++x)
                for (int ch = 0; ch < 3; ++ch) {
                    const double v = f.v[((size_t)y * w + x) * 3 + ch];
                    worst = fmax(worst, fabs(tu_sample(&as_u8.view, x, y, ch) -
                                             tu_round_saturate(v, TESSEL_U8)));
                    worst = fmax(worst, fabs(tu_sample(&as_u16.view, x, y, ch) -
                                             tu_round_saturate(v, TESSEL_U16)));
                }
        if (ok && (worst > 1.0 || !tu_image_guard_intact(&as_u8)))
            tu_fail(what, "integer outputs differ from the rounded float result by %g", worst);
        /* In place: a float image restored over itself equals a separate dst. */
        fimage again = fimage_new(w, h, 3);
        tessel_image av = fimage_view(&again);
        tessel_image sv8 = src.view;
        ok = ok && tessel_deconvolve(d->ctx, &sv8, psf, &o, &av) == TESSEL_OK;
        fimage copy = fimage_new(w, h, 3);
        memcpy(copy.v, again.v, fimage_count(&again) * sizeof(float));
        tessel_image cv = fimage_view(&copy);
        ok = ok && tessel_deconvolve(d->ctx, &cv, psf, &o, &cv) == TESSEL_OK;
        fimage expect = fimage_new(w, h, 3);
        tessel_image ev = fimage_view(&expect);
        ok = ok && tessel_deconvolve(d->ctx, &av, psf, &o, &ev) == TESSEL_OK;
        if (!ok || max_abs_diff(&copy, &expect) != 0.0)
            tu_fail(what, "dst == src differs from a separate dst (or failed: %s)",
                    tessel_context_last_error(d->ctx));
        /* A flat image stays exactly flat (the mean is restored exactly). */
        for (size_t i = 0; i < fimage_count(&copy); ++i) copy.v[i] = 100.0f + (float)(i % 3);
        ok = tessel_deconvolve(d->ctx, &cv, psf, &o, &ev) == TESSEL_OK;
        for (size_t i = 0; ok && i < fimage_count(&expect); ++i)
            if (!(fabs(expect.v[i] - (100.0 + (double)(i % 3))) < 1e-3)) {
                tu_fail(what, "a flat image became %.6g at sample %zu", expect.v[i], i);
                break;
            }
        /* A struct_size no version of the struct has had (one ending at nsr)
         * is refused, not guessed at (test_struct_size covers every struct). */
        tessel_deconv_options old = o;
        old.struct_size = (uint32_t)offsetof(tessel_deconv_options, regularization);
        if (tessel_deconvolve(d->ctx, &src.view, psf, &old, &ev) != TESSEL_ERR_INVALID_ARGUMENT)
            tu_fail(what, "struct_size %u was accepted", (unsigned)old.struct_size);
        free(expect.v);
        free(copy.v);
        free(again.v);
        free(f.v);
        tu_image_free(&src);
        tu_image_free(&as_u8);
        tu_image_free(&as_u16);
    }
    tessel_kernel_destroy(psf);
}

/* --------------------------------------------------------------- errors */

/* 1 when every sample of a packed f32 image is NaN (poisoned, unwritten). */
static int all_nan(const tessel_image *img)
{
    const float *v = img->data;
    for (size_t i = 0; i < (size_t)img->width * img->height * img->channels; ++i)
        if (!isnan(v[i])) return 0;
    return 1;
}

/* Calls tessel_deconvolve, expects `want` and a message containing `text`,
 * and dst (a poisoned packed f32 image, or NULL) left unwritten. */
static void expect_error(tessel_context *ctx, const char *what, const tessel_image *src,
                         const tessel_kernel *psf, const tessel_deconv_options *o,
                         tessel_image *dst, tessel_status want, const char *text)
{
    tessel_status s = tessel_deconvolve(ctx, src, psf, o, dst);
    const char *message = ctx ? tessel_context_last_error(ctx) : tessel_last_error();
    if (s != want)
        tu_fail(what, "status %s, expected %s (%s)", tessel_status_string(s),
                tessel_status_string(want), message);
    else if (!strstr(message, text))
        tu_fail(what, "message \"%s\" does not mention \"%s\"", message, text);
    else if (dst && dst->data && !all_nan(dst))
        tu_fail(what, "wrote the destination although it failed");
}

static void test_errors(tessel_context *ctx)
{
    float pixels[20 * 16], out[20 * 16], out_wide[21 * 16];
    for (int i = 0; i < 20 * 16; ++i) pixels[i] = (float)(i % 7);
    for (int i = 0; i < 20 * 16; ++i) out[i] = NAN;
    tessel_image src = tessel_image_view(pixels, 20, 16, 1, TESSEL_F32);
    tessel_image dst = tessel_image_view(out, 20, 16, 1, TESSEL_F32);
    tessel_image wide = tessel_image_view(out_wide, 21, 16, 1, TESSEL_F32);
    tessel_image two = tessel_image_view(out_wide, 10, 16, 2, TESSEL_F32);
    for (int i = 0; i < 21 * 16; ++i) out_wide[i] = NAN;
    tessel_kernel *psf = NULL, *big = NULL, *lap = NULL, *negative = NULL;
    tessel_kernel_builtin("gaussian:sigma=1", &psf);
    tessel_kernel_builtin("box:21x3", &big);
    tessel_kernel_builtin("laplacian", &lap);
    const float taps[3] = {-0.1f, 1.2f, -0.1f};
    tessel_kernel_create(3, 1, taps, &negative);
    tessel_deconv_options o = {0};

    expect_error(NULL, "NULL context", &src, psf, NULL, &dst, TESSEL_ERR_NULL_POINTER, "context");
    expect_error(ctx, "NULL source", NULL, psf, NULL, &dst, TESSEL_ERR_NULL_POINTER, "source");
    expect_error(ctx, "NULL PSF", &src, NULL, NULL, &dst, TESSEL_ERR_NULL_POINTER, "PSF");
    expect_error(ctx, "NULL destination", &src, psf, NULL, NULL, TESSEL_ERR_NULL_POINTER,
                 "destination");
    tessel_image no_data = src;
    no_data.data = NULL;
    expect_error(ctx, "source without data", &no_data, psf, NULL, &dst, TESSEL_ERR_NULL_POINTER,
                 "source");
    expect_error(ctx, "wider destination", &src, psf, NULL, &wide, TESSEL_ERR_BAD_SIZE, "21x16x1");
    expect_error(ctx, "other channels", &src, psf, NULL, &two, TESSEL_ERR_BAD_SIZE, "channels");
    expect_error(ctx, "PSF wider than the image", &src, big, NULL, &dst,
                 TESSEL_ERR_KERNEL_TOO_LARGE, "21x3");
    expect_error(ctx, "PSF summing to 0", &src, lap, NULL, &dst, TESSEL_ERR_BAD_KERNEL, "sums");
    pixels[37] = NAN;
    expect_error(ctx, "NaN in the source", &src, psf, NULL, &dst, TESSEL_ERR_INVALID_ARGUMENT,
                 "x 17, y 1, channel 0 is NaN");
    pixels[37] = INFINITY;
    expect_error(ctx, "infinity in the source", &src, psf, NULL, &dst, TESSEL_ERR_INVALID_ARGUMENT,
                 "infinite");
    pixels[37] = 1.0f;
    o.method = TESSEL_DECONV_RICHARDSON_LUCY;
    expect_error(ctx, "RL with negative taps", &src, negative, &o, &dst, TESSEL_ERR_BAD_KERNEL,
                 "negative");
    struct {
        const char *what, *text;
        tessel_deconv_options o;
    } bad[] = {
        {"method 7", "method", {0, (tessel_deconv_method)7, 0, 0, 0, 0, 0}},
        {"negative nsr", "noise_to_signal", {0, TESSEL_DECONV_WIENER, -0.1, 0, 0, 0, 0}},
        {"NaN nsr", "noise_to_signal", {0, TESSEL_DECONV_WIENER, NAN, 0, 0, 0, 0}},
        {"infinite lambda", "regularization", {0, TESSEL_DECONV_TIKHONOV, 0, INFINITY, 0, 0, 0}},
        {"-1 iterations", "iterations", {0, TESSEL_DECONV_RICHARDSON_LUCY, 0, 0, -1, 0, 0}},
        {"too many iterations", "iterations",
         {0, TESSEL_DECONV_RICHARDSON_LUCY, 0, 0, TESSEL_DECONV_MAX_ITERATIONS + 1, 0, 0}},
        {"negative damping", "damping", {0, TESSEL_DECONV_RICHARDSON_LUCY, 0, 0, 0, -1.0, 0}},
        {"taper -2", "taper", {0, TESSEL_DECONV_WIENER, 0, 0, 0, 0, -2}},
        {"taper too wide", "taper",
         {0, TESSEL_DECONV_WIENER, 0, 0, 0, 0, TESSEL_DECONV_MAX_TAPER + 1}},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i)
        expect_error(ctx, bad[i].what, &src, psf, &bad[i].o, &dst, TESSEL_ERR_INVALID_ARGUMENT,
                     bad[i].text);
    if (strcmp(tessel_deconv_method_name(TESSEL_DECONV_WIENER), "wiener") ||
        strcmp(tessel_deconv_method_name(TESSEL_DECONV_TIKHONOV), "tikhonov") ||
        strcmp(tessel_deconv_method_name(TESSEL_DECONV_RICHARDSON_LUCY), "richardson-lucy") ||
        strcmp(tessel_deconv_method_name((tessel_deconv_method)9), "invalid"))
        tu_fail("method names", "unexpected tessel_deconv_method_name");
    tessel_kernel_destroy(psf);
    tessel_kernel_destroy(big);
    tessel_kernel_destroy(lap);
    tessel_kernel_destroy(negative);
}

/* ----------------------------------------------------------------- main */

static int open_devices(device *devices)
{
    tessel_device_desc list[MAX_DEVICES];
    int n = 0, count = 0;
    if (tessel_devices_list(list, MAX_DEVICES, &n) != TESSEL_OK) n = 0;
    devices[count].backend = TESSEL_BACKEND_CPU;
    snprintf(devices[count].spec, sizeof devices[count].spec, "cpu");
    devices[count++].ctx = tessel_cpu_context();
    for (int i = 0; i < n && i < MAX_DEVICES && count < MAX_DEVICES; ++i) {
        if (list[i].backend != TESSEL_BACKEND_OPENCL) continue;
        tessel_context_options o = {0};
        o.device = list[i].spec;
        device *d = &devices[count];
        d->backend = TESSEL_BACKEND_OPENCL;
        snprintf(d->spec, sizeof d->spec, "%s", list[i].spec);
        snprintf(d->name, sizeof d->name, "%s", list[i].name);
        if (tessel_context_create(&o, &d->ctx) != TESSEL_OK) {
            tu_fail(d->spec, "context: %s", tessel_last_error());
            continue;
        }
        ++count;
    }
    return count;
}

int main(void)
{
    device devices[MAX_DEVICES];
    const int count = open_devices(devices);
    tu_rng rng;
    tu_rng_seed(&rng, 31337);
    if (count == 1) printf("test_deconv: no OpenCL device, CPU backend only\n");
    snprintf(devices[0].name, sizeof devices[0].name, "%s",
             tessel_context_device_name(devices[0].ctx));
    for (int i = 0; i < count; ++i) {
        printf("%s %s\n", devices[i].spec, devices[i].name);
        test_periodic_exact(&devices[i]);
        test_outputs(&devices[i], &rng);
        test_damping(&devices[i]);
        test_errors(devices[i].ctx);
    }
    test_restorations(devices, count);
    for (int i = 0; i < count; ++i) tessel_context_destroy(devices[i].ctx);
    printf("test_deconv: %d failure(s)\n", tu_failures());
    return tu_failures() ? 1 : 0;
}
