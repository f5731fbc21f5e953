/* A small fixed pool of worker threads running one parallel loop at a time.
 * With one thread everything runs on the caller (no thread is created). */
#ifndef TESSEL_CORE_POOL_H
#define TESSEL_CORE_POOL_H

typedef struct tessel_pool tessel_pool;

/* fn(arg, task, worker) for every task in [0, tasks); worker in [0, threads). */
typedef void (*tessel_pool_task)(void *arg, int task, int worker);

/* Returns NULL when threads could not be created. */
tessel_pool *tessel_pool_create(int threads);
void tessel_pool_destroy(tessel_pool *pool);
int tessel_pool_threads(const tessel_pool *pool);
/* Runs all tasks (shared dynamically between the workers and the caller)
 * and returns when every one has finished. */
void tessel_pool_run(tessel_pool *pool, int tasks, tessel_pool_task fn, void *arg);

#endif
