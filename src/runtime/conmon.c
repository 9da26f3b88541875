/*
 * runtime/conmon.c: conmon's command line, environment and the create
 * handshake (SPEC-podman.md §2.1-2.3). Direct runtime calls, liveness and
 * exit records are in conmon_oci.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* berth's level names -> conmon's (logrus names). */
static const char *conmon_level(const char *l)
{
    if (!l || !*l || strcmp(l, "warn") == 0)
        return "warning";
    return l;
}

static bool is_debug(const char *l)
{
    return l && (strcmp(l, "debug") == 0 || strcmp(l, "trace") == 0);
}

#define PUSH(...) do { if (strv_push(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)
#define PUSHF(...) do { if (strv_pushf(&v, __VA_ARGS__) < 0) return berr_oom(err); } while (0)

int conmon_argv(const struct conmon_opts *o, strv *out, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    const char *drv = o->log_driver && *o->log_driver ? o->log_driver : "k8s-file";

    if (!v)
        return berr_oom(err);
    PUSH(o->conmon_path);
    PUSH("--api-version");
    PUSH("1");
    PUSH("-c");
    PUSH(o->id);
    PUSH("-u");
    PUSH(o->cuuid ? o->cuuid : o->id);
    PUSH("-r");
    PUSH(o->runtime_path);
    PUSH("-b");
    PUSH(o->bundle);
    PUSH("-p");
    if (o->pidfile)
        PUSH(o->pidfile);
    else
        PUSHF("%s/pidfile", o->rundir);
    PUSH("-n");
    PUSH(o->name ? o->name : o->id);
    PUSH("--exit-dir");
    PUSH(o->exit_dir);
    if (o->persist_dir) {
        PUSH("--persist-dir");
        PUSH(o->persist_dir);
    }
    PUSH("--full-attach");
    for (size_t i = 0; o->runtime_flags && o->runtime_flags[i]; i++) {
        PUSH("--runtime-arg");
        PUSH(o->runtime_flags[i]);
    }
    if (o->systemd_cgroup)
        PUSH("-s");
    PUSH("-l");
    if (strcmp(drv, "none") == 0 || strcmp(drv, "passthrough") == 0 || strcmp(drv, "journald") == 0) {
        PUSH(drv);
    } else {
        if (strcmp(drv, "k8s-file") != 0 && strcmp(drv, "json-file") != 0)
            log_error("unknown log driver %s, using k8s-file", drv);
        if (o->log_path)
            PUSHF("k8s-file:%s", o->log_path);
        else
            PUSHF("k8s-file:%s/ctr.log", o->bundle);
    }
    PUSH("--log-level");
    PUSH(conmon_level(o->log_level));
    if (is_debug(o->log_level) || o->syslog)
        PUSH("--syslog");
    if (o->log_size_max > 0) {
        PUSH("--log-size-max");
        PUSHF("%lld", o->log_size_max);
    }
    if (o->runtime_supports_json && !is_debug(o->log_level)) {
        PUSH("--runtime-arg");
        PUSH("--log-format=json");
        PUSH("--runtime-arg");
        PUSH("--log");
        PUSHF("--runtime-arg=%s/oci-log", o->rundir);
    }
    if (o->log_tag && *o->log_tag) {
        PUSH("--log-tag");
        PUSH(o->log_tag);
    }
    if (o->sdnotify_socket && *o->sdnotify_socket)
        PUSHF("--sdnotify-socket=%s", o->sdnotify_socket);
    if (o->cgroups_disabled) {
        PUSH("--runtime-arg");
        PUSH("--cgroup-manager");
        PUSH("--runtime-arg");
        PUSH("disabled");
    }
    if (o->exec_spec && o->preserve_fds) {
        PUSH("--runtime-opt");
        PUSH("--preserve-fds");
        PUSH("--runtime-opt");
        PUSHF("%u", o->preserve_fds);
    }
    /* a create has -t or -i; an exec may have both (podman's order) */
    if (o->terminal)
        PUSH("-t");
    if (o->stdin && (!o->terminal || o->exec_spec))
        PUSH("-i");
    if (o->timeout > 0)
        PUSHF("--timeout=%lld", o->timeout);
    if (o->no_new_keyring)
        PUSH("--no-new-keyring");
    if (o->no_sync_log)
        PUSH("--no-sync-log");
    if (!o->exec_spec && o->preserve_fds) {
        PUSH("--runtime-opt");
        PUSH("--preserve-fds");
        PUSH("--runtime-opt");
        PUSHF("%u", o->preserve_fds);
    }
    PUSH("--conmon-pidfile");
    if (o->conmon_pidfile)
        PUSH(o->conmon_pidfile);
    else
        PUSHF("%s/conmon.pid", o->rundir);
    if (o->no_pivot)
        PUSH("--no-pivot");
    if (o->exec_spec) {
        PUSH("-e");
        PUSH("--exec-attach");
        PUSH("--exec-process-spec");
        PUSH(o->exec_spec);
    }
    if (o->exit_command && o->exit_command[0]) {
        PUSH("--exit-command");
        PUSH(o->exit_command[0]);
        for (size_t i = 1; o->exit_command[i]; i++) {
            PUSH("--exit-command-arg");
            PUSH(o->exit_command[i]);
        }
    }
    *out = STEAL_PTR(v);
    return 0;
}

