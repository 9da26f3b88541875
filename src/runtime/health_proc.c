/*
 * runtime/health_proc.c: the health process of a container (health.h):
 * started with the container, one per container, never a daemon for any
 * other. It is `berth <global flags> container __health ID`, so it reads
 * the same store as the command that started it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/ctr_int.h"
#include "runtime/health.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

extern char **environ;

/* conmon's exit command with its tail (`container cleanup ...`) made
 * `container __health ID`: the same binary and global flags. */
static int loop_argv(struct runtime *rt, struct ctr *c, strv *out, struct berr **err)
{
    _cleanup_strv_ strv cmd = NULL;
    size_t i;

    if (ctr_exit_command(rt, c, NULL, &cmd, err) < 0)
        return -1;
    for (i = 0; cmd[i] && strcmp(cmd[i], "cleanup"); i++)
        if (strv_push(out, cmd[i]) < 0)
            return berr_oom(err);
    if (!cmd[i] || strv_push(out, "__health") < 0 || strv_push(out, c->id) < 0)
        return berr_oom(err);
    return 0;
}

/* fork, setsid, fork, exec: the grandchild belongs to no berth command
 * (init or the nearest subreaper reaps it) and outlives the caller. Its
 * pid comes back through a pipe; -1 on failure. */
static pid_t spawn_detached(char *const argv[])
{
    int p[2], devnull = open("/dev/null", O_RDWR | O_CLOEXEC), ws;
    pid_t child, gc = -1;
    sigset_t none;

    if (devnull < 0 || pipe2(p, O_CLOEXEC) < 0) {
        if (devnull >= 0)
            close(devnull);
        return -1;
    }
    sigemptyset(&none);
    child = fork();
    if (child == 0) {
        pid_t g;
        (void) setsid();
        g = fork();
        if (g == 0) {
            (void) sigprocmask(SIG_SETMASK, &none, NULL);
            for (int s = 1; s < NSIG; s++)
                (void) signal(s, SIG_DFL);
            (void) dup2(devnull, 0);
            (void) dup2(devnull, 1);
            (void) dup2(devnull, 2);
            /* nothing of the caller's: a test harness waits for its
             * pipes to close, a shell for its terminal */
            (void) close_range(3, ~0U, 0);
            execve(argv[0], argv, environ);
            _exit(127);
        }
        (void) write(p[1], &g, sizeof(g));
        _exit(g > 0 ? 0 : 1);
    }
    close(p[1]);
    close(devnull);
    if (child > 0) {
        while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
            ;
        if (read(p[0], &gc, sizeof(gc)) != (ssize_t) sizeof(gc))
            gc = -1;
    }
    close(p[0]);
    return gc;
}

void ctr_health_started(struct runtime *rt, struct ctr *c)
{
    json_t *hc = ctr_health_config(&c->cfg);
    _cleanup_strv_ strv argv = NULL;
    struct berr *e = NULL;
    json_t *log;
    pid_t pid;

    ctr_health_end(&c->st);
    if (!hc)
        return;
    log = json_object_get(c->st.health, "Log");
    /* s:o takes the reference: a kept log's own, or the new array's */
    json_t *h = json_pack("{s:s, s:i, s:o}", "Status", "starting", "FailingStreak", 0, "Log",
                          json_is_array(log) ? json_incref(log) : json_array());
    if (h) {
        json_decref(c->st.health);
        c->st.health = h;
    }
    if (js_int(hc, "Interval", 0) <= 0 && !ctr_health_startup(&c->cfg, &c->st))
        return;     /* --health-interval disable: healthcheck run only */
    if (loop_argv(rt, c, &argv, &e) < 0) {
        log_warn("container %s: health check process: %s", c->id, e->msg);
        berr_free(e);
        return;
    }
    pid = spawn_detached(argv);
    if (pid <= 0) {
        log_warn("container %s: cannot start its health check process", c->id);
        return;
    }
    c->st.health_pid = pid;
    (void) proc_start_time(pid, &c->st.health_start);
}

void ctr_health_end(struct ctr_runstate *s)
{
    pid_t pid = s->health_pid;

    if (pid > 0 && pid != getpid() && proc_alive(pid, s->health_start)) {
        /* One that is itself in a transition of the container (its
         * --health-on-failure stop, waiting for the exit without the
         * lock) finishes it, records it and its event, and ends on its
         * own: killed, it would leave the stop undone (no stop event,
         * its intent left to a recovery). */
        if (s->intent && s->intent_pid == pid)
            return;
        (void) kill(pid, SIGKILL);
    }
    s->health_pid = 0;
    s->health_start = 0;
}

/* One wait: until the interval passes (1) or the container ends (0).
 * Holds no lock: the container's is released before. */
static int sleep_interval(struct runtime *rt, const char *id, long long *interval_ms)
{
    struct ctr *c = NULL;
    struct berr *e = NULL;
    _cleanup_close_ int fd = -1;
    json_t *hc;

    if (ctr_get_id(rt, id, &c, &e) < 0) {
        berr_free(e);
        return 0;
    }
    hc = ctr_health_config(&c->cfg);
    if (ctr_state(c) == CS_RUNNING && c->st.health_pid == getpid() && hc) {
        json_t *sc = ctr_health_startup(&c->cfg, &c->st);
        *interval_ms = js_int(sc ? sc : hc, "Interval", 0) / 1000000;
        fd = proc_pidfd(c->st.pid, c->st.pid_start);
    }
    ctr_put(c);
    if (fd < 0 || *interval_ms <= 0)
        return 0;
    return proc_pidfd_wait(fd, *interval_ms) == 0;
}

int ctr_health_loop(struct runtime *rt, const char *id, struct berr **err)
{
    long long interval = 0;

    (void) err;
    while (sleep_interval(rt, id, &interval)) {
        struct ctr *c = NULL;
        struct berr *e = NULL;

        if (ctr_get_id(rt, id, &c, &e) < 0) {
            berr_free(e);
            return 0;
        }
        if (ctr_state(c) != CS_RUNNING || c->st.health_pid != getpid()) {
            ctr_put(c);
            return 0;
        }
        if (ctr_health_tick(rt, c, &e) < 0) {
            log_debug("container %s: health check: %s", id, e->msg);
            berr_free(e);
        }
        ctr_put(c);
    }
    return 0;
}
