/* tessel_plan_execute_stream: the public face of band streaming
 * (tessel_plan_stream in tiles_stream.c). It only adds what a caller's
 * callbacks need: a failing callback's message names the callback and its
 * rows, and keeps the reason when it came from a tessel call made inside
 * the callback (a TIFF reader's, say), which the stream's own message
 * would otherwise replace. */
#include <stdio.h>
#include <string.h>

#include "context.h"
#include "tiles.h"

typedef struct stream_callbacks {
    tessel_context *ctx;
    tessel_row_source source;
    void *source_user;
    tessel_row_sink sink;
    void *sink_user;
    char before[TESSEL_MESSAGE_SIZE]; /* tessel_last_error() before the call */
} stream_callbacks;

/* Records why a callback stopped the run. A thread message that changed
 * during the call is the callback's own reason. */
static tessel_status callback_failed(stream_callbacks *c, tessel_status s, const char *which,
                                     int y0, int count)
{
    char reason[TESSEL_MESSAGE_SIZE];
    const char *now = tessel_last_error();
    if (now[0] != '\0' && strcmp(now, c->before) != 0)
        snprintf(reason, sizeof reason, "%s", now);
    else
        snprintf(reason, sizeof reason, "%s", tessel_status_string(s));
    return tessel_fail(c->ctx, s, "the row %s failed for rows %d..%d: %s", which, y0,
                       y0 + count - 1, reason);
}

static tessel_status call_source(void *user, int y0, int count, const tessel_image *rows)
{
    stream_callbacks *c = user;
    snprintf(c->before, sizeof c->before, "%s", tessel_last_error());
    tessel_status s = c->source(c->source_user, y0, count, rows);
    return s == TESSEL_OK ? s : callback_failed(c, s, "source", y0, count);
}

static tessel_status call_sink(void *user, int y0, int count, const tessel_image *rows)
{
    stream_callbacks *c = user;
    snprintf(c->before, sizeof c->before, "%s", tessel_last_error());
    tessel_status s = c->sink(c->sink_user, y0, count, rows);
    return s == TESSEL_OK ? s : callback_failed(c, s, "sink", y0, count);
}

tessel_status tessel_plan_execute_stream(tessel_plan *plan, tessel_row_source source,
                                         void *source_user, tessel_row_sink sink,
                                         void *sink_user, int band_rows)
{
    RETURN_ERROR_IF(!plan, NULL, TESSEL_ERR_NULL_POINTER, "plan is NULL");
    stream_callbacks c = {plan->ctx, source, source_user, sink, sink_user, {0}};
    /* NULL callbacks stay NULL, for the stream's own check and message. */
    return tessel_plan_stream(plan, source ? call_source : NULL, &c, sink ? call_sink : NULL, &c,
                              band_rows);
}
