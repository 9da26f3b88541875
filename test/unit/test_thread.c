/*
 * test/unit/test_thread.c: worker threads placed on another CPU
 * (util/thread.h). The placement is the kernel's, forced by the start
 * affinity, so it is checked exactly: a thread told to avoid a CPU
 * starts elsewhere, and then may run on every CPU the process may.
 */
#include <sched.h>
#include <string.h>

#include "unit.h"
#include "util/thread.h"

struct seen {
    int arg;
    int cpu;
    cpu_set_t set;
};

static void *look(void *p)
{
    struct seen *s = p;

    s->arg++;
    s->cpu = sched_getcpu();
    if (sched_getaffinity(0, sizeof(s->set), &s->set) < 0)
        CPU_ZERO(&s->set);
    return s;
}

static int first_cpu(const cpu_set_t *set)
{
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, set))
            return i;
    return -1;
}

static void t_avoiding(void)
{
    cpu_set_t all;
    struct seen s = { .arg = 41 };
    pthread_t th;
    void *ret = NULL;

    CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
    CHECK_INT(thread_cpus(), CPU_COUNT(&all));
    int avoid = first_cpu(&all);
    CHECK_INT(thread_spawn_avoiding(&th, look, &s, avoid), 0);
    CHECK_INT(pthread_join(th, &ret), 0);
    CHECK(ret == &s);
    CHECK_INT(s.arg, 42);
    /* once running, the whole set again */
    CHECK(CPU_EQUAL(&s.set, &all));
    if (CPU_COUNT(&all) > 1)
        CHECK(s.cpu != avoid);
    else
        CHECK_INT(s.cpu, avoid);
}

/* a CPU outside the set, or none: a plain thread */
static void t_fallback(void)
{
    cpu_set_t all;
    struct seen s = { .arg = 0 };
    pthread_t th;

    CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
    CHECK_INT(thread_spawn_avoiding(&th, look, &s, -1), 0);
    CHECK_INT(pthread_join(th, NULL), 0);
    CHECK_INT(s.arg, 1);
    CHECK(CPU_EQUAL(&s.set, &all));
    CHECK_INT(thread_spawn_avoiding(&th, look, &s, CPU_SETSIZE), 0);
    CHECK_INT(pthread_join(th, NULL), 0);
    CHECK_INT(s.arg, 2);
    CHECK_INT(thread_spawn_away(&th, look, &s), 0);
    CHECK_INT(pthread_join(th, NULL), 0);
    CHECK_INT(s.arg, 3);
    CHECK(CPU_EQUAL(&s.set, &all));
}

/* a process held to one CPU: nowhere else to go, and no error */
static void t_one_cpu(void)
{
    cpu_set_t all, one;
    struct seen s = { .arg = 0 };
    pthread_t th;

    CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
    CPU_ZERO(&one);
    CPU_SET(first_cpu(&all), &one);
    CHECK(sched_setaffinity(0, sizeof(one), &one) == 0);
    CHECK_INT(thread_cpus(), 1);
    CHECK_INT(thread_spawn_away(&th, look, &s), 0);
    CHECK_INT(pthread_join(th, NULL), 0);
    CHECK_INT(s.arg, 1);
    CHECK_INT(s.cpu, first_cpu(&all));
    CHECK(sched_setaffinity(0, sizeof(all), &all) == 0);
}

int main(void)
{
    UNIT_RUN(t_avoiding);
    UNIT_RUN(t_fallback);
    UNIT_RUN(t_one_cpu);
    return unit_done();
}
