/* clFFT discipline (see cl_fft_lib.h). */
#include "cl_fft_lib.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cache_dir.h"

static pthread_mutex_t clfft_lock = PTHREAD_MUTEX_INITIALIZER;
static int clfft_users;        /* contexts using clFFT; guarded by clfft_lock */
static int cache_path_is_ours; /* CLFFT_CACHE_PATH was set by tessel, not the user */

const char *tessel_clfft_status_name(clfftStatus status)
{
    switch (status) {
    case CLFFT_BUGCHECK: return "CLFFT_BUGCHECK";
    case CLFFT_NOTIMPLEMENTED: return "CLFFT_NOTIMPLEMENTED";
    case CLFFT_TRANSPOSED_NOTIMPLEMENTED: return "CLFFT_TRANSPOSED_NOTIMPLEMENTED";
    case CLFFT_FILE_NOT_FOUND: return "CLFFT_FILE_NOT_FOUND";
    case CLFFT_FILE_CREATE_FAILURE: return "CLFFT_FILE_CREATE_FAILURE";
    case CLFFT_VERSION_MISMATCH: return "CLFFT_VERSION_MISMATCH";
    case CLFFT_INVALID_PLAN: return "CLFFT_INVALID_PLAN";
    case CLFFT_DEVICE_NO_DOUBLE: return "CLFFT_DEVICE_NO_DOUBLE";
    case CLFFT_DEVICE_MISMATCH: return "CLFFT_DEVICE_MISMATCH";
    default: return tessel_cl_error_name((cl_int)status); /* the OpenCL codes */
    }
}

/* 1 when cl's OpenCL implementation keeps compiled programs between runs
 * itself (PoCL, NVIDIA's driver, Intel's compute runtime for its GPUs):
 * there clFFT's own cache saves nothing, and PoCL aborts the process
 * (pocl_binary_get_kernels_metadata: Assertion 'len > 0') on a binary that
 * clFFT wrote damaged (clFFT writes its files in place: a killed run, or
 * two processes at once). */
static int driver_caches_programs(const tessel_cl_state *cl)
{
    char name[256] = "", vendor[256] = "";
    clGetPlatformInfo(cl->platform, CL_PLATFORM_NAME, sizeof name - 1, name, NULL);
    clGetPlatformInfo(cl->platform, CL_PLATFORM_VENDOR, sizeof vendor - 1, vendor, NULL);
    return strstr(name, "Portable Computing Language") || strstr(vendor, "pocl") ||
           strstr(vendor, "NVIDIA") || strstr(name, "Intel(R) OpenCL Graphics");
}

/* clFFT reads CLFFT_CACHE_PATH in clfftSetup and needs the folder to exist
 * (it only creates folders below it, and prints to stderr when it cannot).
 * Called under clfft_lock before the first setup; setenv runs only then.
 * The first context to set clFFT up decides for the process. */
static void choose_cache_path(tessel_context *ctx, const tessel_cl_state *cl)
{
    if (getenv("CLFFT_CACHE_PATH") && !cache_path_is_ours) return; /* the user's choice */
    char dir[4096];
    char path[4096 + 8] = "";
    int usable = !driver_caches_programs(cl) && tessel_cache_dir(ctx, dir, sizeof dir);
    if (usable) {
        snprintf(path, sizeof path, "%s/clfft", dir);
        usable = tessel_make_dirs(path);
        if (!usable)
            tessel_log(ctx, TESSEL_LOG_DEBUG, "clFFT kernel cache: cannot create %s: %s", path,
                       strerror(errno));
    }
    if (usable) {
        usable = setenv("CLFFT_CACHE_PATH", path, 1) == 0;
    } else if (cache_path_is_ours) {
        unsetenv("CLFFT_CACHE_PATH"); /* tessel's choice is no cache now */
    }
    cache_path_is_ours = usable;
    if (usable) tessel_log(ctx, TESSEL_LOG_DEBUG, "clFFT kernel cache: %s", path);
}

static clfftStatus setup_locked(tessel_context *ctx, const tessel_cl_state *cl)
{
    if (clfft_users > 0) return CLFFT_SUCCESS;
    choose_cache_path(ctx, cl);
    /* clfftInitSetupData is an inline function the library does not
     * export; these are the fields it fills. */
    clfftSetupData data;
    memset(&data, 0, sizeof data);
    data.major = clfftVersionMajor;
    data.minor = clfftVersionMinor;
    data.patch = clfftVersionPatch;
    return clfftSetup(&data);
}

tessel_status tessel_clfft_acquire_user(tessel_context *ctx, tessel_cl_state *cl)
{
    if (cl->clfft_user) return TESSEL_OK;
    pthread_mutex_lock(&clfft_lock);
    clfftStatus s = setup_locked(ctx, cl);
    if (s == CLFFT_SUCCESS) ++clfft_users;
    pthread_mutex_unlock(&clfft_lock);
    RETURN_ERROR_IF(s != CLFFT_SUCCESS, ctx, TESSEL_ERR_BACKEND, "clfftSetup failed: %s (%d)",
                    tessel_clfft_status_name(s), (int)s);
    cl->clfft_user = 1;
    return TESSEL_OK;
}

