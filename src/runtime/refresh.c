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
 * and for every container: pid, conmonPid, mountPoint, mounted, network
 * status, exec sessions, bind mounts, stoppedByUser, restartPolicyMatch,
 * restartCount are cleared; exitCode, exited, finishedTime, startedTime
 * and oomKilled are kept. Locks are re-allocated by number, the exit-code
 * table is emptied, stale exit/persist files are removed. With
 * graphRootMounted=1 in /run/.containerenv (berth inside a container
 * sharing the host's graph root) the state reset is skipped, as podman.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctrstate.h"
#include "runtime/net/net.h"
#include "runtime/refresh.h"
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
    _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return 0;
    n = read(fd, buf, sizeof(buf) - 1);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strcmp(str_trim(buf), boot) == 0;
}

static void reset_ctr_state(json_t *s)
{
    long long st = js_int(s, "state", CS_CONFIGURED);
    static const char *const cleared[] = {
        "netNS", "networkStatus", "newExecSessions", "execSessions", "bindMounts",
        "checkpointPath", "checkpointLog", "restoreLog", "checkpointedTime",
        "restoredTime", "pidStart", "conmonStart", "startedNs",
    };

    if (st == CS_STOPPED)
        st = CS_EXITED;
    else if (st != CS_EXITED)
        st = CS_CONFIGURED;
    js_set_int(s, "state", st);
    js_set_int(s, "pid", 0);
    js_set_int(s, "conmonPid", 0);
    js_set_str(s, "mountPoint", "");
    js_set_bool(s, "mounted", false);
    js_set_bool(s, "shmMounted", false);
    js_set_bool(s, "stoppedByUser", false);
    js_set_bool(s, "restartPolicyMatch", false);
    js_set_int(s, "restartCount", 0);
    js_set_bool(s, "checkpointed", false);
    js_set_bool(s, "restored", false);
    for (size_t i = 0; i < ARRAY_SIZE(cleared); i++)
        json_object_del(s, cleared[i]);
}

static void remove_conmon_files(struct runtime *rt, const char *id)
{
    _cleanup_free_ char *exitf = str_fmt("%s/exits/%s", rt->cfg->tmp_dir, id);
    _cleanup_free_ char *persist = str_fmt("%s/persist/%s", rt->cfg->tmp_dir, id);
    struct berr *e = NULL;

    if (exitf)
        (void) unlink(exitf);
    if (persist && fs_rm_rf(persist, &e) < 0) {
        log_warn("Refreshing container %s: %s", id, e->msg);
        berr_free(e);
    }
}

/* One object: reset (unless skipped), re-allocate its lock, save. */
static int refresh_one(struct runtime *rt, enum obj_kind kind, const char *id, bool reset,
                       struct berr **err)
{
    _cleanup_json_ json_t *cfg = NULL, *st = NULL;
    long long lock;

    if (state_read(rt->st, kind, id, &cfg, &st, err) < 0)
        return -1;
    lock = js_int(cfg, "lockID", -1);
    if (lock >= 0 && lock_alloc_num(rt->locks, (unsigned) lock, err) < 0)
        return -1;
    if (!reset)
        return 0;
    switch (kind) {
    case OBJ_CONTAINER: {
        long long was = js_int(st, "state", CS_CONFIGURED);
        /* Where /run is no tmpfs the OCI runtime's record of a container
         * survives the reboot, and its next create would fail with
         * "already exists": make the runtime forget it now. */
        if (was == CS_CREATED || was == CS_RUNNING || was == CS_PAUSED ||
            was == CS_STOPPED || was == CS_STOPPING)
            ctr_forget_runtime(rt, cfg);
        reset_ctr_state(st);
        remove_conmon_files(rt, id);
        break;
    }
    case OBJ_POD:
        js_set_str(st, "cgroupPath", "");
        break;
    case OBJ_VOLUME:
        js_set_int(st, "mountCount", 0);
        js_set_str(st, "mountPoint", "");
        break;
    }
    return state_update(rt->st, kind, id, st, err);
}

static int refresh(struct runtime *rt, const char *boot, struct berr **err)
{
    static const enum obj_kind kinds[] = { OBJ_CONTAINER, OBJ_POD, OBJ_VOLUME };
    static const char *const kind_names[] = { "container", "pod", "volume" };
    bool reset = !graph_root_mounted();
    _cleanup_free_ char *exits = str_fmt("%s/exits", rt->cfg->tmp_dir);
    _cleanup_free_ char *persist = str_fmt("%s/persist", rt->cfg->tmp_dir);
    struct event ev = { .type = "system", .status = "refresh" };

    if (!exits || !persist)
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
    if (reset) {
        /* the kernel's side of every network is gone with the boot */
        struct net_env ne;
        net_env_from_rt(rt, &ne);
        if (net_refresh(&ne, err) < 0)
            return -1;
    }
    if (fs_mkdir_p(exits, 0750, err) < 0 || fs_mkdir_p(persist, 0750, err) < 0)
        return -1;
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
