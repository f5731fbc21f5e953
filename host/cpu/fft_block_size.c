/* Choosing the block shape of method fft-block (see fft_block_size.h). */
#include "fft_block_size.h"

#include <math.h>

#include "core/fft_size.h"

/* Real samples of one block plane (256 KiB of floats): with the block's
 * spectrum beside them they stay in a worker's L2 cache. Measured on the
 * 2-core AVX-512 machine, 31x31 kernels ran about 15% faster than with
 * twice this. */
#define PLANE_CAP (1LL << 16)
/* The model's costs, in units of one sample's share of one radix-2 stage
 * of the two transforms: the other passes over each block sample (load,
 * spectrum product, store), and the fixed cost of a block (calls, edges). */
#define PASS_COST 5.0
#define BLOCK_COST 4000.0
/* Extra cost of a transform stage per odd prime factor of the length, and
 * for a factor 7 (FFTW's codelets are fastest for powers of 2; measured
 * here, a 448x448 transform costs about 1.5x per sample and stage of a
 * 512x512 one). */
#define ODD_FACTOR_COST 0.08
#define SEVEN_COST 0.4
/* Blocks per worker wanted when a batch axis can be cut finer. */
#define TASKS_PER_WORKER 4
/* Fewest columns in a batch of columns (Nx1 kernels): rows load in runs. */
#define MIN_BATCH_COLUMNS 16

typedef struct axis_need {
    int out, stride, kernel;
} axis_need;

static void axis_start(tessel_cpu_fft_block_axis *a, const axis_need *n, int transformed)
{
    a->transformed = transformed;
    a->extent = (long long)(n->out - 1) * n->stride + n->kernel;
    a->step = transformed ? 1 : n->stride;
    a->keep = transformed ? n->stride : 1;
}

/* Outputs and blocks for a block of `size` samples. */
static void axis_fit(tessel_cpu_fft_block_axis *a, const axis_need *n, int size)
{
    a->size = size;
    a->outputs = a->transformed ? (size - n->kernel) / n->stride + 1 : size;
    if (a->outputs > n->out) a->outputs = n->out;
    a->blocks = (n->out - 1) / a->outputs + 1;
}

/* Lines of a batch axis next to `other` (the transformed axis's block):
 * as many as the cache allows, fewer when that leaves workers idle. */
static int batch_lines(const axis_need *n, const tessel_cpu_fft_block_axis *other, long long cap,
                       int workers, int least)
{
    long long lines = cap / other->size;
    if (lines < 1) lines = 1;
    if (lines > n->out) lines = n->out;
    long long want = (long long)TASKS_PER_WORKER * workers;
    long long blocks = (long long)other->blocks * ((n->out - 1) / lines + 1);
    if (workers > 1 && blocks < want) {
        long long per_axis = (want - 1) / other->blocks + 1;
        long long finer = (n->out - 1) / per_axis + 1;
        if (finer < least) finer = least < n->out ? least : n->out;
        if (finer < lines) lines = finer;
    }
    return (int)lines;
}

/* Transform work per sample along an axis: its stages, weighted. */
static double stages(const tessel_cpu_fft_block_axis *a)
{
    if (!a->transformed) return 0.0;
    double weight = 1.0;
    int n = a->size;
    while (n % 2 == 0) n /= 2;
    for (int p = 3; p <= 7; p += 2)
        for (; n % p == 0; n /= p) weight += ODD_FACTOR_COST + (p == 7 ? SEVEN_COST : 0.0);
    return weight * log2((double)a->size);
}

/* Time of the whole run by the model: rounds of `workers` blocks. */
static double model_cost(const tessel_cpu_fft_block_axis *y, const tessel_cpu_fft_block_axis *x,
                         int workers, double *work)
{
    double area = (double)y->size * x->size;
    double block = area * (stages(y) + stages(x) + PASS_COST) + BLOCK_COST;
    long long blocks = (long long)y->blocks * x->blocks;
    long long rounds = (blocks - 1) / workers + 1;
    *work = (double)blocks * block;
    return (double)rounds * block;
}

typedef struct best_shape {
    tessel_cpu_fft_block_axis y, x;
    double cost, work;
    int found;
} best_shape;

