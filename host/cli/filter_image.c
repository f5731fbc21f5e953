/* `tessel filter`: the work on one decoded image, run by the batch engine's
 * device workers (see filter_run.h). Each worker keeps the pipelines of
 * its last few input shapes, so a batch of mixed sizes reuses its plans. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter_run.h"
#include "pipeline.h"
#include "report.h"

#define PIPELINES_KEPT 4

typedef struct worker_pipelines {
    pipeline kept[PIPELINES_KEPT];
    unsigned long used[PIPELINES_KEPT]; /* the clock when last used */
    unsigned long clock;
} worker_pipelines;

/* The pipeline for img and out_dtype: a kept one, else a new one in place
 * of the least recently used. */
static tessel_status find_pipeline(const filter_run *run, tessel_batch_work *w,
                                   tessel_dtype out_dtype, pipeline **found, int *reused)
{
    worker_pipelines *wp = *w->state;
    if (!wp) {
        wp = calloc(1, sizeof *wp);
        if (!wp) return TESSEL_ERR_OUT_OF_MEMORY;
        *w->state = wp;
    }
    int slot = 0;
    for (int i = 0; i < PIPELINES_KEPT; ++i) {
        if (pipeline_matches(&wp->kept[i], w->src, out_dtype)) {
            slot = i;
            *reused = 1;
            break;
        }
        if (wp->used[i] < wp->used[slot]) slot = i;
    }
    wp->used[slot] = ++wp->clock;
    *found = &wp->kept[slot];
    if (*reused) return TESSEL_OK;
    pipeline_destroy(*found);
    return pipeline_create(*found, w->context, w->src, out_dtype, run->kernels, run->kernel_count,
                           run->o);
}

/* The --verbose text of an image: sizes, then each kernel's plan. */
static char *describe_work(const filter_run *run, const tessel_batch_work *w, const pipeline *p,
                           const tessel_image *out, const char *output)
{
    size_t size = 512 + (size_t)run->kernel_count * 1024 + strlen(w->input) + strlen(output);
    char *text = malloc(size);
    if (!text) return NULL;
    const tessel_image *in = w->src;
    int n = snprintf(text, size, "\"%s\": %dx%d, %d channel%s, %s -> \"%s\": %dx%d, %s", w->input,
                     in->width, in->height, in->channels, in->channels == 1 ? "" : "s",
                     tessel_dtype_name(in->dtype), output, out->width, out->height,
                     tessel_dtype_name(out->dtype));
    for (int k = 0; k < run->kernel_count && n > 0 && (size_t)n < size; ++k) {
        tessel_plan_properties info = {0};
        info.struct_size = sizeof info;
        if (tessel_plan_info(p->kernels[k].plan, &info) != TESSEL_OK) continue;
        char integer[64];
        n += snprintf(text + n, size - (size_t)n,
                      "\n  kernel %s (%dx%d): %s backend, device %s, method %s (%s)%s, %d thread%s",
                      run->o->kernels[k], info.kernel_width, info.kernel_height, info.backend_name,
                      info.device_name, info.method_name, info.method_reason,
                      cli_integer_words(&info, integer, sizeof integer), info.threads,
                      info.threads == 1 ? "" : "s");
        if (n > 0 && (size_t)n < size && info.kernel_detail[0])
            n += snprintf(text + n, size - (size_t)n, "\n    %s%s%s", info.kernel_family,
                          info.kernel_family[0] ? " kernels: " : "", info.kernel_detail);
    }
    return text;
}

tessel_status filter_process(void *state, tessel_batch_work *w)
{
    filter_run *run = state;
    const cli_options *o = run->o;
    tessel_dtype out_dtype = o->dtype_keep ? w->src->dtype : o->dtype;
    pipeline *p = NULL;
    int reused = 0;
    tessel_status s = find_pipeline(run, w, out_dtype, &p, &reused);
    if (s == TESSEL_ERR_OUT_OF_MEMORY && !*tessel_last_error())
        snprintf(w->message, sizeof w->message, "out of memory for a %dx%d image", w->src->width,
                 w->src->height);
    if (s != TESSEL_OK) return s;
    tessel_image out =
        pipeline_alloc_image(p->out_width, p->out_height, w->src->channels, out_dtype);
    if (!out.data) {
        snprintf(w->message, sizeof w->message, "out of memory for the %dx%d output", out.width,
                 out.height);
        return TESSEL_ERR_OUT_OF_MEMORY;
    }
    s = pipeline_run(p, w->src, &out);
    w->dst = out; /* the engine frees it, written or not */
    if (s == TESSEL_OK && run->notes) {
        run->notes[w->index].reused = reused;
        run->notes[w->index].text = describe_work(run, w, p, &out, run->outputs[w->index]);
    }
    return s;
}

void filter_release(void *state, void *worker_state)
{
    worker_pipelines *wp = worker_state;
    (void)state;
    for (int i = 0; i < PIPELINES_KEPT; ++i) pipeline_destroy(&wp->kept[i]);
    free(wp);
}

void filter_describe(void *state, const tessel_batch_item *item)
{
    filter_run *run = state;
    if (!run->notes) return;
    filter_note *note = &run->notes[item->index];
    if (note->text) {
        /* One message per line, so each has the "tessel: " prefix. */
        for (char *line = note->text, *end; line; line = end ? end + 1 : NULL) {
            end = strchr(line, '\n');
            cli_note("%.*s", end ? (int)(end - line) : (int)strlen(line), line);
        }
    }
    cli_note("  plan %s, %.1f ms", note->reused ? "reused" : "new", item->seconds * 1e3);
    free(note->text);
    note->text = NULL;
}
