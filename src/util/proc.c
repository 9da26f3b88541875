/*
 * util/proc.c: spawn and capture; whether a process is still the one we
 * started (pid + start time), and pidfds to wait for it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"

int proc_wait(pid_t pid, int *status, struct berr **err)
{
    int ws;

    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return berr_sys(err, "wait for process %d", (int) pid);
    /* Like a shell and like podman: killed by signal N reads as 128+N. */
    *status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    return 0;
}

/* Reads both pipes until EOF without letting either fill up. */
static int drain(int ofd, int efd, struct sbuf *o, struct sbuf *e)
{
    struct pollfd p[2] = { { ofd, POLLIN, 0 }, { efd, POLLIN, 0 } };
    char buf[4096];
    int open_fds = 2;

    while (open_fds) {
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        for (int i = 0; i < 2; i++) {
            ssize_t n;
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            n = read(p[i].fd, buf, sizeof(buf));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                p[i].fd = -1;
                open_fds--;
                continue;
            }
            sbuf_addn(i == 0 ? o : e, buf, (size_t) n);
        }
    }
    return 0;
}

int proc_spawn(char *const argv[], char *const envp[], struct proc_job *job, struct berr **err)
{
    static char *const min_env[] = {
        (char *) "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
    };
    int op[2] = { -1, -1 }, ep[2] = { -1, -1 };
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;
    pid_t pid;
    int r;

    job->pid = -1;
    job->out_fd = job->err_fd = -1;
    if (pipe2(op, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
        berr_sys(err, "pipe");
        goto fail_pipes;
    }
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, op[1], 1);
    posix_spawn_file_actions_adddup2(&fa, ep[1], 2);
    posix_spawnattr_init(&at);
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    r = posix_spawnp(&pid, argv[0], &fa, &at, argv, envp ? envp : min_env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(op[1]);
    close(ep[1]);
    op[1] = ep[1] = -1;
    if (r != 0) {
        berr_new(err, BERR_ENGINE, r, "run %s", argv[0]);
        goto fail_pipes;
    }
    job->pid = pid;
    job->out_fd = op[0];
    job->err_fd = ep[0];
    return 0;

fail_pipes:
    for (int i = 0; i < 2; i++) {
        if (op[i] >= 0)
            close(op[i]);
        if (ep[i] >= 0)
            close(ep[i]);
    }
    return -1;
}

int proc_finish(struct proc_job *job, char **out, char **errout, int *status, struct berr **err)
{
    struct sbuf o = SBUF_INIT, e = SBUF_INIT;
    int r = 0;

    drain(job->out_fd, job->err_fd, &o, &e);
    close(job->out_fd);
    close(job->err_fd);
    job->out_fd = job->err_fd = -1;
    if (proc_wait(job->pid, status, err) < 0)
        r = -1;
    job->pid = -1;
    if (r == 0 && out)
        *out = sbuf_steal(&o);
    if (r == 0 && errout)
        *errout = sbuf_steal(&e);
    sbuf_free(&o);
    sbuf_free(&e);
    if (r == 0 && ((out && !*out) || (errout && !*errout)))
        return berr_oom(err);
    return r;
}

int proc_capture(char *const argv[], char *const envp[], char **out, char **errout,
                 int *status, struct berr **err)
{
    struct proc_job job;

    if (proc_spawn(argv, envp, &job, err) < 0)
        return -1;
    return proc_finish(&job, out, errout, status, err);
}

pid_t proc_find_with_arg(const char *prog, const char *arg)
{
    _cleanup_closedir_ DIR *d = opendir("/proc");
    struct dirent *de;
    pid_t self = getpid();

    while (d && (de = readdir(d))) {
        char path[300], buf[8192];
        ssize_t n;

        if (de->d_name[0] < '0' || de->d_name[0] > '9' || atoi(de->d_name) == self)
            continue;
        snprintf(path, sizeof(path), "/proc/%s/cmdline", de->d_name);
        if ((n = fs_read_small(path, buf, sizeof(buf))) <= 0)
            continue;
        if (!strstr(buf, prog))
            continue;
        for (ssize_t i = strlen(buf) + 1; i < n; i += (ssize_t) strlen(buf + i) + 1)
            if (strcmp(buf + i, arg) == 0)
                return (pid_t) atoi(de->d_name);
    }
    return 0;
}

bool proc_running_with_arg(const char *prog, const char *arg)
{
    return proc_find_with_arg(prog, arg) > 0;
}

/* ---- liveness: a pid and its start time ---- */

int proc_parse_start_time(const char *stat, unsigned long long *out)
{
    const char *p = strrchr(stat, ')');
    int field = 2;              /* the ')' closes field 2 (comm) */

    if (!p)
        return -1;
    p++;
    while (*p && field < 22) {
        while (*p == ' ')
            p++;
        field++;
        if (field == 22) {
            char *end;
            errno = 0;
            *out = strtoull(p, &end, 10);
            return errno || end == p ? -1 : 0;
        }
        while (*p && *p != ' ')
            p++;
    }
    return -1;
}

/* /proc/<pid>/stat into buf; -1 when the process is gone. */
static int read_stat(pid_t pid, char *buf, size_t size)
{
    char path[64];

    snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
    return fs_read_small(path, buf, size) > 0 ? 0 : -1;
}

int proc_start_time(pid_t pid, unsigned long long *out)
{
    char buf[1024];

    if (read_stat(pid, buf, sizeof(buf)) < 0)
        return -1;
    return proc_parse_start_time(buf, out);
}

long long proc_ticks_to_unix_ns(unsigned long long ticks)
{
    static long long btime = -1;
    long hz = sysconf(_SC_CLK_TCK);

    if (btime < 0) {
        _cleanup_fclose_ FILE *f = fopen("/proc/stat", "re");
        _cleanup_free_ char *line = NULL;
        size_t cap = 0;

        btime = 0;
        while (f && getline(&line, &cap, f) > 0)
            if (sscanf(line, "btime %lld", &btime) == 1)
                break;
    }
    if (btime <= 0 || hz <= 0)
        return 0;
    return btime * 1000000000LL + (long long) (ticks / (unsigned long long) hz) * 1000000000LL +
           (long long) (ticks % (unsigned long long) hz) * (1000000000LL / hz);
}

bool proc_running(pid_t pid, unsigned long long start_time)
{
    char buf[1024];
    unsigned long long now;
    const char *p;

    if (pid <= 0 || read_stat(pid, buf, sizeof(buf)) < 0 || !(p = strrchr(buf, ')')))
        return false;
    /* field 3, the state: Z (zombie) and X (dead) have exited */
    if (p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'))
        return false;
    return !start_time || (proc_parse_start_time(buf, &now) == 0 && now == start_time);
}

bool proc_alive(pid_t pid, unsigned long long start_time)
{
    unsigned long long now;

    if (pid <= 0)
        return false;
    if (kill(pid, 0) < 0 && errno == ESRCH)
        return false;
    if (!start_time)
        return true;
    /* a zombie still has its stat; a recycled pid has another start time */
    return proc_start_time(pid, &now) == 0 && now == start_time;
}

int proc_pidfd(pid_t pid, unsigned long long start_time)
{
    int fd;

    if (pid <= 0)
        return -1;
    fd = (int) syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0)
        return -1;
    /* Checked after the open: if the fd caught a recycled pid, the start
     * time read now is the newcomer's (or the pid is gone) and differs. */
    if (!proc_alive(pid, start_time)) {
        close(fd);
        return -1;
    }
    return fd;
}

int proc_pidfd_wait(int pidfd, long long ms)
{
    struct pollfd p = { pidfd, POLLIN, 0 };
    int r;

    do
        r = poll(&p, 1, ms < 0 ? -1 : ms > INT_MAX ? INT_MAX : (int) ms);
    while (r < 0 && errno == EINTR);
    return r > 0 ? 1 : 0;
}
