/*
 * runtime/ctr_repair.c: what the next command does with what a killed
 * command or a damaged record left behind. The one place that reads a
 * container's records whatever they say, so that `system check --repair`
 * can build on it.
 *
 * Intents. A transition that spans several steps is written before its
 * work: "intent" in state.json names it ("create", "init", "start",
 * "stop") with the process doing it, and the transition's last write
 * clears it. When that process is gone (killed) the next command that
 * takes the container's lock finishes or undoes the work (ctr_recover,
 * from ctr_sync), deciding from evidence: the root file system in the
 * store, the OCI runtime's own `state`, conmon's process. Readers without
 * the lock (ps) show what the recovery will find (ctr_intent_view).
 *
 *   create  the record is written first, its root file system after:
 *           finished (the root file system made), or, with its image
 *           gone, the container is removed. A create that ran to its
 *           end does not write its record again to clear the intent
 *           (one state.json write per create): the root file system in
 *           the store is the evidence that it finished, so the next
 *           command that takes the lock finds nothing to do (a stat)
 *           and its own next write, if any, drops the intent. A create
 *           killed between the root file system and its event leaves no
 *           event (one killed before the root file system gets it from
 *           the command that finishes it);
 *   init    mounts, networking, conmon and `runtime create`: undone (a
 *           conmon and `runc init` may be left; they are stopped);
 *   start   `runtime start`: the runtime says whether it ran;
 *   stop    the signals (the lock is released while waiting, so only a
 *           dead owner means abandoned): a process still there keeps the
 *           state the runtime says; a gone one is an exit.
 * A removal needs no intent: state "removing" is written before its work
 * and rm -f finishes it.
 *
 * Damaged records. ctr_get_any reads a record leniently (a mistyped
 * field reads as absent; an empty, truncated, garbage or future-version
 * file as empty), locks it even without a usable lock number (the repair
 * lock, <tmp>/repair.lck), and decides its state from evidence alone.
 * ctr_remove then removes it by its id (ctr_remove_damaged): conmon and
 * the runtime's container, networking, mounts, storage, record, names.
 *
 * Lost state. A container's state.json is written without fsync
 * (state/record.c): a power loss may leave it missing, empty or torn.
 * The refresh of the next boot writes it anew from config.json
 * (ctr_state_rebuild) as create first wrote it: configured, with a
 * "create" intent that no process owns, so the next command that takes
 * the lock makes sure the root file system exists (finish_create). An
 * older state.json that a power loss brought back is reset by refresh
 * like any other, and an intent in it is finished as above. The root
 * file system and its storage record (rootfs.json) are not synced either:
 * refresh makes a missing one again from the image config.json names and
 * writes a lost or torn record anew (ctr_rootfs_repair).
 *
 * Orphans. A root file system in the store that no record names (an
 * older berth's killed create) is removed by rm --force of its id, as
 * podman removes a storage container it does not know
 * (ctr_remove_external).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_view.h"
#include "runtime/renumber.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

/* ---- intents ---- */

/* This process's start time, read once. */
static unsigned long long self_start(void)
{
    static unsigned long long t;

    if (!t && proc_start_time(getpid(), &t) < 0)
        t = 0;
    return t;
}

int ctr_intent_set(struct ctr *c, const char *op)
{
    if (ctr_set_str(&c->st.intent, op) < 0)
        return -1;
    c->st.intent_pid = op ? getpid() : 0;
    c->st.intent_start = op ? self_start() : 0;
    return 0;
}

int ctr_intent_begin(struct runtime *rt, struct ctr *c, const char *op, struct berr **err)
{
    if (ctr_intent_set(c, op) < 0)
        return berr_oom(err);
    return ctr_save(rt, c, err);
}

void ctr_intent_end(struct ctr *c)
{
    (void) ctr_intent_set(c, NULL);     /* NULL: nothing to copy, cannot fail */
}

bool ctr_intent_abandoned(const struct ctr_runstate *s, bool locked)
{
    bool mine;

    if (!s->intent)
        return false;
    mine = s->intent_pid == getpid() && s->intent_start == self_start();
    /* Only stop works without the lock: any other intent met by a holder
     * of the lock is a dead process's (or, in another pid namespace, one
     * whose pid says nothing here). */
    if (locked && !mine && !str_eq(s->intent, "stop"))
        return true;
    return !mine && !proc_running(s->intent_pid, s->intent_start);
}

