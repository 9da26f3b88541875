/*
 * runtime/pod_cgroup.c: a pod's own cgroup, as podman's cgroupfs manager
 * makes it: <cgroup parent, default /berth_parent>/<pod id>, the parent
 * of every member's cgroup (the infra's too), holding the pod's resource
 * limits (pod create --cpus, --memory, ...) once for all its members.
 *
 * Decisions (berth):
 *  - cgroup v1 with the cgroupfs manager only: the path is recorded in
 *    the pod's config ("cgroupPath") at create. Elsewhere (systemd
 *    manager, cgroup v2, cgroups disabled) no path is recorded and the
 *    pod's limits are copied into each member, as before.
 *  - Made when a member is first prepared (pod_cgroup_ensure, every
 *    start: idempotent), not at pod create: a pod that never runs costs
 *    no cgroup, and a cgroup lost with a reboot comes back by itself.
 *    Removed with the pod (pod_cgroup_remove).
 */
#include <stdio.h>
#include <string.h>

#include "runtime/cgreg.h"
#include "runtime/cgroups.h"
#include "runtime/pod.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

char *pod_cgroup_path_new(struct runtime *rt, const char *parent, const char *id)
{
    const char *mode = rt->cfg->cgroups && *rt->cfg->cgroups ? rt->cfg->cgroups : "enabled";

    if (str_eq(rt->cfg->cgroup_manager, "systemd") || str_eq(mode, "disabled") ||
        spec_cgroup2_unified() || !cg_v1_has("memory", NULL))
        return str_dup("");
    if (!parent || !*parent)
        parent = SPEC_CGROUPFS_PARENT;
    return str_fmt("%s%s/%s", parent[0] == '/' ? "" : "/", parent, id);
}

/* ---- limits ---- */

struct cg_file {
    const char *ctl, *file;
    char value[64];
};

static void put(struct cg_file *f, size_t *n, const char *ctl, const char *file, long long v)
{
    f[*n].ctl = ctl;
    f[*n].file = file;
    snprintf(f[*n].value, sizeof(f[*n].value), "%lld", v);
    (*n)++;
}

static void put_str(struct cg_file *f, size_t *n, const char *ctl, const char *file,
                    const char *v)
{
    f[*n].ctl = ctl;
    f[*n].file = file;
    snprintf(f[*n].value, sizeof(f[*n].value), "%s", v);
    (*n)++;
}

/* OCI linux.resources (memory, cpu, pids) as v1 files, in the order the
 * kernel takes them: the period before the quota, the memory limit
 * before memory+swap, cpus and mems before anything joins. Block I/O
 * limits name devices: each is its own line (written by write_blkio). */
static size_t v1_files(json_t *res, struct cg_file *f)
{
    json_t *m = json_object_get(res, "memory"), *c = json_object_get(res, "cpu");
    json_t *pids = json_object_get(res, "pids");
    size_t n = 0;

    if (js_str(c, "cpus", NULL))
        put_str(f, &n, "cpuset", "cpuset.cpus", js_str(c, "cpus", ""));
    if (js_str(c, "mems", NULL))
        put_str(f, &n, "cpuset", "cpuset.mems", js_str(c, "mems", ""));
    if (json_object_get(c, "shares"))
        put(f, &n, "cpu", "cpu.shares", js_int(c, "shares", 0));
    if (json_object_get(c, "period"))
        put(f, &n, "cpu", "cpu.cfs_period_us", js_int(c, "period", 0));
    if (json_object_get(c, "quota"))
        put(f, &n, "cpu", "cpu.cfs_quota_us", js_int(c, "quota", 0));
    if (json_object_get(c, "realtimePeriod"))
        put(f, &n, "cpu", "cpu.rt_period_us", js_int(c, "realtimePeriod", 0));
    if (json_object_get(c, "realtimeRuntime"))
        put(f, &n, "cpu", "cpu.rt_runtime_us", js_int(c, "realtimeRuntime", 0));
    if (json_object_get(m, "limit"))
        put(f, &n, "memory", "memory.limit_in_bytes", js_int(m, "limit", 0));
    if (json_object_get(m, "swap"))
        put(f, &n, "memory", "memory.memsw.limit_in_bytes", js_int(m, "swap", 0));
    if (json_object_get(m, "reservation"))
        put(f, &n, "memory", "memory.soft_limit_in_bytes", js_int(m, "reservation", 0));
    if (json_object_get(m, "swappiness"))
        put(f, &n, "memory", "memory.swappiness", js_int(m, "swappiness", 0));
    if (js_bool(m, "disableOOMKiller", false))
        put(f, &n, "memory", "memory.oom_control", 1);
    if (json_object_get(pids, "limit")) {
        long long l = js_int(pids, "limit", 0);
        if (l > 0)
            put(f, &n, "pids", "pids.max", l);
        else
            put_str(f, &n, "pids", "pids.max", "max");
    }
    return n;
}

