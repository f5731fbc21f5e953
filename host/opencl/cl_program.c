/* The program cache: memory first, then disk, then the OpenCL compiler. */
#include "cl_program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cl_program_disk.h"
#include "cl_sources.h"
#include "core/cache_dir.h"

#define COMMON_SOURCE "common.cl"
#define PATH_BYTES 4096
/* Room for two 64-digit source hashes and a separator. */
#define SOURCE_HASH_BYTES 160
/* How much of a build log goes into the error message (the rest goes to
 * the debug log). */
#define LOG_EXCERPT_BYTES 300
#define LOG_DEBUG_LINES 60

typedef struct cached_program {
    char source_hash[SOURCE_HASH_BYTES];
    char *options;
    cl_program program;
} cached_program;

struct tessel_cl_program_cache {
    cached_program *programs;
    int count, capacity;
    int disk_enabled;
    char disk_dir[PATH_BYTES];
    tessel_cl_cache_stats stats;
};

/* What one request is about: its sources and its key. */
typedef struct program_request {
    const tessel_cl_source *sources[2];
    int source_count;
    char source_hash[SOURCE_HASH_BYTES];
    const char *source_name;
    const char *options;
} program_request;

tessel_status tessel_cl_programs_create(tessel_context *ctx, tessel_cl_state *cl)
{
    tessel_cl_program_cache *cache = calloc(1, sizeof *cache);
    RETURN_ERROR_IF(!cache, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for the program cache");
    cache->disk_enabled = tessel_cache_dir(ctx, cache->disk_dir, sizeof cache->disk_dir);
    if (cache->disk_enabled)
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: folder %s", cache->disk_dir);
    cl->programs = cache;
    return TESSEL_OK;
}

void tessel_cl_programs_destroy(tessel_cl_program_cache *cache)
{
    if (!cache) return;
    for (int i = 0; i < cache->count; ++i) {
        clReleaseProgram(cache->programs[i].program);
        free(cache->programs[i].options);
    }
    free(cache->programs);
    free(cache);
}

void tessel_cl_cache_stats_get(const tessel_cl_state *cl, tessel_cl_cache_stats *out)
{
    static const tessel_cl_cache_stats none = {0, 0, 0, 0};
    *out = cl && cl->programs ? cl->programs->stats : none;
}

/* ---------------------------------------------------------------- memory */

static cl_program memory_find(const tessel_cl_program_cache *cache, const program_request *req)
{
    for (int i = 0; i < cache->count; ++i) {
        const cached_program *p = &cache->programs[i];
        if (strcmp(p->source_hash, req->source_hash) == 0 && strcmp(p->options, req->options) == 0)
            return p->program;
    }
    return NULL;
}

/* Takes ownership of program (released on failure). */
static tessel_status memory_add(tessel_context *ctx, tessel_cl_program_cache *cache,
                                const program_request *req, cl_program program)
{
    if (cache->count == cache->capacity) {
        const int capacity = cache->capacity ? 2 * cache->capacity : 8;
        cached_program *grown = realloc(cache->programs, (size_t)capacity * sizeof *grown);
        if (!grown) {
            clReleaseProgram(program);
            return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY,
                               "out of memory for the program cache");
        }
        cache->programs = grown;
        cache->capacity = capacity;
    }
    cached_program *p = &cache->programs[cache->count];
    p->options = malloc(strlen(req->options) + 1);
    if (!p->options) {
        clReleaseProgram(program);
        return tessel_fail(ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for the program cache");
    }
    strcpy(p->options, req->options);
    memcpy(p->source_hash, req->source_hash, sizeof p->source_hash);
    p->program = program;
    cache->count++;
    return TESSEL_OK;
}

/* ----------------------------------------------------------- build logs */

/* The build log for cl's device (malloc'd, never NULL unless out of memory). */
static char *build_log(const tessel_cl_state *cl, cl_program program)
{
    size_t size = 0;
    if (clGetProgramBuildInfo(program, cl->device, CL_PROGRAM_BUILD_LOG, 0, NULL, &size) !=
        CL_SUCCESS)
        size = 0;
    char *log = malloc(size + 1);
    if (!log) return NULL;
    if (size == 0 ||
        clGetProgramBuildInfo(program, cl->device, CL_PROGRAM_BUILD_LOG, size, log, NULL) !=
            CL_SUCCESS)
        size = 0;
    log[size] = '\0';
    return log;
}

/* The start of log on one line: blank lines dropped, line breaks as " | ",
 * "..." when cut. */
static void log_excerpt(const char *log, char *out, size_t size)
{
    size_t n = 0;
    int pending_break = 0;
    for (const char *p = log; *p; ++p) {
        if (*p == '\n' || *p == '\r') {
            pending_break = n > 0;
            continue;
        }
        const char *piece = pending_break ? " | " : "";
        const size_t need = strlen(piece) + 1;
        if (n + need + 4 > size) {
            memcpy(out + n, "...", 4);
            return;
        }
        memcpy(out + n, piece, need - 1);
        n += need - 1;
        out[n++] = *p;
        pending_break = 0;
    }
    out[n] = '\0';
}

/* Every line of log to the debug log (up to LOG_DEBUG_LINES). */
static void log_lines(tessel_context *ctx, const char *log)
{
    int lines = 0;
    for (const char *p = log; *p && lines < LOG_DEBUG_LINES; ++lines) {
        const size_t n = strcspn(p, "\n");
        tessel_log(ctx, TESSEL_LOG_DEBUG, "build log: %.*s", (int)n, p);
        p += n + (p[n] == '\n');
    }
}

/* TESSEL_ERR_BACKEND for a failed clBuildProgram, with the log. */
static tessel_status build_failure(tessel_context *ctx, const tessel_cl_state *cl,
                                   const program_request *req, cl_program program, cl_int err)
{
    char *log = build_log(cl, program);
    char excerpt[LOG_EXCERPT_BYTES];
    log_excerpt(log ? log : "", excerpt, sizeof excerpt);
    if (log) log_lines(ctx, log);
    free(log);
    return tessel_fail(ctx, TESSEL_ERR_BACKEND,
                       "building kernels_cl/%s with options \"%s\" failed: %s (%d); build log: %s",
                       req->source_name, req->options, tessel_cl_error_name(err), (int)err,
                       excerpt[0] ? excerpt : "(empty)");
}

/* ---------------------------------------------------------------- builds */

static double seconds_now(void)
{
    struct timespec t;
    if (timespec_get(&t, TIME_UTC) != TIME_UTC) return 0.0;
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Builds the request's program from its sources. */
static tessel_status compile(tessel_context *ctx, tessel_cl_state *cl, const program_request *req,
                             cl_program *out)
{
    /* Each source starts with a #line naming its file, so that the compiler's
     * messages say "test_scale.cl:12" rather than a line of the whole. */
    char line_directives[2][128];
    int piece_count = req->source_count;
    for (int s = 0; s < req->source_count; ++s) piece_count += req->sources[s]->piece_count;
    const char **pieces = malloc((size_t)piece_count * sizeof *pieces);
    RETURN_ERROR_IF(!pieces, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for kernel sources");
    int n = 0;
    for (int s = 0; s < req->source_count; ++s) {
        snprintf(line_directives[s], sizeof line_directives[s], "#line 1 \"%s\"\n",
                 req->sources[s]->name);
        pieces[n++] = line_directives[s];
        for (int i = 0; i < req->sources[s]->piece_count; ++i)
            pieces[n++] = req->sources[s]->pieces[i];
    }
    cl_int err;
    cl_program program =
        clCreateProgramWithSource(cl->context, (cl_uint)piece_count, pieces, NULL, &err);
    free(pieces);
    RETURN_IF_CL_ERROR(ctx, err, "clCreateProgramWithSource");

    const double start = seconds_now();
    err = clBuildProgram(program, 1, &cl->device, req->options, NULL, NULL);
    if (err != CL_SUCCESS) {
        const tessel_status s = build_failure(ctx, cl, req, program, err);
        clReleaseProgram(program);
        return s;
    }
    tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: compiled %s \"%s\" in %.2f s",
               req->source_name, req->options, seconds_now() - start);
    cl->programs->stats.compiled++;
    *out = program;
    return TESSEL_OK;
}

/* The binary of program for cl's device (malloc'd), or NULL. */
static unsigned char *program_binary(const tessel_cl_state *cl, cl_program program, size_t *size)
{
    cl_uint count = 0;
    if (clGetProgramInfo(program, CL_PROGRAM_NUM_DEVICES, sizeof count, &count, NULL) !=
            CL_SUCCESS ||
        count == 0)
        return NULL;
    cl_device_id *devices = calloc(count, sizeof *devices);
    size_t *sizes = calloc(count, sizeof *sizes);
    unsigned char **binaries = calloc(count, sizeof *binaries);
    unsigned char *result = NULL;
    if (devices && sizes && binaries &&
        clGetProgramInfo(program, CL_PROGRAM_DEVICES, count * sizeof *devices, devices, NULL) ==
            CL_SUCCESS &&
        clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, count * sizeof *sizes, sizes, NULL) ==
            CL_SUCCESS) {
        /* A program has a binary per device of its context; fetch only ours
         * (NULL entries are skipped). */
        for (cl_uint i = 0; i < count; ++i) {
            if (devices[i] != cl->device || sizes[i] == 0) continue;
            binaries[i] = malloc(sizes[i]);
            if (binaries[i] &&
                clGetProgramInfo(program, CL_PROGRAM_BINARIES, count * sizeof *binaries,
                                 binaries, NULL) == CL_SUCCESS) {
                result = binaries[i];
                *size = sizes[i];
            } else {
                free(binaries[i]);
            }
            break;
        }
    }
    free(devices);
    free(sizes);
    free(binaries);
    return result;
}

/* ------------------------------------------------------------------ disk */

static tessel_cl_disk_key disk_key(const tessel_cl_state *cl, const program_request *req)
{
    const tessel_cl_disk_key key = {cl->caps.name, cl->caps.driver, req->source_hash, req->options};
    return key;
}

/* The program from its stored binary: 1 when loaded, 0 when there was no
 * usable file (counted as rejected when one existed). */
static int load_from_disk(tessel_context *ctx, tessel_cl_state *cl, const program_request *req,
                          const char *path, cl_program *out)
{
    const tessel_cl_disk_key key = disk_key(cl, req);
    unsigned char *binary = NULL;
    size_t size = 0;
    const tessel_cl_disk_result found = tessel_cl_disk_read(ctx, path, &key, &binary, &size);
    if (found == TESSEL_CL_DISK_MISSING) return 0;
    cl_program program = NULL;
    cl_int err = CL_INVALID_BINARY;
    if (found == TESSEL_CL_DISK_LOADED) {
        const unsigned char *bytes = binary;
        cl_int binary_status = CL_SUCCESS;
        program = clCreateProgramWithBinary(cl->context, 1, &cl->device, &size, &bytes,
                                            &binary_status, &err);
        if (err == CL_SUCCESS) err = binary_status;
        /* A binary still has to be built (linked for the device). */
        if (err == CL_SUCCESS)
            err = clBuildProgram(program, 1, &cl->device, req->options, NULL, NULL);
    }
    free(binary);
    if (err == CL_SUCCESS) {
        cl->programs->stats.disk_loads++;
        *out = program;
        return 1;
    }
    if (found == TESSEL_CL_DISK_LOADED)
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: the device refused the binary in %s: %s",
                   path, tessel_cl_error_name(err));
    if (program) clReleaseProgram(program);
    cl->programs->stats.disk_rejected++;
    return 0;
}

