/*
 * runtime/exec_direct.c: see exec_direct.h.
 *
 * Through conmon, an attached exec costs conmon's start (a process that
 * forks and leaves), two start bytes, an attach socket and the copying of
 * the output through it, a sync message back, and after the exit the
 * exit command, a second berth. When nobody types into the process and
 * nothing is a terminal, conmon adds nothing the user can see: berth
 * does what conmon does (the runtime's `exec --detach` as a child
 * subreaper, then a wait for the process) with the process's output on
 * berth's own stdout and stderr, and writes the session's end itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "runtime/exec_direct.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/proc.h"
#include "util/str.h"

#define PUSH(...) do { if (strv_push(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)
#define PUSHF(...) do { if (strv_pushf(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)

static int direct_argv(const struct exec_direct_opts *o, strv *out, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));

    if (!v)
        return berr_oom(err);
    PUSH(o->runtime_path);
    for (size_t i = 0; o->runtime_flags && o->runtime_flags[i]; i++)
        PUSH(o->runtime_flags[i]);
    /* conmon's runtime args, in its order */
    PUSH("--log-format=json");
    PUSH("--log");
    PUSH(o->oci_log);
    PUSH("exec");
    PUSH("--pid-file");
    PUSH(o->pidfile);
    PUSH("--process");
    PUSH(o->spec);
    PUSH("--detach");
    if (o->preserve_fds) {
        PUSH("--preserve-fds");
        PUSHF("%u", o->preserve_fds);
    }
    PUSH(o->id);
    *out = STEAL_PTR(v);
    return 0;
}

static int spawn(const struct exec_direct_opts *o, char *const *argv, int out_w, int err_w,
                 pid_t *pid, struct berr **err)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, all;
    int r;

    sigemptyset(&none);
    sigfillset(&all);
    /* the preserved fds are inherited where they are */
    for (int fd = 3; fd < 3 + (int) o->preserve_fds; fd++)
        if (fcntl(fd, F_SETFD, 0) < 0)
            return berr_sys(err, "file descriptor %d to preserve", fd);
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_w, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, err_w, STDERR_FILENO);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK |
                                  POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    r = posix_spawn(pid, o->runtime_path, &fa, &at, argv, o->env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    if (r != 0)
        return berr_new(err, BERR_ENGINE, r, "start %s", o->runtime_path);
    return 0;
}

/* The runtime failed: its oci-log says why (conmon reads the same). */
static int failed(const struct exec_direct_opts *o, int status, struct berr **err)
{
    _cleanup_free_ char *text = NULL, *msg = NULL;
    struct berr *e = NULL;

    if (fs_read_file(o->oci_log, &text, NULL, &e) == 0)
        msg = conmon_oci_log_message(text);
    berr_free(e);
    if (!msg)
        msg = str_fmt("exec failed with status %d", status);
    if (!msg)
        return berr_oom(err);
    return conmon_exec_failure(o->runtime_name, msg, err);
}

void exec_direct_close(struct exec_direct *h)
{
    if (h->out_fd >= 0)
        close(h->out_fd);
    if (h->err_fd >= 0)
        close(h->err_fd);
    h->out_fd = h->err_fd = -1;
}

int exec_direct_start(const struct exec_direct_opts *o, struct exec_direct *h,
                      struct berr **err)
{
    _cleanup_strv_ strv argv = NULL;
    _cleanup_free_ char *text = NULL;
    int out[2] = { -1, -1 }, errp[2] = { -1, -1 }, status, r;
    long long v = 0;
    pid_t rpid;

    h->pid = 0;
    h->out_fd = h->err_fd = -1;
    /* the runtime's process leaves its child, ours then: we wait for it */
    if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
        return berr_sys(err, "become a child subreaper");
    if (direct_argv(o, &argv, err) < 0)
        return -1;
    if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
        berr_sys(err, "pipe for an exec session");
        r = -1;
    } else {
        r = spawn(o, argv, out[1], errp[1], &rpid, err);
    }
    if (out[1] >= 0)
        close(out[1]);
    if (errp[1] >= 0)
        close(errp[1]);
    h->out_fd = out[0];
    h->err_fd = errp[0];
    if (r < 0 || proc_wait(rpid, &status, err) < 0)
        goto fail;
    if (status != 0) {
        failed(o, status, err);
        goto fail;
    }
    if (fs_read_file(o->pidfile, &text, NULL, err) < 0) {
        berr_wrap(err, "%s exec", o->runtime_name ? o->runtime_name : "runtime");
        goto fail;
    }
    if (str_to_ll(str_trim(text), &v) < 0 || v <= 0) {
        berr_msg(err, "%s: not a pid: %s", o->pidfile, text);
        goto fail;
    }
    h->pid = (pid_t) v;
    return 0;
fail:
    exec_direct_close(h);
    return -1;
}

/* One read from *from to `to` (closing *from at its end): 1 when
 * something was read. Once `to` fails (a reader gone), the rest of the
 * stream is read and dropped, as conmon does for a client gone. */
static int copy_some(int *from, int to, bool *broken)
{
    char buf[16384];
    ssize_t n;

    do
        n = read(*from, buf, sizeof(buf));
    while (n < 0 && errno == EINTR);
    if (n <= 0) {
        if (n < 0 && errno == EAGAIN)
            return 0;
        close(*from);
        *from = -1;
        return 0;
    }
    if (!*broken && fs_write_all(to, buf, (size_t) n) < 0)
        *broken = true;
    return 1;
}

int exec_direct_wait(struct exec_direct *h, int out, int errfd, int *code, struct berr **err)
{
    _cleanup_close_ int pfd = proc_pidfd(h->pid, 0);
    bool ended = false, broken[2] = { false, false };

    while (h->out_fd >= 0 || h->err_fd >= 0) {
        struct pollfd p[3] = {
            { .fd = h->out_fd, .events = POLLIN }, { .fd = h->err_fd, .events = POLLIN },
            { .fd = ended ? -1 : pfd, .events = POLLIN },
        };
        int n = poll(p, 3, -1);
        if (n < 0 && errno != EINTR)
            return berr_sys(err, "wait for exec session output");
        if (n <= 0)
            continue;
        if (p[0].revents)
            (void) copy_some(&h->out_fd, out, &broken[0]);
        if (p[1].revents)
            (void) copy_some(&h->err_fd, errfd, &broken[1]);
        if (p[2].revents && !ended) {
            /* it ended: what it left in the pipes, not what a child of
             * its that holds them writes later (conmon stops there too) */
            ended = true;
            for (int i = 0; i < 2; i++) {
                int *fd = i ? &h->err_fd : &h->out_fd;
                if (*fd >= 0 && fcntl(*fd, F_SETFL, O_NONBLOCK) == 0)
                    while (*fd >= 0 && copy_some(fd, i ? errfd : out, &broken[i]) > 0)
                        ;
            }
            exec_direct_close(h);
        }
    }
    return proc_wait(h->pid, code, err);
}
