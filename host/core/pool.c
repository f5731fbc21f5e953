/* Worker pool: threads sleep on a condition variable between loops and take
 * tasks from an atomic counter, so uneven tasks balance themselves. */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

struct tessel_pool {
    int threads;         /* including the caller */
    pthread_t *workers;  /* threads - 1 */
    pthread_mutex_t lock;
    pthread_cond_t wake, done;
    unsigned long generation; /* bumped for every loop */
    int running;         /* helper threads still inside the current loop */
    int quit;
    /* the current loop */
    tessel_pool_task fn;
    void *arg;
    int tasks;
    atomic_int next;
};

static void run_tasks(tessel_pool *pool, int worker)
{
    for (;;) {
        int task = atomic_fetch_add(&pool->next, 1);
        if (task >= pool->tasks) return;
        pool->fn(pool->arg, task, worker);
    }
}

typedef struct worker_start {
    tessel_pool *pool;
    int index;
} worker_start;

static void *worker_main(void *p)
{
    worker_start start = *(worker_start *)p;
    free(p);
    tessel_pool *pool = start.pool;
    unsigned long seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->quit && pool->generation == seen) pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->quit) break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        run_tasks(pool, start.index);
        pthread_mutex_lock(&pool->lock);
        if (--pool->running == 0) pthread_cond_signal(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

static void stop_workers(tessel_pool *pool, int started)
{
    pthread_mutex_lock(&pool->lock);
    pool->quit = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int i = 0; i < started; ++i) pthread_join(pool->workers[i], NULL);
}

tessel_pool *tessel_pool_create(int threads)
{
    tessel_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return NULL;
    pool->threads = threads < 1 ? 1 : threads;
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    atomic_init(&pool->next, 0);
    int helpers = pool->threads - 1;
    pool->workers = helpers ? calloc((size_t)helpers, sizeof *pool->workers) : NULL;
    if (helpers && !pool->workers) {
        tessel_pool_destroy(pool);
        return NULL;
    }
    for (int i = 0; i < helpers; ++i) {
        worker_start *start = malloc(sizeof *start);
        if (start) *start = (worker_start){pool, i + 1};
        if (!start || pthread_create(&pool->workers[i], NULL, worker_main, start) != 0) {
            free(start);
            stop_workers(pool, i);
            pool->threads = 1; /* nothing left to join */
            tessel_pool_destroy(pool);
            return NULL;
        }
    }
    return pool;
}

void tessel_pool_destroy(tessel_pool *pool)
{
    if (!pool) return;
    if (pool->threads > 1) stop_workers(pool, pool->threads - 1);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->done);
    pthread_mutex_destroy(&pool->lock);
    free(pool->workers);
    free(pool);
}

int tessel_pool_threads(const tessel_pool *pool)
{
    return pool->threads;
}

void tessel_pool_run(tessel_pool *pool, int tasks, tessel_pool_task fn, void *arg)
{
    if (pool->threads == 1 || tasks <= 1) {
        for (int t = 0; t < tasks; ++t) fn(arg, t, 0);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->arg = arg;
    pool->tasks = tasks;
    atomic_store(&pool->next, 0);
    pool->running = pool->threads - 1;
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    run_tasks(pool, 0);
    pthread_mutex_lock(&pool->lock);
    while (pool->running > 0) pthread_cond_wait(&pool->done, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}