static void store_on_disk(tessel_context *ctx, const tessel_cl_state *cl,
                          const program_request *req, const char *path, cl_program program)
{
    size_t size = 0;
    unsigned char *binary = program_binary(cl, program, &size);
    if (!binary) {
        tessel_log(ctx, TESSEL_LOG_DEBUG, "program cache: no binary to store for %s",
                   req->source_name);
        return;
    }
    const tessel_cl_disk_key key = disk_key(cl, req);
    tessel_cl_disk_write(ctx, cl->programs->disk_dir, path, &key, binary, size);
    free(binary);
}

/* ------------------------------------------------------------- requests */

static tessel_status describe_request(tessel_context *ctx, const char *source_name,
                                      const char *options, program_request *req)
{
    const tessel_cl_source *common = tessel_cl_source_find(COMMON_SOURCE);
    const tessel_cl_source *own = tessel_cl_source_find(source_name);
    RETURN_ERROR_IF(!common, ctx, TESSEL_ERR_BACKEND, "kernels_cl/" COMMON_SOURCE
                    " is not embedded in this build");
    RETURN_ERROR_IF(!own, ctx, TESSEL_ERR_BACKEND, "kernels_cl/%s is not embedded in this build",
                    source_name);
    req->source_name = source_name;
    req->options = options ? options : "";
    req->sources[0] = common;
    req->source_count = own == common ? 1 : 2;
    req->sources[1] = own;
    snprintf(req->source_hash, sizeof req->source_hash, "%s%s%s", common->hash,
             req->source_count == 2 ? "+" : "", req->source_count == 2 ? own->hash : "");
    return TESSEL_OK;
}

