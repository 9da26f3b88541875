/*
 * runtime/refresh.c: the alive file and refresh().
 *
 * <tmp>/alive holds the boot id of the boot that last refreshed. podman
 * only checks that the file exists, which assumes the tmp dir is a tmpfs;
 * on hosts where /run survives a reboot its refresh never fires. We also
 * compare the boot id, so a reboot is always noticed.
 *
 * Fast path: alive exists and names this boot -> nothing to do, no lock
 * taken (alive is written last and atomically, so its presence means a
 * refresh finished). Slow path: take alive.lck exclusively, look again
 * (another process may have refreshed meanwhile), refresh, write alive.
 *
 * What refresh resets (our decision, see berth-system-refresh(1)):
 *   exited            stays exited
 *   stopped           becomes exited: its exit code and times are real,
 *                     and the OCI runtime's record of it is gone
 *   anything else     becomes configured ("Created"), as in podman
 * A state.json that the power loss left missing or torn (it is not
 * synced) is written anew from config.json first (ctr_state_rebuild).
 * And for every container: pid, conmonPid, mountPoint, mounted, network
 * status, exec sessions, bind mounts, restartPolicyMatch, restartCount,
 * the health results and process are cleared; exitCode, exited,
 * finishedTime, startedTime, oomKilled and stoppedByUser (which `system
 * boot` reads: an unless-stopped container the user stopped stays
 * stopped) are kept. Locks are re-allocated by number, the exit-code
 * table is emptied, stale exit/persist files are removed. With
 * graphRootMounted=1 in /run/.containerenv (berth inside a container
 * sharing the host's graph root) the state reset is skipped, as podman.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctrstate.h"
#include "runtime/health.h"
#include "runtime/net/net.h"
#include "runtime/refresh.h"
#include "runtime/volume.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

int rt_boot_id(char *buf, size_t len, struct berr **err)
{
    _cleanup_free_ char *s = NULL;

    if (fs_read_file("/proc/sys/kernel/random/boot_id", &s, NULL, err) < 0)
        return -1;
    snprintf(buf, len, "%s", str_trim(s));
    return 0;
}

static bool graph_root_mounted(void)
{
    _cleanup_free_ char *s = NULL;
    struct berr *e = NULL;
    bool yes;

    if (fs_read_file("/run/.containerenv", &s, NULL, &e) < 0) {
        berr_free(e);
        return false;
    }
    yes = strstr(s, "graphRootMounted=1") != NULL;
    return yes;
}

/* What the alive file says: 1 current, 0 stale or missing. */
static int alive_current(const char *path, const char *boot)
{
    char buf[80];

    if (fs_read_small(path, buf, sizeof(buf)) <= 0)
        return 0;
    return strcmp(str_trim(buf), boot) == 0;
}

/* The runtime state a reboot leaves: see the top of this file. Keys of
 * podman's this berth does not use (exec sessions, checkpoints) go too. */
static void reset_ctr_state(struct ctr_runstate *s)
{
    static const char *const cleared[] = {
        "newExecSessions", "execSessions", "bindMounts", "checkpointPath", "checkpointLog",
        "restoreLog", "checkpointedTime", "restoredTime", "checkpointed", "restored",
    };

    if (s->state == CS_STOPPED)
        s->state = CS_EXITED;
    else if (s->state != CS_EXITED)
        s->state = CS_CONFIGURED;
    s->pid = 0;
    s->pid_start = 0;
    s->conmon_pid = 0;
    s->conmon_start = 0;
    s->started_ns = 0;
    s->mounted = false;
    (void) ctr_set_str(&s->mount_point, NULL);     /* NULL: nothing to copy */
    s->shm_mounted = false;
    s->restart_policy_match = false;
    s->restart_count = 0;
    s->restart_delay_ms = 0;
    (void) ctr_set_str(&s->net_ns, NULL);
    json_decref(s->network_status);
    s->network_status = NULL;
    json_decref(s->slirp);      /* gone with the boot */
    s->slirp = NULL;
    /* nothing is mounted after a reboot: the volumes' counts are reset
     * too (vol_refresh), and no image mount is left to drop */
    json_decref(s->volumes_mounted);
    s->volumes_mounted = NULL;
    json_decref(s->images_mounted);
    s->images_mounted = NULL;
    json_decref(s->exec_sessions);
    s->exec_sessions = NULL;
    /* a health process left by a simulated reboot (system refresh) ends;
     * after a real one it is gone anyway */
    ctr_health_end(s);
    json_decref(s->health);
    s->health = NULL;
    s->health_restart = false;
    for (size_t i = 0; i < ARRAY_SIZE(cleared); i++)
        (void) json_object_del(s->rec, cleared[i]);     /* -1: it was not there */
}

