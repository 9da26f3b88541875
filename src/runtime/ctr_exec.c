/*
 * runtime/ctr_exec.c: exec sessions (container.h has the contract;
 * conmon's side is conmon_exec.c).
 *
 * A session lives in <bundle>/<session id>/: the process spec
 * (exec-process-XXXXXX: the container's own process from its config.json
 * with the exec's args, terminal, env, user, cwd and capabilities),
 * conmon's attach socket, ctl FIFO, exec_pid, conmon.pid, oci-log, and
 * exit/<container id>, the exit file. Its record in state.json is written
 * once the process runs (with its pid and conmon's) and removed when it
 * is reaped. The container's lock is held from the check that it runs
 * until the record is written (the runtime's exec takes part of that
 * time), and never while the process runs.
 *
 * The plain attached exec (no -t, -i or -d; no health check output or
 * timeout) goes without conmon
 * (exec_direct.c): berth runs the runtime's exec and waits for the
 * process itself, recorded as the session's monitor ("conmonPid"), and
 * reaps the session when it ends. The session's record, events, exit
 * codes and failures are the same either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/attach.h"
#include "runtime/cgprime.h"
#include "runtime/conmon.h"
#include "runtime/conmon_find.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/events.h"
#include "runtime/exec_direct.h"
#include "runtime/spec.h"
#include "runtime/user.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

extern char **environ;


/* podman's exec session states */
enum { EXEC_CREATED = 1, EXEC_RUNNING = 2, EXEC_STOPPED = 3 };

/* A session id as we make them (64 lower-case hex): never a path. */
static bool valid_sid(const char *sid)
{
    size_t n = strspn(sid, "0123456789abcdef");
    return n == STATE_ID_LEN && !sid[n];
}

static char *session_dir(struct runtime *rt, const char *id, const char *sid)
{
    _cleanup_free_ char *b = ctr_bundle_dir(rt, id);
    return b ? str_fmt("%s/%s", b, sid) : NULL;
}

/* ---- the process spec ---- */

/* Sets "K=V" in the env array, replacing K's earlier value. */
static int env_set(json_t *env, const char *kv)
{
    const char *eq = strchr(kv, '=');
    size_t kl = eq ? (size_t) (eq - kv) : strlen(kv);
    size_t i;
    json_t *v;

    json_array_foreach(env, i, v) {
        const char *s = json_string_value(v);
        if (s && strncmp(s, kv, kl) == 0 && s[kl] == '=')
            return json_array_set_new(env, i, json_string(kv));
    }
    return json_array_append_new(env, json_string(kv));
}

static bool env_has(json_t *env, const char *key)
{
    size_t kl = strlen(key), i;
    json_t *v;

    json_array_foreach(env, i, v) {
        const char *s = json_string_value(v);
        if (s && strncmp(s, key, kl) == 0 && s[kl] == '=')
            return true;
    }
    return false;
}

/* The names of our bounding set: what --privileged gives. */
static json_t *host_caps(void)
{
    _cleanup_free_ char *status = NULL;
    _cleanup_strv_ char **names = NULL;
    struct berr *e = NULL;
    const char *p;

    if (fs_read_file("/proc/self/status", &status, NULL, &e) < 0) {
        berr_free(e);
        return NULL;
    }
    p = strstr(status, "\nCapBnd:");
    if (!p)
        return NULL;
    names = spec_caps_from_mask(strtoull(p + 8, NULL, 16));
    return names ? js_strv(names) : NULL;
}

/* -u: the user looked up in the container's files, as podman 4.3.1's
 * exec does: the additional gids are the user's groups and the
 * container's --group-add groups (not the primary one). */
static int exec_user(json_t *proc, const char *rootfs, json_t *ctr_spec, const char *user,
                     struct berr **err)
{
    _cleanup_strv_ char **group_add = js_to_strv(json_object_get(ctr_spec, "groups"));
    struct ctr_user u = { 0 };
    json_t *pu = json_object_get(proc, "user"), *gids;
    int r = -1;

