/*
 * runtime/pod_create.c: `pod create` (pod.h): the pod's record, then its
 * infra container (a container like any other, made by ctr_create, whose
 * config says "pod" and "isInfra"); and what a member needs to join it
 * (pod_join_info, for ctr_create).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/pod.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

/* podman's namespace words, by enum spec_ns */
static const char *const ns_words[] = {
    [SPEC_NS_NET] = "net", [SPEC_NS_PID] = "pid", [SPEC_NS_IPC] = "ipc",
    [SPEC_NS_UTS] = "uts", [SPEC_NS_CGROUP] = "cgroup",
};

/* --share: a list of words, "none", absent (ipc, net, uts), or "+..."
 * (those and the words). */
static int parse_share(const struct pod_create_opts *o, bool share[SPEC_NS__COUNT],
                       json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *arr = json_array();

    memset(share, 0, sizeof(bool) * SPEC_NS__COUNT);
    if (!arr)
        return berr_oom(err);
    /* "+ns,...": the defaults and these (podman: only the first word
     * may carry the +) */
    bool plus = o->share && o->share[0] && o->share[0][0] == '+';
    if (!o->share || plus) {
        if (o->infra)
            share[SPEC_NS_NET] = share[SPEC_NS_IPC] = share[SPEC_NS_UTS] = true;
    }
    /* podman checks this before the words themselves */
    for (size_t i = 0; o->share && o->share[i]; i++)
        if (o->share_parent && str_eq(o->share[i] + (i == 0 && plus), "cgroup"))
            return berr_plain(err, BK_INVALID, "cannot define the pod as the cgroup parent at the "
                              "same time as joining the infra container's cgroupNS: invalid "
                              "argument");
    if (o->share) {
        for (size_t i = 0; o->share[i]; i++) {
            const char *w = o->share[i] + (i == 0 && plus);
            bool found = false;
            if (str_eq(w, "none"))
                continue;
            for (int k = 0; k < SPEC_NS_USER; k++)
                if (str_eq(w, ns_words[k]))
                    share[k] = found = true;
            if (!found)
                return berr_plain(err, BK_INVALID, "invalid kernel namespace to share: %s. "
                                 "Options are: cgroup, ipc, net, pid, uts or none", w);
            if (!o->infra)
                return berr_plain(err, BK_INVALID, "cannot set share(%s) namespaces without "
                                 "an infra container", w);
        }
    }
    /* inspect lists them sorted: cgroup ipc net pid uts */
    static const int order[] = { SPEC_NS_CGROUP, SPEC_NS_IPC, SPEC_NS_NET, SPEC_NS_PID, SPEC_NS_UTS };
    for (size_t i = 0; i < ARRAY_SIZE(order); i++)
        if (share[order[i]] && json_array_append_new(arr, json_string(ns_words[order[i]])) < 0)
            return berr_oom(err);
    *out = STEAL_PTR(arr);
    return 0;
}

/* inspect's InfraConfig, in podman's key order; defnet: the config's
 * default network, which a bridge infra naming none joins. */
static json_t *infra_config(const struct pod_create_opts *o, const char *defnet)
{
    _cleanup_json_ json_t *ic = json_object(), *nets = json_array();
    const char *mode = o->net_mode ? o->net_mode : "bridge";
    const char *slirp_opts = js_str(o->infra_extra, "slirp4netnsOptions", NULL);
    size_t i;
    json_t *e;

    if (!ic || !nets)
        return NULL;
    json_array_foreach(o->networks, i, e)
        json_array_append_new(nets, json_string(js_str(e, "name", defnet)));
    /* no infra, no network of the pod's own (podman's pod ps: []) */
    if (o->infra && str_eq(mode, "bridge") && json_array_size(nets) == 0)
        json_array_append_new(nets, json_string(defnet));
    json_object_set_new(ic, "PortBindings", o->port_mappings ? json_incref(o->port_mappings) : json_object());
    json_object_set_new(ic, "HostNetwork", json_boolean(str_eq(mode, "host")));
    json_object_set_new(ic, "NoManageHosts", json_boolean(o->no_hosts));
    json_object_set_new(ic, "HostAdd", o->add_hosts ? json_incref(o->add_hosts) : json_null());
    json_object_set_new(ic, "DNS", o->dns ? json_incref(o->dns) : json_null());
    /* slirp4netns joins no network, and podman names its options */
    json_object_set_new(ic, "Networks", str_eq(mode, "slirp4netns") ? json_null() : json_incref(nets));
    json_object_set_new(ic, "NetworkMode", json_string(mode));
    if (slirp_opts && *slirp_opts) {
        _cleanup_strv_ char **v = strv_split(slirp_opts, ",");
        _cleanup_json_ json_t *no = json_object();
        json_t *arr = json_array();
        for (size_t k = 0; v && arr && v[k]; k++)
            json_array_append_new(arr, json_string(v[k]));
        if (!v || !no || json_object_set_new(no, "slirp4netns", arr) < 0 ||
            json_object_set_new(ic, "NetworkOptions", STEAL_PTR(no)) < 0)
            return NULL;
    }
    return STEAL_PTR(ic);
}