int conmon_exit_command(const struct exitcmd_opts *o, strv *out, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));

    if (!v)
        return berr_oom(err);
    PUSH(o->berth);
    if (o->config && *o->config) {
        PUSH("--config");
        PUSH(o->config);
    }
    PUSH("--root");
    PUSH(o->root ? o->root : "");
    PUSH("--runroot");
    PUSH(o->runroot ? o->runroot : "");
    PUSH("--log-level");
    PUSH(conmon_level(o->log_level));
    PUSH("--cgroup-manager");
    PUSH(o->cgroup_manager ? o->cgroup_manager : "cgroupfs");
    PUSH("--tmpdir");
    PUSH(o->tmpdir ? o->tmpdir : "");
    PUSH("--network-config-dir");
    PUSH(o->network_config_dir ? o->network_config_dir : "");
    PUSH("--network-backend");
    PUSH(o->network_backend ? o->network_backend : "netavark");
    PUSH("--volumepath");
    PUSH(o->volumepath ? o->volumepath : "");
    if (o->runtime && *o->runtime) {
        PUSH("--runtime");
        PUSH(o->runtime);
    }
    if (o->storage_driver && *o->storage_driver) {
        PUSH("--storage-driver");
        PUSH(o->storage_driver);
    }
    for (size_t i = 0; o->storage_opts && o->storage_opts[i]; i++) {
        PUSH("--storage-opt");
        PUSH(o->storage_opts[i]);
    }
    if (o->events_backend && *o->events_backend) {
        PUSH("--events-backend");
        PUSH(o->events_backend);
    }
    if (o->syslog || is_debug(o->log_level))
        PUSH("--syslog");
    PUSH("container");
    PUSH("cleanup");
    if (o->rm)
        PUSH("--rm");
    if (o->exec_session) {
        PUSH("--exec");
        PUSH(o->exec_session);
    }
    PUSH(o->id);
    *out = STEAL_PTR(v);
    return 0;
}

static int env_put(strv *v, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t) (eq - kv) : strlen(kv);

    for (size_t i = 0; *v && (*v)[i]; i++)
        if (strncmp((*v)[i], kv, kl) == 0 && (*v)[i][kl] == '=') {
            char *n = strdup(kv);
            if (!n)
                return -1;
            free((*v)[i]);
            (*v)[i] = n;
            return 0;
        }
    return strv_push(v, kv);
}

int conmon_env_set(strv *env, const char *kv)
{
    return env_put(env, kv);
}

static const char *env_lookup(char *const *envp, const char *k)
{
    size_t kl = strlen(k);

    for (size_t i = 0; envp && envp[i]; i++)
        if (strncmp(envp[i], k, kl) == 0 && envp[i][kl] == '=')
            return envp[i] + kl + 1;
    return NULL;
}