    if (user_resolve(rootfs, user, group_add, &u, err) < 0)
        return -1;
    if (!json_is_object(pu) && json_object_set_new(proc, "user", pu = json_object()) < 0)
        goto out;
    if (!(gids = json_array()) || json_object_set_new(pu, "additionalGids", gids) < 0)
        goto out;
    for (size_t i = 0; i < u.ngroups; i++)
        if (u.groups[i] != u.gid && json_array_append_new(gids, json_integer(u.groups[i])) < 0)
            goto out;
    if (js_set_int(pu, "uid", u.uid) < 0 || js_set_int(pu, "gid", u.gid) < 0)
        goto out;
    if (!env_has(json_object_get(proc, "env"), "HOME")) {
        _cleanup_free_ char *home = str_fmt("HOME=%s", u.home ? u.home : "/");
        if (!home || env_set(json_object_get(proc, "env"), home) < 0)
            goto out;
    }
    r = 0;
out:
    user_free(&u);
    return r < 0 && !*err ? berr_oom(err) : r;
}

/* Capabilities: --privileged gets all of ours; another user than root,
 * named with -u, gets no effective or permitted ones (as a process that
 * changes to that user would keep none). */
static int exec_caps(json_t *proc, const struct ctr_exec_opts *o, struct berr **err)
{
    json_t *caps = json_object_get(proc, "capabilities");
    json_int_t uid = json_integer_value(json_object_get(json_object_get(proc, "user"), "uid"));

    if (!json_is_object(caps))
        return 0;
    if (o->privileged) {
        json_t *all = host_caps();
        if (!all || json_object_set(caps, "bounding", all) < 0 ||
            json_object_set(caps, "effective", all) < 0 ||
            json_object_set(caps, "permitted", all) < 0) {
            json_decref(all);
            return berr_oom(err);
        }
        json_decref(all);
    }
    if (uid != 0 && o->user && *o->user && !o->privileged) {
        static const char *const sets[] = { "effective", "permitted", "ambient", "inheritable" };
        for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
            if (json_object_set_new(caps, sets[i], json_array()) < 0)
                return berr_oom(err);
    }
    return 0;
}

/* Writes the session's process spec into sdir; *path is its name. */
static int write_process(struct runtime *rt, struct ctr *c, const char *sdir,
                         const struct ctr_exec_opts *o, char **path, struct berr **err)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *cfgpath = NULL, *dump = NULL;
    _cleanup_free_ char *p = str_fmt("%s/exec-process-XXXXXX", sdir);
    _cleanup_json_ json_t *spec = NULL;
    _cleanup_close_ int fd = -1;
    json_t *proc, *env;
    const char *rootfs;

    if (!bundle || !p || !(cfgpath = str_fmt("%s/config.json", bundle)))
        return berr_oom(err);
    if (spec_load(cfgpath, &spec, err) < 0)
        return berr_wrap(err, "reading the OCI spec of container %s", c->id);
    proc = json_object_get(spec, "process");
    rootfs = js_str(json_object_get(spec, "root"), "path", NULL);
    if (!json_is_object(proc) || !rootfs)
        return berr_msg(err, "%s: no process or root", cfgpath);
    if (!json_is_array(env = json_object_get(proc, "env")) &&
        json_object_set_new(proc, "env", env = json_array()) < 0)
        return berr_oom(err);
    if (json_object_set_new(proc, "args", js_strv(o->cmd)) < 0 ||
        json_object_set_new(proc, "terminal", json_boolean(o->tty)) < 0)
        return berr_oom(err);
    json_object_del(proc, "consoleSize");
    for (size_t i = 0; o->env && o->env[i]; i++)
        if (env_set(env, o->env[i]) < 0)
            return berr_oom(err);
    if (o->workdir && *o->workdir && js_set_str(proc, "cwd", o->workdir) < 0)
        return berr_oom(err);
    if (o->user && *o->user &&
        exec_user(proc, rootfs, c->cfg.spec, o->user, err) < 0)
        return -1;
    if (!env_has(env, "HOME") && env_set(env, "HOME=/") < 0)
        return berr_oom(err);
    if (exec_caps(proc, o, err) < 0)
        return -1;
    if (!(dump = spec_dump(proc)))
        return berr_oom(err);
    fd = mkostemp(p, O_CLOEXEC);
    if (fd < 0)
        return berr_sys(err, "create %s", p);
    if (fs_write_all(fd, dump, strlen(dump)) < 0)
        return berr_sys(err, "write %s", p);
    *path = STEAL_PTR(p);
    return 0;
}

/* ---- records and events ---- */

