/*
 * runtime/ctr_why.c: inspect --why, the evidence behind a container's
 * state as the next command would weigh it: its records, the exit file
 * conmon writes and the exit-code table, whether conmon and the
 * container's process live (same pid AND same start time: a reused pid
 * is someone else), its root file system and network namespace mounts,
 * and its lock (held or not, by which process). Read without the lock
 * and changing nothing, as ps reads. A create leaves its intent on disk
 * once it has finished (ctr_repair.c): shown as none pending when its
 * root file system is there, as the next locked command finds it.
 */
#include <string.h>
#include <time.h>

#include "runtime/config.h"
#include "runtime/conmon.h"
#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/ctrstate.h"
#include "runtime/lock.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/mounts.h"
#include "util/proc.h"
#include "util/str.h"

/* {"Pid", "RecordedStart", "Alive", "SameStart"} of a recorded process. */
static json_t *process(pid_t pid, unsigned long long recorded)
{
    unsigned long long now = 0;
    bool alive = pid > 0 && proc_start_time(pid, &now) == 0;

    return json_pack("{s:i, s:I, s:b, s:b}", "Pid", (int) pid, "RecordedStart",
                     (json_int_t) recorded, "Alive", alive,
                     "SameStart", alive && (recorded == 0 || recorded == now));
}

static bool mounted_at(const char *path)
{
    _cleanup_strv_ strv mps = NULL;
    struct berr *e = NULL;
    bool yes;

    if (!path || mounts_under(path, &mps, &e) < 0) {
        berr_free(e);
        return false;
    }
    yes = strv_contains(mps, path);
    return yes;
}

static json_t *exit_evidence(struct runtime *rt, const char *id)
{
    _cleanup_free_ char *dir = str_fmt("%s/exits", rt->cfg->tmp_dir);
    _cleanup_free_ char *path = dir ? str_fmt("%s/%s", dir, id) : NULL;
    struct timespec when = { 0 };
    struct berr *e = NULL;
    int code = -1, table = -1;
    bool file = path && fs_exists(path);

    if (file && conmon_read_exit_file(dir, id, &code, &when, &e) < 0)
        code = -1;
    berr_free(STEAL_PTR(e));
    if (state_exit_code_get(rt->st, id, &table, &e) < 0)
        table = -1;
    berr_free(e);
    return json_pack("{s:s, s:b, s:i, s:b, s:i}", "ExitFile", path ? path : "",
                     "ExitFilePresent", file, "ExitFileCode", code,
                     "ExitCodeRecorded", table >= 0, "ExitCodeRecord", table);
}

static json_t *lock_evidence(struct runtime *rt, long long num)
{
    _cleanup_free_ struct lock_info *locks = NULL;
    size_t n = 0;
    struct berr *e = NULL;

    if (num < 0)
        return json_pack("{s:I, s:s}", "Number", (json_int_t) num, "Problem",
                         "no usable lock number: commands take the repair lock");
    if (lock_list(rt->locks, &locks, &n, &e) < 0) {
        json_t *o = json_pack("{s:I, s:s}", "Number", (json_int_t) num, "Problem", e->msg);
        berr_free(e);
        return o;
    }
    for (size_t i = 0; i < n; i++)
        if (locks[i].num == (unsigned) num)
            return json_pack("{s:I, s:b, s:i}", "Number", (json_int_t) num, "Held", locks[i].held,
                             "HolderPid", locks[i].held ? (int) locks[i].pid : 0);
    return json_pack("{s:I, s:s}", "Number", (json_int_t) num, "Problem", "its lock file is missing");
}

int ctr_why(struct runtime *rt, const char *input, json_t **out, struct berr **err)
{
    char id[STATE_ID_LEN + 1];
    struct ctr_config cfg;
    struct ctr_runstate st;
    _cleanup_free_ char *damage = NULL, *rec = NULL;
    json_t *o;

    if (state_lookup(rt->st, OBJ_CONTAINER, input, NULL, id, err) < 0 ||
        ctr_read_salvage(rt, id, &cfg, &st, &damage, err) < 0)
        return -1;
    rec = str_fmt("%s/containers/%s", state_dir(rt->st), id);
    /* a damaged config says nothing of the image: the store decides */
    if (str_eq(st.intent, "create") && ctr_create_finished(rt, damage ? NULL : &cfg, id)) {
        free(STEAL_PTR(st.intent));
        st.intent_pid = 0;
    }
    o = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:s, s:i}, s:o, s:o, s:o, s:{s:b, s:s, s:b},"
                  " s:{s:s, s:b, s:b}, s:o}",
        "Id", id, "Name", cfg.name ? cfg.name : "",
        "Record", "Path", rec ? rec : "", "State", ctr_state_name(st.state),
        "Damage", damage ? damage : "", "Intent", st.intent ? st.intent : "",
        "IntentPid", (int) st.intent_pid,
        "Exit", exit_evidence(rt, id),
        "Conmon", process(st.conmon_pid, st.conmon_start),
        "Process", process(st.pid, st.pid_start),
        "RootFS", "RecordedMounted", st.mounted, "MountPoint", st.mount_point ? st.mount_point : "",
        "MountedNow", mounted_at(st.mount_point),
        "NetNS", "Path", st.net_ns ? st.net_ns : "", "Exists", st.net_ns && fs_exists(st.net_ns),
        "MountedNow", mounted_at(st.net_ns),
        "Lock", lock_evidence(rt, cfg.lock_id));
    ctr_config_free(&cfg);
    ctr_runstate_free(&st);
    if (!o)
        return berr_oom(err);
    *out = o;
    return 0;
}
