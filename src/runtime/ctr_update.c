/*
 * runtime/ctr_update.c: update, new resource limits for a container.
 *
 * The limits are merged into the create-time "resources" (spec.h) of
 * config.json, so inspect shows them and every later start applies
 * them; a container the OCI runtime knows (created, running, paused)
 * gets them at once through `runc|crun update --resources FILE`, FILE
 * holding the linux.resources the spec builder would write. berth's
 * choice: a container the runtime does not know (configured, exited)
 * is updated in its record only (podman 4.3.1 fails there, runc saying
 * "container does not exist").
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

int ctr_resources_merge(json_t *old, json_t *add)
{
    if (json_object_get(add, "cpus")) {
        (void) json_object_del(old, "cpuPeriod");
        (void) json_object_del(old, "cpuQuota");
    }
    if (json_object_get(add, "cpuPeriod") || json_object_get(add, "cpuQuota"))
        (void) json_object_del(old, "cpus");
    /* a new memory limit without a swap limit gets the default swap */
    if (json_object_get(add, "memory") && !json_object_get(add, "memorySwap"))
        (void) json_object_del(old, "memorySwap");
    return json_object_update(old, add);
}

/* Runs the OCI runtime's update with the resources res (created,
 * running or paused container). */
static int apply(struct runtime *rt, struct ctr *c, json_t *res, struct berr **err)
{
    bool swap_accounting = fs_exists("/sys/fs/cgroup/cgroup.controllers") ||
                           fs_exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes");
    _cleanup_json_ json_t *oci = json_object();
    _cleanup_free_ char *dir = ctr_run_dir(rt, c->id), *path = NULL;
    struct ctr_rtcall x;
    int r;

    if (!oci || !dir || !(path = str_fmt("%s/resources.json", dir)))
        return berr_oom(err);
    if (spec_resources_oci(res, swap_accounting, oci, err) < 0)
        return -1;
    if (fs_mkdir_p(dir, 0700, err) < 0 || js_write_atomic(dir, "resources.json", oci, 0600, err) < 0)
        return -1;
    if (ctr_rtcall_get(rt, &c->cfg, &x, err) < 0) {
        ctr_rtcall_free(&x);
        return -1;
    }
    r = oci_update(&x.cli, c->id, path, err);
    ctr_rtcall_free(&x);
    (void) unlink(path);
    return r;
}

int ctr_update(struct runtime *rt, struct ctr *c, json_t *res, struct berr **err)
{
    _cleanup_json_ json_t *spec = json_deep_copy(c->cfg.spec ? c->cfg.spec : json_object());
    json_t *cur;
    int st = ctr_state(c);

    if (!spec)
        return berr_oom(err);
    if (st == CS_REMOVING)
        return berr_kind(err, BK_STATE, "container %s is being removed", c->id);
    if (!json_is_object(cur = json_object_get(spec, "resources"))) {
        if (json_object_set_new(spec, "resources", json_object()) < 0)
            return berr_oom(err);
        cur = json_object_get(spec, "resources");
    }
    if (ctr_resources_merge(cur, res) < 0)
        return berr_oom(err);
    /* a swap limit given alone goes with the memory limit the container
     * has (podman's update) */
    if (json_object_get(res, "memorySwap") &&
        spec_memory_swap_check(js_int(cur, "memory", 0), js_int(cur, "memorySwap", 0), err) < 0)
        return -1;
    if (spec_resources_check(cur, err) < 0)
        return -1;
    if ((st == CS_CREATED || st == CS_RUNNING || st == CS_PAUSED) && apply(rt, c, cur, err) < 0)
        return -1;
    if (ctr_config_set(c, "spec", json_incref(spec), err) < 0)
        return -1;
    return ctr_save_config(rt, c, err);
}