int conmon_env(char *const *conmon_env_vars, char *const *envp, strv *out, struct berr **err)
{
    static const char *const pass[] = { "CONTAINERS_CONF", "CONTAINERS_CONF_OVERRIDE",
                                        "BERTH_CONFIG" };
    static const char *const always[] = { "XDG_RUNTIME_DIR", "_CONTAINERS_USERNS_CONFIGURED",
                                          "_CONTAINERS_ROOTLESS_UID" };
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    const char *s;
    size_t i;

    if (!v)
        return berr_oom(err);
    for (i = 0; conmon_env_vars && conmon_env_vars[i]; i++)
        if (strchr(conmon_env_vars[i], '=') && env_put(&v, conmon_env_vars[i]) < 0)
            return berr_oom(err);
    if (env_put(&v, "_OCI_SYNCPIPE=3") < 0 || env_put(&v, "_OCI_STARTPIPE=4") < 0)
        return berr_oom(err);
    s = env_lookup(envp, "PATH");
    PUSHF("PATH=%s", s ? s : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (i = 0; i < ARRAY_SIZE(pass); i++)
        if ((s = env_lookup(envp, pass[i])))
            PUSHF("%s=%s", pass[i], s);
    for (i = 0; i < ARRAY_SIZE(always); i++) {
        s = env_lookup(envp, always[i]);
        if (getuid() == 0 && i == 0)
            s = "";             /* root: podman passes an empty runtime dir */
        PUSHF("%s=%s", always[i], s ? s : "");
    }
    s = env_lookup(envp, "HOME");
    PUSHF("HOME=%s", s ? s : "/");
    for (i = 0; envp && envp[i]; i++)
        if (str_has_prefix(envp[i], "LC_") && env_put(&v, envp[i]) < 0)
            return berr_oom(err);
    /* later entries win: drop the earlier duplicates PUSHF appended */
    for (i = 0; v[i]; i++) {
        const char *eq = strchr(v[i], '=');
        size_t kl = eq ? (size_t) (eq - v[i]) : strlen(v[i]);
        for (size_t j = i + 1; v[j]; j++)
            if (strncmp(v[j], v[i], kl) == 0 && v[j][kl] == '=') {
                free(v[i]);
                memmove(&v[i], &v[i + 1], (strv_len(v) - i) * sizeof(char *));
                i--;
                break;
            }
    }
    *out = STEAL_PTR(v);
    return 0;
}

#undef PUSH
#undef PUSHF

/* ---- errors ---- */

/* The line of msg containing any of the (case-insensitive) needles. */
static char *matching_line(const char *msg, const char *const *needles, bool icase)
{
    for (const char *p = msg; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t) (nl - p) : strlen(p);
        _cleanup_free_ char *line = str_ndup(p, len);
        p += len + (nl ? 1 : 0);
        if (!line)
            return NULL;
        for (size_t i = 0; needles[i]; i++)
            if (icase ? strcasestr(line, needles[i]) != NULL : strstr(line, needles[i]) != NULL)
                return STEAL_PTR(line);
    }
    return NULL;
}

static char *trim_nl(const char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
        n--;
    while (n && *s == '\n') {
        s++;
        n--;
    }
    return str_ndup(s, n);
}

int conmon_classify_error(const char *rt, const char *msg, bool full, struct berr **err)
{
    static const char *const perm[] = { "permission denied", "operation not permitted", NULL };
    static const char *const nf[] = { "executable file not found in", "no such file or directory", NULL };
    _cleanup_free_ char *line = NULL, *whole = trim_nl(msg ? msg : "");

    if (!whole)
        return berr_oom(err);
    if ((line = matching_line(whole, perm, true)))
        return berr_new(err, BERR_CANNOT_INVOKE, 0, "%s: %s: OCI permission denied", rt,
                        full ? whole : line);
    if ((line = matching_line(whole, nf, false)))
        return berr_new(err, BERR_NOT_FOUND, 0,
                        "%s: %s: OCI runtime attempted to invoke a command that was not found",
                        rt, full ? whole : line);
    return berr_new(err, BERR_CANNOT_INVOKE, 0, "%s: %s: OCI runtime error", rt, whole);
}

