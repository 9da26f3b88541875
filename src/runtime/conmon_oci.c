/*
 * runtime/conmon_oci.c: the OCI runtime calls berth makes itself (start,
 * kill, delete, pause, resume, state; SPEC-podman.md §2.5) and conmon's
 * exit records. The liveness check (pid + start time) is util/proc.h's.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

/* Starts `<runtime> [flags] <args...>` with env only XDG_RUNTIME_DIR (and
 * PATH when with_path), stdin /dev/null, stdout and stderr on pipes
 * (proc_finish collects them). */
/* The argv and envp of one runtime call. */
static int build_call(const struct oci_invoke *rt, const char *const *args, bool with_path,
                      strv *argvp, strv *envpp, struct berr **err)
{
    _cleanup_strv_ strv argv = calloc(1, sizeof(char *)), envp = calloc(1, sizeof(char *));

    if (!argv || !envp || strv_push(&argv, rt->path) < 0)
        return berr_oom(err);
    for (size_t i = 0; rt->flags && rt->flags[i]; i++)
        if (strv_push(&argv, rt->flags[i]) < 0)
            return berr_oom(err);
    for (size_t i = 0; args[i]; i++)
        if (strv_push(&argv, args[i]) < 0)
            return berr_oom(err);
    if (strv_pushf(&envp, "XDG_RUNTIME_DIR=%s", rt->xdg_runtime_dir ? rt->xdg_runtime_dir : "") < 0 ||
        (with_path && strv_pushf(&envp, "PATH=%s", rt->path_env ? rt->path_env
                                 : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") < 0))
        return berr_oom(err);
    *argvp = STEAL_PTR(argv);
    *envpp = STEAL_PTR(envp);
    return 0;
}

static int spawn_runtime(const struct oci_invoke *rt, const char *const *args, bool with_path,
                         struct proc_job *job, struct berr **err)
{
    _cleanup_strv_ strv argv = NULL, envp = NULL;

    if (build_call(rt, args, with_path, &argv, &envp, err) < 0)
        return -1;
    return proc_spawn(argv, envp, job, err);
}

/* The same, run to its end: its output and status. */
static int run_runtime(const struct oci_invoke *rt, const char *const *args, bool with_path,
                       int *status, char **out, char **errout, struct berr **err)
{
    struct proc_job job;

    if (spawn_runtime(rt, args, with_path, &job, err) < 0)
        return -1;
    return proc_finish(&job, out, errout, status, err);
}

char *conmon_oci_log_message(const char *text)
{
    _cleanup_free_ char *last = NULL, *last_err = NULL;

    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        json_t *j = json_loadb(p, len, 0, NULL);
        const char *m = js_str(j, "msg", NULL), *lvl = js_str(j, "level", "");
        p += len + (nl ? 1 : 0);
        if (m) {
            free(last);
            last = str_dup(m);
            if (strcmp(lvl, "error") == 0 || strcmp(lvl, "fatal") == 0) {
                free(last_err);
                last_err = str_dup(m);
            }
        }
        json_decref(j);
    }
    return last_err ? STEAL_PTR(last_err) : STEAL_PTR(last);
}

/* runc writes logrus lines (text or JSON) on stderr: keep the msg. */
static char *stderr_message(const char *text)
{
    char *m = conmon_oci_log_message(text);
    const char *p;
    size_t n;

    if (m)
        return m;
    p = strstr(text, "msg=\"");
    if (p) {
        p += 5;
        n = strcspn(p, "\"");
        return str_ndup(p, n);
    }
    n = strlen(text);
    while (n && text[n - 1] == '\n')
        n--;
    return str_ndup(text, n);
}

static int call_result(const struct oci_invoke *rt, int status, const char *eout, const char *what,
                       const char *id, struct berr **err)
{
    _cleanup_free_ char *msg = NULL;

    if (status == 0)
        return 0;
    msg = stderr_message(eout ? eout : "");
    return berr_msg(err, "%s container %s: %s: %s", what, id, rt->name ? rt->name : rt->path,
                    msg && *msg ? msg : "exit status not zero");
}

static int simple_call(const struct oci_invoke *rt, const char *const *args, bool with_path,
                       const char *what, const char *id, struct berr **err)
{
    _cleanup_free_ char *eout = NULL;
    int status;

    if (run_runtime(rt, args, with_path, &status, NULL, &eout, err) < 0)
        return -1;
    return call_result(rt, status, eout, what, id, err);
}

int oci_start(const struct oci_invoke *rt, const char *id, struct berr **err)
{
    const char *args[] = { "start", id, NULL };
    return simple_call(rt, args, true, "starting", id, err);
}

/* The runtime's state dir for id: its --root flag, else where crun and
 * runc put it for the environment berth gives them (XDG_RUNTIME_DIR, ""
 * for root). name: "crun" or "runc". */
static char *state_dir(const struct oci_invoke *rt, const char *name, const char *id)
{
    const char *root = NULL;

    for (size_t i = 0; rt->flags && rt->flags[i]; i++) {
        if (str_eq(rt->flags[i], "--root") && rt->flags[i + 1])
            root = rt->flags[++i];
        else if (str_has_prefix(rt->flags[i], "--root="))
            root = rt->flags[i] + strlen("--root=");
    }
    if (root)
        return str_fmt("%s/%s", root, id);
    if (rt->xdg_runtime_dir && *rt->xdg_runtime_dir)
        return str_fmt("%s/%s/%s", rt->xdg_runtime_dir, name, id);
    return str_fmt("/run/%s/%s", name, id);
}

/* An error of the start, worded as a failed `<runtime> start` is
 * (call_result). */
static int start_failed(const struct oci_invoke *rt, const char *id, const char *msg,
                        const char *path, struct berr **err)
{
    const char *who = rt->name ? rt->name : rt->path;

    return path ? berr_sys(err, "starting container %s: %s: %s %s", id, who, msg, path)
                : berr_msg(err, "starting container %s: %s: %s", id, who, msg);
}

/* crun: its init reads the FIFO (opened at the create); `crun start`
 * opens it for writing, unlinks it and writes a byte. */
static int crun_fifo(const struct oci_invoke *rt, const char *fifo, const char *id,
                     struct berr **err)
{
    _cleanup_close_ int fd = open(fifo, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    char zero = 0;

    /* no FIFO there, or no init waiting on it: `crun start` says why */
    if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISFIFO(sb.st_mode))
        return 0;
    if (unlink(fifo) < 0)
        return start_failed(rt, id, "removing", fifo, err);
    if (write(fd, &zero, 1) != 1)
        return start_failed(rt, id, "writing to", fifo, err);
    return 1;
}

/* Is pid still runc's init (its name until it execs the command)? */
static bool runc_init(pid_t pid)
{
    char path[64], comm[32];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
    n = fs_read_small(path, comm, sizeof(comm));
    return n < 0 || (n >= 13 && memcmp(comm, "runc:[2:INIT]", 13) == 0);
}

/* runc: its init opens the FIFO for writing (blocking until a reader
 * comes), writes "0" and execs the command (the write end closes with
 * its exec); `runc start` opens it for reading, reads to EOF (checking
 * every 100 ms that the init lives), then removes it. One thing more
 * here: an init that went past its exec while nobody removed the FIFO (a
 * start killed before its unlink) never writes again, where runc start
 * would wait for ever; it is running, so the FIFO goes. */
static int runc_fifo(const struct oci_invoke *rt, const char *fifo, const char *id, pid_t pid,
                     unsigned long long start, struct berr **err)
{
    _cleanup_close_ int fd = open(fifo, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    struct stat sb;
    size_t got = 0;

    if (fd < 0 || fstat(fd, &sb) < 0 || !S_ISFIFO(sb.st_mode))
        return 0;
    for (;;) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        char buf[16];
        ssize_t n;
        int r = poll(&p, 1, 100);

        if (r < 0 && errno != EINTR)
            return start_failed(rt, id, "waiting on", fifo, err);
        if (r <= 0) {
            if (!proc_running(pid, start))
                return start_failed(rt, id, "container process is already dead", NULL, err);
            if (got == 0 && !runc_init(pid))
                break;          /* stale: it runs */
            continue;
        }
        n = read(fd, buf, sizeof(buf));
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n < 0)
            return start_failed(rt, id, "reading", fifo, err);
        if (n == 0)
            break;      /* the init has exec'd the command (or died) */
        got += (size_t) n;
    }
    /* EOF without a byte: another start took it (runc's words), or the
     * init died meanwhile, or it runs already */
    if (got == 0 && !proc_running(pid, start))
        return start_failed(rt, id, "container process is already dead", NULL, err);
    if (got == 0 && runc_init(pid))
        return start_failed(rt, id, "cannot start an already running container", NULL, err);
    if (unlink(fifo) < 0 && errno != ENOENT)
        return start_failed(rt, id, "removing", fifo, err);
    return 1;
}

int oci_start_fifo(const struct oci_invoke *rt, const char *id, pid_t pid,
                   unsigned long long pid_start, struct berr **err)
{
    const char *base = rt->path ? strrchr(rt->path, '/') : NULL;
    const char *name = base ? base + 1 : rt->path;
    _cleanup_free_ char *dir = NULL, *fifo = NULL;

    if (!str_eq(name, "crun") && !(str_eq(name, "runc") && pid > 0))
        return 0;
    if (!(dir = state_dir(rt, name, id)) || !(fifo = str_fmt("%s/exec.fifo", dir)))
        return berr_oom(err);
    return str_eq(name, "crun") ? crun_fifo(rt, fifo, id, err)
                                : runc_fifo(rt, fifo, id, pid, pid_start, err);
}

int oci_kill(const struct oci_invoke *rt, const char *id, int sig, bool all, struct berr **err)
{
    char num[16];
    const char *a_all[] = { "kill", "--all", id, num, NULL }, *a[] = { "kill", id, num, NULL };

    snprintf(num, sizeof(num), "%d", sig);
    return simple_call(rt, all ? a_all : a, false, "sending signal to", id, err);
}

int oci_delete(const struct oci_invoke *rt, const char *id, bool force, struct berr **err)
{
    const char *a_f[] = { "delete", "--force", id, NULL }, *a[] = { "delete", id, NULL };
    return simple_call(rt, force ? a_f : a, false, "deleting", id, err);
}

int oci_delete_begin(const struct oci_invoke *rt, const char *id, struct proc_job *job,
                     struct berr **err)
{
    const char *args[] = { "delete", "--force", id, NULL };
    return spawn_runtime(rt, args, false, job, err);
}

int oci_delete_call(const struct oci_invoke *rt, const char *id, strv *argv, strv *envp,
                    struct berr **err)
{
    const char *args[] = { "delete", "--force", id, NULL };
    return build_call(rt, args, false, argv, envp, err);
}

int oci_delete_end(const struct oci_invoke *rt, const char *id, struct proc_job *job,
                   struct berr **err)
{
    _cleanup_free_ char *eout = NULL;
    int status;

    if (proc_finish(job, NULL, &eout, &status, err) < 0)
        return -1;
    return call_result(rt, status, eout, "deleting", id, err);
}

int oci_pause(const struct oci_invoke *rt, const char *id, struct berr **err)
{
    const char *args[] = { "pause", id, NULL };
    return simple_call(rt, args, false, "pausing", id, err);
}

int oci_resume(const struct oci_invoke *rt, const char *id, struct berr **err)
{
    const char *args[] = { "resume", id, NULL };
    return simple_call(rt, args, false, "resuming", id, err);
}

int oci_update(const struct oci_invoke *rt, const char *id, const char *resources,
               struct berr **err)
{
    const char *args[] = { "update", "--resources", resources, id, NULL };
    return simple_call(rt, args, false, "updating", id, err);
}

int oci_status_parse(const char *s)
{
    static const struct { const char *n; enum oci_status st; } map[] = {
        { "created", OCI_CREATED }, { "running", OCI_RUNNING }, { "paused", OCI_PAUSED },
        { "stopped", OCI_STOPPED },
    };
    for (size_t i = 0; s && i < ARRAY_SIZE(map); i++)
        if (strcmp(map[i].n, s) == 0)
            return (int) map[i].st;
    return -1;
}

int oci_state(const struct oci_invoke *rt, const char *id, enum oci_status *st, pid_t *pid,
              struct berr **err)
{
    const char *args[] = { "state", id, NULL };
    _cleanup_free_ char *out = NULL, *eout = NULL;
    _cleanup_json_ json_t *j = NULL;
    const char *s;
    int status, v;

    *pid = 0;
    if (run_runtime(rt, args, false, &status, &out, &eout, err) < 0)
        return -1;
    if (status != 0) {
        /* berth's rule (SPEC §2.5): a container the runtime does not know is gone */
        if (strstr(eout, "does not exist") || strstr(eout, "No such file")) {
            *st = OCI_GONE;
            return 0;
        }
        _cleanup_free_ char *msg = stderr_message(eout);
        return berr_msg(err, "getting container %s state: %s", id, msg ? msg : "");
    }
    j = json_loads(out, 0, NULL);
    s = js_str(j, "status", NULL);
    if (!s)
        return berr_msg(err, "decoding container status for container %s: bad JSON", id);
    v = oci_status_parse(s);
    if (v < 0)
        return berr_msg(err, "unrecognized status returned by runtime for container %s: %s: "
                             "internal libpod error", id, s);
    *st = (enum oci_status) v;
    *pid = (pid_t) js_int(j, "pid", 0);
    return 0;
}

/* ---- exit records ---- */

static int read_code(const char *path, int *code, struct timespec *when, bool *present,
                     struct berr **err)
{
    _cleanup_free_ char *text = NULL;
    struct berr *e = NULL;
    struct stat st;
    long long v;

    *present = false;
    if (fs_read_file(path, &text, NULL, &e) < 0) {
        if (e->errnum == ENOENT) {
            berr_free(e);
            return 0;
        }
        berr_free(*err);
        *err = e;
        return -1;
    }
    if (str_to_ll(str_trim(text), &v) < 0)
        return berr_msg(err, "%s: not an exit code: \"%s\"", path, text);
    *code = (int) v;
    *present = true;
    if (when) {
        if (stat(path, &st) == 0)
            *when = st.st_mtim;
        else
            clock_gettime(CLOCK_REALTIME, when);
    }
    return 0;
}

int conmon_read_exit_file(const char *exit_dir, const char *id, int *code,
                          struct timespec *when, struct berr **err)
{
    _cleanup_free_ char *p = str_fmt("%s/%s", exit_dir, id);
    bool present;

    if (!p)
        return berr_oom(err);
    if (read_code(p, code, when, &present, err) < 0)
        return -1;
    return present ? 1 : 0;
}

int conmon_read_persist(const char *persist_dir, int *code, bool *oom, struct berr **err)
{
    _cleanup_free_ char *e = str_fmt("%s/exit", persist_dir), *o = str_fmt("%s/oom", persist_dir);
    bool present;

    if (!e || !o)
        return berr_oom(err);
    *oom = fs_exists(o);
    if (read_code(e, code, NULL, &present, err) < 0)
        return -1;
    return present ? 1 : 0;
}
