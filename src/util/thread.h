/*
 * util/thread.h: worker threads that start on a CPU of their own.
 *
 * A new thread is woken on its creator's CPU, and the kernel runs it
 * there at once, the creator waiting, while another CPU stays idle: on a
 * 2-CPU VM the two shared one CPU for 2-6 ms of a 7 ms `ps -a` (sched
 * events; the load balancer pulls late). thread_spawn_away() starts the
 * thread allowed only the other CPUs the process may use, so it is
 * placed on one of them; once running it takes back the whole set, so
 * it can still move when that CPU gets busy.
 */
#ifndef BERTH_THREAD_H
#define BERTH_THREAD_H

#include <pthread.h>

/* The CPUs this process may run on (its affinity), at least 1. */
int thread_cpus(void);
/* pthread_create(th, NULL, fn, arg), the thread placed on another CPU
 * than the caller's when there is one. Returns pthread_create's code. */
int thread_spawn_away(pthread_t *th, void *(*fn)(void *), void *arg);
/* The same, the thread kept off CPU `avoid` (the caller's, above) until
 * it runs; a plain pthread_create when no other CPU is allowed. */
int thread_spawn_avoiding(pthread_t *th, void *(*fn)(void *), void *arg, int avoid);

#endif