void tessel_clfft_release_user(tessel_cl_state *cl)
{
    if (!cl->clfft_user) return;
    pthread_mutex_lock(&clfft_lock);
    if (--clfft_users == 0) clfftTeardown();
    pthread_mutex_unlock(&clfft_lock);
    cl->clfft_user = 0;
}

/* Layout, strides, placement and scaling of a shape's plan. */
static clfftStatus configure(clfftPlanHandle plan, const tessel_cl_fft_shape *shape)
{
    size_t stride = 1;
    size_t real_distance = shape->length, spec_distance = shape->length / 2 + 1;
    clfftStatus s = clfftSetPlanPrecision(plan, CLFFT_SINGLE);
    if (s == CLFFT_SUCCESS) s = clfftSetResultLocation(plan, CLFFT_OUTOFPLACE);
    if (s == CLFFT_SUCCESS) s = clfftSetPlanBatchSize(plan, shape->batch);
    if (s == CLFFT_SUCCESS) s = clfftSetPlanInStride(plan, CLFFT_1D, &stride);
    if (s == CLFFT_SUCCESS) s = clfftSetPlanOutStride(plan, CLFFT_1D, &stride);
    if (s == CLFFT_SUCCESS && shape->complex) {
        s = clfftSetLayout(plan, CLFFT_COMPLEX_INTERLEAVED, CLFFT_COMPLEX_INTERLEAVED);
        if (s == CLFFT_SUCCESS) s = clfftSetPlanDistance(plan, shape->length, shape->length);
    } else if (s == CLFFT_SUCCESS && !shape->inverse) {
        s = clfftSetLayout(plan, CLFFT_REAL, CLFFT_HERMITIAN_INTERLEAVED);
        if (s == CLFFT_SUCCESS) s = clfftSetPlanDistance(plan, real_distance, spec_distance);
    } else if (s == CLFFT_SUCCESS) {
        s = clfftSetLayout(plan, CLFFT_HERMITIAN_INTERLEAVED, CLFFT_REAL);
        if (s == CLFFT_SUCCESS) s = clfftSetPlanDistance(plan, spec_distance, real_distance);
    }
    /* clFFT divides backward transforms by N unless told otherwise; tessel
     * folds 1/N into the kernel's spectrum instead, so both are unscaled. */
    if (s == CLFFT_SUCCESS) s = clfftSetPlanScale(plan, CLFFT_FORWARD, 1.0f);
    if (s == CLFFT_SUCCESS) s = clfftSetPlanScale(plan, CLFFT_BACKWARD, 1.0f);
    return s;
}

static tessel_status bake_failure(tessel_context *ctx, const tessel_cl_fft_shape *shape,
                                  const char *step, clfftStatus s)
{
    const tessel_status status = s == CLFFT_NOTIMPLEMENTED || s == CLFFT_TRANSPOSED_NOTIMPLEMENTED
                                     ? TESSEL_ERR_UNSUPPORTED
                                 : s == CLFFT_OUT_OF_HOST_MEMORY ? TESSEL_ERR_OUT_OF_MEMORY
                                                                 : TESSEL_ERR_BACKEND;
    return tessel_fail(ctx, status, "clFFT %s of %zu %s %s transforms of %zu failed: %s (%d)",
                       step, shape->batch, shape->inverse ? "inverse" : "forward",
                       shape->complex ? "complex" : "real", shape->length,
                       tessel_clfft_status_name(s), (int)s);
}

tessel_status tessel_clfft_plan_bake(tessel_context *ctx, tessel_cl_state *cl,
                                     const tessel_cl_fft_shape *shape, clfftPlanHandle *out,
                                     size_t *scratch)
{
    size_t length = shape->length;
    clfftPlanHandle plan = 0;
    const char *step = "plan creation";
    *scratch = 0;
    pthread_mutex_lock(&clfft_lock);
    clfftStatus s = clfftCreateDefaultPlan(&plan, cl->context, CLFFT_1D, &length);
    if (s == CLFFT_SUCCESS) {
        step = "plan setup";
        s = configure(plan, shape);
    }
    if (s == CLFFT_SUCCESS) {
        step = "baking";
        s = clfftBakePlan(plan, 1, &cl->queue, NULL, NULL);
    }
    if (s == CLFFT_SUCCESS) {
        step = "temporary buffer query";
        s = clfftGetTmpBufSize(plan, scratch);
    }
    if (s != CLFFT_SUCCESS && plan) clfftDestroyPlan(&plan);
    pthread_mutex_unlock(&clfft_lock);
    if (s != CLFFT_SUCCESS) return bake_failure(ctx, shape, step, s);
    *out = plan;
    return TESSEL_OK;
}

void tessel_clfft_plan_destroy(clfftPlanHandle *plan)
{
    if (!*plan) return;
    pthread_mutex_lock(&clfft_lock);
    clfftDestroyPlan(plan);
    pthread_mutex_unlock(&clfft_lock);
    *plan = 0;
}
