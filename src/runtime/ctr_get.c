/*
 * runtime/ctr_get.c: a container for a command: its records read without
 * the lock (ctr_read), get/put (lock, read, sync), save, the paths of its
 * files and its OCI runtime. The records' types are ctr_records.c's;
 * damaged records and abandoned intents are ctr_repair.c's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "runtime/conmon.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctr_view.h"
#include "runtime/rtexec.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/timefmt.h"

char *ctr_bundle_dir(struct runtime *rt, const char *id)
{
    return str_fmt("%s/userdata/%s", rt->cfg->static_dir, id);
}

char *ctr_run_dir(struct runtime *rt, const char *id)
{
    return str_fmt("%s/containers/%s", rt->cfg->tmp_dir, id);
}

char *ctr_pid_file(struct runtime *rt, const struct ctr *c)
{
    const char *p = js_str(c->cfg.spec, "pidFile", NULL);
    return p ? str_dup(p) : str_fmt("%s/containers/%s/pidfile", rt->cfg->tmp_dir, c->id);
}

char *ctr_conmon_pid_file(struct runtime *rt, const struct ctr *c)
{
    const char *p = js_str(c->cfg.spec, "conmonPidFile", NULL);
    return p ? str_dup(p) : str_fmt("%s/containers/%s/conmon.pid", rt->cfg->tmp_dir, c->id);
}

char *ctr_exit_file(struct runtime *rt, const char *id)
{
    return str_fmt("%s/exits/%s", rt->cfg->tmp_dir, id);
}

char *ctr_persist_dir(struct runtime *rt, const char *id)
{
    return ctr_run_dir(rt, id);
}

char *ctr_persist_dir_legacy(struct runtime *rt, const char *id)
{
    return str_fmt("%s/persist/%s", rt->cfg->tmp_dir, id);
}

void ctr_persist_clear(struct runtime *rt, const char *id, bool run_dir_goes)
{
    _cleanup_free_ char *dir = run_dir_goes ? NULL : ctr_persist_dir(rt, id);
    _cleanup_free_ char *old = ctr_persist_dir_legacy(rt, id);
    static const char *const names[] = { "exit", "oom" };
    struct berr *e = NULL;

    for (size_t i = 0; dir && i < ARRAY_SIZE(names); i++) {
        _cleanup_free_ char *p = str_fmt("%s/%s", dir, names[i]);
        if (p)
            (void) unlink(p);
    }
    if (old && fs_rm_rf(old, &e) < 0)
        berr_free(e);
}

char *ctr_log_path(struct runtime *rt, const struct ctr *c)
{
    const char *p = c->cfg.log_path;
    _cleanup_free_ char *b = NULL;

    if (p && *p)
        return str_dup(p);
    b = ctr_bundle_dir(rt, c->id);
    return b ? str_fmt("%s/ctr.log", b) : NULL;
}

void ctr_rtcall_free(struct ctr_rtcall *x)
{
    oci_runtime_free(x->r);
    strv_free(x->flags);
    free(x->exec_path);
    memset(x, 0, sizeof(*x));
}

int ctr_rtcall_get(struct runtime *rt, const struct ctr_config *cfg, struct ctr_rtcall *x,
                   struct berr **err)
{
    const char *want = cfg->runtime;

    memset(x, 0, sizeof(*x));
    if (oci_runtime_resolve(rt->cfg, want && *want ? want : NULL, &x->r, err) < 0)
        return -1;
    for (size_t i = 0; rt->cfg->runtime_flags && rt->cfg->runtime_flags[i]; i++)
        if (strv_pushf(&x->flags, "--%s", rt->cfg->runtime_flags[i]) < 0)
            return berr_oom(err);
    if (rtexec_path(rt->cfg->tmp_dir, x->r->path, &x->exec_path, err) < 0)
        return -1;
    x->cli.path = x->exec_path;
    x->cli.name = x->r->name;
    x->cli.flags = x->flags;
    x->cli.xdg_runtime_dir = "";
    x->cli.path_env = getenv("PATH");
    return 0;
}

int ctr_read(struct runtime *rt, const char *id, struct ctr_config *cfg,
             struct ctr_runstate *st, struct berr **err)
{
    _cleanup_json_ json_t *cj = NULL, *sj = NULL;

    if (cfg)
        memset(cfg, 0, sizeof(*cfg));
    if (st)
        memset(st, 0, sizeof(*st));
    if (state_read(rt->st, OBJ_CONTAINER, id, cfg ? &cj : NULL, st ? &sj : NULL, err) < 0)
        return -1;
    if (cfg && ctr_config_parse(cj, id, cfg, err) < 0)
        return -1;
    if (st && ctr_runstate_parse(sj, id, st, err) < 0) {
        if (cfg)
            ctr_config_free(cfg);
        return -1;
    }
    return 0;
}

int ctr_read_state_quick(struct runtime *rt, const char *id, struct ctr_runstate *st,
                         struct ctr_config *view)
{
    /* records are well under a page (state.json with its view: ~0.8 KB) */
    char buf[4096];
    size_t len;

    if (state_read_bytes(rt->st, OBJ_CONTAINER, id, "state.json", buf, sizeof(buf), &len) < 0) {
        memset(st, 0, sizeof(*st));
        if (view)
            memset(view, 0, sizeof(*view));
        return -1;
    }
    return ctr_runstate_scan(buf, len, st, view);
}

