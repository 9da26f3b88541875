/*
 * util/thread.c: worker threads that start on a CPU of their own
 * (thread.h).
 */
#include <sched.h>
#include <stdlib.h>

#include "util/thread.h"

int thread_cpus(void)
{
    cpu_set_t set;
    int n;

    if (sched_getaffinity(0, sizeof(set), &set) < 0 || (n = CPU_COUNT(&set)) < 1)
        return 1;
    return n;
}

struct away {
    void *(*fn)(void *);
    void *arg;
    cpu_set_t all;
};

static void *away_main(void *p)
{
    struct away a = *(struct away *) p;

    free(p);
    /* placed: from here on any CPU of the process will do */
    (void) sched_setaffinity(0, sizeof(a.all), &a.all);
    return a.fn(a.arg);
}

int thread_spawn_avoiding(pthread_t *th, void *(*fn)(void *), void *arg, int avoid)
{
    struct away *a = malloc(sizeof(*a));
    pthread_attr_t attr;
    cpu_set_t others;
    int r;

    if (!a || sched_getaffinity(0, sizeof(a->all), &a->all) < 0 || avoid < 0 ||
        avoid >= CPU_SETSIZE || !CPU_ISSET(avoid, &a->all) || CPU_COUNT(&a->all) < 2) {
        free(a);
        return pthread_create(th, NULL, fn, arg);
    }
    a->fn = fn;
    a->arg = arg;
    others = a->all;
    CPU_CLR(avoid, &others);
    if (pthread_attr_init(&attr) != 0) {
        free(a);
        return pthread_create(th, NULL, fn, arg);
    }
    r = pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
    if (r == 0)
        r = pthread_create(th, &attr, away_main, a);
    pthread_attr_destroy(&attr);
    if (r != 0) {
        free(a);
        return pthread_create(th, NULL, fn, arg);
    }
    return 0;
}

int thread_spawn_away(pthread_t *th, void *(*fn)(void *), void *arg)
{
    return thread_spawn_avoiding(th, fn, arg, sched_getcpu());
}