/* ---- evidence ---- */

static bool live_state(int s)
{
    return s == CS_CREATED || s == CS_RUNNING || s == CS_PAUSED || s == CS_STOPPING;
}

/* The OCI runtime's own word on container id: 0 and *st (OCI_GONE when
 * it does not know it), -1 when it could not be asked. */
static int runtime_state(struct runtime *rt, const struct ctr_config *cfg, const char *id,
                         enum oci_status *st, pid_t *pid)
{
    struct ctr_rtcall x;
    struct berr *e = NULL;
    int r = ctr_rtcall_get(rt, cfg, &x, &e);

    if (r == 0)
        r = oci_state(&x.cli, id, st, pid, &e);
    if (r < 0) {
        log_debug("container %s: runtime state: %s", id, e ? e->msg : "?");
        berr_free(e);
    }
    ctr_rtcall_free(&x);
    return r;
}

static int state_of_oci(enum oci_status os)
{
    switch (os) {
    case OCI_RUNNING: return CS_RUNNING;
    case OCI_PAUSED: return CS_PAUSED;
    case OCI_CREATED: return CS_CREATED;
    case OCI_STOPPED: return CS_STOPPED;
    default: return CS_UNKNOWN;
    }
}

int ctr_intent_view(struct runtime *rt, const char *id, const struct ctr_runstate *s)
{
    struct ctr_config none = { .runtime = "" };     /* ps knows no runtime: the default */
    enum oci_status os;
    pid_t pid;

    if (str_eq(s->intent, "init"))
        return (int) s->state;          /* undone: the state before it */
    if (!str_eq(s->intent, "start") && !str_eq(s->intent, "stop"))
        return (int) s->state;
    /* the container's process is judged from its conmon and pid by the
     * caller; here only what the runtime says it is doing */
    if (runtime_state(rt, &none, id, &os, &pid) < 0)
        return (int) s->state;
    if (os == OCI_RUNNING || os == OCI_PAUSED || os == OCI_CREATED)
        return state_of_oci(os);
    return (int) s->state;
}

/* ---- reaping: what conmon and the runtime may still run ---- */

/* Waits up to ms while a process of the runtime works on id (the create
 * of a killed init goes on without its berth). */
static void wait_runtime_idle(const char *runtime_path, const char *id, long long ms)
{
    const char *base = strrchr(runtime_path, '/');

    base = base ? base + 1 : runtime_path;
    for (long long waited = 0; waited < ms && proc_running_with_arg(base, id); waited += 10)
        poll(NULL, 0, 10);
}

void ctr_reap(struct runtime *rt, struct ctr *c)
{
    struct ctr_rtcall x;
    struct berr *e = NULL;
    bool have_rt = ctr_rtcall_get(rt, &c->cfg, &x, &e) == 0;
    pid_t conmon;

    if (!have_rt) {
        log_warn("container %s: %s", c->id, e->msg);
        berr_freep(&e);
    } else {
        wait_runtime_idle(x.r->path, c->id, 10000);
    }
    /* conmon first: once it is gone it reports no exit and runs no exit
     * command for a container that may be started again at once */
    if ((conmon = proc_find_with_arg("conmon", c->id)) > 0) {
        (void) kill(conmon, SIGKILL);
        for (int i = 0; i < 100 && proc_running(conmon, 0); i++)
            poll(NULL, 0, 10);
    }
    if (have_rt && oci_kill(&x.cli, c->id, SIGKILL, true, &e) < 0)
        berr_freep(&e);     /* not running, or unknown to the runtime */
    if (have_rt && oci_delete(&x.cli, c->id, true, &e) < 0) {
        log_debug("container %s: runtime delete: %s", c->id, e->msg);
        berr_freep(&e);
    }
    ctr_rtcall_free(&x);
    ctr_remove_conmon_files(rt, c->id);
    c->st.pid = 0;
    c->st.pid_start = 0;
    c->st.conmon_pid = 0;
    c->st.conmon_start = 0;
}

/* ---- recovery of abandoned intents (locked) ---- */

