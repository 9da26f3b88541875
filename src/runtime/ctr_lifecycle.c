/*
 * runtime/ctr_lifecycle.c: the container state machine (SPEC-podman.md
 * 3.3): init (conmon + runtime create), start, stop, kill, cleanup,
 * remove, restart, rename, wait.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "runtime/cgprime.h"
#include "runtime/cgreg.h"
#include "runtime/conmon.h"
#include "runtime/conmon_find.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_mounts.h"
#include "runtime/ctr_requires.h"
#include "runtime/ctr_view.h"
#include "runtime/health.h"
#include "runtime/ociruntime.h"
#include "runtime/pod.h"
#include "runtime/rtdelete.h"
#include "runtime/seccache.h"
#include "runtime/spec.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/mounts.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

extern char **environ;

/* Milliseconds since t0 (CLOCK_MONOTONIC). */
static long long elapsed_ms(const struct timespec *t0)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - t0->tv_sec) * 1000LL + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

void ctr_emit(struct runtime *rt, struct ctr *c, const char *status)
{
    struct event ev = {
        .type = "container", .status = status, .id = c->id, .name = ctr_name(c),
        .image = ctr_image_name(c), .attributes = c->cfg.labels,
    };
    rt_event(rt, &ev);
}

static void teardown_runtime(struct runtime *rt, struct ctr *c, bool defer,
                             void (*meanwhile)(struct runtime *, struct ctr *));
static bool delete_may_overlap(struct runtime *rt, struct ctr *c);

/* conmon's files of id's last run. dirs_go: the container's bundle and
 * run dirs are about to go whole (a removal), so only what lies outside
 * them goes here (each unlink of a file with data is an eviction, and a
 * discard on this kind of disk, on the path of run --rm's exit). */
static void conmon_files_gone(struct runtime *rt, const char *id, bool dirs_go)
{
    _cleanup_free_ char *exitf = ctr_exit_file(rt, id);
    _cleanup_free_ char *bundle = dirs_go ? NULL : ctr_bundle_dir(rt, id);
    static const char *const names[] = { "attach", "ctl", "winsz", "oom" };

    if (exitf)
        (void) unlink(exitf);
    ctr_persist_clear(rt, id, dirs_go);
    for (size_t i = 0; bundle && i < ARRAY_SIZE(names); i++) {
        _cleanup_free_ char *p = str_fmt("%s/%s", bundle, names[i]);
        if (p)
            (void) unlink(p);
    }
}

void ctr_remove_conmon_files(struct runtime *rt, const char *id)
{
    conmon_files_gone(rt, id, false);
}

int ctr_exit_command(struct runtime *rt, struct ctr *c, const char *exec_session, strv *out,
                     struct berr **err)
{
    struct config *cf = rt->cfg;
    struct exitcmd_opts o = {
        .berth = rt->argv0,
        .config = rt->g->config ? rt->g->config : getenv("BERTH_CONFIG"),
        .root = cf->graph_root, .runroot = cf->run_root, .tmpdir = cf->tmp_dir,
        .volumepath = cf->volume_path, .log_level = cf->log_level,
        .cgroup_manager = cf->cgroup_manager,
        .network_config_dir = cf->network_config_dir ? cf->network_config_dir : "",
        .network_backend = cf->network_backend,
        .runtime = rt->g->runtime, .storage_driver = cf->graph_driver,
        .events_backend = cf->events_logger, .storage_opts = cf->graph_driver_options,
        .syslog = cf->syslog,
        .rm = c->cfg.auto_remove && !exec_session,
        .exec_session = exec_session,
        .id = c->id,
    };
    return conmon_exit_command(&o, out, err);
}

/* conmon for a create, spawned before ctr_prepare so that its start-up
 * (dynamic loading, option parsing: ~6 ms) overlaps ours; the strings its
 * options point at live here. Freeing it kills a conmon not yet told to
 * go (conmon_create_abort). */
struct early_conmon {
    char *conmon, *conmon_version, *bundle, *rundir, *exits, *persist, *logp, *pidf, *cpidf;
    strv exitcmd, env;
    struct conmon_opts o;
    struct conmon_early h;
};
#define EARLY_CONMON_INIT { .h = { .pid = 0, .sync_fd = -1, .start_fd = -1 } }

static void early_conmon_free(struct early_conmon *e)
{
    conmon_create_abort(&e->h);
    free(e->conmon);
    free(e->conmon_version);
    free(e->bundle);
    free(e->rundir);
    free(e->exits);
    free(e->persist);
    free(e->logp);
    free(e->pidf);
    free(e->cpidf);
    strv_free(e->exitcmd);
    strv_free(e->env);
}

/* Spawns conmon for the runtime create of c (x's), waiting for its start
 * byte. Everything its command line, environment and fds hold is known
 * before ctr_prepare: paths from the id, the exit command, the env, the
 * runtime and its flags, the preserved fds and the reserved host ports
 * (they depend on the config only). Its cwd and log file are in the
 * bundle dir, made here (ctr_prepare keeps it). */
static int conmon_begin(struct runtime *rt, struct ctr *c, const struct ctr_rtcall *x,
                        struct early_conmon *e, struct berr **err)
{
    _cleanup_free_ int *fds = NULL;
    size_t nfds = 0;
    int r;