/* The request's program from memory, disk or the compiler (then stored). */
static tessel_status program_get(tessel_context *ctx, tessel_cl_state *cl,
                                 const program_request *req, cl_program *out)
{
    tessel_cl_program_cache *cache = cl->programs;
    cl_program program = memory_find(cache, req);
    if (program) {
        cache->stats.memory_hits++;
        *out = program;
        return TESSEL_OK;
    }
    char path[PATH_BYTES + 64];
    const tessel_cl_disk_key key = disk_key(cl, req);
    const int on_disk =
        cache->disk_enabled && tessel_cl_disk_path(cache->disk_dir, &key, path, sizeof path);
    if (!on_disk || !load_from_disk(ctx, cl, req, path, &program)) {
        FORWARD_IF_ERROR(compile(ctx, cl, req, &program));
        if (on_disk) store_on_disk(ctx, cl, req, path, program);
    }
    FORWARD_IF_ERROR(memory_add(ctx, cache, req, program));
    *out = program;
    return TESSEL_OK;
}

tessel_status tessel_cl_kernel_get(tessel_context *ctx, tessel_cl_state *cl,
                                   const char *source_name, const char *options,
                                   const char *kernel_name, cl_kernel *out)
{
    *out = NULL;
    RETURN_ERROR_IF(!cl->programs, ctx, TESSEL_ERR_BACKEND, "the program cache is not set up");
    program_request req;
    FORWARD_IF_ERROR(describe_request(ctx, source_name, options, &req));
    cl_program program;
    FORWARD_IF_ERROR(program_get(ctx, cl, &req, &program));
    cl_int err;
    cl_kernel kernel = clCreateKernel(program, kernel_name, &err);
    RETURN_ERROR_IF(err != CL_SUCCESS, ctx, TESSEL_ERR_BACKEND,
                    "kernel %s of kernels_cl/%s: clCreateKernel failed: %s (%d)", kernel_name,
                    source_name, tessel_cl_error_name(err), (int)err);
    *out = kernel;
    return TESSEL_OK;
}