static void emit(struct runtime *rt, struct ctr *c, const char *status, const char *sid,
                 int code)
{
    _cleanup_json_ json_t *attrs = c->cfg.labels ? json_copy(c->cfg.labels) : json_object();
    struct event ev = {
        .type = "container", .status = status, .id = c->id, .name = ctr_name(c),
        .image = ctr_image_name(c), .exit_code = code,
    };

    /* podman 4.3.1 means to record the session and loses it under the
     * labels (SPEC §5.3); berth keeps it */
    if (attrs && sid)
        (void) json_object_set_new(attrs, "execID", json_string(sid));
    ev.attributes = attrs ? attrs : c->cfg.labels;
    rt_event(rt, &ev);
}

/* Removes session sid from c's record (not saved), and with rm_dir its
 * directory, writing its exec_died event. */
static void finalize(struct runtime *rt, struct ctr *c, const char *sid, int code, bool rm_dir)
{
    _cleanup_free_ char *sdir = session_dir(rt, c->id, sid);
    _cleanup_free_ char *id = str_dup(sid);     /* sid may be the record's key */
    struct berr *e = NULL;

    if (!id)
        return;
    json_object_del(c->st.exec_sessions, id);
    if (!json_object_size(c->st.exec_sessions)) {
        json_decref(c->st.exec_sessions);
        c->st.exec_sessions = NULL;
    }
    if (rm_dir && sdir && fs_rm_rf(sdir, &e) < 0) {
        log_warn("container %s: exec session %s: %s", c->id, id, e->msg);
        berr_free(e);
    }
    emit(rt, c, "exec_died", id, code);
}

/* The code conmon left in the session's exit file; -1 when there is none. */
static int exit_file_code(struct runtime *rt, struct ctr *c, const char *sid)
{
    _cleanup_free_ char *sdir = session_dir(rt, c->id, sid);
    _cleanup_free_ char *exits = sdir ? str_fmt("%s/exit", sdir) : NULL;
    struct berr *e = NULL;
    int code = -1;

    if (exits && conmon_read_exit_file(exits, c->id, &code, NULL, &e) != 1)
        code = -1;
    berr_free(e);
    return code;
}

static bool session_alive(json_t *s, const char *pid_key, const char *start_key)
{
    json_int_t pid = json_integer_value(json_object_get(s, pid_key));
    json_int_t start = json_integer_value(json_object_get(s, start_key));

    return pid > 0 && proc_alive((pid_t) pid, (unsigned long long) start);
}

bool ctr_exec_reap(struct runtime *rt, struct ctr *c, bool all)
{
    _cleanup_strv_ strv gone = NULL;
    const char *sid;
    json_t *s;
    bool changed = false;

    json_object_foreach(c->st.exec_sessions, sid, s)
        if ((all || !session_alive(s, "conmonPid", "conmonStart")) && strv_push(&gone, sid) < 0)
            return false;
    for (size_t i = 0; gone && gone[i]; i++) {
        finalize(rt, c, gone[i], exit_file_code(rt, c, gone[i]), true);
        changed = true;
    }
    return changed;
}

int ctr_exec_cleanup(struct runtime *rt, struct ctr *c, const char *sid, struct berr **err)
{
    json_t *s = json_object_get(c->st.exec_sessions, sid);

    if (!s) {
        /* The attached exec reaped it already and left us its directory:
         * unlinking a dozen files can take ~10 ms on a busy disk, which
         * it spares the user's wait. */
        _cleanup_free_ char *sdir = session_dir(rt, c->id, sid);
        struct berr *e = NULL;
        if (!sdir)
            return berr_oom(err);
        if (valid_sid(sid) && fs_rm_rf(sdir, &e) < 0)
            log_warn("container %s: exec session %s: %s", c->id, sid, e->msg);
        berr_free(e);
        return 0;
    }
    if (session_alive(s, "pid", "pidStart"))
        return berr_kind(err, BK_STATE,
                         "cannot clean up container %s exec session %s as it is running: exec session state improper",
                         c->id, sid);
    finalize(rt, c, sid, exit_file_code(rt, c, sid), true);
    return ctr_save(rt, c, err);
}

