/* Runs one piece of work on N threads released together, and times it:
 * the machine-limit measurements need every core busy at once. */
#ifndef TESSEL_BENCH_PARALLEL_H
#define TESSEL_BENCH_PARALLEL_H

/* work(arg, index, threads) runs once on each thread, index in [0, threads). */
typedef void (*bench_work_fn)(void *arg, int index, int threads);

/* Seconds from the first thread's start to the last thread's finish, or a
 * negative value when the threads could not be started. */
double bench_parallel_seconds(int threads, bench_work_fn work, void *arg);

#endif
