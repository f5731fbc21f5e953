/* The integer path on the CPU (integer.h). */
#include "integer.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/geometry.h"
#include "integer_loops.h"
#include "ring.h"

/* Dense output samples per segment: a segment's rows stay in the L1 and L2
 * caches while its band of output rows is made. */
#define SEGMENT_SAMPLES 4096

/* One worker's rows. */
typedef struct integer_scratch {
    uint32_t *ring;      /* separable: row pairs; direct: pair rows (ring_rows slots) */
    long long *ring_tag; /* the virtual input row each slot starts at */
    const uint32_t **q;  /* the slots one output row reads */
    const void **rows;   /* separable: the input rows of one output row (NULL: cval) */
    int16_t *ext;        /* one extended row in 16-bit form, and the pad pixel */
    uint32_t *pairs;     /* separable: the pair row of ext */
    int32_t *acc;        /* the sums of a segment's dense output row */
    float *floats;       /* emit's scratch */
} integer_scratch;

struct tessel_cpu_integer {
    tessel_integer_loops loops;
    int pairs;            /* tap pairs along a row: ceil(kw / 2) */
    int column_pairs;     /* separable: ceil(kh / 2) */
    int32_t *taps;        /* direct: kh x pairs; separable: the row's pairs */
    int32_t *column_taps; /* separable: column_pairs */
    int32_t bias;         /* direct: what puts u16's -32768 offset back */
    int32_t column_bias;  /* separable: the same for the column pass */
    int16_t fill;         /* an extended sample outside under CONSTANT: cval in
                             16-bit form (direct) or a cval column's sum */
    void *cval_row;       /* separable under CONSTANT: input samples of cval */
    int segment_width, segments; /* output columns per segment */
    int band_rows, bands, tasks;
    size_t slot_len;      /* samples per ring slot */
    int ring_rows;
    int workers;
    integer_scratch *scratch;
};

/* What a task's segment reads and makes. */
typedef struct segment {
    int q0, q1;     /* output columns */
    int d0, dense;  /* first dense column, dense columns */
    int ja, jb;     /* its extended columns that map one to one onto the input */
    size_t ext_len; /* samples of its extended row, pad included */
    size_t q_len;   /* samples of its pair rows */
} segment;

static segment segment_of(const tessel_cpu_job *job, int index)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const tessel_cpu_integer *ix = cp->integer;
    const int c = plan->channels, sx = plan->geo.stride_x;
    segment s;
    s.q0 = index * ix->segment_width;
    s.q1 = s.q0 + ix->segment_width < plan->geo.out_width ? s.q0 + ix->segment_width
                                                          : plan->geo.out_width;
    s.d0 = s.q0 * sx;
    s.dense = (s.q1 - 1 - s.q0) * sx + 1;
    const int j_end = s.d0 + s.dense + plan->geo.kernel_width - 1;
    s.ja = s.d0 > cp->interior_lo ? s.d0 : cp->interior_lo;
    s.jb = j_end < cp->interior_hi ? j_end : cp->interior_hi;
    if (s.jb < s.ja) s.jb = s.ja;
    s.q_len = ((size_t)s.dense + 2 * (size_t)ix->pairs - 2) * c;
    s.ext_len = s.q_len + c;
    return s;
}

/* Input row of virtual row y, or NULL outside under CONSTANT. */
static const void *input_row(const tessel_cpu_job *job, long long y)
{
    const int yy = tessel_border_index(job->plan->border, y, job->plan->geo.in_height);
    if (yy < 0) return NULL;
    return (const char *)job->src->data + (size_t)yy * tessel_image_row_bytes(job->src);
}

static int sample_of(const void *row, tessel_dtype d, size_t k)
{
    return d == TESSEL_U8 ? ((const uint8_t *)row)[k] : ((const uint16_t *)row)[k];
}

/* ------------------------------------------------------------ direct */

/* The extended columns of the segment outside [ja, jb): fill where the
 * border rule says cval, else the 16-bit form of input row `row` (NULL:
 * fill everywhere); then the pad. */