bool ctr_create_finished(struct runtime *rt, const struct ctr_config *cfg, const char *id)
{
    if (cfg && (!cfg->image_id || cfg->rootfs))
        return true;
    /* a stat: inspect --why must not wait for the storage lock */
    return store_ctr_exists_at(rt->cfg->graph_root, id);
}

/* create: the root file system is made (and the create event written
 * that the killed create did not); without its image the container is
 * removed (1). One already there, or none to make (--rootfs), is a
 * create that ran to its end (create leaves its intent for the next
 * write to clear, see the top): nothing to do or to write (2). */
static int finish_create(struct runtime *rt, struct ctr *c, struct berr **err)
{
    struct store_rootfs r = { 0 };
    struct berr *e = NULL;
    struct store *s;

    if (ctr_create_finished(rt, &c->cfg, c->id))
        return 2;
    if (rt_store(rt, &s, err) < 0)
        return -1;
    if (store_ctr_create(s, c->cfg.image_id, c->id, c->cfg.auto_remove, &r, &e) < 0 &&
        e->kind != BK_EXISTS) {
        log_warn("container %s: its create was interrupted and cannot be finished (%s): removing it",
                 c->id, e->msg);
        berr_free(e);
        if (ctr_remove(rt, c, true, 0, err) < 0)
            return -1;
        return 1;
    }
    berr_free(e);
    store_rootfs_free(&r);
    ctr_emit(rt, c, "create");
    return 0;
}

/* init: conmon, the runtime's container, mounts and networking go; the
 * state is the one before (configured, or exited with its exit kept). */
static void undo_init(struct runtime *rt, struct ctr *c)
{
    ctr_reap(rt, c);
    ctr_unprepare(rt, c);
    if (live_state(ctr_state(c)))
        c->st.state = c->st.exited ? CS_EXITED : CS_CONFIGURED;
}

/* start, stop: a process the runtime still runs keeps the state the
 * runtime says; otherwise ctr_sync's evidence (exit file, processes)
 * decides after this. */
static void settle_from_runtime(struct runtime *rt, struct ctr *c)
{
    enum oci_status os;
    pid_t pid;

    if (runtime_state(rt, &c->cfg, c->id, &os, &pid) < 0)
        return;
    if (os != OCI_RUNNING && os != OCI_PAUSED && os != OCI_CREATED)
        return;
    if (os != OCI_CREATED && ctr_state(c) == CS_CREATED) {
        /* the start that was not recorded: about when its process began */
        long long t = proc_ticks_to_unix_ns(c->st.pid_start);
        c->st.started_ns = t > 0 ? t : time_now_ns();
    }
    c->st.state = state_of_oci(os);
}

int ctr_recover(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_free_ char *op = str_dup(c->st.intent);
    int r = 0;

    if (!op)
        return berr_oom(err);
    log_debug("container %s: finishing what a killed %s left (process %d)", c->id, op,
              (int) c->st.intent_pid);
    if (str_eq(op, "create"))
        r = finish_create(rt, c, err);
    else if (str_eq(op, "init"))
        undo_init(rt, c);
    else if (str_eq(op, "start") || str_eq(op, "stop"))
        settle_from_runtime(rt, c);
    if (r < 0)
        return -1;
    if (r == 1)
        return berr_kind(err, BK_NO_SUCH, "no container with ID %s found: no such container",
                         c->id);
    ctr_intent_end(c);
    /* a finished create's intent goes with the next write of this
     * command, if any: left on disk it means the same (finish_create) */
    return r == 2 ? 0 : ctr_save(rt, c, err);
}

/* ---- lost state (refresh) ---- */

int ctr_state_rebuild(struct runtime *rt, const char *id, struct ctr_config *cfg,
                      struct ctr_runstate *st, struct berr **err)
{
    struct ctr c = { 0 };
    _cleanup_json_ json_t *rec = NULL;

    if (!state_lost(rt->st, OBJ_CONTAINER, id))
        return 1;
    snprintf(c.id, sizeof(c.id), "%s", id);
    if (ctr_read(rt, id, &c.cfg, NULL, err) < 0)
        return -1;
    rec = ctr_state_first(c.cfg.rec);
    if (!rec || ctr_runstate_parse(rec, id, &c.st, err) < 0) {
        ctr_config_free(&c.cfg);
        return rec ? -1 : berr_oom(err);
    }
    /* owned by nobody: this process goes on to take the lock itself */
    c.st.intent_pid = 0;
    c.st.intent_start = 0;
    if (ctr_save(rt, &c, err) < 0) {
        ctr_config_free(&c.cfg);
        ctr_runstate_free(&c.st);
        return -1;
    }
    log_warn("container %s: its state was lost (a power loss?): rebuilt from its config", id);
    *cfg = c.cfg;
    *st = c.st;
    return 0;
}

