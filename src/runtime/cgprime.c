/*
 * runtime/cgprime.c: see cgprime.h. The thread allocates nothing and
 * calls only plain system calls: it may run while berth forks.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/cgprime.h"
#include "runtime/cgroups.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/thread.h"

static struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t th;
    bool started, stop, done;
    bool at_exit;               /* join_at_exit registered */
    pid_t pid;                  /* the process the thread is in */
    atomic_uint writes;
} P = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* path of the first existing file among root + mid + cg + "/" + name
 * (cg "/" adds nothing); false: none. */
static bool try_file(const char *root, const char *mid, size_t mid_len, const char *cg,
                     size_t cg_len, const char *name, char *out, size_t size)
{
    if (cg_len == 1 && cg[0] == '/')
        cg_len = 0;
    int n = snprintf(out, size, "%s%.*s%.*s/%s", root, (int) mid_len, mid, (int) cg_len, cg,
                     name);
    return n > 0 && (size_t) n < size && access(out, F_OK) == 0;
}

bool cgprime_file(const char *proc_cgroup, const char *root, char *out, size_t size)
{
    const char *unified = NULL, *line = proc_cgroup;
    size_t unified_len = 0;

    while (line && *line) {
        const char *end = strchr(line, '\n'), *c1 = strchr(line, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        size_t len = end ? (size_t) (end - line) : strlen(line);

        if (c2 && c2 < line + len) {
            const char *ctl = c1 + 1, *cg = c2 + 1;
            size_t ctl_len = (size_t) (c2 - ctl), cg_len = (size_t) (line + len - cg);
            if (ctl_len == 0 && c1 == line + 1 && line[0] == '0') {
                unified = cg;
                unified_len = cg_len;
            } else if (ctl_len > 0) {
                char mid[128];
                if (ctl_len > 5 && strncmp(ctl, "name=", 5) == 0) {
                    ctl += 5;
                    ctl_len -= 5;
                }
                int m = snprintf(mid, sizeof(mid), "/%.*s", (int) ctl_len, ctl);
                if (m > 0 && (size_t) m < sizeof(mid) &&
                    try_file(root, mid, (size_t) m, cg, cg_len, "tasks", out, size))
                    return true;
            }
        }
        line = end ? end + 1 : NULL;
    }
    return unified &&
           (try_file(root, "", 0, unified, unified_len, "cgroup.threads", out, size) ||
            try_file(root, "/unified", 8, unified, unified_len, "cgroup.threads", out, size));
}

static long long ms_since(const struct timespec *t0)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long) (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void *prime_main(void *arg)
{
    char cg[2048], now[2048], file[PATH_MAX], tid[24];
    struct timespec t0;
    int fd, len;

    (void) arg;
    if (fs_read_small("/proc/thread-self/cgroup", cg, sizeof(cg)) <= 0 ||
        !cgprime_file(cg, CG_ROOT, file, sizeof(file)) ||
        (fd = open(file, O_WRONLY | O_CLOEXEC)) < 0) {
        pthread_mutex_lock(&P.mu);
        P.done = true;
        pthread_mutex_unlock(&P.mu);
        return NULL;
    }
    len = snprintf(tid, sizeof(tid), "%d", (int) gettid());
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_mutex_lock(&P.mu);
    while (!P.stop) {
        pthread_mutex_unlock(&P.mu);
        bool ok = write(fd, tid, (size_t) len) == len;
        if (ok && atomic_fetch_add(&P.writes, 1) == 0)
            /* the name led elsewhere: this thread moved; no more */
            ok = fs_read_small("/proc/thread-self/cgroup", now, sizeof(now)) > 0 &&
                 strcmp(now, cg) == 0;
        pthread_mutex_lock(&P.mu);
        if (!ok || ms_since(&t0) >= CGPRIME_MAX_MS)
            break;
        struct timespec dl;
        clock_gettime(CLOCK_MONOTONIC, &dl);
        dl.tv_nsec += CGPRIME_EVERY_MS * 1000000L;
        if (dl.tv_nsec >= 1000000000L) {
            dl.tv_sec++;
            dl.tv_nsec -= 1000000000L;
        }
        while (!P.stop && pthread_cond_timedwait(&P.cv, &P.mu, &dl) != ETIMEDOUT)
            ;
    }
    P.done = true;
    pthread_mutex_unlock(&P.mu);
    close(fd);
    return NULL;
}

/* The thread, joined (it has ended or is told to). */
static void join(void)
{
    pthread_mutex_lock(&P.mu);
    P.stop = true;
    pthread_cond_signal(&P.cv);
    pthread_mutex_unlock(&P.mu);
    (void) pthread_join(P.th, NULL);
    pthread_cond_destroy(&P.cv);
    P.started = false;
}

/* A stopped thread is joined when the process exits, not when it is
 * stopped: joining waits for it to wake on the other CPU (up to a
 * millisecond or more here), on the start's path. Not in a child that
 * a fork made: the thread is not there. */
static void join_at_exit(void)
{
    if (P.started && P.pid == getpid())
        join();
}

void cgprime_begin(void)
{
    pthread_condattr_t ca;

    if (geteuid() != 0)
        return;
    if (P.started) {
        /* running: nothing to do; stopped or run out (its time up):
         * joined (it has ended or is about to), then again */
        pthread_mutex_lock(&P.mu);
        bool again = P.done || P.stop;
        pthread_mutex_unlock(&P.mu);
        if (!again)
            return;
        join();
    }
    if (!P.at_exit)
        P.at_exit = atexit(join_at_exit) == 0;
    P.pid = getpid();
    P.stop = P.done = false;
    if (pthread_condattr_init(&ca) != 0)
        return;
    (void) pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    if (pthread_cond_init(&P.cv, &ca) == 0) {
        /* every signal blocked in the thread: a signal sent to berth
         * (a ^C that attach forwards to the container from its own
         * thread, with sigwait) must not land here, where SIGINT's
         * default action would end berth */
        sigset_t all, old;
        sigfillset(&all);
        bool masked = pthread_sigmask(SIG_BLOCK, &all, &old) == 0;
        if (thread_spawn_away(&P.th, prime_main, NULL) == 0)
            P.started = true;
        else
            pthread_cond_destroy(&P.cv);
        if (masked)
            (void) pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    pthread_condattr_destroy(&ca);
}

void cgprime_end(void)
{
    if (!P.started)
        return;
    pthread_mutex_lock(&P.mu);
    bool was = !P.stop;
    P.stop = true;
    pthread_cond_signal(&P.cv);
    pthread_mutex_unlock(&P.mu);
    /* joined at exit, or by the next begin */
    if (!P.at_exit)
        join();
    if (was)
        log_debug("cgroup primer: %u writes", atomic_load(&P.writes));
}

unsigned cgprime_writes(void)
{
    return atomic_load(&P.writes);
}