static void extend_edges(const tessel_cpu_job *job, const segment *sg, const void *row,
                         int16_t *ext)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const int c = plan->channels;
    const int j_end = sg->d0 + sg->dense + plan->geo.kernel_width - 1;
    for (int j = sg->d0; j < j_end; ++j) {
        if (j == sg->ja && sg->jb > sg->ja) j = sg->jb;
        if (j >= j_end) break;
        const int x = cp->column_map[j];
        int16_t *d = ext + (size_t)(j - sg->d0) * c;
        for (int ch = 0; ch < c; ++ch) {
            const int v = row && x >= 0 ? sample_of(row, plan->in_dtype, (size_t)x * c + ch) : -1;
            d[ch] = v < 0 ? cp->integer->fill
                          : (int16_t)(plan->in_dtype == TESSEL_U16 ? v - 32768 : v);
        }
    }
    for (size_t k = (size_t)(j_end - sg->d0) * c; k < sg->ext_len; ++k) ext[k] = 0;
}

/* The pair row of virtual input row y over the segment, from the ring. */
static const uint32_t *direct_pair_row(const tessel_cpu_job *job, integer_scratch *s,
                                       const segment *sg, long long y)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_integer *ix = job->cp->integer;
    const int c = plan->channels;
    long long m = y % ix->ring_rows;
    if (m < 0) m += ix->ring_rows;
    uint32_t *slot = s->ring + (size_t)m * ix->slot_len;
    if (s->ring_tag[m] == y) return slot;
    s->ring_tag[m] = y;
    const void *row = input_row(job, y);
    if (row && sg->jb > sg->ja) {
        const size_t x = (size_t)job->cp->column_map[sg->ja] * c;
        ix->loops.to_s16[plan->in_dtype == TESSEL_U16](
            (const char *)row + x * tessel_dtype_size(plan->in_dtype),
            s->ext + (size_t)(sg->ja - sg->d0) * c, (size_t)(sg->jb - sg->ja) * c);
    } else if (sg->jb > sg->ja) {
        for (size_t k = (size_t)(sg->ja - sg->d0) * c; k < (size_t)(sg->jb - sg->d0) * c; ++k)
            s->ext[k] = ix->fill;
    }
    extend_edges(job, sg, row, s->ext);
    ix->loops.pair_row(s->ext, (size_t)c, slot, sg->q_len);
    return slot;
}

static void direct_sums(const tessel_cpu_job *job, integer_scratch *s, const segment *sg, int r)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_integer *ix = job->cp->integer;
    const int kh = plan->geo.kernel_height;
    const long long y0 = first_input_row(plan, r);
    for (int t = 0; t < kh; ++t) s->q[t] = direct_pair_row(job, s, sg, y0 + t);
    ix->loops.dot(s->q, kh, ix->pairs, (size_t)plan->channels, ix->taps, ix->bias, s->acc,
                  (size_t)sg->dense * plan->channels);
}

/* ------------------------------------------------------------ separable */

/* The row pair of virtual input rows y and y + 1 over the segment's
 * interior input columns, from the ring. */
static const uint32_t *row_pair(const tessel_cpu_job *job, integer_scratch *s,
                                const segment *sg, long long y)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_integer *ix = job->cp->integer;
    long long m = y % ix->ring_rows;
    if (m < 0) m += ix->ring_rows;
    uint32_t *slot = s->ring + (size_t)m * ix->slot_len;
    if (s->ring_tag[m] == y) return slot;
    s->ring_tag[m] = y;
    const size_t first = (size_t)job->cp->column_map[sg->ja] * plan->channels *
                         tessel_dtype_size(plan->in_dtype);
    const void *a = input_row(job, y), *b = input_row(job, y + 1);
    ix->loops.row_pair[plan->in_dtype == TESSEL_U16](a ? (const char *)a + first : ix->cval_row,
                                                      b ? (const char *)b + first : ix->cval_row,
                                                      slot,
                                                      (size_t)(sg->jb - sg->ja) * plan->channels);
    return slot;
}