    e->bundle = ctr_bundle_dir(rt, c->id);
    e->rundir = ctr_run_dir(rt, c->id);
    e->exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    e->persist = ctr_persist_dir(rt, c->id);
    e->logp = ctr_log_path(rt, c);
    e->pidf = ctr_pid_file(rt, c);
    e->cpidf = ctr_conmon_pid_file(rt, c);
    if (!e->bundle || !e->rundir || !e->exits || !e->persist || !e->logp || !e->pidf || !e->cpidf)
        return berr_oom(err);
    if (conmon_find(rt->cfg, rt->cfg->static_dir, &e->conmon, &e->conmon_version, err) < 0)
        return -1;
    if (fs_mkdir_p(e->exits, 0750, err) < 0 || fs_mkdir_p(e->bundle, 0700, err) < 0 ||
        ctr_exit_command(rt, c, NULL, &e->exitcmd, err) < 0 ||
        conmon_env(rt->cfg->conmon_env_vars, environ, &e->env, err) < 0 ||
        ctr_net_reserve_ports(rt, c, &fds, &nfds, err) < 0)
        return -1;
    e->o = (struct conmon_opts) {
        .conmon_path = e->conmon, .runtime_path = x->cli.path, .runtime_name = x->r->name,
        .runtime_flags = x->flags, .runtime_supports_json = x->r->supports_json,
        .id = c->id, .name = ctr_name(c), .bundle = e->bundle, .rundir = e->rundir,
        .pidfile = e->pidf, .conmon_pidfile = e->cpidf, .preserve_fds = rt->preserve_fds,
        .exit_dir = e->exits, .persist_dir = e->persist,
        .systemd_cgroup = str_eq(rt->cfg->cgroup_manager, "systemd") &&
                          !str_eq(js_str(c->cfg.spec, "cgroupsMode", NULL), "split"),
        .cgroups_disabled = str_eq(js_str(c->cfg.spec, "cgroupsMode", NULL), "disabled"),
        .log_driver = c->cfg.log_driver, .log_path = e->logp, .log_tag = c->cfg.log_tag,
        .log_size_max = c->cfg.log_size_max,
        .sdnotify_socket = ctr_sdnotify_socket(c),
        .log_level = rt->cfg->log_level, .syslog = rt->cfg->syslog,
        .terminal = c->cfg.terminal, .stdin = c->cfg.stdin_open, .timeout = c->cfg.timeout,
        .no_pivot = rt->cfg->no_pivot_root, .no_sync_log = c->cfg.auto_remove,
        .exit_command = e->exitcmd, .extra_fds = fds, .n_extra_fds = nfds, .env = e->env,
    };
    /* the last start's spec goes first: nothing may create a container
     * from it (conmon holds our end of its start pipe, so our death is no
     * start byte: conmon_create_spawn; this is the second guard) */
    {
        _cleanup_free_ char *spec = str_fmt("%s/config.json", e->bundle);
        if (!spec)
            return berr_oom(err);
        if (unlink(spec) < 0 && errno != ENOENT)
            return berr_sys(err, "removing %s", spec);
    }
    r = conmon_create_spawn(&e->o, &e->h, err);
    /* conmon holds the reserved ports now (or nobody does) */
    for (size_t i = 0; i < nfds; i++)
        close(fds[i]);
    e->o.extra_fds = NULL;
    e->o.n_extra_fds = 0;
    return r;
}

/* Tells the early conmon to go: it runs `runtime create`; state becomes
 * created. */
static int conmon_finish(struct ctr *c, const struct ctr_rtcall *x, struct early_conmon *e,
                         struct berr **err)
{
    struct conmon_result res = { 0 };

    if (conmon_create_go(&e->o, &e->h, &res, err) < 0)
        return -1;
    seccache_store(c->seccache_miss, x->flags, c->id);
    c->seccache_miss = NULL;
    c->st.state = CS_CREATED;
    c->st.pid = res.pid;
    c->st.pid_start = res.start_time;
    c->st.conmon_pid = res.conmon_pid;
    {
        unsigned long long cs = 0;
        if (res.conmon_pid > 0 && proc_start_time(res.conmon_pid, &cs) == 0)
            c->st.conmon_start = cs;
    }
    return 0;
}

/* A transition that failed before its work was done: its intent goes
 * (the error is the caller's; the record is best effort). */
static void intent_failed(struct runtime *rt, struct ctr *c)
{
    struct berr *e = NULL;

    ctr_intent_end(c);
    if (ctr_save(rt, c, &e) < 0) {
        log_warn("container %s: %s", c->id, e->msg);
        berr_free(e);
    }
}

static void primer_stop(bool *on)
{
    if (*on)
        cgprime_end();
}

/* Initialises c (see ctr_init); the last write sets intent next (start's
 * "start") in the same write that records the init. x: the container's
 * OCI runtime, resolved here once for the spec, conmon and the caller
 * (ctr_rtcall_free is due either way). */
static int init_then(struct runtime *rt, struct ctr *c, const char *next, struct ctr_rtcall *x,
                     struct berr **err)
{
    _cleanup_(early_conmon_free) struct early_conmon e = EARLY_CONMON_INIT;
    int st = ctr_state(c), r;

    if (st == CS_CREATED || st == CS_RUNNING || st == CS_PAUSED || st == CS_STOPPING)
        return berr_kind(err, BK_STATE, "container %s has already been created in runtime", c->id);
    if (st == CS_STOPPED && ctr_cleanup(rt, c, err) < 0)
        return -1;
    if (st == CS_REMOVING || st == CS_UNKNOWN)
        return berr_kind(err, BK_STATE, "container %s is in state %s", c->id, ctr_state_name(st));
    /* a pod's member joins namespaces its infra holds: it runs first */
    if (js_str(c->cfg.rec, "pod", NULL) && !js_bool(c->cfg.rec, "isInfra", false) &&
        pod_start_infra(rt, js_str(c->cfg.rec, "pod", NULL), err) < 0)
        return -1;
    if (ctr_rtcall_get(rt, &c->cfg, x, err) < 0)
        return -1;
    ctr_remove_conmon_files(rt, c->id);
    (void) ctr_exec_reap(rt, c, true);  /* sessions of an earlier run */
    /* the kernel's wait before the runtime's first cgroup write, paid
     * from here on beside the work below (cgprime.h); stopped once the
     * runtime's create is done, or by any return before */
    cgprime_begin();
    _cleanup_(primer_stop) bool primed = true;
    /* conmon starts up while we prepare; it waits for its start byte and
     * dies with us (a kill of berth takes it along; every return before
     * conmon_finish kills and reaps it, e's cleanup) */
    if (conmon_begin(rt, c, x, &e, err) < 0)
        return -1;
    crash_point("init:conmon");
    /* written by ctr_prepare's first write, with the mounts it is about
     * to make: a kill from here on is undone by the next command */
    if (ctr_intent_set(c, "init") < 0)
        return berr_oom(err);
    if (ctr_prepare(rt, c, x->r, err) < 0) {
        conmon_create_abort(&e.h);
        ctr_unprepare(rt, c);
        intent_failed(rt, c);
        return -1;
    }
    crash_point("init:prepared");
    r = conmon_finish(c, x, &e, err);
    cgprime_end();
    primed = false;
    if (r < 0) {
        ctr_intent_end(c);
        ctr_unprepare(rt, c);
        return -1;
    }
    crash_point("init:created");
    c->st.exit_code = 0;
    c->st.exited = false;
    c->st.oom_killed = false;
    c->st.stopped_by_user = false;
    if (!c->st.restart_policy_match && !c->st.health_restart)
        c->st.restart_count = 0;
    c->st.restart_policy_match = false;
    c->st.health_restart = false;
    if (ctr_intent_set(c, next) < 0)
        return berr_oom(err);
    if (ctr_save(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "init");
    return 0;
}

/* Does c's start wait for the containers it requires (the lock let go)? */
static bool has_requires(const struct ctr *c)
{
    return json_array_size(json_object_get(c->cfg.spec, "requires")) > 0;
}

static int init_only(struct runtime *rt, struct ctr *c, const char *next, struct berr **err)
{
    struct ctr_rtcall x = { 0 };
    int r = init_then(rt, c, next, &x, err);

    ctr_rtcall_free(&x);
    return r;
}

int ctr_init(struct runtime *rt, struct ctr *c, struct berr **err)
{
    return init_only(rt, c, NULL, err);
}

int ctr_init_to_start(struct runtime *rt, struct ctr *c, struct berr **err)
{
    /* no start intent across --requires' wait: ctr_start lets the lock
     * go first, and only a live holder's intent is not abandoned */
    return init_only(rt, c, has_requires(c) ? NULL : "start", err);
}

/* Might the bundle's spec of id name a hook of stage ("poststart",
 * "poststop")? Yes unless its config.json reads and the stage's quoted
 * name is nowhere in it: the bytes are searched, not parsed, so a false
 * yes (the word in an argument) costs only the shortcut the caller
 * wanted, never a hook. */
static bool spec_may_hook(struct runtime *rt, const char *id, const char *stage)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, id), *path = NULL, *text = NULL;
    _cleanup_free_ char *key = str_fmt("\"%s\"", stage);
    size_t len = 0;
    struct berr *e = NULL;

    if (!bundle || !key || !(path = str_fmt("%s/config.json", bundle)) ||
        fs_read_file(path, &text, &len, &e) < 0) {
        berr_free(e);
        return true;
    }
    return memmem(text, len, key, strlen(key)) != NULL;
}