/* ---- create ---- */

/* What the child of conmon_spawn() needs, made before it runs: it shares
 * our memory (CLONE_VM) until its execve, so it allocates nothing. */
struct spawn_args {
    const char *path, *cwd;
    char *const *argv, *const *envp;
    const int *lifted;              /* fd base + i comes from lifted[i] */
    size_t nfds;
    int base;
    bool pdeathsig;
    pid_t parent;
    volatile int err;               /* the errno of the step that failed */
};

/* Not instrumented: it runs on a stack ASan does not know (its
 * no-return hook before _exit would warn). */
__attribute__((no_sanitize_address))
static int spawn_child(void *p)
{
    struct spawn_args *a = p;
    struct sigaction dfl = { .sa_handler = SIG_DFL };
    sigset_t none;

    /* the kernel's SIGKILL when we die; a parent already gone (killed
     * between clone and here) would never send it. (A dying process's
     * fds close a moment before its children are signalled: for a
     * conmon, conmon_create_spawn gives it a copy of our end of its
     * start pipe, so our death is no EOF there.) */
    if (a->pdeathsig && prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        goto fail;
    if (a->pdeathsig && getppid() != a->parent) {
        errno = ESRCH;
        goto fail;
    }
    for (int sig = 1; sig < NSIG; sig++)
        (void) sigaction(sig, &dfl, NULL);
    if (setpgid(0, 0) < 0)
        goto fail;
    /* the preserved fds are inherited where they are (in this child's
     * fd table only); fds go after them */
    for (int fd = 3; fd < a->base; fd++)
        if (fcntl(fd, F_SETFD, 0) < 0)
            goto fail;
    for (size_t i = 0; i < a->nfds; i++)
        if (dup2(a->lifted[i], a->base + (int) i) < 0)
            goto fail;
    if (chdir(a->cwd) < 0)
        goto fail;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(a->path, a->argv, a->envp);
fail:
    a->err = errno ? errno : EINVAL;
    _exit(127);
}

int conmon_spawn(const struct conmon_opts *o, char *const *argv, const int *fds, size_t nfds,
                 int base, pid_t *pid, struct berr **err)
{
    enum { STACK = 64 * 1024 };
    struct spawn_args a = { .path = o->conmon_path, .cwd = o->bundle, .argv = argv,
                            .envp = o->env, .nfds = nfds, .base = base,
                            .pdeathsig = o->die_with_parent, .parent = getpid() };
    _cleanup_free_ int *lifted = NULL;
    _cleanup_free_ char *stack = NULL;
    int above = base + (int) nfds < 64 ? 64 : base + (int) nfds, r = 0, ws;
    sigset_t all, old;
    pid_t p;

    if ((nfds && !(lifted = calloc(nfds, sizeof(int)))) || !(stack = malloc(STACK)))
        return berr_oom(err);
    for (size_t i = 0; i < nfds; i++)
        lifted[i] = -1;
    /* copies above every target number: no dup2 in the child lands on a
     * source; close-on-exec, so conmon keeps only the targets */
    for (size_t i = 0; i < nfds; i++)
        if ((lifted[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, above)) < 0) {
            r = berr_sys(err, "start conmon %s: duplicate fd %d", o->conmon_path, fds[i]);
            goto out;
        }
    a.lifted = lifted;
    /* as posix_spawn: the child runs on its own stack in our memory and
     * we wait until its execve; no signal handler of ours may run there */
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, &old);
    p = clone(spawn_child, stack + STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
    if (p < 0)
        r = berr_sys(err, "start conmon %s", o->conmon_path);
    sigprocmask(SIG_SETMASK, &old, NULL);
    if (p > 0 && a.err) {
        while (waitpid(p, &ws, 0) < 0 && errno == EINTR)
            ;
        r = berr_new(err, BERR_ENGINE, a.err, "start conmon %s", o->conmon_path);
    } else if (p > 0) {
        *pid = p;
    }
out:
    for (size_t i = 0; i < nfds; i++)
        if (lifted[i] >= 0)
            close(lifted[i]);
    return r;
}

int conmon_read_sync(int fd, int timeout_ms, long long *data, char **message,
                     struct berr **err)
{
    char buf[8192];
    struct pollfd p = { .fd = fd, .events = POLLIN };
    ssize_t n;
    json_t *j;
    json_error_t je;
    char *nl;
    int r;

    *message = NULL;
    do
        r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    if (r == 0)
        return berr_msg(err, "container creation timeout: internal libpod error");
    do
        n = recv(fd, buf, sizeof(buf) - 1, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return berr_sys(err, "container create failed (no logs from conmon)");
    if (n == 0)
        return berr_msg(err, "container create failed (no logs from conmon): EOF");
    buf[n] = '\0';
    if ((nl = strchr(buf, '\n')))
        *nl = '\0';
    j = json_loads(buf, 0, &je);
    if (!j || !json_is_integer(json_object_get(j, "data"))) {
        json_decref(j);
        return berr_msg(err, "container create failed (no logs from conmon): bad message %s", buf);
    }
    *data = json_integer_value(json_object_get(j, "data"));
    *message = str_dup(js_str(j, "message", NULL));
    json_decref(j);
    return 0;
}

static pid_t read_pid_file(const char *path)
{
    _cleanup_free_ char *text = NULL;
    struct berr *e = NULL;
    long long v;

    if (fs_read_file(path, &text, NULL, &e) < 0) {
        log_warn("reading conmon pid file %s: %s", path, e->msg);
        berr_free(e);
        return 0;
    }
    if (str_to_ll(str_trim(text), &v) < 0 || v <= 0) {
        log_warn("conmon pid file %s holds no pid", path);
        return 0;
    }
    return (pid_t) v;
}

char *conmon_failure_message(const struct conmon_opts *o, const char *message)
{
    _cleanup_free_ char *path = str_fmt("%s/oci-log", o->rundir), *text = NULL;
    struct berr *e = NULL;
    char *msg = NULL;

    if (path && fs_read_file(path, &text, NULL, &e) == 0)
        msg = conmon_oci_log_message(text);
    berr_free(e);
    if (!msg && message && *message)
        msg = str_dup(message);
    if (!msg)
        msg = str_dup("container create failed: internal libpod error");
    return msg;
}

/* The failure after a negative sync answer: oci-log, else the message. */
static int create_failed(const struct conmon_opts *o, const char *message, struct berr **err)
{
    _cleanup_free_ char *msg = conmon_failure_message(o, message);
    struct berr *e = NULL;
    struct oci_invoke rt = { .path = o->runtime_path, .name = o->runtime_name,
                              .flags = o->runtime_flags, .xdg_runtime_dir = "" };

    if (!msg)
        return berr_oom(err);
    conmon_classify_error(o->runtime_name ? o->runtime_name : "runtime", msg,
                          is_debug(o->log_level), err);
    /* podman: after a failed create the runtime may still hold the id */
    if (oci_delete(&rt, o->id, true, &e) < 0) {
        log_debug("cleaning up after the failed create of %s: %s", o->id, e->msg);
        berr_free(e);
    }
    return -1;
}

int conmon_create_spawn(const struct conmon_opts *o, struct conmon_early *h, struct berr **err)
{
    _cleanup_strv_ strv argv = NULL;
    _cleanup_close_ int sync_p = -1, sync_c = -1, start_p = -1, start_c = -1;
    int sp[2], st[2];
    /* --preserve-fds N: fds 3..3+N-1 stay, the pipes and extra fds after */
    int base = 3 + (int) o->preserve_fds;
    _cleanup_strv_ strv env = NULL;
    struct conmon_opts co = *o;

    h->pid = 0;
    h->sync_fd = h->start_fd = -1;
    /* the container's run dir (ctr_persist_dir), private as ctr_prepare
     * makes it, whichever of the two comes first */
    if (o->persist_dir && fs_mkdir_p(o->persist_dir, 0700, err) < 0)
        return -1;
    if (o->preserve_fds) {
        _cleanup_free_ char *kv1 = str_fmt("_OCI_SYNCPIPE=%d", base);
        _cleanup_free_ char *kv2 = str_fmt("_OCI_STARTPIPE=%d", base + 1);
        if (!(env = strv_copy(o->env)) || !kv1 || !kv2 || conmon_env_set(&env, kv1) < 0 ||
            conmon_env_set(&env, kv2) < 0)
            return berr_oom(err);
        co.env = env;
    }
    co.die_with_parent = true;
    if (conmon_argv(&co, &argv, err) < 0)
        return -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0 ||
        (sync_p = sp[0], sync_c = sp[1],
         socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st) < 0))
        return berr_sys(err, "socketpair for conmon");
    start_p = st[0];
    start_c = st[1];
    log_debug("running conmon: %s", argv[0]);
    {
        /* conmon also holds our end of its start pipe (last, after the
         * extra fds; unused, closed with them at the container's exit):
         * conmon takes EOF there for a start byte, and a dying process's
         * fds close a moment before the kernel signals its children
         * (PR_SET_PDEATHSIG), so with ours the only end, a conmon woken
         * by our death could fork on before its SIGKILL came. */
        size_t n = 2 + o->n_extra_fds + 1;
        _cleanup_free_ int *fds = calloc(n, sizeof(int));
        if (!fds)
            return berr_oom(err);
        fds[0] = sync_c;
        fds[1] = start_c;
        for (size_t i = 0; i < o->n_extra_fds; i++)
            fds[2 + i] = o->extra_fds[i];
        fds[n - 1] = start_p;
        if (conmon_spawn(&co, argv, fds, n, base, &h->pid, err) < 0)
            return -1;
    }
    h->sync_fd = STEAL_FD(sync_p);
    h->start_fd = STEAL_FD(start_p);
    return 0;
}

