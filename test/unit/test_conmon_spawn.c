/*
 * test_conmon_spawn.c: conmon_spawn() with stand-ins for conmon
 * (/bin/sh, /bin/sleep): where the fds land, the cwd, the process group,
 * an exec failure, and die_with_parent (the early conmon of a create
 * dies with its caller; without the flag it lives on).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/str.h"
#include "unit.h"

static char *env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL };

/* /proc/PID/stat's state letter; 0 when the process is gone. */
static char proc_state(pid_t pid)
{
    char path[64], buf[512], *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    p = strrchr(buf, ')');
    return p && p[1] == ' ' ? p[2] : 0;
}

/* Gone or a zombie within secs (an orphan's zombie waits for pid 1). */
static bool dies_within(pid_t pid, int secs)
{
    for (int i = 0; i < secs * 100; i++) {
        char s = proc_state(pid);
        if (s == 0 || s == 'Z')
            return true;
        usleep(10000);
    }
    return false;
}

/* fds[i] lands on base + i, fds 3..base-1 stay, cwd is o->bundle, and
 * the child leads its own process group. */
static void t_fds_cwd_pgroup(void)
{
    char *argv[] = { "sh", "-c",
                     "{ readlink /proc/self/fd/3 /proc/self/fd/4 /proc/self/fd/5; pwd;"
                     " cut -d' ' -f5 /proc/$$/stat; echo $$; } >&5",
                     NULL };
    struct conmon_opts o = { .conmon_path = "/bin/sh", .bundle = "/tmp", .env = env };
    struct berr *err = NULL;
    int p[2], keep, fds[2];
    char buf[4096] = "";
    ssize_t n, got = 0;
    pid_t pid = 0;
    int ws;

    /* fd 3 is the preserved one (base 4); an inherited fd 3 (a test
     * runner's) is only our copy */
    keep = open("/dev/null", O_RDONLY | O_CLOEXEC);
    CHECK(keep >= 3);
    if (keep != 3) {
        CHECK(dup3(keep, 3, O_CLOEXEC) == 3);
        close(keep);
    }
    CHECK(pipe2(p, O_CLOEXEC) == 0);
    fds[0] = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    fds[1] = p[1];
    CHECK(conmon_spawn(&o, argv, fds, 2, 4, &pid, &err) == 0);
    close(p[1]);
    close(fds[0]);
    while ((n = read(p[0], buf + got, sizeof(buf) - 1 - (size_t) got)) > 0)
        got += n;
    close(p[0]);
    CHECK(waitpid(pid, &ws, 0) == pid && WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    CHECK(strstr(buf, "/dev/null\n") == buf);          /* fd 3 inherited */
    CHECK(strstr(buf, "/berth") || strstr(buf, "test_conmon_spawn"));  /* fd 4 */
    CHECK(strstr(buf, "pipe:") != NULL);                /* fd 5 */
    CHECK(strstr(buf, "\n/tmp\n") != NULL);
    {
        /* pgid == pid */
        _cleanup_free_ char *want = str_fmt("%d\n%d\n", (int) pid, (int) pid);
        char *last = buf + strlen(buf);
        CHECK(want && strlen(buf) >= strlen(want) &&
              str_eq(last - strlen(want), want));
    }
    /* our own fd 3 keeps close-on-exec: the child's copy was cleared */
    CHECK(fcntl(3, F_GETFD) & FD_CLOEXEC);
    close(3);
    berr_free(err);
}

/* A program that cannot be run: an error naming it, no child left. */
static void t_exec_failure(void)
{
    char *argv[] = { "nope", NULL };
    struct conmon_opts o = { .conmon_path = "/nonexistent/conmon", .bundle = "/", .env = env,
                             .die_with_parent = true };
    struct berr *err = NULL;
    pid_t pid = 0;

    CHECK(conmon_spawn(&o, argv, NULL, 0, 3, &pid, &err) < 0);
    CHECK(err && strstr(err->msg, "/nonexistent/conmon"));
    CHECK(err && err->errnum == ENOENT);
    CHECK(pid == 0);
    CHECK(waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD);
    berr_free(err);
}

/* A middle process spawns `sleep 100` (die_with_parent as given), tells
 * us its pid and exits; returns that pid. */
static pid_t spawn_orphan(bool die_with_parent)
{
    char *argv[] = { "sleep", "100", NULL };
    int p[2];
    pid_t mid, pid = 0;

    if (pipe2(p, O_CLOEXEC) < 0)
        return 0;
    if ((mid = fork()) == 0) {
        struct conmon_opts o = { .conmon_path = "/bin/sleep", .bundle = "/", .env = env,
                                 .die_with_parent = die_with_parent };
        struct berr *err = NULL;
        pid_t c = 0;
        if (conmon_spawn(&o, argv, NULL, 0, 3, &c, &err) < 0)
            _exit(1);
        if (write(p[1], &c, sizeof(c)) != sizeof(c))
            _exit(1);
        usleep(100000);     /* the child is in sleep by now */
        _exit(0);
    }
    close(p[1]);
    if (mid < 0 || read(p[0], &pid, sizeof(pid)) != sizeof(pid))
        pid = 0;
    close(p[0]);
    waitpid(mid, NULL, 0);
    return pid;
}

static void t_die_with_parent(void)
{
    pid_t pid = spawn_orphan(true);

    CHECK(pid > 0);
    if (pid > 0)
        CHECK(dies_within(pid, 5));
}

static void t_lives_on_without(void)
{
    pid_t pid = spawn_orphan(false);

    CHECK(pid > 0);
    if (pid <= 0)
        return;
    usleep(200000);
    CHECK(proc_state(pid) == 'S' || proc_state(pid) == 'R');
    kill(pid, SIGKILL);
}

int main(void)
{
    UNIT_RUN(t_fds_cwd_pgroup);
    UNIT_RUN(t_exec_failure);
    UNIT_RUN(t_die_with_parent);
    UNIT_RUN(t_lives_on_without);
    return unit_done();
}