void ctr_rootfs_repair(struct runtime *rt, struct ctr *c)
{
    struct berr *e = NULL;
    struct store *s;
    bool done = false;

    if (!c->cfg.image_id || c->cfg.rootfs || ctr_state(c) == CS_REMOVING)
        return;
    if (rt_store(rt, &s, &e) < 0 ||
        store_ctr_repair(s, c->cfg.image_id, c->id, c->cfg.auto_remove,
                         json_object_get(c->cfg.spec, "uidMap"),
                         json_object_get(c->cfg.spec, "gidMap"), &done, &e) < 0) {
        log_warn("container %s: its root file system was lost (a power loss?) and cannot be "
                 "made again: %s", c->id, e->msg);
        berr_free(e);
    } else if (done) {
        log_warn("container %s: its root file system or its record was lost (a power loss?): "
                 "made again from its image", c->id);
    }
}

int ctr_unfinished_create(struct runtime *rt, const char *id, struct berr **err)
{
    _cleanup_json_ json_t *st = NULL;
    struct berr *e = NULL;
    struct ctr *c = NULL;
    int r;

    if (!state_config_lost(rt->st, OBJ_CONTAINER, id))
        return 0;
    if (!state_lost(rt->st, OBJ_CONTAINER, id)) {
        r = state_read(rt->st, OBJ_CONTAINER, id, NULL, &st, &e);
        berr_free(e);
        if (r < 0 || !str_eq(js_str(st, "intent", NULL), "create"))
            return 0;
        /* a create that ran to its end keeps its intent too (see the
         * top): its root file system, made only after config.json's
         * sync, says that this config.json was whole once, so what tore
         * it was no power loss in the create's window (a damaged record,
         * for rm -f) */
        if (ctr_create_finished(rt, NULL, id))
            return 0;
    }
    log_warn("container %s: its create did not finish before a power loss: removing what it left",
             id);
    if (ctr_get_id_any(rt, id, &c, err) < 0)
        return -1;
    r = ctr_remove_damaged(rt, c, true, err);
    ctr_put(c);
    return r < 0 ? -1 : 1;
}

/* ---- damaged records ---- */

/* Keeps the first problem (a later one is dropped), without the
 * "container <id>: " its message starts with: whoever shows it names the
 * container already. */
static void note(char **damage, const char *id, const char *msg)
{
    size_t n = strlen(id);

    if (*damage)
        return;
    if (!msg)
        msg = "unreadable";
    if (str_has_prefix(msg, "container ") && strncmp(msg + 10, id, n) == 0 &&
        str_has_prefix(msg + 10 + n, ": "))
        msg += 12 + n;
    /* a reader's message names the file by its path: its name says it */
    for (const char *p = strstr(msg, id); p; p = strstr(p + 1, id))
        if (p[n] == '/' && (p == msg || p[-1] == '/') && strchr(msg, '/') < p) {
            msg = p + n + 1;
            break;
        }
    *damage = str_dup(msg);
}

/* One file of the record, leniently: 0 with *out an object (an empty
 * one if the file is no record), -1 when the record is gone or on out
 * of memory. */
static int read_lenient(struct runtime *rt, const char *id, bool config, json_t **out,
                        char **damage, struct berr **err)
{
    struct berr *e = NULL;
    int r = state_read(rt->st, OBJ_CONTAINER, id, config ? out : NULL, config ? NULL : out, &e);

    if (r == 0)
        return 0;
    if (e->kind == BK_NO_SUCH || e->errnum == ENOMEM) {
        berr_free(*err);
        *err = e;
        return -1;
    }
    note(damage, id, e->msg);
    berr_free(e);
    *out = json_object();
    return *out ? 0 : berr_oom(err);
}