/* A column's sum at input sample k of rows (NULL: cval), for the edges. */
static int16_t column_at(const tessel_plan *plan, const void *const *rows, size_t k)
{
    const tessel_integer_rule *rule = &plan->integer;
    int32_t w = 0;
    for (int j = 0; j < plan->geo.kernel_height; ++j) {
        const int v = rows[j] ? sample_of(rows[j], plan->in_dtype, k) : (int)plan->cval;
        w += rule->column[j] * v;
    }
    return (int16_t)w;
}

static void separable_sums(const tessel_cpu_job *job, integer_scratch *s, const segment *sg,
                           int r)
{
    const tessel_plan *plan = job->plan;
    const tessel_cpu_plan *cp = job->cp;
    const tessel_cpu_integer *ix = cp->integer;
    const int c = plan->channels;
    const long long y0 = first_input_row(plan, r);
    if (sg->jb > sg->ja) {
        for (int p = 0; p < ix->column_pairs; ++p) s->q[p] = row_pair(job, s, sg, y0 + 2 * p);
        ix->loops.column(s->q, ix->column_pairs, ix->column_taps, ix->column_bias,
                         s->ext + (size_t)(sg->ja - sg->d0) * c,
                         (size_t)(sg->jb - sg->ja) * c);
    }
    const int j_end = sg->d0 + sg->dense + plan->geo.kernel_width - 1;
    if (sg->ja > sg->d0 || sg->jb < j_end)
        for (int j = 0; j < plan->geo.kernel_height; ++j) s->rows[j] = input_row(job, y0 + j);
    for (int j = sg->d0; j < j_end; ++j) {
        if (j == sg->ja && sg->jb > sg->ja) j = sg->jb;
        if (j >= j_end) break;
        const int x = cp->column_map[j];
        for (int ch = 0; ch < c; ++ch)
            s->ext[(size_t)(j - sg->d0) * c + ch] =
                x < 0 ? ix->fill : column_at(plan, s->rows, (size_t)x * c + ch);
    }
    for (size_t k = (size_t)(j_end - sg->d0) * c; k < sg->ext_len; ++k) s->ext[k] = 0;
    ix->loops.pair_row(s->ext, (size_t)c, s->pairs, sg->q_len);
    const uint32_t *q = s->pairs;
    ix->loops.dot(&q, 1, ix->pairs, (size_t)c, ix->taps, 0, s->acc, (size_t)sg->dense * c);
}

/* ------------------------------------------------------------ the band loop */

/* Keeps every stride_x-th pixel of the dense sums, packed at their start. */
static void pick_columns(const tessel_plan *plan, int32_t *acc, int count)
{
    const int c = plan->channels, sx = plan->geo.stride_x;
    for (int x = 0; x < count; ++x)
        for (int ch = 0; ch < c; ++ch) acc[(size_t)x * c + ch] = acc[(size_t)x * sx * c + ch];
}

static void run_task(void *arg, int task, int worker)
{
    const tessel_cpu_job *job = arg;
    const tessel_plan *plan = job->plan;
    const tessel_cpu_integer *ix = job->cp->integer;
    integer_scratch *s = &ix->scratch[worker];
    const int c = plan->channels;
    const segment sg = segment_of(job, task % ix->segments);
    const int r0 = task / ix->segments * ix->band_rows;
    const int r1 = r0 + ix->band_rows < plan->geo.out_height ? r0 + ix->band_rows
                                                             : plan->geo.out_height;
    const size_t out_offset = (size_t)sg.q0 * c * tessel_dtype_size(plan->out_dtype);
    for (int t = 0; t < ix->ring_rows; ++t) s->ring_tag[t] = TESSEL_CPU_NO_ROW;
    for (int r = r0; r < r1; ++r) {
        if (plan->integer.separable) separable_sums(job, s, &sg, r);
        else direct_sums(job, s, &sg, r);
        if (plan->geo.stride_x != 1) pick_columns(plan, s->acc, sg.q1 - sg.q0);
        char *out = (char *)job->dst->data + (size_t)r * tessel_image_row_bytes(job->dst);
        ix->loops.emit(s->acc, (size_t)(sg.q1 - sg.q0) * c, plan->integer.round_shift,
                       plan->integer.unit,
                       (int)plan->out_dtype, out + out_offset, &job->cp->store,
                       job->cp->convert.store[plan->out_dtype], s->floats);
    }
}