/* The runtime's start of c (created): crun's and runc's done here when
 * no poststart hook needs the runtime's own (oci_start_fifo), else
 * `<runtime> start`. */
static int runtime_start(struct runtime *rt, struct ctr *c, const struct ctr_rtcall *x,
                         struct berr **err)
{
    int r = 0;

    if (!spec_may_hook(rt, c->id, "poststart"))
        r = oci_start_fifo(&x->cli, c->id, c->st.pid, c->st.pid_start, err);
    if (r == 0)
        return oci_start(&x->cli, c->id, err);
    return r < 0 ? -1 : 0;
}

int ctr_start(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_(ctr_rtcall_free) struct ctr_rtcall x = { 0 };
    int st = ctr_state(c), r;

    if (st == CS_RUNNING)
        return 0;
    if (st == CS_PAUSED || st == CS_UNKNOWN || st == CS_REMOVING || st == CS_STOPPING)
        return berr_kind(err, BK_STATE, "container %s must be in Created or Stopped state to be started",
                         c->id);
    if (has_requires(c)) {
        if (ctr_requires_start(rt, c, err) < 0)
            return -1;
        st = ctr_state(c);      /* our lock may have been let go meanwhile */
        if (st == CS_RUNNING)
            return 0;
    }
    /* after ctr_init_to_start the intent is on disk: ctr_save skips */
    if (st != CS_CREATED ? init_then(rt, c, "start", &x, err) < 0
                         : ctr_intent_begin(rt, c, "start", err) < 0)
        return -1;
    crash_point("start:intent");
    /* init_then resolved it already */
    if (!x.r && ctr_rtcall_get(rt, &c->cfg, &x, err) < 0) {
        intent_failed(rt, c);
        return -1;
    }
    r = runtime_start(rt, c, &x, err);
    if (r < 0) {
        intent_failed(rt, c);
        return -1;
    }
    crash_point("start:started");
    c->st.state = CS_RUNNING;
    c->st.started_ns = time_now_ns();
    ctr_intent_end(c);
    ctr_health_started(rt, c);
    if (ctr_save(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "start");
    ctr_sdnotify_started(c);
    return 0;
}

/* Waits until the container's process is gone or ms pass. 1: gone. Its
 * pidfd wakes us the moment it exits; without one (old kernels), polls. */
static int wait_pid_gone(struct ctr *c, long long ms)
{
    pid_t pid = c->st.pid;
    unsigned long long start = c->st.pid_start;
    _cleanup_close_ int fd = -1;

    if (pid <= 0 || !proc_alive(pid, start))
        return 1;
    if (ms > 0 && (fd = proc_pidfd(pid, start)) >= 0)
        return proc_pidfd_wait(fd, ms) || !proc_alive(pid, start);
    for (long long waited = 0; waited < ms; waited += 20) {
        poll(NULL, 0, 20);
        if (!proc_alive(pid, start))
            return 1;
    }
    return 0;
}

/* Sleeps *nap ms, doubling it up to cap for the next time: a state that
 * changes at once is seen at once, a slow one costs few wake-ups. */
static void nap_backoff(long long *nap, long long cap)
{
    poll(NULL, 0, (int) *nap);
    *nap = *nap * 2 > cap ? cap : *nap * 2;
}

/* Has someone else recorded the exit already? conmon's exit command
 * (container cleanup) takes the lock as soon as we release it, records
 * the exit and removes the exit file: waiting for the file would then
 * wait for nothing. */
static bool exit_recorded(struct runtime *rt, struct ctr *c)
{
    struct ctr_runstate st;
    struct berr *e = NULL;
    enum ctr_state s;

    if (ctr_read(rt, c->id, NULL, &st, &e) < 0) {
        berr_free(e);
        return true;    /* gone or unreadable: nothing to wait for */
    }
    s = st.state;
    ctr_runstate_free(&st);
    return s != CS_RUNNING && s != CS_STOPPING && s != CS_CREATED && s != CS_PAUSED;
}

/* How often conmon's exit file is looked for once the container's
 * process has gone: conmon writes it within a few ms, so every 250 us
 * for the first 20 ms; a conmon that lives on without writing it is
 * looked at less and less often. */
static long long exit_file_step_us(long long spent_us)
{
    return spent_us < 20000 ? 250 : spent_us < 1000000 ? 2000 : 20000;
}

enum exit_file_wait { EXIT_FILE_LATE, EXIT_FILE_THERE, EXIT_FILE_CONMON_GONE };

/* Waits up to ms for path to appear while the process behind cpidfd
 * lives (*spent_us: the time looked for it so far, grown here; cpidfd
 * -1: none to watch, the steps are plain sleeps): EXIT_FILE_CONMON_GONE
 * when that process has exited (the file may never come),
 * EXIT_FILE_THERE when the file is there, EXIT_FILE_LATE when the time
 * ran out. One stat a step: no inotify (ctr_wait says why). */
static enum exit_file_wait await_exit_file(const char *path, int cpidfd, long long ms,
                                           long long *spent_us)
{
    struct pollfd p = { .fd = cpidfd, .events = POLLIN };
    struct stat sb;

    for (long long us = 0; us < ms * 1000;) {
        long long step = exit_file_step_us(*spent_us);
        struct timespec ts = { step / 1000000, (step % 1000000) * 1000 };

        if (stat(path, &sb) == 0)
            return EXIT_FILE_THERE;
        if (ppoll(&p, 1, &ts, NULL) > 0)
            return EXIT_FILE_CONMON_GONE;
        us += step;
        *spent_us += step;
    }
    return EXIT_FILE_LATE;
}

/* Waits, the lock released, up to ms for conmon's exit file once the
 * container's process is gone or SIGKILLed, then relocks (ctr_relock
 * records the exit the file holds, or an unknown one if conmon and the
 * process are both gone). Between chunks of 10 ms (or one step, when
 * steps are longer) it also asks whether conmon's exit command, free to
 * take the lock now, has recorded the exit and removed the file
 * already, and, where conmon has no pidfd (an old kernel, or gone
 * before we looked), whether conmon still lives. */
static int await_exit_relock(struct runtime *rt, struct ctr *c, long long ms, struct berr **err)
{
    _cleanup_free_ char *f = ctr_exit_file(rt, c->id);
    pid_t cp = c->st.conmon_pid, pid = c->st.pid;
    unsigned long long cstart = c->st.conmon_start, pstart = c->st.pid_start;
    _cleanup_close_ int cpidfd = proc_pidfd(cp, cstart), pidfd = -1;
    long long spent_us = 0, left = ms;
    bool conmon_gone = false;
    enum exit_file_wait w;
    struct timespec t0;

    lock_release(&c->lock);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (f && (left = ms - elapsed_ms(&t0)) > 0) {
        if (cpidfd < 0 && cp > 0 && !proc_alive(cp, cstart)) {
            conmon_gone = true;
            break;
        }
        w = await_exit_file(f, cpidfd, left < 10 ? left : 10, &spent_us);
        if (w == EXIT_FILE_CONMON_GONE)
            conmon_gone = true;
        if (w != EXIT_FILE_LATE || exit_recorded(rt, c))
            break;
    }
    /* conmon died without an exit file: nobody writes one. The process
     * we signalled is waited for itself (the rest of the time), so that
     * the relock's sync finds it gone, not still dying. */
    if (conmon_gone && pid > 0 && left > 0 && (pidfd = proc_pidfd(pid, pstart)) >= 0)
        (void) proc_pidfd_wait(pidfd, left);
    return ctr_relock(rt, c, err);
}

int ctr_stop(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err)
{
    struct ctr_rtcall x;
    int st = ctr_state(c);
    int sig = c->cfg.stop_signal;

    if (st == CS_CONFIGURED || st == CS_EXITED || st == CS_STOPPED) {
        /* already stopped: podman's CLI says nothing. A restart its policy
         * has pending (cleanup waiting out the back-off) is called off. */
        if (!c->st.restart_policy_match && !c->st.health_restart)
            return 0;
        c->st.restart_policy_match = false;
        c->st.health_restart = false;
        c->st.stopped_by_user = true;
        return ctr_save(rt, c, err);
    }
    if (st != CS_CREATED && st != CS_RUNNING && st != CS_STOPPING && st != CS_PAUSED)
        return berr_kind(err, BK_STATE, "can only stop created or running containers. %s is in state %s",
                         c->id, ctr_state_name(st));
    if (timeout < 0)
        timeout = c->cfg.stop_timeout;
    if (ctr_rtcall_get(rt, &c->cfg, &x, err) < 0) {
        ctr_rtcall_free(&x);
        return -1;
    }
    c->st.state = CS_STOPPING;
    c->st.stopped_by_user = true;
    /* with the process doing it: waiting without the lock, a stop is
     * abandoned only when its process is gone */
    if (ctr_intent_begin(rt, c, "stop", err) < 0) {
        ctr_rtcall_free(&x);
        return -1;
    }
    crash_point("stop:stopping");
    /* Never wait for a process while holding the container's lock. */
    lock_release(&c->lock);
    if (st == CS_PAUSED) {
        struct berr *e = NULL;
        if (oci_resume(&x.cli, c->id, &e) < 0)
            berr_free(e);
    }
    if (timeout > 0 && st != CS_CREATED) {
        struct berr *e = NULL;
        if (oci_kill(&x.cli, c->id, sig, false, &e) < 0)
            berr_free(e);   /* it may have exited already */
        if (!wait_pid_gone(c, timeout * 1000))
            log_warn("StopSignal %s failed to stop container %s in %lld seconds, resorting to SIGKILL",
                     sig == SIGTERM ? "SIGTERM" : strsignal(sig), ctr_name(c), timeout);
    }
    if (!wait_pid_gone(c, 0)) {
        struct berr *e = NULL;
        if (oci_kill(&x.cli, c->id, SIGKILL, false, &e) < 0)
            berr_free(e);
        if (!wait_pid_gone(c, 5000))
            log_warn("container %s: given PIDs did not die within timeout", c->id);
    }
    ctr_rtcall_free(&x);
    crash_point("stop:signalled");
    if (ctr_relock(rt, c, err) < 0)
        return -1;
    st = ctr_state(c);
    if (st == CS_STOPPING || st == CS_RUNNING || st == CS_CREATED) {
        if (await_exit_relock(rt, c, 5000, err) < 0)
            return -1;
        st = ctr_state(c);
        if (st == CS_STOPPING || st == CS_RUNNING || st == CS_CREATED) {
            /* conmon gave no exit code: record an unknown one */
            c->st.state = CS_STOPPED;
            c->st.exit_code = -1;
            c->st.finished_ns = time_now_ns();
            c->st.pid = 0;
            c->st.conmon_pid = 0;
        }
    }
    c->st.stopped_by_user = true;
    c->st.restart_policy_match = false;
    ctr_intent_end(c);
    if (ctr_save(rt, c, err) < 0)
        return -1;
    crash_point("stop:stopped");
    if (!c->in_removal)
        ctr_emit(rt, c, "stop");
    return ctr_cleanup(rt, c, err);
}

int ctr_kill(struct runtime *rt, struct ctr *c, int sig, struct berr **err)
{
    struct ctr_rtcall x;
    int st = ctr_state(c), r;

    if (st != CS_RUNNING && st != CS_STOPPING && st != CS_PAUSED)
        return berr_kind(err, BK_STATE, "can only kill running containers. %s is in state %s",
                         c->id, ctr_state_name(st));
    if (ctr_rtcall_get(rt, &c->cfg, &x, err) < 0) {
        ctr_rtcall_free(&x);
        return -1;
    }
    r = oci_kill(&x.cli, c->id, sig, false, err);
    ctr_rtcall_free(&x);
    if (r < 0)
        return -1;
    c->st.stopped_by_user = true;
    if (ctr_save(rt, c, err) < 0)
        return -1;
    ctr_emit(rt, c, "kill");
    if (sig == SIGKILL && await_exit_relock(rt, c, 5000, err) < 0)
        return -1;
    return 0;
}

static bool restart_due(struct ctr *c)
{
    const char *p = c->cfg.restart_policy;
    long long retries = c->cfg.restart_retries, count = c->st.restart_count;

    if (c->st.health_restart)
        return true;    /* --health-on-failure restart */
    if (!c->st.restart_policy_match)
        return false;
    if (!strcmp(p, "always") || !strcmp(p, "unless-stopped"))
        return true;
    if (!strcmp(p, "on-failure"))
        return c->st.exit_code != 0 && (retries <= 0 || count < retries);
    return false;
}

bool ctr_restart_due(struct ctr *c)
{
    return restart_due(c);
}

bool ctr_boot_wanted(const struct ctr *c)
{
    int st = ctr_state(c);

    if (st == CS_RUNNING || st == CS_PAUSED || st == CS_STOPPING || st == CS_REMOVING)
        return false;
    return str_eq(c->cfg.restart_policy, "always") ||
           (str_eq(c->cfg.restart_policy, "unless-stopped") && !c->st.stopped_by_user);
}

/* docker's back-off between restarts of a container that keeps failing:
 * 100 ms before the first, doubling while each run lasts under 10 s, back
 * to 100 ms after a longer run, at most a minute. The exit is recorded
 * first, and the wait holds no lock: a stop or rm meanwhile wins. */
static int restart_backoff(struct runtime *rt, struct ctr *c, struct berr **err)
{
    long long ran = c->st.finished_ns - c->st.started_ns, d = c->st.restart_delay_ms;
    struct timespec ts;

    d = d <= 0 || ran >= 10000000000LL ? 100 : d * 2 > 60000 ? 60000 : d * 2;
    c->st.restart_delay_ms = d;
    if (ctr_save(rt, c, err) < 0)
        return -1;
    lock_release(&c->lock);
    ts.tv_sec = d / 1000;
    ts.tv_nsec = (d % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
    return ctr_relock(rt, c, err);
}

/* ctr_cleanup; defer: the container is removed next (ctr_remove), so the
 * runtime's delete may go on while its storage goes. */
static int cleanup(struct runtime *rt, struct ctr *c, bool defer, struct berr **err)
{
    struct berr *e = NULL;
    int st = ctr_state(c);

    if (st == CS_RUNNING || st == CS_PAUSED)
        return berr_kind(err, BK_STATE, "container %s is running or paused, refusing to clean up", c->id);
    ctr_health_end(&c->st);
    if (st == CS_STOPPED || st == CS_STOPPING) {
        /* The process is gone: the runtime's delete (a Go binary, ~8 ms)
         * and our unmounting and network teardown touch nothing of each
         * other's, so they overlap. */
        teardown_runtime(rt, c, defer && !restart_due(c) && delete_may_overlap(rt, c),
                         ctr_unprepare);
    } else if (st == CS_REMOVING) {
        /* its remover was killed, maybe before its own cleanup (conmon's
         * exit command comes late): what it left of the runtime goes as
         * an interrupted removal's does; the next rm -f does the rest */
        ctr_reap(rt, c);
        ctr_unprepare(rt, c);
    } else {
        if (st == CS_CREATED)
            ctr_teardown_runtime(rt, c);
        ctr_unprepare(rt, c);
    }
    if (st == CS_STOPPED || st == CS_STOPPING)
        c->st.state = CS_EXITED;
    else if (st == CS_CREATED)
        c->st.state = CS_CONFIGURED;
    (void) ctr_exec_reap(rt, c, false);
    if (restart_due(c)) {
        if (restart_backoff(rt, c, err) < 0) {
            if ((*err)->kind != BK_NO_SUCH)
                return -1;
            berr_freep(err);    /* removed meanwhile: nothing to restart */
            return 0;
        }
        /* a stop or rm while we waited wins */
        if (!restart_due(c) || ctr_state(c) != CS_EXITED)
            return 0;
        /* init keeps restartCount while restartPolicyMatch is set */
        c->st.restart_count++;
        if (ctr_save(rt, c, err) < 0)
            return -1;
        ctr_emit(rt, c, "restart");
        return ctr_start(rt, c, err);
    }
    if (ctr_save(rt, c, err) < 0)
        return -1;
    if (state_exit_codes_prune(rt->st, 300, &e) < 0)
        berr_free(e);
    if (!c->in_removal)
        ctr_emit(rt, c, "cleanup");
    if (js_str(c->cfg.rec, "pod", NULL) && !js_bool(c->cfg.rec, "isInfra", false))
        pod_exit_policy(rt, js_str(c->cfg.rec, "pod", NULL));
    return 0;
}

int ctr_cleanup(struct runtime *rt, struct ctr *c, struct berr **err)
{
    return cleanup(rt, c, false, err);
}

void ctr_forget_runtime(struct runtime *rt, const struct ctr_config *cfg)
{
    const char *id = cfg->id ? cfg->id : "";
    struct ctr_rtcall x;
    struct berr *e = NULL;

    if (ctr_rtcall_get(rt, cfg, &x, &e) == 0 && oci_delete(&x.cli, id, true, &e) < 0)
        log_debug("container %s: runtime delete: %s", id, e->msg);
    berr_free(e);
    ctr_rtcall_free(&x);
}

/* A runtime delete left running: its handle and the call's runtime; or,
 * handed off to a child (rtdelete.h), the pipe to it. */
struct ctr_rtdelete {
    struct ctr_rtcall x;
    struct proc_job job;
    int handoff;            /* handed off: its rtdelete handle, else -1 */
};

void ctr_rt_delete_finish(struct ctr *c)
{
    struct ctr_rtdelete *d = c->rt_delete;
    struct berr *e = NULL;

    if (!d)
        return;
    c->rt_delete = NULL;
    /* a handed-off one (handoff >= 0) goes on in its child, forked as we exit */
    if (d->handoff < 0 && oci_delete_end(&d->x.cli, c->id, &d->job, &e) < 0) {
        log_debug("container %s: runtime delete: %s", c->id, e->msg);
        berr_free(e);
    }
    ctr_rtcall_free(&d->x);
    free(d);
}

/* May ctr_remove leave the runtime's delete running while it removes the
 * storage? Not when the delete runs poststop hooks: those may look at the
 * root file system or the bundle. */
static bool delete_may_overlap(struct runtime *rt, struct ctr *c)
{
    return !spec_may_hook(rt, c->id, "poststop");
}

/* The OCI runtime forgets the container (meanwhile, if given, runs while
 * its delete does); then conmon's files and the pids go. With defer (a
 * container ctr_remove removes next), the delete is left running in
 * c->rt_delete: ctr_remove_records waits for it once the storage is gone. */
static void teardown_runtime(struct runtime *rt, struct ctr *c, bool defer,
                             void (*meanwhile)(struct runtime *, struct ctr *))
{
    struct ctr_rtdelete *d = calloc(1, sizeof(*d));
    struct berr *e = NULL;
    bool have = d && ctr_rtcall_get(rt, &c->cfg, &d->x, &e) == 0, handed = false, begun;

    if (d)
        d->handoff = -1;
    /* an attached run --rm: nobody waits for this delete (rtdelete.c) */
    if (have && defer && c->rt_delete_handoff &&
        !(handed = rtdelete_handoff(rt, &d->x.cli, d->x.r->path, c->id, &d->handoff, &e) == 0)) {
        log_debug("container %s: runtime delete not handed off: %s", c->id, e->msg);
        berr_freep(&e);
    }
    begun = have && !handed && oci_delete_begin(&d->x.cli, c->id, &d->job, &e) == 0;
    if (meanwhile)
        meanwhile(rt, c);
    /* a handed-off one is run by its child, forked as we exit, which may
     * take the storage along (ctr_remove_records) */
    if ((handed || (begun && defer)) && !c->rt_delete) {
        c->rt_delete = d;
        d = NULL;
    } else if (begun && oci_delete_end(&d->x.cli, c->id, &d->job, &e) < 0) {
        begun = false;
    }
    if (!begun && !handed)
        log_debug("container %s: runtime delete: %s", c->id, e ? e->msg : "?");
    berr_free(e);
    if (d) {
        ctr_rtcall_free(&d->x);
        free(d);
    }
    conmon_files_gone(rt, c->id, defer);
    c->st.pid = 0;
    c->st.conmon_pid = 0;
}

void ctr_teardown_runtime(struct runtime *rt, struct ctr *c)
{
    teardown_runtime(rt, c, false, NULL);
}

/* Only the run dir's own: a --pidfile outlives its container, as podman's. */
static bool pidfile_exists(const char *rundir)
{
    _cleanup_free_ char *p = str_fmt("%s/pidfile", rundir);
    _cleanup_free_ char *q = str_fmt("%s/conmon.pid", rundir);
    return (p && access(p, F_OK) == 0) || (q && access(q, F_OK) == 0);
}

/* ctr_remove's cleanup of a container that is not running: "removing"
 * is written first, with what is still mounted and running as it is, and
 * the cleanup's own writes (unmounted, exited) are skipped: one write
 * where there were three, each a new file (ctr_save). A kill in between
 * leaves "removing", which rm (or an --rm container's exit command)
 * finishes from that record (ctr_reap, ctr_unprepare: undoing what is
 * already undone is harmless). Should the cleanup fail, the state before
 * is written back. The cleanup never lets the lock go here: ctr_remove
 * has turned its restarts off. */
static int clean_removing(struct runtime *rt, struct ctr *c, struct berr **err)
{
    enum ctr_state was = c->st.state;
    int r;

    c->st.state = CS_REMOVING;
    r = ctr_save(rt, c, err);
    c->st.state = was;
    if (r < 0)
        return -1;
    crash_point("rm:cleaning");
    c->saves_held = true;
    r = cleanup(rt, c, true, err);
    c->saves_held = false;
    if (r < 0) {
        struct berr *e = NULL;
        if (ctr_save(rt, c, &e) < 0)
            berr_free(e);
        return -1;
    }
    return 0;
}

int ctr_remove(struct runtime *rt, struct ctr *c, bool force, long long timeout,
               struct berr **err)
{
    _cleanup_free_ char *rundir = ctr_run_dir(rt, c->id);
    int st = ctr_state(c);
    bool removing_saved = false;    /* clean_removing wrote "removing" */

    /* podman's order: before anything is stopped, even with --force */
    if (ctr_deps_refuse(rt, c, err) < 0)
        return -1;
    if (c->damage)
        return ctr_remove_damaged(rt, c, force, err);
    if ((st == CS_RUNNING || st == CS_PAUSED || st == CS_STOPPING) && !force)
        return berr_kind(err, BK_STATE,
                         "cannot remove container %s as it is %s - running or paused containers cannot be removed without force",
                         c->id, st == CS_PAUSED ? "paused" : "running");
    /* A container being removed is never restarted, by its policy or
     * its health check; its stop and cleanup are part of the removal, as
     * podman's events have them (died, remove). */
    c->in_removal = true;
    c->st.restart_policy_match = false;
    c->st.health_restart = false;
    if (st == CS_RUNNING || st == CS_PAUSED || st == CS_STOPPING || st == CS_CREATED) {
        /* podman kills a paused container at once: it would not see a
         * stop signal before it is thawed anyway */
        if (ctr_stop(rt, c, st == CS_PAUSED ? 0 : timeout, err) < 0)
            return -1;
    } else if (st != CS_REMOVING && st != CS_CONFIGURED) {
        /* a configured container has nothing to clean up (a killed
         * init's leftovers are undone by its intent, an unrecorded
         * conmon below), and podman emits no cleanup for one */
        removing_saved = clean_removing(rt, c, err) == 0;
        if (!removing_saved && !force)
            return -1;
    }
    berr_freep(err);
    /* From here on a crash leaves "removing", and rm -f finishes the job.
     * The runtime teardown ran in stop/cleanup above; it must run here
     * only for an interrupted removal, or for a container still
     * "configured" whose conmon a killed berth may have started (its
     * files exist) without recording it. */
    if (st == CS_REMOVING || (st == CS_CONFIGURED && rundir && pidfile_exists(rundir))) {
        ctr_reap(rt, c);
        ctr_unprepare(rt, c);
    }
    c->st.state = CS_REMOVING;
    if (!removing_saved && ctr_save(rt, c, err) < 0)
        return -1;
    crash_point("rm:removing");
    return ctr_remove_records(rt, c, c->cfg.lock_id, err);
}

/* Moves dir into held, the staging dir the rootfs went to (its own dir,
 * renamed), as held/as, when both are on one file system: removed with
 * it, off the user's path. The names ("bundle", "run", "record") are no
 * names of a rootfs's. */
static bool put_aside(const char *dir, const char *held, const char *as)
{
    _cleanup_free_ char *dst = held ? str_fmt("%s/%s", held, as) : NULL;

    return dst && rename(dir, dst) == 0;
}

/* ctr_remove_records once the root file system is gone (held: where to,
 * when a detached child removes it). */
static int remove_records(struct runtime *rt, struct ctr *c, long long lock, const char *bundle,
                          const char *rundir, const char *held, struct berr **err)
{
    struct berr *e = NULL;

    crash_point("rm:storage");
    /* the runtime's delete cleanup left running: done before the bundle goes */
    ctr_rt_delete_finish(c);
    /* a mount the record does not know of would make the bundle busy */
    ctr_unmount_shm(rt, c->id);
    if ((bundle && !put_aside(bundle, held, "bundle") && mounts_rm_rf(bundle, &e) < 0) ||
        (rundir && !put_aside(rundir, held, "run") && mounts_rm_rf(rundir, &e) < 0)) {
        log_warn("container %s: %s", c->id, e->msg);
        berr_freep(&e);
    }
    {
        _cleanup_free_ char *aside = held ? str_fmt("%s/record", held) : NULL;
        if (state_delete_aside(rt->st, OBJ_CONTAINER, c->id, aside, err) < 0)
            return -1;
    }
    crash_point("rm:record");
    cgreg_drop(rt, c->id);
    ctr_deps_unlink(rt, c);
    if (js_str(c->cfg.rec, "pod", NULL))
        state_member_remove(rt->st, js_str(c->cfg.rec, "pod", ""), c->id);
    /* state_delete released the name; the lock goes last: a waiter on it
     * then finds the container gone. */
    if (lock >= 0 && lock_free(rt->locks, (unsigned) lock, &e) < 0) {
        log_warn("container %s: freeing lock %lld: %s", c->id, lock, e->msg);
        berr_free(e);
    }
    ctr_emit(rt, c, "remove");
    return 0;
}

/* The removal of a moved-aside rootfs (store_ctr_delete_held): for an
 * attached run --rm nobody waits for it, so a detached child does it
 * once we close lockfd: the child of the handed-off runtime delete when
 * there is one (sent is true), else one with no delete to run
 * (rtdelete_remover); killed, either leaves a leftover for the next
 * storage writer. When no child can take it, here. */
static void remove_held(struct runtime *rt, const char *id, const char *held, int lockfd,
                        bool sent)
{
    struct berr *e = NULL;
    int h = -1;

    if (!held)
        return;
    if (!sent && rtdelete_remover(rt, id, &h, &e) == 0) {
        sent = rtdelete_send(h, held);   /* its child waits for lockfd */
    }
    berr_freep(&e);
    if (!sent && mounts_rm_rf(held, &e) < 0) {
        log_debug("remove %s: %s", held, e->msg);
        berr_free(e);
    }
    if (lockfd >= 0)
        close(lockfd);
}

int ctr_remove_records(struct runtime *rt, struct ctr *c, long long lock, struct berr **err)
{
    _cleanup_free_ char *bundle = ctr_bundle_dir(rt, c->id), *rundir = ctr_run_dir(rt, c->id);
    _cleanup_free_ char *held = NULL;
    struct store *s;
    int heldfd = -1, r;
    bool sent = false;

    if (!c->cfg.rootfs &&
        (rt_store(rt, &s, err) < 0 ||
         (c->rt_delete_handoff ? store_ctr_delete_held(s, c->id, &held, &heldfd, err)
                               : store_ctr_delete(s, c->id, err)) < 0)) {
        if (heldfd >= 0)
            close(heldfd);      /* a leftover for the next writer */
        return berr_wrap(err, "removing container %s root filesystem", c->id);
    }
    /* the handed-off delete's child removes it next (remove_records
     * closes the socket); it waits for our lock on it, kept to the end */
    if (held && c->rt_delete && c->rt_delete->handoff >= 0)
        sent = rtdelete_send(c->rt_delete->handoff, held);
    r = remove_records(rt, c, lock, bundle, rundir, held, err);
    remove_held(rt, c->id, held, heldfd, sent);
    return r;
}

int ctr_remove_id(struct runtime *rt, const char *id, bool force, long long timeout,
                  struct berr **err)
{
    _cleanup_ctr_ struct ctr *c = NULL;

    if (ctr_get_id(rt, id, &c, err) < 0)
        return -1;
    return ctr_remove(rt, c, force, timeout, err);
}

int ctr_remove_depend(struct runtime *rt, struct ctr *c, bool force, long long timeout,
                      unsigned flags, char ***removed, struct berr **err)
{
    _cleanup_strv_ char **deps = NULL;

    if (ctr_dependents(rt, c->id, &deps, err) < 0)
        return -1;
    for (size_t i = 0; deps[i]; i++) {
        _cleanup_ctr_ struct ctr *d = NULL;
        struct berr *e = NULL;

        if (ctr_get_id(rt, deps[i], &d, &e) < 0) {
            if (e->kind != BK_NO_SUCH) {    /* one removed meanwhile is fine */
                *err = e;
                return -1;
            }
            berr_free(e);
            continue;
        }
        if (ctr_remove_depend(rt, d, force, timeout, flags, removed, err) < 0)
            return -1;
    }
    if (ctr_remove_flags(rt, c, force, timeout, flags, err) < 0)
        return -1;
    return strv_push(removed, c->id) < 0 ? berr_oom(err) : 0;
}

int ctr_restart(struct runtime *rt, struct ctr *c, long long timeout, struct berr **err)
{
    int st = ctr_state(c);

    if (st == CS_PAUSED || st == CS_UNKNOWN || st == CS_REMOVING)
        return berr_kind(err, BK_STATE, "unable to restart a container in a paused or unknown state");
    ctr_emit(rt, c, "restart");
    if ((st == CS_RUNNING || st == CS_CREATED || st == CS_STOPPING) &&
        ctr_stop(rt, c, timeout, err) < 0)
        return -1;
    return ctr_start(rt, c, err);
}

int ctr_rename(struct runtime *rt, struct ctr *c, const char *name, struct berr **err)
{
    _cleanup_free_ char *old = str_dup(ctr_name(c));
    int st = ctr_state(c);

    if (!old)
        return berr_oom(err);
    if (ctr_name_check(name, err) < 0)
        return -1;
    if (st == CS_REMOVING)
        return berr_kind(err, BK_STATE, "cannot rename container %s: it is being removed", c->id);
    if (str_eq(old, name))
        return 0;
    if (state_name_reserve(rt->st, name, OBJ_CONTAINER, c->id, err) < 0) {
        /* podman's words (the name held by a container or a pod) */
        if ((*err)->kind == BK_EXISTS) {
            berr_freep(err);
            return berr_plain(err, BK_EXISTS,
                              "renaming container %s: name %s already in use, cannot rename container %s: "
                              "container already exists", c->id, name, c->id);
        }
        return -1;
    }
    if (ctr_config_set(c, "name", json_string(name), err) < 0 ||
        ctr_config_write(rt, c, err) < 0) {
        struct berr *e = NULL;
        if (ctr_config_set(c, "name", json_string(old), &e) < 0)
            berr_freep(&e);
        if (state_name_release(rt->st, name, &e) < 0)
            berr_free(e);
        return -1;
    }
    /* the rename is done; a view not saved now is repaired later */
    ctr_view_repair(rt, c);
    {
        struct berr *e = NULL;
        if (state_name_release(rt->st, old, &e) < 0) {
            log_warn("container %s: releasing old name %s: %s", c->id, old, e->msg);
            berr_free(e);
        }
    }
    ctr_emit(rt, c, "rename");
    return 0;
}

/* Is state s one of those in mask? CS_EXITED in mask also means stopped. */
static bool state_in(int s, unsigned mask)
{
    if (mask & (1u << s))
        return true;
    return s == CS_STOPPED && (mask & (1u << CS_EXITED));
}

int ctr_wait(struct runtime *rt, const char *id, unsigned mask, long long timeout_ms,
             unsigned flags, int *code, struct berr **err)
{
    _cleanup_close_ int pidfd = -1, cpidfd = -1;
    _cleanup_free_ char *exitf = NULL;
    long long looked = 0;   /* us spent looking for the exit file */
    pid_t watched = 0, conmon = 0;
    unsigned long long conmon_start = 0;
    bool autoremove = false;    /* we remove it once it has exited */
    bool conmon_waited = false, conmon_gone = false, live = false;
    long long nap = 1;
    struct timespec t0;

    /* No inotify on the exit dir: closing an inotify instance waits for
     * an SRCU grace period, 10-25 ms at every exit of `run`. The
     * container's pidfd wakes us when its process exits; conmon writes
     * the exit file a millisecond or two later, then runs its exit
     * command (container cleanup) and waits for it (do_exit_command):
     * its pidfd wakes a plain waiter then, with the cleanup done, within
     * 100 ms. Not for autoremove: that wait lets the exit command take
     * the lock first and run the runtime's delete while an attached run
     * --rm waits; the exit file is looked for instead, often at first
     * (await_exit_file, one stat each; conmon's pidfd ends the wait at
     * once if conmon dies without one), so run removes the container
     * itself, handing the delete off (rtdelete.c). Without pidfds (an
     * old kernel), polling from 1 ms; every other change is found by
     * polling up to 100 ms apart (podman polls every 250 ms). */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        struct ctr *c = NULL;
        struct berr *e = NULL;
        long long left;
        pid_t pid;
        int s;

        /* a --rm container's exit found now is written with its
         * removal below */
        if (((flags & CTR_WAIT_AUTOREMOVE) ? ctr_get_id_removing(rt, id, &c, &e)
                                           : ctr_get_id(rt, id, &c, &e)) < 0) {
            /* Removed (--rm): the exit-code table still knows. */
            if (e && e->kind == BK_NO_SUCH && state_exit_code_get(rt->st, id, code, err) == 0) {
                berr_free(e);
                return 0;
            }
            berr_free(*err);
            *err = e;
            return -1;
        }
        s = ctr_state(c);
        /* podman: a container that never ran (no conmon) has no exit to
         * wait for; waiting for one returns its exit code, 0, at once */
        if (s == CS_CONFIGURED && c->st.conmon_pid == 0 && state_in(CS_EXITED, mask)) {
            *code = c->st.exit_code;
            ctr_put(c);
            return 0;
        }
        if (state_in(s, mask)) {
            /* podman: a state other than an exit answers -1 */
            if (s == CS_STOPPED || s == CS_EXITED)
                *code = c->st.exit_code;
            else
                *code = -1;
            c->rt_delete_handoff = flags & CTR_WAIT_AUTOREMOVE;
            if ((flags & CTR_WAIT_AUTOREMOVE) && (s == CS_STOPPED || s == CS_EXITED) &&
                c->cfg.auto_remove && ctr_remove_flags(rt, c, true, 0, CTR_RM_VOLUMES, &e) < 0) {
                log_debug("removing container %s: %s", id, e->msg);
                berr_free(e);
            }
            ctr_put(c);
            return 0;
        }
        pid = c->st.pid;
        if ((s == CS_RUNNING || s == CS_STOPPING || s == CS_PAUSED) && pid > 0 && pid != watched) {
            if (pidfd >= 0)
                close(pidfd);
            pidfd = proc_pidfd(pid, c->st.pid_start);
            watched = pid;
        }
        conmon = c->st.conmon_pid;
        conmon_start = c->st.conmon_start;
        autoremove = (flags & CTR_WAIT_AUTOREMOVE) && c->cfg.auto_remove;
        live = s == CS_RUNNING || s == CS_STOPPING || s == CS_PAUSED;
        ctr_put(c);
        left = timeout_ms < 0 ? 100 : timeout_ms - elapsed_ms(&t0);
        if (left <= 0)
            return berr_msg(err, "timed out waiting for container %s", id);
        if (pidfd >= 0 && proc_pidfd_wait(pidfd, left < 100 ? left : 100)) {
            close(pidfd);   /* gone: from now on the exit file is near */
            pidfd = -1;
            nap = 1;
        } else if (pidfd < 0 && live && conmon > 0 && !autoremove && !conmon_waited &&
                   (cpidfd = proc_pidfd(conmon, conmon_start)) >= 0) {
            /* its process gone, its exit not recorded yet. Once: a
             * conmon that outlives that is polled. */
            (void) proc_pidfd_wait(cpidfd, left < 100 ? left : 100);
            close(cpidfd);
            cpidfd = -1;
            conmon_waited = true;
        } else if (pidfd < 0 && live && conmon > 0 && autoremove && !conmon_gone &&
                   (cpidfd >= 0 || (cpidfd = proc_pidfd(conmon, conmon_start)) >= 0)) {
            /* its process gone, its exit not recorded yet: the exit
             * file is near; a dead conmon (no file coming) is polled */
            if (!exitf && !(exitf = ctr_exit_file(rt, id)))
                return berr_oom(err);
            conmon_gone = await_exit_file(exitf, cpidfd, left < 100 ? left : 100, &looked) ==
                          EXIT_FILE_CONMON_GONE;
        } else if (pidfd < 0) {
            if (nap > left)
                nap = left;
            nap_backoff(&nap, 100);
        }
    }
}