static int write_blkio(const char *path, json_t *bio, struct berr **err)
{
    static const struct { const char *key, *file, *val; } lists[] = {
        { "weightDevice", "blkio.weight_device", "weight" },
        { "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rate" },
        { "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "rate" },
        { "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "rate" },
        { "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "rate" },
    };
    char v[64];
    size_t i;
    json_t *e;

    if (!bio)
        return 0;
    if (cg_v1_mkdir("blkio", path, err) < 0)
        return -1;
    if (json_object_get(bio, "weight")) {
        snprintf(v, sizeof(v), "%lld", js_int(bio, "weight", 0));
        if (cg_v1_write("blkio", path, "blkio.weight", v, err) < 0)
            return -1;
    }
    for (size_t k = 0; k < ARRAY_SIZE(lists); k++)
        json_array_foreach(json_object_get(bio, lists[k].key), i, e) {
            snprintf(v, sizeof(v), "%lld:%lld %lld", js_int(e, "major", 0),
                     js_int(e, "minor", 0), js_int(e, lists[k].val, 0));
            if (cg_v1_write("blkio", path, lists[k].file, v, err) < 0)
                return -1;
        }
    return 0;
}

/* The pod's limits (spec.h resources, checked at pod create) into the
 * OCI form the v1 files are written from. */
static int oci_resources(json_t *r, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *res = json_object();
    bool swap = fs_exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");

    if (!res)
        return berr_oom(err);
    if (spec_resources_oci(r, swap, res, err) < 0)
        return -1;
    if (json_object_get(r, "pidsLimit") &&
        json_object_set_new(res, "pids", json_pack("{s:I}", "limit",
                                                   (json_int_t) js_int(r, "pidsLimit", 0))) < 0)
        return berr_oom(err);
    *out = STEAL_PTR(res);
    return 0;
}

int pod_cgroup_ensure(struct runtime *rt, const char *pod_id, const char *ctr_parent,
                      struct berr **err)
{
    static const char *const ctls[] = { "cpuset", "cpu", "cpuacct", "memory", "pids" };
    struct pod_config cfg;
    _cleanup_json_ json_t *res = NULL;
    struct cg_file f[16];
    const char *path;
    size_t n;
    int rc = -1;

    if (pod_read(rt, pod_id, &cfg, err) < 0) {
        /* a member outliving its pod (a pod rm killed midway) still runs */
        if ((*err)->kind != BK_NO_SUCH)
            return berr_wrap(err, "pod %s", pod_id);
        berr_freep(err);
        return 0;
    }
    path = js_str(cfg.rec, "cgroupPath", "");
    /* a member with a --cgroup-parent of its own is not under it */
    if (!*path || !str_eq(path, ctr_parent)) {
        pod_config_free(&cfg);
        return 0;
    }
    if (oci_resources(cfg.resources, &res, err) < 0)
        goto out;
    if (cgreg_add(rt, CGREG_POD, pod_id, path, err) < 0)
        goto out;
    for (size_t i = 0; i < ARRAY_SIZE(ctls); i++)
        if (cg_v1_has(ctls[i], NULL) && cg_v1_mkdir(ctls[i], path, err) < 0)
            goto out;
    n = v1_files(res, f);
    for (size_t i = 0; i < n; i++)
        if (cg_v1_write(f[i].ctl, path, f[i].file, f[i].value, err) < 0)
            goto out;
    if (write_blkio(path, json_object_get(res, "blockIO"), err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        berr_wrap(err, "pod %s: cgroup %s", pod_id, path);
    pod_config_free(&cfg);
    return rc;
}

void pod_cgroup_remove(const struct pod_config *cfg)
{
    const char *path = js_str(cfg->rec, "cgroupPath", "");
    struct berr *e = NULL;

    if (*path && cg_v1_rmdir(path, &e) < 0)
        log_warn("pod %s: %s", cfg->id, e->msg);
    berr_free(e);
}