/* The session's record, once its process runs. */
static int record(struct runtime *rt, struct ctr *c, const char *sid,
                  const struct ctr_exec_opts *o, pid_t pid, pid_t cpid, struct berr **err)
{
    unsigned long long pstart = 0, cstart = 0;
    json_t *s;

    (void) proc_start_time(pid, &pstart);
    if (cpid > 0)
        (void) proc_start_time(cpid, &cstart);
    s = json_pack("{s:s, s:i, s:i, s:I, s:i, s:I, s:o, s:b, s:b, s:b, s:b, s:s, s:s, s:I}",
                  "id", sid, "state", EXEC_RUNNING, "pid", (int) pid, "pidStart", (json_int_t) pstart,
                  "conmonPid", (int) cpid, "conmonStart", (json_int_t) cstart,
                  "command", js_strv(o->cmd), "terminal", o->tty, "attachStdin", o->interactive,
                  "detached", o->detach, "privileged", o->privileged,
                  "user", o->user ? o->user : "", "workDir", o->workdir ? o->workdir : "",
                  "startedNs", (json_int_t) time_now_ns());
    if (!s)
        return berr_oom(err);
    if (!c->st.exec_sessions && !(c->st.exec_sessions = json_object())) {
        json_decref(s);
        return berr_oom(err);
    }
    if (json_object_set_new(c->st.exec_sessions, sid, s) < 0)
        return berr_oom(err);
    return ctr_save(rt, c, err);
}

/* ---- conmon ---- */

struct exec_run {
    bool direct;                /* without conmon (exec_direct.c) */
    struct exec_direct d;
    struct ctr_rtcall x;
    char *conmon, *conmon_version, *sdir, *exits, *spec, *pidfile;
    strv exitcmd, env;
    struct conmon_opts co;
    struct conmon_exec h;
};

static void exec_run_free(struct exec_run *r)
{
    conmon_exec_close(&r->h);
    exec_direct_close(&r->d);
    ctr_rtcall_free(&r->x);
    free(r->conmon);
    free(r->conmon_version);
    free(r->sdir);
    free(r->exits);
    free(r->spec);
    free(r->pidfile);
    strv_free(r->exitcmd);
    strv_free(r->env);
}

/* Without conmon: no terminal and no stdin to relay or detach from,
 * nobody to stay after us (-d), no health check output or timeout, and
 * a runtime that logs its errors as JSON (what tells a failure to
 * start). The output comes on pipes, as from conmon. */
static bool direct_ok(const struct ctr_exec_opts *o, const struct oci_runtime *r)
{
    return !o->tty && !o->interactive && !o->detach && o->out_fd <= 0 && o->timeout_ms <= 0 &&
           r->supports_json;
}

static int exec_run_prepare(struct runtime *rt, struct ctr *c, const char *sid,
                            const struct ctr_exec_opts *o, struct exec_run *r, struct berr **err)
{
    r->h.sync_fd = r->h.start_fd = r->h.attach_fd = -1;
    r->d.out_fd = r->d.err_fd = -1;
    if (!(r->sdir = session_dir(rt, c->id, sid)) || !(r->exits = str_fmt("%s/exit", r->sdir)) ||
        !(r->pidfile = str_fmt("%s/exec_pid", r->sdir)))
        return berr_oom(err);
    if (ctr_rtcall_get(rt, &c->cfg, &r->x, err) < 0)
        return -1;
    r->direct = direct_ok(o, r->x.r);
    if (!r->direct &&
        conmon_find(rt->cfg, rt->cfg->static_dir, &r->conmon, &r->conmon_version, err) < 0)
        return -1;
    if (fs_mkdir_p(r->direct ? r->sdir : r->exits, 0755, err) < 0 ||
        write_process(rt, c, r->sdir, o, &r->spec, err) < 0 ||
        (!r->direct && ctr_exit_command(rt, c, sid, &r->exitcmd, err) < 0) ||
        conmon_env(rt->cfg->conmon_env_vars, environ, &r->env, err) < 0)
        return -1;
    r->co = (struct conmon_opts) {
        .conmon_path = r->conmon, .runtime_path = r->x.cli.path, .runtime_name = r->x.r->name,
        .runtime_flags = r->x.flags, .runtime_supports_json = r->x.r->supports_json,
        .id = c->id, .cuuid = sid, .name = ctr_name(c), .bundle = r->sdir, .rundir = r->sdir,
        .pidfile = r->pidfile,
        .exit_dir = r->exits, .systemd_cgroup = str_eq(rt->cfg->cgroup_manager, "systemd"),
        .log_driver = "none", .log_tag = c->cfg.log_tag, .log_level = rt->cfg->log_level,
        .syslog = rt->cfg->syslog, .terminal = o->tty, .stdin = o->interactive,
        .exit_command = r->exitcmd, .env = r->env, .exec_spec = r->spec,
        .preserve_fds = o->preserve_fds,
    };
    return 0;
}