/* After ctr_read failed with *err: a state.json lost to a power loss is
 * rebuilt (0, *err dropped); anything else stays damaged (-1, *err). */
static int lost_state(struct runtime *rt, const char *id, struct ctr *c, struct berr **err)
{
    struct berr *e = NULL;
    int r = ctr_state_rebuild(rt, id, &c->cfg, &c->st, &e);

    if (r < 0) {
        log_warn("container %s: rebuilding its state: %s", id, e->msg);
        berr_free(e);
    }
    if (r != 0)
        return -1;
    berr_freep(err);
    return 0;
}

/* One container: reset (unless skipped), re-allocate its lock, save. */
static int refresh_ctr(struct runtime *rt, const char *id, bool reset, struct berr **err)
{
    struct ctr c = { .lock = LOCK_INIT };
    int r = -1;

    snprintf(c.id, sizeof(c.id), "%s", id);
    if (ctr_read(rt, id, &c.cfg, &c.st, err) < 0 && lost_state(rt, id, &c, err) < 0) {
        /* damaged: its lock at least, so that rm -f takes it as usual */
        _cleanup_free_ char *damage = NULL;
        struct berr *e = NULL;
        int gone = reset ? ctr_unfinished_create(rt, id, &e) : 0;
        if (gone != 0) {
            berr_freep(err);
            *err = e;
            ctr_config_free(&c.cfg);
            ctr_runstate_free(&c.st);
            return gone > 0 ? 0 : -1;
        }
        if (ctr_read_salvage(rt, id, &c.cfg, &c.st, &damage, &e) == 0 && c.cfg.lock_id >= 0 &&
            c.cfg.lock_id <= (long long) UINT32_MAX)
            (void) lock_alloc_num(rt->locks, (unsigned) c.cfg.lock_id, &e);
        berr_free(e);
        ctr_config_free(&c.cfg);
        ctr_runstate_free(&c.st);
        return -1;
    }
    if (c.cfg.lock_id >= 0 && lock_alloc_num(rt->locks, (unsigned) c.cfg.lock_id, err) < 0)
        goto out;
    r = 0;
    if (!reset)
        goto out;
    /* Where /run is no tmpfs the OCI runtime's record of a container
     * survives the reboot, and its next create would fail with "already
     * exists": make the runtime forget it now. */
    if (c.st.state == CS_CREATED || c.st.state == CS_RUNNING || c.st.state == CS_PAUSED ||
        c.st.state == CS_STOPPED || c.st.state == CS_STOPPING)
        ctr_forget_runtime(rt, &c.cfg);
    ctr_rootfs_repair(rt, &c);     /* before the reset: it reads "removing" */
    reset_ctr_state(&c.st);
    ctr_remove_conmon_files(rt, id);
    /* a power loss may have taken its entry in its pod's member index
     * (state/members.c: unsynced) */
    if (js_str(c.cfg.rec, "pod", NULL)) {
        struct berr *e = NULL;
        if (state_member_add(rt->st, js_str(c.cfg.rec, "pod", ""), id, &e) < 0) {
            log_warn("container %s: its pod's member index: %s", id, e->msg);
            berr_free(e);
        }
    }
    r = ctr_save(rt, &c, err);
out:
    ctr_config_free(&c.cfg);
    ctr_runstate_free(&c.st);
    return r;
}

/* A pod: re-allocate its lock; reset its runtime state. */
static int refresh_pod(struct runtime *rt, const char *id, bool reset, struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL, *st = NULL;
    long long lock;

    /* a state.json a power loss took (create does not sync it) is
     * written anew: it holds nothing the config and members do not say */
    if (reset && state_lost(rt->st, OBJ_POD, id)) {
        if (state_read(rt->st, OBJ_POD, id, &cfg, NULL, err) < 0 || !(st = json_object()))
            return *err ? -1 : berr_oom(err);
        log_warn("pod %s: its state record was lost (power loss?): written anew", id);
    } else if (state_read(rt->st, OBJ_POD, id, &cfg, &st, err) < 0) {
        return -1;
    }
    lock = js_int(cfg, "lockID", -1);
    if (lock >= 0 && lock_alloc_num(rt->locks, (unsigned) lock, err) < 0)
        return -1;
    if (!reset)
        return 0;
    if (js_set_str(st, "cgroupPath", "") < 0)
        return berr_oom(err);
    return state_update(rt->st, OBJ_POD, id, st, err);
}

