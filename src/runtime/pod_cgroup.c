/*
 * runtime/pod_cgroup.c: a pod's own cgroup, as podman's cgroupfs manager
 * makes it: <cgroup parent, default /berth_parent>/<pod id>, the parent
 * of every member's cgroup (the infra's too), holding the pod's resource
 * limits (pod create --cpus, --memory, ...) once for all its members.
 *
 * Decisions (berth):
 *  - the cgroupfs manager, cgroup v1 or v2: the path is recorded in the
 *    pod's config ("cgroupPath") at create; the files are cgres.c's.
 *    Elsewhere (systemd manager, cgroups disabled, rootless, a v1 host
 *    without a memory hierarchy) no path is recorded and the pod's limits are
 *    copied into each member: with the systemd manager podman makes a
 *    slice machine-libpod_pod_<id>.slice through systemd, which berth
 *    does not talk to.
 *  - Made when a member is first prepared (pod_cgroup_ensure, every
 *    start: idempotent), not at pod create: a pod that never runs costs
 *    no cgroup, and a cgroup lost with a reboot comes back by itself.
 *    Removed with the pod (pod_cgroup_remove) when the registry (cgreg.h)
 *    says one was made.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "runtime/cgres.h"
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

    /* rootless: cgroupfs gives no right to make one (podman makes none) */
    if (str_eq(rt->cfg->cgroup_manager, "systemd") || str_eq(mode, "disabled") ||
        geteuid() != 0 || (!spec_cgroup2_unified() && !cg_v1_has("memory", NULL)))
        return str_dup("");
    if (!parent || !*parent)
        parent = SPEC_CGROUPFS_PARENT;
    return str_fmt("%s%s/%s", parent[0] == '/' ? "" : "/", parent, id);
}

/* The pod's limits (spec.h resources, checked at pod create) into the
 * OCI form the cgroup files are written from. Swap accounting: v1's
 * memsw file; on v2 memory.swap.max is always there. */
static int oci_resources(json_t *r, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *res = json_object();
    bool swap = spec_cgroup2_unified() ||
                fs_exists(CG_ROOT "/memory/memory.memsw.limit_in_bytes");

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
    struct pod_config cfg;
    _cleanup_json_ json_t *res = NULL;
    const char *path;
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
    if (oci_resources(cfg.resources, &res, err) == 0 &&
        cgreg_add(rt, CGREG_POD, pod_id, path, err) == 0 &&
        cgres_apply(CG_ROOT, cgres_host_layout(), path, res, err) == 0)
        rc = 0;
    if (rc < 0)
        berr_wrap(err, "pod %s: cgroup %s", pod_id, path);
    pod_config_free(&cfg);
    return rc;
}

void pod_cgroup_remove(const struct pod_config *cfg)
{
    const char *path = js_str(cfg->rec, "cgroupPath", "");
    struct berr *e = NULL;

    if (*path && cgres_remove(CG_ROOT, cgres_host_layout(), path, &e) < 0)
        log_warn("pod %s: %s", cfg->id, e->msg);
    berr_free(e);
}
