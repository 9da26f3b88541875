/*
 * runtime/ctr_clone.c: container clone, a new container made with the
 * create-time configuration of another (its spec, log, restart, network
 * and port settings), optionally another image and other resource
 * limits; then perhaps started, and the original removed (--destroy).
 *
 * berth's choices where a copy could not work beside the original: the
 * clone gets its own default log path, and on its networks no static IP
 * or MAC address (aliases are kept). Published ports are copied with
 * their host ports, as podman does: the two cannot run at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/net/ports.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* "NAME-clone", else "NAME-clone1", "NAME-clone2"... the first free
 * (pods and containers share the names). */
int ctr_clone_name(struct runtime *rt, const char *base, char **out, struct berr **err)
{
    for (int i = 0; i < 10000; i++) {
        _cleanup_free_ char *n = i ? str_fmt("%s-clone%d", base, i) : str_fmt("%s-clone", base);
        bool taken;
        if (!n)
            return berr_oom(err);
        if (ctr_exists(rt, n, false, &taken, err) < 0)
            return -1;
        if (!taken && !pod_exists(rt, n)) {
            *out = STEAL_PTR(n);
            return 0;
        }
    }
    return berr_msg(err, "no free name for a clone of %s", base);
}

/* A member moving out of its pod: what joining it put in its spec (the
 * infra's namespaces and volumes, the pod's host name) goes, so that
 * the pod it joins now (or none) decides. *cg: the member's cgroup
 * parent, set to NULL when it is the old pod's cgroup (the new pod's
 * then applies; kept, the clone ran in the old pod's cgroup, which that
 * pod's removal then left behind). */
static int leave_pod(struct runtime *rt, const char *pod_id, json_t *spec, const char **cg,
                     struct berr **err)
{
    struct pod_config pc;
    _cleanup_free_ char *join = NULL;
    json_t *ns = json_object_get(spec, "namespaces"), *vf = json_object_get(spec, "volumesFrom"), *v;
    const char *k;
    void *tmp;

    if (pod_read(rt, pod_id, &pc, err) < 0)
        return berr_wrap(err, "pod %s", pod_id);
    if (pc.infra_id && !(join = str_fmt("container:%s", pc.infra_id))) {
        pod_config_free(&pc);
        return berr_oom(err);
    }
    json_object_foreach_safe(ns, tmp, k, v)
        if (join && str_eq(json_string_value(v), join))
            (void) json_object_del(ns, k);
    for (size_t i = json_array_size(vf); pc.infra_id && i-- > 0;)
        if (str_eq(json_string_value(json_array_get(vf, i)), pc.infra_id))
            (void) json_array_remove(vf, i);
    if (str_eq(js_str(spec, "hostname", NULL), pc.hostname ? pc.hostname : pc.name))
        (void) json_object_del(spec, "hostname");
    if (*cg && str_eq(*cg, js_str(pc.rec, "cgroupPath", NULL)))
        *cg = NULL;
    pod_config_free(&pc);
    return 0;
}

/* A container cloned into a pod (--pod) from none: as podman, its own network,
 * IPC, UTS, PID and cgroup namespace settings are reset, so that it
 * joins what the pod shares, with podman's warning. */
static void enter_pod(json_t *spec)
{
    static const char *const keys[] = { "network", "ipc", "uts", "pid", "cgroup" };
    json_t *ns = json_object_get(spec, "namespaces");
    bool reset = false;

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
        reset |= json_object_del(ns, keys[i]) == 0;
    if (reset)
        log_warn("At least one namespace was reset to the default configuration");
}

/* o's fields over the spec's; an object (namespaces, sysctls) key by key */
static int spec_over(json_t *spec, json_t *over)
{
    const char *k;
    json_t *v, *old;

    json_object_foreach(over, k, v) {
        old = json_object_get(spec, k);
        if (json_is_object(old) && json_is_object(v) ? json_object_update(old, v) < 0
                                                     : json_object_set(spec, k, v) < 0)
            return -1;
    }
    return 0;
}

/* The record's networks ({name: {aliases, ...}}) as create takes them. */
static json_t *networks_param(json_t *nets)
{
    json_t *out = json_array(), *v;
    const char *name;

    json_object_foreach(nets, name, v) {
        json_t *al = json_object_get(v, "aliases");
        if (!out || json_array_append_new(out, json_pack("{s:s, s:O}", "name", name, "aliases",
                                                         json_is_array(al) ? al
                                                                           : json_array())) < 0) {
            json_decref(out);
            return NULL;
        }
    }
    return out;
}