int ctr_reload(struct runtime *rt, struct ctr *c, struct berr **err)
{
    c->saved_hash = 0;
    ctr_config_free(&c->cfg);
    ctr_runstate_free(&c->st);
    return ctr_read(rt, c->id, &c->cfg, &c->st, err);
}

int ctr_relock(struct runtime *rt, struct ctr *c, struct berr **err)
{
    unsigned num = (unsigned) (c->cfg.lock_id > 0 ? c->cfg.lock_id : 0);

    if (lock_acquire(rt->locks, num, &c->lock, err) < 0)
        return -1;
    if (ctr_reload(rt, c, err) < 0)
        return -1;
    return ctr_sync(rt, c, err);
}

static int no_such(const char *id, struct berr **err)
{
    berr_freep(err);
    return berr_kind(err, BK_NO_SUCH, "no container with ID %s found: no such container", id);
}

int ctr_get_id(struct runtime *rt, const char *id, struct ctr **out, struct berr **err)
{
    struct ctr_config cfg;
    struct ctr *c;
    long long lock;

    if (ctr_read(rt, id, &cfg, NULL, err) < 0)
        return -1;
    lock = cfg.lock_id;
    ctr_config_free(&cfg);
    if (lock < 0 || lock > (long long) UINT32_MAX)
        return berr_kind(err, BK_CORRUPT, "container %s: config has no lockID", id);
    c = calloc(1, sizeof(*c));
    if (!c)
        return berr_oom(err);
    c->lock.fd = -1;
    snprintf(c->id, sizeof(c->id), "%s", id);
    if (lock_acquire(rt->locks, (unsigned) lock, &c->lock, err) < 0) {
        free(c);
        /* The lock file goes with the container: freed means removed. */
        if (!state_exists(rt->st, OBJ_CONTAINER, id))
            return no_such(id, err);
        /* A record naming a lock that is not allocated is damaged (a
         * renumber killed midway): rm -f must still get at it. */
        if ((*err)->kind == BK_NO_SUCH) {
            (*err)->kind = BK_CORRUPT;
            return berr_wrap(err, "container %s", id);
        }
        return -1;
    }
    /* Re-read under the lock: it may have changed or gone while we waited. */
    if (ctr_reload(rt, c, err) < 0) {
        ctr_put(c);
        if (!state_exists(rt->st, OBJ_CONTAINER, id))
            return no_such(id, err);
        return -1;
    }
    if (ctr_sync(rt, c, err) < 0) {
        ctr_put(c);
        return -1;
    }
    /* A crash between a config write and its view leaves the view stale:
     * the next command that takes the lock puts it right. */
    ctr_view_repair(rt, c);
    *out = c;
    return 0;
}