int ctr_read_salvage(struct runtime *rt, const char *id, struct ctr_config *cfg,
                     struct ctr_runstate *st, char **damage, struct berr **err)
{
    _cleanup_json_ json_t *cj = NULL, *sj = NULL;

    memset(cfg, 0, sizeof(*cfg));
    memset(st, 0, sizeof(*st));
    *damage = NULL;
    if (read_lenient(rt, id, true, &cj, damage, err) < 0 ||
        read_lenient(rt, id, false, &sj, damage, err) < 0 ||
        ctr_config_parse_salvage(cj, id, cfg, damage, err) < 0)
        goto fail;
    if (ctr_runstate_parse_salvage(sj, id, st, damage, err) < 0) {
        ctr_config_free(cfg);
        goto fail;
    }
    if (*damage) {      /* the parsers' message: stripped like the readers' */
        char *d = STEAL_PTR(*damage);
        note(damage, id, d);
        free(d);
        if (!*damage) {
            ctr_config_free(cfg);
            ctr_runstate_free(st);
            return berr_oom(err);
        }
    }
    return 0;
fail:
    free(STEAL_PTR(*damage));
    return -1;
}

/* The lock number a config names, -1 when it names none usable. */
static long long lock_num(const struct ctr_config *cfg)
{
    return cfg->lock_id >= 0 && cfg->lock_id <= (long long) UINT32_MAX ? cfg->lock_id : -1;
}

/* Takes the container's lock, or the repair lock when its record names
 * no lock that is allocated: 0, or -1. */
static int lock_damaged(struct runtime *rt, long long n, struct lock *l, bool *repair,
                        struct berr **err)
{
    _cleanup_free_ char *path = NULL;
    struct berr *e = NULL;

    *repair = false;
    if (n >= 0) {
        if (lock_acquire(rt->locks, (unsigned) n, l, &e) == 0)
            return 0;
        if (e->kind != BK_NO_SUCH) {
            berr_free(*err);
            *err = e;
            return -1;
        }
        berr_free(e);
    }
    *repair = true;
    path = str_fmt("%s/repair.lck", rt->cfg->tmp_dir);
    return path ? lock_path(path, true, l, err) : berr_oom(err);
}

/* What the evidence says of a container whose state record cannot be
 * trusted: conmon's exit file, else the runtime's word, else what the
 * record says if that is not a live state. In c->st only (not saved). */
static void decide_damaged_state(struct runtime *rt, struct ctr *c)
{
    _cleanup_free_ char *exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    struct ctr_runstate *s = &c->st;
    struct timespec when;
    struct berr *e = NULL;
    enum oci_status os;
    pid_t pid = 0;
    int code;

    if (exits && conmon_read_exit_file(exits, c->id, &code, &when, &e) == 1) {
        s->state = CS_STOPPED;
        s->exit_code = code;
        s->finished_ns = (long long) when.tv_sec * 1000000000LL + when.tv_nsec;
        return;
    }
    berr_free(e);
    if (runtime_state(rt, &c->cfg, c->id, &os, &pid) == 0 && os != OCI_GONE) {
        s->state = state_of_oci(os);
        s->pid = pid;
        s->pid_start = 0;
        if (pid > 0 && proc_start_time(pid, &s->pid_start) < 0)
            s->pid_start = 0;
        return;
    }
    if (live_state(s->state) || s->state == CS_UNKNOWN || s->state > CS_STOPPING)
        s->state = s->exited ? CS_EXITED : CS_CONFIGURED;
    s->pid = 0;
}