/* ------------------------------------------------------------ plan */

/* n taps as ceil(n / 2) pairs (the last one's high word 0 when n is odd). */
static void pair_taps(const int16_t *k, int n, int32_t *out)
{
    for (int p = 0; 2 * p < n; ++p)
        out[p] = tessel_integer_tap_pair(k[2 * p], 2 * p + 1 < n ? k[2 * p + 1] : 0);
}

static int32_t sum_taps(const int16_t *k, int n)
{
    int32_t s = 0;
    for (int i = 0; i < n; ++i) s += k[i];
    return s;
}

/* Taps, bias and fill of the rule, in the loops' forms. */
static int prepare_taps(const tessel_plan *plan, tessel_cpu_integer *ix)
{
    const tessel_integer_rule *rule = &plan->integer;
    const int kw = plan->geo.kernel_width, kh = plan->geo.kernel_height;
    const int u16 = plan->in_dtype == TESSEL_U16;
    const int cval = (int)plan->cval;
    ix->pairs = (kw + 1) / 2;
    if (!rule->separable) {
        ix->taps = malloc((size_t)kh * ix->pairs * sizeof *ix->taps);
        if (!ix->taps) return 0;
        for (int t = 0; t < kh; ++t) pair_taps(rule->taps + t * kw, kw, ix->taps + t * ix->pairs);
        ix->bias = u16 ? 32768 * sum_taps(rule->taps, kw * kh) : 0;
        ix->fill = (int16_t)(u16 ? cval - 32768 : cval);
        return 1;
    }
    ix->column_pairs = (kh + 1) / 2;
    ix->taps = malloc((size_t)ix->pairs * sizeof *ix->taps);
    ix->column_taps = malloc((size_t)ix->column_pairs * sizeof *ix->column_taps);
    if (!ix->taps || !ix->column_taps) return 0;
    pair_taps(rule->row, kw, ix->taps);
    pair_taps(rule->column, kh, ix->column_taps);
    ix->column_bias = u16 ? 32768 * sum_taps(rule->column, kh) : 0;
    ix->fill = (int16_t)(cval * sum_taps(rule->column, kh));
    if (plan->border != TESSEL_BORDER_CONSTANT) return 1;
    const size_t n = (size_t)plan->geo.in_width * plan->channels;
    ix->cval_row = malloc(n * tessel_dtype_size(plan->in_dtype));
    if (!ix->cval_row) return 0;
    for (size_t k = 0; k < n; ++k) {
        if (u16) ((uint16_t *)ix->cval_row)[k] = (uint16_t)cval;
        else ((uint8_t *)ix->cval_row)[k] = (uint8_t)cval;
    }
    return 1;
}

/* Segments of output columns and bands of output rows: at least four
 * tasks per worker, and as few bands as that allows (each band fills its
 * ring afresh). */
static void cut_tasks(const tessel_plan *plan, int threads, tessel_cpu_integer *ix)
{
    const tessel_geometry *g = &plan->geo;
    const int dense = SEGMENT_SAMPLES / plan->channels > 16 ? SEGMENT_SAMPLES / plan->channels : 16;
    const int width = 1 + (dense - 1) / g->stride_x;
    ix->segment_width = width < g->out_width ? width : g->out_width;
    ix->segments = 1 + (g->out_width - 1) / ix->segment_width;
    const int want = threads <= 1 ? 1 : threads * 4;
    int bands = (want + ix->segments - 1) / ix->segments;
    if (bands > g->out_height) bands = g->out_height;
    ix->band_rows = 1 + (g->out_height - 1) / bands;
    ix->bands = 1 + (g->out_height - 1) / ix->band_rows;
    ix->tasks = ix->bands * ix->segments;
}