void conmon_create_abort(struct conmon_early *h)
{
    int ws;

    /* killed before its start pipe is closed: EOF there would start it */
    if (h->pid > 0) {
        (void) kill(h->pid, SIGKILL);
        while (waitpid(h->pid, &ws, 0) < 0 && errno == EINTR)
            ;
        h->pid = 0;
    }
    if (h->start_fd >= 0)
        close(STEAL_FD(h->start_fd));
    if (h->sync_fd >= 0)
        close(STEAL_FD(h->sync_fd));
}

int conmon_create_go(const struct conmon_opts *o, struct conmon_early *h,
                     struct conmon_result *res, struct berr **err)
{
    _cleanup_free_ char *message = NULL, *cpidfile = NULL;
    _cleanup_close_ int sync_p = STEAL_FD(h->sync_fd), start_p = STEAL_FD(h->start_fd);
    pid_t pid = h->pid;
    long long data = -1;
    char zero = 0;
    int ws;

    memset(res, 0, sizeof(*res));
    h->pid = 0;
    if (write(start_p, &zero, 1) != 1)
        log_debug("writing the start byte to conmon: %m");
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR)
            return berr_sys(err, "wait for conmon");
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0)
        log_debug("conmon exited with status %d", WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws));
    if (conmon_read_sync(sync_p, (o->sync_timeout > 0 ? o->sync_timeout : 240) * 1000, &data,
                         &message, err) < 0)
        return -1;
    if (data < 0)
        return create_failed(o, message, err);

    res->pid = (pid_t) data;
    cpidfile = o->conmon_pidfile ? str_dup(o->conmon_pidfile) : str_fmt("%s/conmon.pid", o->rundir);
    if (!cpidfile)
        return berr_oom(err);
    res->conmon_pid = read_pid_file(cpidfile);
    if (proc_start_time(res->pid, &res->start_time) < 0)
        res->start_time = 0;
    return 0;
}

int conmon_create(const struct conmon_opts *o, struct conmon_result *res, struct berr **err)
{
    struct conmon_early h;

    memset(res, 0, sizeof(*res));
    if (conmon_create_spawn(o, &h, err) < 0)
        return -1;
    return conmon_create_go(o, &h, res, err);
}
