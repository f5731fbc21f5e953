/* Cost profiles: the constants of the cost model (cost_model.h) measured by
 * tessel_tune for one backend, device and thread count, stored as a text
 * file in tessel's cache folder (cache_dir.h: TESSEL_CACHE_DIR, else
 * $XDG_CACHE_HOME/tessel, else ~/.cache/tessel; an empty TESSEL_CACHE_DIR
 * turns it off):
 *
 *   tessel cost profile 2       (1: before method running; ignored now)
 *   backend cpu
 *   device cpu (2 threads, avx512f)
 *   threads 2
 *   direct C0 C1 C2 C3          seconds per unit of each term, >= 0
 *   separable C0 C1 C2 C3
 *   fft C0 C1 C2 C3
 *   fft-block C0 C1 C2 C3
 *   running C0 C1 C2 C3
 *   checksum HHHHHHHHHHHHHHHH   FNV-1a 64 of every byte before this line
 *
 * A file is used only when it parses whole, its key lines match the
 * context and its checksum verifies; anything else is ignored with a
 * warning through the context's log, and the defaults apply. */
#ifndef TESSEL_CORE_COST_PROFILE_H
#define TESSEL_CORE_COST_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "cost_model.h"

/* Who a profile is for. */
typedef struct tessel_cost_key {
    char backend[32];    /* the backend's name ("cpu", "opencl"), and
                            "-unoptimised" for a debug build's profiles */
    const char *device;  /* the context's device name */
    int threads;         /* the context's CPU workers (1 on OpenCL) */
} tessel_cost_key;

tessel_cost_key tessel_cost_key_of(const tessel_context *ctx);

/* FNV-1a 64 of n bytes: the profile's checksum, and its file name's hash. */
uint64_t tessel_cost_checksum(const char *text, size_t n);

/* The profile's text for key and constants into out; returns its length,
 * or 0 when it does not fit in size. */
size_t tessel_cost_profile_format(const tessel_cost_key *key, const tessel_cost_constants *k,
                                  char *out, size_t size);
/* Parses text (n bytes) written for key: 1 with *k filled, or 0 with why
 * (a short phrase) saying what does not match or parse. */
int tessel_cost_profile_parse(const tessel_cost_key *key, const char *text, size_t n,
                              tessel_cost_constants *k, char *why, size_t why_size);

/* The profile file for ctx: 1 with its path in out, 0 when the cache
 * folder is off or the name does not fit. */
int tessel_cost_profile_path(tessel_context *ctx, char *out, size_t size);

/* Writes ctx's profile (the folder created as needed) through a temporary
 * file and a rename, so a reader sees the old file or the whole new one.
 * The path goes to path_out. TESSEL_ERR_IO, naming the path, on failure. */
tessel_status tessel_cost_profile_save(tessel_context *ctx, const tessel_cost_constants *k,
                                       char *path_out, size_t path_size);

/* The constants AUTO uses on ctx: its stored profile when one is valid,
 * else the backend's defaults. Files are read once and kept (per path)
 * until they change on disk. Returns where they came from: "tuned
 * profile" or the defaults' description. */
const char *tessel_cost_profile_get(tessel_context *ctx, tessel_cost_constants *k);

/* The backend's defaults for ctx's device, and their description. */
const char *tessel_cost_defaults(const tessel_context *ctx, tessel_cost_constants *k);

#endif