int ctr_get_id_removing(struct runtime *rt, const char *id, struct ctr **out, struct berr **err)
{
    int r;

    rt->removal_next = true;
    r = ctr_get_id(rt, id, out, err);
    rt->removal_next = false;
    return r;
}

void ctr_view_repair(struct runtime *rt, struct ctr *c)
{
    struct berr *e = NULL;
    int r = ctr_view_sync(c->cfg.rec, &c->st);

    if (r < 0 || (r > 0 && ctr_save(rt, c, &e) < 0)) {
        log_warn("container %s: saving the view of its config: %s", c->id,
                 e ? e->msg : "out of memory");
        berr_free(e);
    }
}

int ctr_config_set(struct ctr *c, const char *key, json_t *v, struct berr **err)
{
    /* the old value stays alive until the new record parsed: the typed
     * view points into it until then */
    _cleanup_json_ json_t *old = json_incref(json_object_get(c->cfg.rec, key));
    struct ctr_config n;

    if (json_object_set_new(c->cfg.rec, key, v) < 0)
        return berr_oom(err);
    if (ctr_config_parse(c->cfg.rec, c->id, &n, err) < 0) {
        if (old)
            (void) json_object_set(c->cfg.rec, key, old);  /* a replace: no allocation */
        else
            (void) json_object_del(c->cfg.rec, key);
        return -1;
    }
    ctr_config_free(&c->cfg);
    c->cfg = n;
    return 0;
}

int ctr_config_write(struct runtime *rt, struct ctr *c, struct berr **err)
{
    return state_update_config(rt->st, OBJ_CONTAINER, c->id, c->cfg.rec, err);
}

int ctr_save_config(struct runtime *rt, struct ctr *c, struct berr **err)
{
    struct ctr_config n;
    int r;

    if (ctr_config_write(rt, c, err) < 0)
        return -1;
    /* changes made inside its objects (a network joined) show in the
     * typed fields once parsed again */
    if (ctr_config_parse(c->cfg.rec, c->id, &n, err) < 0)
        return -1;
    ctr_config_free(&c->cfg);
    c->cfg = n;
    r = ctr_view_sync(c->cfg.rec, &c->st);
    if (r < 0)
        return berr_oom(err);
    return r > 0 ? ctr_save(rt, c, err) : 0;
}

int ctr_get(struct runtime *rt, const char *name_or_id, struct ctr **out, struct berr **err)
{
    char id[STATE_ID_LEN + 1];
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;

    if (state_lookup(rt->st, OBJ_CONTAINER, name_or_id, ns, id, err) < 0)
        return -1;
    if (ctr_get_id(rt, id, out, err) < 0) {
        if ((*err)->kind == BK_CORRUPT)
            berr_hint(err, "`berth system check --repair` moves the broken record aside");
        return -1;
    }
    return 0;
}

void ctr_put(struct ctr *c)
{
    if (!c)
        return;
    ctr_rt_delete_finish(c);
    free(c->seccache_miss);
    lock_release(&c->lock);
    ctr_config_free(&c->cfg);
    ctr_runstate_free(&c->st);
    free(c->damage);
    free(c);
}

/* The hash of a record (0: out of memory, else never 0). */
static uint64_t rec_hash(json_t *rec)
{
    _cleanup_free_ char *text = rec ? js_dumps_sorted(rec, 0) : NULL;

    return text ? str_fnv1a(text) | 1 : 0;
}

uint64_t ctr_runstate_hash(const struct ctr_runstate *st)
{
    _cleanup_json_ json_t *rec = ctr_runstate_json(st);

    return rec_hash(rec);
}

/* A write that would not change what this struct last wrote is skipped
 * (and every write while saves_held): each one is a new file (temp file,
 * rename), a new inode, and on a journal-less ext4 an inode allocation
 * costs 0.1-0.3 ms once many files were deleted in the last minutes (the
 * kernel passes over each recently deleted one). The lock is held from
 * the last write on, so what is on disk is still that write; a reload
 * (after the lock was let go) forgets it. */