static pid_t read_conmon_pid(const char *sdir)
{
    _cleanup_free_ char *p = str_fmt("%s/conmon.pid", sdir), *text = NULL;
    struct berr *e = NULL;
    long long v = 0;

    if (!p || fs_read_file(p, &text, NULL, &e) < 0 || str_to_ll(str_trim(text), &v) < 0)
        v = 0;
    berr_free(e);
    return (pid_t) v;
}

/* Streams the session's stdio until it ends or the detach keys. */
static int stream(struct runtime *rt, struct ctr *c, struct exec_run *r,
                  const struct ctr_exec_opts *o, int sock, bool *detached, struct berr **err)
{
    struct ctr_sigfwd sf = { .rt = rt, .id = c->id, .ctl_dir = r->sdir, .tty = o->tty };
    struct attach_io io = {
        .in_fd = o->interactive ? STDIN_FILENO : -1,
        .out_fd = o->out_fd > 0 ? o->out_fd : STDOUT_FILENO,
        .err_fd = o->out_fd > 0 ? o->out_fd : STDERR_FILENO, .detach_keys = o->detach_keys,
    };
    bool raw = o->tty && o->interactive && isatty(STDIN_FILENO);
    struct termios saved;
    int ret;

    if (raw && term_make_raw(STDIN_FILENO, &saved, err) < 0)
        return -1;
    if (o->tty && ctr_sigfwd_start(&sf, err) < 0) {
        if (raw)
            term_restore(STDIN_FILENO, &saved);
        return -1;
    }
    ret = attach_stream(sock, &io, detached, err);
    if (o->tty)
        ctr_sigfwd_stop(&sf);
    if (raw)
        term_restore(STDIN_FILENO, &saved);
    return ret;
}

/* Starts the process: the runtime's exec through conmon. With a socket
 * (attached), it is connected first. *pid, *cpid: the process, conmon. */
static int launch(struct exec_run *r, const struct ctr_exec_opts *o, int *sock, pid_t *pid,
                  pid_t *cpid, struct berr **err)
{
    if (conmon_exec_start(&r->co, &r->h, err) < 0)
        return -1;
    *cpid = read_conmon_pid(r->sdir);
    if (sock) {
        unsigned rows, cols;
        struct berr *e = NULL;
        if (o->tty && term_size(STDIN_FILENO, &rows, &cols) == 0 &&
            attach_resize(r->sdir, rows, cols, &e) < 0)
            berr_free(e);
        if (attach_connect(r->sdir, sock, err) < 0)
            return -1;
    }
    if (conmon_exec_go(&r->h, err) < 0)
        return -1;
    return conmon_exec_pid(&r->co, &r->h, pid, err);
}

/* The same without conmon: the process is ours once it runs. */
static int launch_direct(struct exec_run *r, struct ctr *c, const struct ctr_exec_opts *o,
                         pid_t *pid, pid_t *cpid, struct berr **err)
{
    _cleanup_free_ char *log = str_fmt("%s/oci-log", r->sdir);
    struct exec_direct_opts d = {
        .runtime_path = r->x.cli.path, .runtime_name = r->x.r->name,
        .runtime_flags = r->x.flags, .env = r->env, .id = c->id, .spec = r->spec,
        .pidfile = r->pidfile, .oci_log = log, .preserve_fds = o->preserve_fds,
    };

    if (!log)
        return berr_oom(err);
    *cpid = getpid();
    if (exec_direct_start(&d, &r->d, err) < 0)
        return -1;
    *pid = r->d.pid;
    return 0;
}

/* --timeout of a health check: a child that kills the process pid when
 * it has not ended within ms (it watches the process's pidfd; after the
 * fork it makes only async-signal-safe calls). 0 when none was needed. */
