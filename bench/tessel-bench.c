/* tessel-bench: throughput of tessel's convolution plans, as megapixels per
 * second and as a fraction of this machine's measured limits. One JSON
 * object per line: the machine first, then one per case. */
#include <stdio.h>

#include "bench_case.h"
#include "bench_kernels.h"
#include "bench_machine.h"
#include "bench_options.h"
#include "tessel/tessel.h"

static tessel_context *open_context(const bench_options *o, int threads)
{
    tessel_context_options co = {0};
    co.struct_size = sizeof co;
    co.backend = o->backend;
    co.device = o->device;
    co.threads = threads;
    tessel_context *ctx = NULL;
    if (tessel_context_create(&co, &ctx) != TESSEL_OK) {
        fprintf(stderr, "tessel-bench: no context: %s\n", tessel_last_error());
        return NULL;
    }
    return ctx;
}

static int run(const bench_options *o)
{
    int threads = o->threads > 0 ? o->threads : bench_available_cores();
    tessel_context *ctx = open_context(o, threads);
    if (!ctx) return 1;
    bench_machine m;
    int failures = 0;
    if (!bench_machine_measure(o, ctx, threads, &m)) {
        failures = 1;
    } else {
        bench_machine_print(o, ctx, &m);
        for (int s = 0; s < o->size_count; ++s)
            for (int k = 0; k < o->kernel_count; ++k)
                failures += bench_run_case(ctx, o, o->sizes[s], o->kernels[k], &m.limits[s]);
    }
    bench_machine_free(&m);
    tessel_context_destroy(ctx);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    bench_options o;
    bench_parse_result parsed = bench_parse_options(argc, argv, &o);
    int status = parsed == BENCH_PARSE_HELP ? 0 : 2;
    if (parsed == BENCH_PARSE_RUN)
        status = o.print_kernel ? bench_print_kernel(o.print_kernel) : run(&o);
    bench_options_free(&o);
    return status;
}