static int scratch_alloc(integer_scratch *s, const tessel_plan *plan,
                         const tessel_cpu_integer *ix)
{
    const size_t c = (size_t)plan->channels, kh = (size_t)plan->geo.kernel_height;
    const size_t dense = ((size_t)ix->segment_width - 1) * plan->geo.stride_x + 1;
    const size_t ext = (dense + 2 * (size_t)ix->pairs - 1) * c;
    /* Blocks past the end (integer_loops.h): zeroed, so that no sum reads
     * an unwritten sample. */
    const size_t more = 2 * TESSEL_INTEGER_BLOCK + c;
    s->ring = calloc((size_t)ix->ring_rows * ix->slot_len, sizeof *s->ring);
    s->ring_tag = malloc((size_t)ix->ring_rows * sizeof *s->ring_tag);
    s->q = malloc(kh * sizeof *s->q);
    s->rows = malloc(kh * sizeof *s->rows);
    s->ext = calloc(ext + more, sizeof *s->ext);
    s->pairs = plan->integer.separable ? calloc(ext + more, sizeof *s->pairs) : NULL;
    s->acc = malloc((dense * c + more) * sizeof *s->acc);
    s->floats = malloc(dense * c * sizeof *s->floats);
    return s->ring && s->ring_tag && s->q && s->rows && s->ext && (s->pairs || !plan->integer.separable) &&
           s->acc && s->floats;
}

void tessel_cpu_integer_release(tessel_cpu_integer *ix)
{
    if (!ix) return;
    for (int w = 0; ix->scratch && w < ix->workers; ++w) {
        integer_scratch *s = &ix->scratch[w];
        free(s->ring);
        free(s->ring_tag);
        free(s->q);
        free(s->rows);
        free(s->ext);
        free(s->pairs);
        free(s->acc);
        free(s->floats);
    }
    free(ix->scratch);
    free(ix->taps);
    free(ix->column_taps);
    free(ix->cval_row);
    free(ix);
}

tessel_status tessel_cpu_integer_prepare(tessel_plan *plan, tessel_cpu_plan *cp, int threads)
{
    tessel_context *ctx = plan->ctx;
    const tessel_geometry *g = &plan->geo;
    tessel_cpu_integer *ix = calloc(1, sizeof *ix);
    RETURN_ERROR_IF(!ix, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    cp->integer = ix;
    tessel_integer_loops_select(&ix->loops);
    RETURN_ERROR_IF(!prepare_taps(plan, ix), ctx, TESSEL_ERR_OUT_OF_MEMORY,
                    "out of memory for a CPU plan");
    cut_tasks(plan, threads, ix);
    const size_t c = (size_t)plan->channels;
    const size_t dense = ((size_t)ix->segment_width - 1) * g->stride_x + 1;
    /* Direct: pair rows of kh input rows; separable: row pairs of the
     * column pass's rows, kh + 1 of them, for two output rows' pairings. */
    ix->ring_rows = plan->integer.separable ? g->kernel_height + 2 : g->kernel_height;
    ix->slot_len = (plan->integer.separable ? dense + (size_t)g->kernel_width - 1
                                            : dense + 2 * (size_t)ix->pairs - 2) * c +
                   2 * TESSEL_INTEGER_BLOCK;
    ix->scratch = calloc((size_t)threads, sizeof *ix->scratch);
    RETURN_ERROR_IF(!ix->scratch, ctx, TESSEL_ERR_OUT_OF_MEMORY, "out of memory for a CPU plan");
    ix->workers = threads;
    for (int w = 0; w < threads; ++w)
        RETURN_ERROR_IF(!scratch_alloc(&ix->scratch[w], plan, ix), ctx, TESSEL_ERR_OUT_OF_MEMORY,
                        "out of memory for the integer path's rows (%d rows of %zu samples "
                        "per thread)",
                        ix->ring_rows, ix->slot_len);
    return TESSEL_OK;
}

tessel_status tessel_cpu_integer_execute(tessel_pool *pool, const tessel_cpu_job *job)
{
    tessel_pool_run(pool, job->cp->integer->tasks, run_task, (void *)job);
    return TESSEL_OK;
}