static int refresh_one(struct runtime *rt, enum obj_kind kind, const char *id, bool reset,
                       struct berr **err)
{
    /* a volume's lock file is made when first taken: nothing to
     * re-allocate; what was mounted went with the boot */
    if (kind == OBJ_VOLUME)
        return reset ? vol_refresh(rt, id, err) : 0;
    return kind == OBJ_CONTAINER ? refresh_ctr(rt, id, reset, err)
                                 : refresh_pod(rt, id, reset, err);
}

/* The dirs that hold one dir per container, made now if they are not
 * there yet, spread (fs_spread_subdirs): every container's files then
 * go to a block group of their own. Once a boot, so that a store made
 * by an older berth gets it too. */
static void spread_ctr_dirs(struct runtime *rt)
{
    const struct config *cf = rt->cfg;
    const char *const dirs[][2] = {
        { cf->static_dir, "containers" }, { cf->static_dir, "userdata" },
        { cf->graph_root, "containers" }, { cf->graph_root, "tmp" },
        { cf->tmp_dir, "containers" },
    };

    for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
        _cleanup_free_ char *p = str_fmt("%s/%s", dirs[i][0], dirs[i][1]);
        struct berr *e = NULL;

        if (p && fs_mkdir_p(p, 0700, &e) == 0)
            fs_spread_subdirs(p);
        berr_free(e);
    }
}

static int refresh(struct runtime *rt, const char *boot, struct berr **err)
{
    static const enum obj_kind kinds[] = { OBJ_CONTAINER, OBJ_POD, OBJ_VOLUME };
    static const char *const kind_names[] = { "container", "pod", "volume" };
    bool reset = !graph_root_mounted();
    _cleanup_free_ char *exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    struct event ev = { .type = "system", .status = "refresh" };

    if (!exits)
        return berr_oom(err);
    log_debug("refreshing state: boot id %s", boot);
    if (reset && state_exit_codes_clear(rt->st, err) < 0)
        return -1;
    for (size_t k = 0; k < ARRAY_SIZE(kinds); k++) {
        _cleanup_strv_ char **ids = NULL;

        if (state_list(rt->st, kinds[k], &ids, err) < 0)
            return -1;
        for (size_t i = 0; ids[i]; i++) {
            struct berr *e = NULL;
            /* One broken record must not stop the others. */
            if (refresh_one(rt, kinds[k], ids[i], reset, &e) < 0) {
                log_error("Refreshing %s %s: %s", kind_names[k], ids[i], e->msg);
                berr_free(e);
            }
        }
    }
    /* its entries are not synced: a power loss may have lost some */
    for (int k = OBJ_CONTAINER; k <= OBJ_POD; k++) {
        struct berr *e = NULL;
        if (state_idx_build(rt->st, (enum obj_kind) k, &e) < 0) {
            log_error("Refreshing the id index: %s", e->msg);
            berr_free(e);
        }
    }
    if (reset) {
        /* the kernel's side of every network is gone with the boot */
        struct net_env ne;
        net_env_from_rt(rt, &ne);
        if (net_refresh(&ne, err) < 0)
            return -1;
    }
    if (fs_mkdir_p(exits, 0750, err) < 0)
        return -1;
    spread_ctr_dirs(rt);
    if (fs_write_atomic(rt->cfg->tmp_dir, "alive", boot, strlen(boot), 0644, err) < 0)
        return -1;
    rt_event(rt, &ev);
    return 0;
}

int rt_alive_check(struct runtime *rt, bool *did, struct berr **err)
{
    _cleanup_free_ char *alive = str_fmt("%s/alive", rt->cfg->tmp_dir);
    _cleanup_free_ char *lck = str_fmt("%s/alive.lck", rt->cfg->tmp_dir);
    _cleanup_lock_ struct lock l = LOCK_INIT;
    char boot[64];

    *did = false;
    if (!alive || !lck)
        return berr_oom(err);
    if (rt_boot_id(boot, sizeof(boot), err) < 0)
        return -1;
    if (alive_current(alive, boot))
        return 0;
    if (lock_path(lck, true, &l, err) < 0)
        return -1;
    if (alive_current(alive, boot))
        return 0;   /* someone refreshed while we waited */
    if (refresh(rt, boot, err) < 0)
        return berr_wrap(err, "refresh");
    *did = true;
    return 0;
}
