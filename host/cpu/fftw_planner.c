/* $TESSEL_FFTW_PLANNER (see fftw_planner.h). */
#include "fftw_planner.h"

#include <fftw3.h>
#include <stdlib.h>
#include <string.h>

#include "core/context.h"

unsigned tessel_fftw_planner_flags(tessel_context *ctx, unsigned unset)
{
    static const struct {
        const char *name;
        unsigned flags;
    } planners[] = {{"estimate", FFTW_ESTIMATE}, {"measure", FFTW_MEASURE},
                    {"patient", FFTW_PATIENT}};
    const char *v = getenv("TESSEL_FFTW_PLANNER");
    if (!v || !*v) return unset;
    for (size_t i = 0; i < sizeof planners / sizeof planners[0]; ++i)
        if (strcmp(v, planners[i].name) == 0) return planners[i].flags;
    tessel_log(ctx, TESSEL_LOG_WARN,
               "TESSEL_FFTW_PLANNER=%s is not estimate, measure or patient: using the default",
               v);
    return unset;
}