static pid_t watchdog_start(pid_t pid, long long ms)
{
    int fd = ms > 0 ? proc_pidfd(pid, 0) : -1;
    pid_t w;

    if (fd < 0)
        return 0;
    w = fork();
    if (w == 0) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        sigset_t term;
        int r;
        /* watchdog_end's SIGTERM ends it while it waits; once it has
         * decided to kill, SIGTERM waits until it has said so (exit 1) */
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        (void) signal(SIGTERM, SIG_DFL);
        (void) sigprocmask(SIG_UNBLOCK, &term, NULL);
        while ((r = poll(&p, 1, (int) ms)) < 0 && errno == EINTR)
            ;
        if (r == 0) {
            (void) sigprocmask(SIG_BLOCK, &term, NULL);
            (void) kill(-pid, SIGKILL);     /* its group, if it leads one */
            (void) kill(pid, SIGKILL);
            _exit(1);
        }
        _exit(0);
    }
    close(fd);
    return w > 0 ? w : 0;
}

/* Ends the watchdog; true when it killed the process. */
static bool watchdog_end(pid_t w)
{
    int ws;

    if (w <= 0)
        return false;
    (void) kill(w, SIGTERM);
    while (waitpid(w, &ws, 0) < 0)
        if (errno != EINTR)
            return false;
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 1;
}

int ctr_exec(struct runtime *rt, struct ctr *c, const struct ctr_exec_opts *o, int *code,
             char *session, struct berr **err)
{
    char sid[STATE_ID_LEN + 1];
    struct exec_run r = { 0 };
    _cleanup_close_ int sock = -1;
    pid_t pid = 0, cpid = 0, watchdog;
    bool detached = false;
    int ret = -1, status = -1, r_stream;

    *code = 0;
    if (ctr_state(c) != CS_RUNNING) {
        berr_kind(err, BK_STATE, "can only create exec sessions on running containers");
        (*err)->exit_code = CONMON_EXEC_FAILED;
        return -1;
    }
    if (!o->cmd || !o->cmd[0] || !*o->cmd[0]) {
        berr_kind(err, BK_INVALID, "must provide a non-empty command to start an exec session");
        (*err)->exit_code = CONMON_EXEC_FAILED;
        return -1;
    }
    if (state_new_id(sid, err) < 0)
        return -1;
    /* the runtime puts the process into the container's cgroup: the
     * kernel's wait for that paid beside the launch (cgprime.h) */
    cgprime_begin();
    bool launched = exec_run_prepare(rt, c, sid, o, &r, err) == 0 &&
                    (r.direct ? launch_direct(&r, c, o, &pid, &cpid, err)
                              : launch(&r, o, o->detach ? NULL : &sock, &pid, &cpid, err)) == 0;
    cgprime_end();
    if (!launched || record(rt, c, sid, o, pid, cpid, err) < 0) {
        struct berr *e = NULL;
        if (r.sdir && fs_rm_rf(r.sdir, &e) < 0)
            berr_free(e);
        /* podman: a session that did not start is its -1, whatever the
         * cause (a user not found, ...), unless the command could not be
         * invoked or found */
        if (*err && (*err)->exit_code == BERR_ENGINE)
            (*err)->exit_code = CONMON_EXEC_FAILED;
        goto out;
    }
    emit(rt, c, "exec", NULL, 0);
    if (o->detach) {
        memcpy(session, sid, sizeof(sid));
        ret = 0;
        goto out;
    }
    /* Never hold the container's lock while the process runs. */
    lock_release(&c->lock);
    if (r.direct) {
        if (exec_direct_wait(&r.d, STDOUT_FILENO, STDERR_FILENO, &status, err) < 0)
            goto out;
        goto ended;
    }
    watchdog = watchdog_start(pid, o->timeout_ms);
    r_stream = stream(rt, c, &r, o, sock, &detached, err);
    if (watchdog_end(watchdog) && o->timed_out)
        *o->timed_out = true;
    if (r_stream < 0)
        goto out;
    if (detached) {
        ret = 0;        /* it runs on; its exit command reaps it */
        goto out;
    }
    if (conmon_exec_wait(&r.h, -1, &status, err) < 0)
        goto out;
ended:
    *code = status;
    if (ctr_relock(rt, c, err) < 0)
        goto out;
    if (json_object_get(c->st.exec_sessions, sid)) {
        /* conmon's exit command removes the dir; without conmon, we do */
        finalize(rt, c, sid, status, r.direct);
        if (ctr_save(rt, c, err) < 0)
            goto out;
    }
    ret = 0;
out:
    exec_run_free(&r);
    return ret;
}