static void consider(best_shape *best, const tessel_cpu_fft_block_axis *y,
                     const tessel_cpu_fft_block_axis *x, int workers)
{
    double work, cost = model_cost(y, x, workers, &work);
    if (best->found && (cost > best->cost || (cost == best->cost && work >= best->work))) return;
    best->y = *y;
    best->x = *x;
    best->cost = cost;
    best->work = work;
    best->found = 1;
}

/* The next transform length after `size`, or -1 past `limit`. */
static int next_length(int size, long long limit)
{
    int next = tessel_fft_smooth_size(size + 1);
    return next < 0 || next > limit ? -1 : next;
}

/* Transform lengths run from the kernel's own up to the one that covers the
 * whole axis, or up to cap_side (floats). */
static long long axis_limit(const tessel_cpu_fft_block_axis *a, long long cap_side)
{
    long long whole = a->extent <= 0x7fffffffLL ? tessel_fft_smooth_size((int)a->extent) : -1;
    return whole > 0 && whole < cap_side ? whole : cap_side;
}

/* Both axes transformed: every pair of lengths within the cache cap (the
 * kernel's own lengths always). */
static void search_both(best_shape *best, tessel_cpu_fft_block_axis *ay,
                        tessel_cpu_fft_block_axis *ax, const axis_need *ny, const axis_need *nx,
                        long long cap, int workers)
{
    const int y0 = tessel_fft_smooth_size(ny->kernel), x0 = tessel_fft_smooth_size(nx->kernel);
    const long long ylimit = axis_limit(ay, cap / x0), xlimit = axis_limit(ax, cap / y0);
    for (int sy = y0; sy > 0; sy = next_length(sy, ylimit)) {
        axis_fit(ay, ny, sy);
        for (int sx = x0; sx > 0; sx = next_length(sx, xlimit)) {
            if ((long long)sy * sx > cap && !(sy == y0 && sx == x0)) break;
            axis_fit(ax, nx, sx);
            consider(best, ay, ax, workers);
        }
    }
}

/* One axis transformed, the other a batch: of rows (1xN kernels) or of
 * columns (Nx1 kernels), sized by batch_lines. */
static void search_batched(best_shape *best, tessel_cpu_fft_block_axis *ay,
                           tessel_cpu_fft_block_axis *ax, const axis_need *ny, const axis_need *nx,
                           long long cap, int workers)
{
    const int rows = ax->transformed;
    tessel_cpu_fft_block_axis *t = rows ? ax : ay, *b = rows ? ay : ax;
    const axis_need *nt = rows ? nx : ny, *nb = rows ? ny : nx;
    const long long limit = axis_limit(t, cap);
    for (int n = tessel_fft_smooth_size(nt->kernel); n > 0; n = next_length(n, limit)) {
        axis_fit(t, nt, n);
        axis_fit(b, nb, batch_lines(nb, t, cap, workers, rows ? 1 : MIN_BATCH_COLUMNS));
        consider(best, ay, ax, workers);
    }
}

int tessel_cpu_fft_block_choose(const tessel_geometry *g, int workers, tessel_cpu_fft_block_axis *y,
                                tessel_cpu_fft_block_axis *x)
{
    const axis_need ny = {g->out_height, g->stride_y, g->kernel_height};
    const axis_need nx = {g->out_width, g->stride_x, g->kernel_width};
    tessel_cpu_fft_block_axis ay, ax;
    axis_start(&ay, &ny, g->kernel_height > 1);
    axis_start(&ax, &nx, g->kernel_width > 1 || g->kernel_height == 1);
    const int both = ay.transformed && ax.transformed;
    const long long kernel_cap = (both ? 16LL : 8LL) * g->kernel_height * g->kernel_width;
    const long long cap = kernel_cap > PLANE_CAP ? kernel_cap : PLANE_CAP;
    if (tessel_fft_smooth_size(g->kernel_height) < 0 || tessel_fft_smooth_size(g->kernel_width) < 0)
        return 0;
    best_shape best = {0};
    if (both) search_both(&best, &ay, &ax, &ny, &nx, cap, workers);
    else search_batched(&best, &ay, &ax, &ny, &nx, cap, workers);
    *y = best.y;
    *x = best.x;
    return best.found;
}
