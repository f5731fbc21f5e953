/* Threads wait at a gate that opens once all of them exist; each records its
 * own start and finish so thread creation and joining stay outside the
 * measured interval. */
#include "bench_parallel.h"

#include <pthread.h>
#include <stdlib.h>

#include "bench_util.h"

typedef struct gate {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int state; /* 0 closed, 1 open (run), -1 cancelled (a thread failed to start) */
} gate;

typedef struct worker {
    pthread_t thread;
    gate *gate;
    bench_work_fn work;
    void *arg;
    int index, threads;
    double start, finish;
} worker;

static int gate_wait(gate *g)
{
    pthread_mutex_lock(&g->lock);
    while (g->state == 0) pthread_cond_wait(&g->changed, &g->lock);
    int state = g->state;
    pthread_mutex_unlock(&g->lock);
    return state;
}

static void gate_set(gate *g, int state)
{
    pthread_mutex_lock(&g->lock);
    g->state = state;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

static void *worker_main(void *p)
{
    worker *w = p;
    if (gate_wait(w->gate) < 0) return NULL;
    w->start = bench_now();
    w->work(w->arg, w->index, w->threads);
    w->finish = bench_now();
    return NULL;
}

static double span_seconds(const worker *w, int n)
{
    double first = w[0].start, last = w[0].finish;
    for (int i = 1; i < n; ++i) {
        if (w[i].start < first) first = w[i].start;
        if (w[i].finish > last) last = w[i].finish;
    }
    return last - first;
}

double bench_parallel_seconds(int threads, bench_work_fn work, void *arg)
{
    worker *w = calloc((size_t)threads, sizeof *w);
    if (!w) return -1.0;
    gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    int started = 0;
    for (; started < threads; ++started) {
        w[started] = (worker){0, &g, work, arg, started, threads, 0.0, 0.0};
        if (pthread_create(&w[started].thread, NULL, worker_main, &w[started]) != 0) break;
    }
    gate_set(&g, started == threads ? 1 : -1);
    for (int i = 0; i < started; ++i) pthread_join(w[i].thread, NULL);
    double seconds = started == threads ? span_seconds(w, threads) : -1.0;
    free(w);
    return seconds;
}