int ctr_save(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_json_ json_t *rec = NULL;
    uint64_t h;

    if (c->saves_held)
        return 0;
    if (!(rec = ctr_runstate_json(&c->st)) || !(h = rec_hash(rec)))
        return berr_oom(err);
    if (h == c->saved_hash)
        return 0;
    if (state_update(rt->st, OBJ_CONTAINER, c->id, rec, err) < 0)
        return -1;
    c->saved_hash = h;
    c->exit_unsaved = false;
    return 0;
}

/* The container has exited with code (or -1 unknown) at time when. */
static int mark_exited(struct runtime *rt, struct ctr *c, int code, long long when_ns, bool oom,
                       struct berr **err)
{
    struct event ev = { .type = "container", .status = "died" };
    struct ctr_runstate *s = &c->st;
    enum ctr_state was = s->state;

    s->state = CS_STOPPED;
    s->pid = 0;
    s->conmon_pid = 0;
    s->exit_code = code;
    s->exited = true;
    s->oom_killed = oom;
    s->finished_ns = when_ns;
    /* A restart policy applies only to exits the user did not ask for. */
    if ((was == CS_RUNNING || was == CS_PAUSED) && !s->stopped_by_user &&
        *c->cfg.restart_policy && !str_eq(c->cfg.restart_policy, "no"))
        s->restart_policy_match = true;
    /* A --rm container its getter removes at once (run --rm's wait, the
     * exit command's cleanup --rm) gets its exit written with the
     * removal's "removing" (ctr_remove): one new state file fewer on the
     * path of every run --rm. A kill before that leaves the record as it
     * was, and conmon's exit file, which the next sync reads again. A
     * restart due is no removal. */
    if (rt->removal_next && c->cfg.auto_remove && !s->restart_policy_match &&
        !s->health_restart)
        c->exit_unsaved = true;
    else if (ctr_save(rt, c, err) < 0)
        return -1;
    if (state_exit_code_set(rt->st, c->id, code, err) < 0)
        return -1;
    if (c->exit_unsaved)
        crash_point("exit:unsaved");
    ev.id = c->id;
    ev.name = ctr_name(c);
    ev.image = ctr_image_name(c);
    ev.exit_code = code;
    ev.attributes = c->cfg.labels;
    rt_event(rt, &ev);
    return 0;
}

int ctr_sync(struct runtime *rt, struct ctr *c, struct berr **err)
{
    const struct ctr_runstate *s = &c->st;
    int st = ctr_state(c), code = 0;
    _cleanup_free_ char *exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    _cleanup_free_ char *persist = ctr_persist_dir(rt, c->id);
    _cleanup_free_ char *legacy = ctr_persist_dir_legacy(rt, c->id);
    struct timespec when = { 0, 0 };
    bool oom = false;
    int r;

    /* a killed command's unfinished work is finished or undone first */
    if (s->intent && ctr_intent_abandoned(s, true)) {
        if (ctr_recover(rt, c, err) < 0)
            return -1;
        st = ctr_state(c);
    }
    if (st != CS_CREATED && st != CS_RUNNING && st != CS_PAUSED && st != CS_STOPPING)
        return 0;
    if (!exits || !persist || !legacy)
        return berr_oom(err);
    r = conmon_read_exit_file(exits, c->id, &code, &when, err);
    if (r < 0)
        return -1;
    if (r == 1) {
        int pcode;
        bool poom = false, loom = false;
        /* a conmon an older berth started wrote to the legacy dir */
        int pr = conmon_read_persist(persist, &pcode, &poom, err);
        if (pr == 0)
            pr = conmon_read_persist(legacy, &pcode, &loom, err);
        if (pr < 0)
            return -1;
        oom = poom || loom;
        return mark_exited(rt, c, code,
                           (long long) when.tv_sec * 1000000000LL + when.tv_nsec, oom, err);
    }
    /* No exit file. If conmon is gone and so is the process, nobody will
     * ever write one: the exit is unknown, and the container must not stay
     * "running" forever (stop, rm -f and ps would hang on it). A zombie is
     * gone: one that pid 1 has not reaped yet (some inits take seconds)
     * writes nothing more. */
    if (s->conmon_pid > 0 && proc_running(s->conmon_pid, s->conmon_start))
        return 0;
    if (s->pid > 0 && proc_running(s->pid, s->pid_start))
        return 0;
    if (s->conmon_pid <= 0 && s->pid <= 0)
        return 0;   /* never started a monitor: nothing to learn */
    log_warn("container %s: conmon and the container process are gone without an exit file; exit code unknown",
             c->id);
    return mark_exited(rt, c, -1, time_now_ns(), false, err);
}