static json_t *pod_record(const struct pod_create_opts *o, const char *id, const char *name,
                          const char *ns, json_t *share, const char *defnet)
{
    _cleanup_json_ json_t *c = json_object();
    int bad = 0;

    if (!c)
        return NULL;
#define PUT(key, v) (bad |= json_object_set_new(c, key, v))
    PUT("id", json_string(id));
    PUT("name", json_string(name));
    PUT("namespace", json_string(ns));
    PUT("createdNs", json_integer(time_now_ns()));
    PUT("labels", o->labels ? json_incref(o->labels) : json_object());
    PUT("createInfra", json_boolean(o->infra));
    PUT("share", json_incref(share));
    PUT("shareParent", json_boolean(o->share_parent));
    PUT("exitPolicy", json_string(o->exit_policy ? o->exit_policy : "continue"));
    if (o->hostname)
        PUT("hostname", json_string(o->hostname));
    if (o->cgroup_parent)
        PUT("cgroupParent", json_string(o->cgroup_parent));
    PUT("createCommand", o->create_command ? json_incref(o->create_command) : json_array());
    PUT("infraConfig", infra_config(o, defnet));
    if (o->resources)
        PUT("resources", json_incref(o->resources));
    if (o->infra && (json_array_size(o->mounts) || json_array_size(o->volumes_from)))
        PUT("infraVolumes", json_true());
    if (o->uts_mode)
        PUT("infraUts", json_string(o->uts_mode));
    if (o->infra && o->userns_mode && !str_eq(o->userns_mode, "host"))
        PUT("infraUserns", json_true());
    if (json_array_size(o->devices))
        PUT("devices", json_incref(o->devices));
#undef PUT
    return bad ? NULL : STEAL_PTR(c);
}

/* The infra's create-time spec (runtime/spec.h). */
static json_t *infra_spec(const struct pod_create_opts *o, const char *pod_name,
                          const bool share[SPEC_NS__COUNT])
{
    _cleanup_json_ json_t *s = json_object(), *ns = json_object();
    const char *hn = o->hostname ? o->hostname : pod_name;

    if (!s || !ns)
        return NULL;
    if (json_object_set_new(ns, "network", json_string(o->net_mode ? o->net_mode : "bridge")) < 0 ||
        (o->pid_mode && js_set_str(ns, "pid", o->pid_mode) < 0) ||
        (o->uts_mode && js_set_str(ns, "uts", o->uts_mode) < 0) ||
        json_object_set(s, "namespaces", ns) < 0 ||
        (o->sysctls && json_object_set(s, "sysctls", o->sysctls) < 0) ||
        (o->security_opts && json_object_set(s, "securityOpts", o->security_opts) < 0) ||
        (share[SPEC_NS_UTS] && !o->uts_mode && js_set_str(s, "hostname", hn) < 0) ||
        js_set_str(s, "systemd", "false") < 0 ||
        (o->infra_command && json_object_set(s, "entrypoint", o->infra_command) < 0) ||
        (o->infra_conmon_pidfile && js_set_str(s, "conmonPidFile", o->infra_conmon_pidfile) < 0) ||
        (o->resources && json_object_set(s, "resources", o->resources) < 0) ||
        (o->mounts && json_object_set(s, "mounts", o->mounts) < 0) ||
        (o->volumes_from && json_object_set(s, "volumesFrom", o->volumes_from) < 0) ||
        (o->no_hosts && json_object_set_new(s, "noHosts", json_true()) < 0) ||
        (o->userns_mode && js_set_str(ns, "user", o->userns_mode) < 0) ||
        (o->infra_extra && json_object_update(s, o->infra_extra) < 0))
        return NULL;
    return STEAL_PTR(s);
}

/* cgpath: the pod's cgroup, the infra's parent ("": none, the pod's
 * --cgroup-parent then) */