/* The record's port mappings as -p values, host ports as chosen. */
static int ports_param(json_t *rec, json_t **out, struct berr **err)
{
    _cleanup_free_ struct net_port *v = NULL;
    size_t n = 0;

    if (!(*out = json_array()))
        return berr_oom(err);
    if (rec && ports_from_json(rec, &v, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const struct net_port *p = &v[i];
        unsigned r = p->range > 1 ? p->range - 1 : 0;
        _cleanup_free_ char *s = r
            ? str_fmt("%s%s%u-%u:%u-%u/%s", p->host_ip, *p->host_ip ? ":" : "", p->host_port,
                      p->host_port + r, p->ctr_port, p->ctr_port + r, p->proto)
            : str_fmt("%s%s%u:%u/%s", p->host_ip, *p->host_ip ? ":" : "", p->host_port,
                      p->ctr_port, p->proto);
        if (!s || json_array_append_new(*out, json_string(s)) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int clone_create(struct runtime *rt, struct ctr *src, const struct ctr_clone_opts *o,
                        struct ctr **out, struct berr **err)
{
    const struct ctr_config *cf = &src->cfg;
    _cleanup_json_ json_t *spec = json_deep_copy(cf->spec ? cf->spec : json_object());
    _cleanup_json_ json_t *nets = networks_param(cf->networks), *ports = NULL;
    _cleanup_free_ char *name = NULL;
    json_t *res;

    if (!spec || !nets)
        return berr_oom(err);
    /* what belonged to the original alone */
    (void) json_object_del(spec, "id");
    (void) json_object_del(spec, "name");
    (void) json_object_del(spec, "createdTime");
    if (o->resources && json_object_size(o->resources)) {
        if (!json_is_object(res = json_object_get(spec, "resources"))) {
            if (json_object_set_new(spec, "resources", json_object()) < 0)
                return berr_oom(err);
            res = json_object_get(spec, "resources");
        }
        if (ctr_resources_merge(res, o->resources) < 0)
            return berr_oom(err);
    }
    const char *src_pod = js_str(cf->rec, "pod", NULL);
    const char *pod = o->pod ? o->pod : src_pod;
    const char *cgroup_parent = cf->cgroup_parent;
    if (o->pod && !pod_exists(rt, o->pod))
        return berr_kind(err, BK_NO_SUCH, "no pod with name or ID %s found: no such pod", o->pod);
    if (src_pod && o->pod && leave_pod(rt, src_pod, spec, &cgroup_parent, err) < 0)
        return -1;
    if (o->pod && !o->infra && !src_pod)
        enter_pod(spec);
    if (o->pod && !o->infra)
        json_array_clear(nets);
    if (o->spec && spec_over(spec, o->spec) < 0)
        return berr_oom(err);
    if (ports_param(cf->port_mappings, &ports, err) < 0)
        return -1;
    if (!o->name && ctr_clone_name(rt, ctr_name(src), &name, err) < 0)
        return -1;
    struct ctr_create_params p = {
        .spec = spec, .name = o->name ? o->name : name,
        .image = o->image ? o->image : cf->image_name && *cf->image_name ? cf->image_name
                                                                         : cf->image_id,
        .rootfs = o->image ? NULL : cf->rootfs,
        .log_driver = cf->log_driver, .log_size_max = cf->log_size_max, .log_tag = cf->log_tag,
        .restart_policy = cf->restart_policy, .restart_retries = cf->restart_retries,
        .stop_timeout = cf->stop_timeout, .timeout = cf->timeout,
        .stdin = cf->stdin_open, .terminal = cf->terminal, .auto_remove = cf->auto_remove,
        .networks = json_array_size(nets) ? nets : NULL, .port_mappings = ports,
        .dns = cf->dns, .add_hosts = cf->add_hosts, .cgroup_parent = cgroup_parent,
        .pod = pod, .is_infra = o->infra,
    };
    if (!p.image && !p.rootfs)
        return berr_msg(err, "container %s has neither an image nor a root file system", src->id);
    return ctr_create(rt, &p, out, err);
}

int ctr_clone(struct runtime *rt, struct ctr *src, const struct ctr_clone_opts *o,
              char id[STATE_ID_LEN + 1], struct berr **err)
{
    _cleanup_ctr_ struct ctr *nc = NULL;

    if (clone_create(rt, src, o, &nc, err) < 0)
        return -1;
    snprintf(id, STATE_ID_LEN + 1, "%s", nc->id);
    if (o->run && ctr_start(rt, nc, err) < 0)
        return berr_wrap(err, "starting the clone %s", nc->id);
    /* podman's order: the clone exists (and runs) before the original
     * is removed, which may fail (running, without force) */
    if (o->destroy && ctr_remove(rt, src, o->force, -1, err) < 0)
        return -1;
    return 0;
}
