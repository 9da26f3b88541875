/*
 * runtime/conmon_exec.c: conmon in exec mode (SPEC-podman.md §2.4): the
 * three socketpairs (sync, start, attach), the two start bytes and the
 * messages that come back. What an exec session is to a container is
 * ctr_exec.c's.
 *
 *   conmon_exec_start  spawn conmon (-e --exec-attach), write start byte 1,
 *                      wait for its first process (it forks and leaves),
 *                      read {"data": 0} from the attach pipe: the session's
 *                      attach socket and ctl FIFO exist now;
 *   conmon_exec_go     start byte 2: conmon's child runs `runtime exec`
 *                      (connect to the attach socket before, so no output
 *                      is lost: conmon replays nothing);
 *   conmon_exec_pid    {"data": pid} once the runtime's exec returned, or
 *                      {"data": -N, "message": ...} when it failed;
 *   conmon_exec_wait   {"data": status} when the process has ended (conmon
 *                      writes it after closing the attach clients and
 *                      writing the exit file).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/str.h"

void conmon_exec_close(struct conmon_exec *h)
{
    int *fds[] = { &h->sync_fd, &h->start_fd, &h->attach_fd };

    for (size_t i = 0; i < ARRAY_SIZE(fds); i++)
        if (*fds[i] >= 0) {
            close(*fds[i]);
            *fds[i] = -1;
        }
}

static int start_byte(struct conmon_exec *h, struct berr **err)
{
    char zero = 0;
    ssize_t n;

    do
        n = write(h->start_fd, &zero, 1);
    while (n < 0 && errno == EINTR);
    if (n != 1)
        return berr_sys(err, "write to conmon's start pipe");
    return 0;
}

int conmon_exec_start(const struct conmon_opts *o, struct conmon_exec *h, struct berr **err)
{
    _cleanup_strv_ strv argv = NULL;
    _cleanup_strv_ strv env = strv_copy(o->env);
    _cleanup_free_ char *message = NULL;
    int child[3] = { -1, -1, -1 }, sp[2], ws, base = 3 + (int) o->preserve_fds, r = -1;
    int *parent[3] = { &h->sync_fd, &h->start_fd, &h->attach_fd };
    struct conmon_opts eo = *o;
    long long data;
    pid_t pid;

    h->sync_fd = h->start_fd = h->attach_fd = -1;
    if (!env)
        return berr_oom(err);
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = { "_OCI_SYNCPIPE", "_OCI_STARTPIPE", "_OCI_ATTACHPIPE" };
        _cleanup_free_ char *kv = str_fmt("%s=%d", names[i], base + i);
        if (!kv || conmon_env_set(&env, kv) < 0)
            return berr_oom(err);
    }
    eo.env = env;
    if (conmon_argv(&eo, &argv, err) < 0)
        return -1;
    for (int i = 0; i < 3; i++) {
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0) {
            berr_sys(err, "socketpair for conmon");
            goto out;
        }
        *parent[i] = sp[0];
        child[i] = sp[1];
    }
    log_debug("running conmon for an exec session: %s", argv[0]);
    if (conmon_spawn(&eo, argv, child, 3, base, &pid, err) < 0)
        goto out;
    for (int i = 0; i < 3; i++) {
        close(child[i]);
        child[i] = -1;
    }
    /* byte 1: conmon forks, its first process writes conmon.pid and
     * leaves; its child creates the session's socket and FIFOs and says
     * so on the attach pipe. The message is what we wait for; the first
     * process is reaped after it (each wait for another process is a
     * scheduling round trip on a busy machine). */
    if (start_byte(h, err) < 0)
        goto out;
    if (conmon_read_sync(h->attach_fd, 60 * 1000, &data, &message, err) < 0) {
        (void) waitpid(pid, &ws, 0);
        berr_wrap(err, "conmon");
        goto out;
    }
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR) {
            berr_sys(err, "wait for conmon");
            goto out;
        }
    if (data < 0) {
        berr_msg(err, "conmon: %s", message ? message : "exec session setup failed");
        goto out;
    }
    r = 0;
out:
    for (int i = 0; i < 3; i++)
        if (child[i] >= 0)
            close(child[i]);
    if (r < 0)
        conmon_exec_close(h);
    return r;
}

int conmon_exec_go(struct conmon_exec *h, struct berr **err)
{
    int r = start_byte(h, err);

    close(h->start_fd);
    h->start_fd = -1;
    close(h->attach_fd);
    h->attach_fd = -1;
    return r;
}

#define OCI_GENERIC ": OCI runtime error"

int conmon_exec_pid(const struct conmon_opts *o, struct conmon_exec *h, pid_t *pid,
                    struct berr **err)
{
    _cleanup_free_ char *message = NULL, *msg = NULL;
    long long data;

    if (conmon_read_sync(h->sync_fd, (o->sync_timeout > 0 ? o->sync_timeout : 240) * 1000,
                         &data, &message, err) < 0)
        return -1;
    if (data > 0) {
        *pid = (pid_t) data;
        return 0;
    }
    msg = conmon_failure_message(o, message);
    if (!msg)
        return berr_oom(err);
    return conmon_exec_failure(o->runtime_name, msg, err);
}

int conmon_exec_failure(const char *runtime_name, const char *msg, struct berr **err)
{
    int r = conmon_classify_error(runtime_name ? runtime_name : "runtime", msg, false, err);

    /* podman's exec: permission denied 126, not found 127; any other
     * runtime failure is the -1 of a session that never ran: 255, worded
     * "OCI runtime error: <rt>: <msg>" */
    if (*err && (*err)->exit_code == BERR_CANNOT_INVOKE &&
        str_has_suffix((*err)->msg, OCI_GENERIC)) {
        int n = (int) (strlen((*err)->msg) - strlen(OCI_GENERIC));
        char *m = str_fmt("OCI runtime error: %.*s", n, (*err)->msg);
        if (m) {
            free((*err)->msg);
            (*err)->msg = m;
        }
        (*err)->exit_code = CONMON_EXEC_FAILED;
    }
    return r;
}

int conmon_exec_wait(struct conmon_exec *h, int timeout_ms, int *code, struct berr **err)
{
    _cleanup_free_ char *message = NULL;
    long long data;

    if (conmon_read_sync(h->sync_fd, timeout_ms, &data, &message, err) < 0)
        return -1;
    *code = (int) data;
    return 0;
}