static int make_infra(struct runtime *rt, const struct pod_create_opts *o, const char *id,
                      const char *pod_name, const bool share[SPEC_NS__COUNT],
                      const char *cgpath, const char *infra_id, const char *name,
                      struct berr **err)
{
    _cleanup_free_ char *image = NULL;
    _cleanup_json_ json_t *spec = infra_spec(o, pod_name, share);
    _cleanup_ctr_ struct ctr *c = NULL;
    struct ctr_create_params p = {
        .networks = o->networks, .port_mappings = o->port_mappings, .dns = o->dns,
        .add_hosts = o->add_hosts, .cgroup_parent = *cgpath ? cgpath : o->cgroup_parent,
        .stop_timeout = 10, .pod = id, .is_infra = true, .id = infra_id,
    };

    if (!spec)
        return berr_oom(err);
    if (!(image = o->infra_image ? str_dup(o->infra_image) : pod_infra_image_name()))
        return berr_oom(err);
    if (!o->infra_image)
        p.image_missing = pod_infra_image_build;
    p.spec = spec;
    p.image = image;
    p.name = name;
    return ctr_create(rt, &p, &c, err);
}

/* Gives back the infra's name reserved for a create that failed, if
 * it still points at the infra's id (name NULL: none reserved). */
static void unreserve(struct runtime *rt, const char *name, const char *infra_id)
{
    struct berr *e = NULL;

    if (name && state_names_release_id(rt->st, name, OBJ_CONTAINER, infra_id, &e) < 0) {
        log_warn("pod create: releasing the name %s: %s", name, e->msg);
        berr_free(e);
    }
}

static int pick_name(struct runtime *rt, const char *given, const char *id, char **out,
                     struct berr **err)
{
    if (!given)
        return state_gen_name(rt->st, out, err);
    if (ctr_name_check(given, err) < 0)
        return -1;
    if (state_name_check(rt->st, given, OBJ_POD, id, err) < 0)
        return berr_wrap(err, "adding pod to state");
    *out = str_dup(given);
    return *out ? 0 : berr_oom(err);
}

int pod_create(struct runtime *rt, const struct pod_create_opts *given,
               char id[STATE_ID_LEN + 1], struct berr **err)
{
    /* the infra without a network mode of its own gets the config's
     * (podman's [containers] netns default), bridge unless set */
    struct pod_create_opts opts = *given, *o = &opts;
    _cleanup_json_ json_t *share_arr = NULL, *rec = NULL, *st = json_object();
    _cleanup_free_ char *name = NULL, *cgpath = NULL, *infra_name = NULL;
    _cleanup_pod_ struct pod *p = NULL;
    bool share[SPEC_NS__COUNT];
    char infra_id[STATE_ID_LEN + 1] = "";
    struct event ev = { .type = "pod", .status = "create" };
    const char *ep = o->exit_policy ? o->exit_policy : "continue";
    bool reserved = false;

    if (!st)
        return berr_oom(err);
    if (!o->net_mode)
        o->net_mode = ctr_default_netmode(rt);
    if (!str_eq(ep, "continue") && !str_eq(ep, "stop"))
        return berr_plain(err, BK_INVALID, "invalid pod exit policy: \"%s\"", ep);
    if (parse_share(o, share, &share_arr, err) < 0)
        return -1;
    if (state_new_id(id, err) < 0 || pick_name(rt, o->name, id, &name, err) < 0)
        return -1;
    if (!(cgpath = pod_cgroup_path_new(rt, o->cgroup_parent, id)))
        return berr_oom(err);
    /* checked here as the infra's would be at its create (with podman's
     * warnings for what this host lacks) */
    if (*cgpath && o->resources && spec_resources_check(o->resources, err) < 0)
        return -1;
    rec = pod_record(o, id, name, rt->cfg->namespace ? rt->cfg->namespace : "", share_arr,
                     rt->cfg->default_network ? rt->cfg->default_network : "berth");
    if (!rec || (*cgpath && js_set_str(rec, "cgroupPath", cgpath) < 0))
        return berr_oom(err);
    /* the infra's id is chosen now and named in the pod's first record:
     * one synced write of it, not a second one once the infra exists. A
     * create killed in between leaves a pod whose infra is missing,
     * which pod rm removes as any. */
    if (o->infra && (state_new_id(infra_id, err) < 0 ||
                     (str_eq(infra_id, id) && state_new_id(infra_id, err) < 0)))
        return -1;
    if (o->infra && js_set_str(rec, "infraId", infra_id) < 0)
        return berr_oom(err);
    if (o->infra && !(infra_name = o->infra_name ? str_dup(o->infra_name)
                                                 : str_fmt("%.12s-infra", id)))
        return berr_oom(err);
    /* the pod's cgroup holds its limits: the infra has none of its own */
    if (*cgpath)
        o->resources = NULL;
    /* The infra's name is reserved now, unsynced: the fsync of names/
     * that makes the pod's name durable makes it durable too, and the
     * infra's create finds it made (one fsync of names/, not two). A
     * name taken or invalid is left to ctr_create, for podman's words.
     * A create killed before the infra's record leaves a link to no
     * record, which the next taker of the name takes over (names.c). */
    if (o->infra) {
        struct berr *e = NULL;
        reserved = state_name_reserve_unsynced(rt->st, infra_name, OBJ_CONTAINER, infra_id,
                                               &e) == 0;
        berr_free(e);
        crash_point("podcreate:infraname");
    }
    if (state_create(rt->st, OBJ_POD, id, rec, st, err) < 0) {
        unreserve(rt, reserved ? infra_name : NULL, infra_id);
        return berr_wrap(err, "adding pod to state");
    }
    crash_point("podcreate:record");
    /* the member index, before any member (a pod without one: its
     * readers read every container record) */
    {
        struct berr *e = NULL;
        if (state_members_init(rt->st, id, &e) < 0) {
            log_warn("pod %s: %s", id, e->msg);
            berr_free(e);
        }
    }
    /* locked from here: a pod rm waits until the infra is in place */
    if (pod_get_id(rt, id, &p, err) < 0)
        return -1;
    if (o->infra) {
        struct berr *e = NULL;
        /* a failed ctr_create leaves nothing of the infra behind */
        if (make_infra(rt, o, id, name, share, cgpath, infra_id, infra_name, err) < 0) {
            unreserve(rt, reserved ? infra_name : NULL, infra_id);
            if (state_delete(rt->st, OBJ_POD, id, &e) < 0)
                log_warn("pod %s: removing its record: %s", id, e->msg);
            berr_free(e);
            return -1;
        }
    }
    ev.id = id;
    ev.name = name;
    rt_event(rt, &ev);
    return 0;
}