int ctr_list_ids(struct runtime *rt, char ***ids, struct berr **err)
{
    const char *ns = rt->cfg->namespace;
    char **all = NULL;
    size_t k = 0;

    if (state_list(rt->st, OBJ_CONTAINER, &all, err) < 0)
        return -1;
    if (!ns || !*ns) {
        *ids = all;
        return 0;
    }
    /* --namespace: keep only that libpod namespace's containers. */
    for (size_t i = 0; all[i]; i++) {
        struct ctr_config cfg;
        struct berr *e = NULL;
        if (ctr_read(rt, all[i], &cfg, NULL, &e) == 0 && str_eq(cfg.ns, ns))
            all[k++] = all[i];
        else
            free(all[i]);
        ctr_config_free(&cfg);
        berr_free(e);
    }
    all[k] = NULL;
    *ids = all;
    return 0;
}

int ctr_latest(struct runtime *rt, char *id, struct berr **err)
{
    _cleanup_strv_ char **ids = NULL;
    long long best = -1;

    if (ctr_list_ids(rt, &ids, err) < 0)
        return -1;
    for (size_t i = 0; ids[i]; i++) {
        struct ctr_config cfg;
        struct berr *e = NULL;

        if (ctr_read(rt, ids[i], &cfg, NULL, &e) < 0) {
            berr_free(e);
            continue;
        }
        if (cfg.created_ns > best) {
            best = cfg.created_ns;
            snprintf(id, STATE_ID_LEN + 1, "%s", ids[i]);
        }
        ctr_config_free(&cfg);
    }
    if (best < 0)
        return berr_kind(err, BK_NO_SUCH, "no containers to act on: no such container");
    return 0;
}

int ctr_external_ids(struct runtime *rt, char ***out, struct berr **err)
{
    _cleanup_strv_ char **all = NULL, **known = NULL, **v = calloc(1, sizeof(char *));
    struct store *s;

    if (!v)
        return berr_oom(err);
    /* every record counts, whatever its libpod namespace */
    if (rt_store(rt, &s, err) < 0 || store_ctr_list(s, &all, err) < 0 ||
        state_list(rt->st, OBJ_CONTAINER, &known, err) < 0)
        return -1;
    for (size_t i = 0; all[i]; i++)
        if (!strv_contains(known, all[i]) && strv_push(&v, all[i]) < 0)
            return berr_oom(err);
    *out = STEAL_PTR(v);
    return 0;
}

int ctr_exists(struct runtime *rt, const char *name_or_id, bool external, bool *exists,
               struct berr **err)
{
    const char *ns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    _cleanup_strv_ char **ext = NULL;
    char id[STATE_ID_LEN + 1];
    struct berr *e = NULL;
    size_t n = strlen(name_or_id), match = 0;

    *exists = state_lookup(rt->st, OBJ_CONTAINER, name_or_id, ns, id, &e) == 0;
    if (!*exists && e->kind != BK_NO_SUCH) {
        *err = e;
        return -1;
    }
    berr_free(e);
    if (*exists || !external)
        return 0;
    /* a root file system in storage that no record knows: by its id or a
     * prefix of one only (storage keeps no names) */
    if (ctr_external_ids(rt, &ext, err) < 0)
        return -1;
    for (size_t i = 0; n && ext[i]; i++)
        match += strncmp(ext[i], name_or_id, n) == 0;
    *exists = match == 1;
    return 0;
}
