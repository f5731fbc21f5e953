/* Resume: an output newer than its input and made by the same filter
 * (its recorded fingerprint is the run's) is up to date; an output that is
 * the input file itself never is (see run.h). */
#include <sys/stat.h>

#include "run.h"

static int later(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec > b->tv_nsec);
}

batch_freshness tessel_batch_output_freshness(const batch_run *run, const char *input,
                                              const char *output)
{
    struct stat in, out;
    if (stat(input, &in) != 0 || stat(output, &out) != 0) return BATCH_OUTPUT_STALE;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) return BATCH_OUTPUT_IS_INPUT;
    if (!S_ISREG(out.st_mode) || !later(&out.st_mtim, &in.st_mtim)) return BATCH_OUTPUT_STALE;
    uint64_t recorded;
    int same =
        tessel_batch_prints_get(run->prints, output, &recorded) && recorded == run->fingerprint;
    return same ? BATCH_OUTPUT_FRESH : BATCH_OUTPUT_STALE;
}