static int get_damaged(struct runtime *rt, const char *id, struct ctr **out, struct berr **err)
{
    for (int attempt = 0; attempt < 3; attempt++) {
        struct ctr *c = calloc(1, sizeof(*c));
        struct ctr_config cfg;
        struct ctr_runstate st;
        char *damage = NULL;
        long long want;

        if (!c)
            return berr_oom(err);
        c->lock.fd = -1;
        snprintf(c->id, sizeof(c->id), "%s", id);
        if (ctr_read_salvage(rt, id, &cfg, &st, &damage, err) < 0) {
            free(c);
            return -1;
        }
        want = lock_num(&cfg);
        ctr_config_free(&cfg);
        ctr_runstate_free(&st);
        free(damage);
        if (lock_damaged(rt, want, &c->lock, &c->repair_lock, err) < 0) {
            free(c);
            return -1;
        }
        /* Read again under the lock: it may have been removed, repaired
         * or given another lock meanwhile. */
        if (ctr_read_salvage(rt, id, &c->cfg, &c->st, &c->damage, err) < 0) {
            ctr_put(c);
            return -1;
        }
        if (lock_num(&c->cfg) != want) {
            ctr_put(c);
            continue;
        }
        if (!c->damage && !c->repair_lock) {
            ctr_put(c);     /* sound now: the ordinary way */
            return ctr_get_id(rt, id, out, err);
        }
        if (!c->damage) {
            c->damage = want < 0 ? str_dup("config.json: no usable lockID")
                                 : str_fmt("config.json: lockID %lld is not an allocated lock", want);
            if (!c->damage) {
                ctr_put(c);
                return berr_oom(err);
            }
        }
        decide_damaged_state(rt, c);
        *out = c;
        return 0;
    }
    return berr_msg(err, "container %s: its record keeps changing", id);
}

int ctr_get_id_any(struct runtime *rt, const char *id, struct ctr **out, struct berr **err)
{
    struct berr *e = NULL;

    if (ctr_get_id(rt, id, out, &e) == 0)
        return 0;
    if (e->kind != BK_CORRUPT) {
        berr_free(*err);
        *err = e;
        return -1;
    }
    log_debug("%s", e->msg);
    berr_free(e);
    return get_damaged(rt, id, out, err);
}

int ctr_get_any(struct runtime *rt, const char *name_or_id, struct ctr **out,
                struct berr **err)
{
    char id[STATE_ID_LEN + 1];
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

    if (state_lookup(rt->st, OBJ_CONTAINER, name_or_id, ns, id, err) < 0)
        return -1;
    return ctr_get_id_any(rt, id, out, err);
}

int ctr_remove_damaged(struct runtime *rt, struct ctr *c, bool force, struct berr **err)
{
    long long lock = c->repair_lock ? -1 : lock_num(&c->cfg);
    struct berr *e = NULL;

    if (live_state(ctr_state(c)) && !force)
        return berr_kind(err, BK_STATE,
                         "cannot remove container %s as it is running - running or paused containers cannot be removed without force",
                         c->id);
    log_warn("container %s: removing it although its record is damaged (%s)", c->id, c->damage);
    ctr_reap(rt, c);
    /* Whatever the record says was set up: everything is taken down by
     * the container's id (its own netns name, its network status file,
     * the shm mount, the store's mount of its root file system). */
    ctr_net_teardown(rt, c);
    ctr_unmount_shm(rt, c->id);
    c->st.mounted = false;
    c->st.shm_mounted = false;
    c->st.state = CS_REMOVING;
    ctr_intent_end(c);
    if (ctr_save(rt, c, &e) < 0)
        berr_freep(&e);     /* the removal goes on: the record is going anyway */
    if (ctr_remove_records(rt, c, lock, err) < 0)
        return -1;
    /* A lock the record did not name is now one no record names and
     * nobody holds: freed as rm --all frees a killed create's. */
    if (lock < 0 && rt_lock_gc(rt, &e) < 0) {
        log_warn("freeing orphaned locks: %s", e->msg);
        berr_free(e);
    }
    return 0;
}

/* ---- orphans ---- */

int ctr_remove_external(struct runtime *rt, const char *id_or_prefix, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    size_t n = strlen(id_or_prefix);
    const char *found = NULL;
    struct store *s;

    if (n == 0 || strspn(id_or_prefix, "0123456789abcdef") != n)
        return 0;       /* a name: the store's containers have none */
    if (rt_store(rt, &s, err) < 0 || store_ctr_list(s, &ids, err) < 0)
        return -1;
    for (char **id = ids; id && *id; id++) {
        if (strncmp(*id, id_or_prefix, n) != 0)
            continue;
        if (found)
            return 0;   /* ambiguous: none is meant for sure */
        found = *id;
    }
    /* A record written since the lookup failed: not an orphan (create
     * writes the record before the root file system, so one without a
     * record is never a create under way). */
    if (!found || state_exists(rt->st, OBJ_CONTAINER, found))
        return 0;
    if (store_ctr_delete(s, found, err) < 0)
        return berr_wrap(err, "removing storage container %s", found);
    return 1;
}