/* ---- joining ---- */

void pod_join_free(struct pod_join *j)
{
    free(j->hostname);
    free(j->cgroup_parent);
    json_decref(j->resources);
    json_decref(j->devices);
    memset(j, 0, sizeof(*j));
}

int pod_join_info(struct runtime *rt, const char *name_or_id, struct pod_join *out,
                  struct berr **err)
{
    _cleanup_pod_ struct pod *p = NULL;
    size_t i;
    json_t *e;

    memset(out, 0, sizeof(*out));
    if (pod_get(rt, name_or_id, &p, err) < 0)
        return -1;
    snprintf(out->pod_id, sizeof(out->pod_id), "%s", p->id);
    snprintf(out->infra_id, sizeof(out->infra_id), "%s", p->cfg.infra_id ? p->cfg.infra_id : "");
    if (out->infra_id[0])
        json_array_foreach(p->cfg.share, i, e)
            for (int k = 0; k < SPEC_NS_USER; k++)
                if (str_eq(json_string_value(e), ns_words[k]))
                    out->share[k] = true;
    /* under the pod's cgroup, which holds its limits; else (no pod
     * cgroup, or --share-parent=false) each member gets them */
    if (p->cfg.share_parent && *js_str(p->cfg.rec, "cgroupPath", "")) {
        if (!(out->cgroup_parent = str_dup(js_str(p->cfg.rec, "cgroupPath", ""))))
            return berr_oom(err);
    } else {
        out->resources = json_incref(p->cfg.resources);
    }
    out->volumes = p->cfg.infra_volumes && out->infra_id[0];
    out->userns = js_bool(p->cfg.rec, "infraUserns", false) && out->infra_id[0];
    out->devices = json_incref(json_object_get(p->cfg.rec, "devices"));
    /* an infra in the host's (or another) UTS namespace names no host */
    if (!js_str(p->cfg.rec, "infraUts", NULL) &&
        !(out->hostname = str_dup(p->cfg.hostname ? p->cfg.hostname : p->cfg.name)))
        return berr_oom(err);
    if (!out->cgroup_parent && p->cfg.share_parent && p->cfg.cgroup_parent &&
        !(out->cgroup_parent = str_dup(p->cfg.cgroup_parent)))
        return berr_oom(err);
    return 0;
}
