/*
 * runtime/ctr_create.c: ctr_create(): a new container's records (config
 * and state, the name reserved, a lock allocated, the root file system
 * created from its image), all or nothing.
 *
 * The record is written first, with intent "create" (ctr_repair.c), and
 * the root file system made after: a create killed in between leaves a
 * container that ps shows and whose next command finishes it, never a
 * root file system that no record names (invisible, surviving rm -a,
 * holding its image).
 */
#include <signal.h>
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/userns.h"
#include "runtime/journal.h"
#include "runtime/ctr_mounts.h"
#include "runtime/ctr_requires.h"
#include "runtime/secret.h"
#include "runtime/ctr_view.h"
#include "runtime/health.h"
#include "runtime/image.h"
#include "runtime/net/net.h"
#include "runtime/net/ports.h"
#include "runtime/ociruntime.h"
#include "runtime/pod.h"
#include "runtime/spec.h"
#include "storage/store.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"
#include "util/timefmt.h"

/* The image's record (found: the caller's lookup of ref, else looked up
 * here into *own), the name the container records for it, and the parts
 * of its config create needs (the command, EXPOSE for -P): read once
 * here. *ic must be freed with store_image_cfg_free(). */
static int resolve_image(struct runtime *rt, const char *ref, const struct img *found,
                         struct store_image **own, const struct store_image **out,
                         char **name, struct store_image_cfg *ic, struct berr **err)
{
    struct store *s;
    const struct store_image *img = found ? found->rec : NULL;

    if (rt_store(rt, &s, err) < 0)
        return -1;
    if (!img) {
        store_image_free(STEAL_PTR(*own));
        if (store_image_lookup(s, ref, own, err) < 0)
            return -1;
        img = *own;
    }
    store_image_cfg_free(ic);
    if (store_image_cfg(s, img, ic, err) < 0)
        return -1;
    *out = img;
    /* The name that the reference matched, as podman records it. */
    *name = NULL;
    for (size_t i = 0; img->names && img->names[i]; i++) {
        const char *n = img->names[i];
        size_t nl = strlen(n), rl = strlen(ref);
        if (str_eq(n, ref) || (nl > rl && n[nl - rl - 1] == '/' && strcmp(n + nl - rl, ref) == 0) ||
            (str_has_prefix(n, ref) && n[rl] == ':')) {
            *name = str_dup(n);
            break;
        }
    }
    if (!*name)
        *name = str_dup(img->names && img->names[0] ? img->names[0] : img->id);
    return *name ? 0 : berr_oom(err);
}

/* The bridge-mode part of the config: networks keyed by name as
 * runtime/net/net.h wants them (the default network when none is named)
 * and the published ports with their host ports chosen now, as podman
 * does at create. slirp4netns gets the ports only, other modes neither. */
static int ctr_net_config(struct runtime *rt, const struct ctr_create_params *p,
                          const struct store_image_cfg *ic, json_t **nets_out,
                          json_t **ports_out, struct berr **err)
{
    json_t *nsj = json_object_get(json_object_get(p->spec, "namespaces"), "network");
    const char *mode = json_is_string(nsj) ? json_string_value(nsj) : "bridge";
    _cleanup_json_ json_t *nets = json_object();
    _cleanup_free_ struct net_port *v = NULL;
    struct net_env ne;
    size_t n = 0, i;
    json_t *e;

    if (!nets)
        return berr_oom(err);
    /* a bad -p is refused in any mode, as podman does, before a good
     * one is dropped where nothing could publish it */
    json_array_foreach(p->port_mappings, i, e)
        if (ports_parse(json_string_value(e), &v, &n, err) < 0)
            return -1;
    if (strcmp(mode, "bridge") != 0 && strcmp(mode, "slirp4netns") != 0) {
        if (n)
            log_plain("Port mappings have been discarded as one of the Host, Container, Pod, and None network modes are in use");
        if (!(*ports_out = json_array()))
            return berr_oom(err);
        *nets_out = STEAL_PTR(nets);
        return 0;
    }
    if (strcmp(mode, "slirp4netns") == 0)
        goto ports;     /* no networks: slirp4netns forwards the ports */
    net_env_from_rt(rt, &ne);
    json_array_foreach(p->networks, i, e) {
        json_t *o = json_object();
        const char *ip = js_str(e, "ip", NULL), *ip6 = js_str(e, "ip6", NULL);
        const char *mac = js_str(e, "mac", NULL);
        const char *name = net_name_resolve(&ne, js_str(e, "name", ne.default_network));
        json_t *al = json_object_get(e, "aliases");
        if (json_object_set_new(nets, name, o) < 0 ||
            json_object_set_new(o, "aliases", json_is_array(al) ? json_incref(al) : json_array()) < 0 ||
            ((ip || ip6) && json_object_set_new(o, "static_ips",
                                                ip && ip6 ? json_pack("[s,s]", ip, ip6)
                                                          : json_pack("[s]", ip ? ip : ip6)) < 0) ||
            (mac && json_object_set_new(o, "static_mac", json_string(mac)) < 0))
            return berr_oom(err);
    }
    if (json_object_size(nets) == 0 &&
        json_object_set_new(nets, ne.default_network, json_pack("{s:[]}", "aliases")) < 0)
        return berr_oom(err);
ports:
    if (js_bool(p->spec, "publishAll", false) && ic &&
        ports_publish_all(ic->exposed_ports, &v, &n, err) < 0)
        return -1;
    if (ports_pick_random(v, n, err) < 0)
        return -1;
    *ports_out = ports_to_json(v, n);
    if (!*ports_out)
        return berr_oom(err);
    *nets_out = STEAL_PTR(nets);
    return 0;
}

/* podman's rule: only a donor whose IPC namespace is shareable (the
 * default) may be joined; --ipc private is not. */
static int check_ipc_donor(struct runtime *rt, const char *id, struct berr **err)
{
    struct ctr_config cfg;
    bool priv;

    if (ctr_read(rt, id, &cfg, NULL, err) < 0)
        return -1;
    /* the mode as given: absent is the default, shareable */
    priv = str_eq(js_str(json_object_get(cfg.spec, "namespaces"), "ipc", "shareable"), "private");
    ctr_config_free(&cfg);
    if (priv)
        return berr_msg(err, "joining IPC of container %s is not allowed: non-shareable IPC "
                        "(hint: use IpcMode:shareable for the donor container)", id);
    return 0;
}

/* podman's rule: a pod member joins namespaces of its own pod's
 * containers only (its --network container:CTR too). */
static int check_pod_donor(struct runtime *rt, const char *pod, const char *id,
                           struct berr **err)
{
    struct ctr_config cfg;
    bool same;

    if (!pod)
        return 0;
    if (ctr_read(rt, id, &cfg, NULL, err) < 0)
        return -1;
    same = str_eq(js_str(cfg.rec, "pod", ""), pod);
    ctr_config_free(&cfg);
    if (!same)
        return berr_kind(err, BK_INVALID, "running container create option: container has "
                         "joined pod %s and dependency container %s is not a member of the pod",
                         pod, id);
    return 0;
}

/* What no start of the container could get past, refused before anything
 * is written (podman refuses these at create too, in these words): the
 * containers whose namespaces it joins, its networks, the values of its
 * spec (spec_check). */
static int check_params(struct runtime *rt, const struct ctr_create_params *p, struct berr **err)
{
    static const struct { const char *key, *word; } joins[] = {
        { "network", "net" }, { "pid", "pid" }, { "ipc", "ipc" }, { "uts", "uts" },
    };
    json_t *ns = json_object_get(p->spec, "namespaces"), *e;
    const char *lns = rt->cfg->namespace && *rt->cfg->namespace ? rt->cfg->namespace : NULL;
    char id[STATE_ID_LEN + 1];
    size_t i;

    for (i = 0; i < ARRAY_SIZE(joins); i++) {
        const char *mode = js_str(ns, joins[i].key, "");
        char join[STATE_ID_LEN + 16];
        if (!str_has_prefix(mode, "container:"))
            continue;
        if (state_lookup(rt->st, OBJ_CONTAINER, mode + 10, lns, id, err) < 0)
            return berr_wrap(err, "looking up container to share %s namespace with",
                             joins[i].word);
        if (str_eq(joins[i].key, "ipc") && check_ipc_donor(rt, id, err) < 0)
            return -1;
        if (!p->is_infra && check_pod_donor(rt, p->pod, id, err) < 0)
            return -1;
        /* recorded by id, as podman does: inspect shows container:<id>,
         * and a rename of the donor cannot lose it */
        snprintf(join, sizeof(join), "container:%s", id);
        if (js_set_str(ns, joins[i].key, join) < 0)
            return berr_oom(err);
    }
    if (str_eq(js_str(ns, "network", "bridge"), "bridge")) {
        struct net_env ne;
        net_env_from_rt(rt, &ne);
        json_array_foreach(p->networks, i, e) {
            const char *name = js_str(e, "name", rt->cfg->default_network);
            _cleanup_json_ json_t *def = NULL;
            /* the default network exists once it is used */
            if (!str_eq(name, rt->cfg->default_network) && net_lookup(&ne, name, &def, err) < 0)
                return -1;
        }
    }
    if (str_eq(p->log_driver ? p->log_driver : rt->cfg->log_driver, "journald") &&
        journal_check_log_driver(err) < 0)
        return -1;
    return spec_check(p->spec, err);
}

/* The argv the container will run (entrypoint + command, podman's rule:
 * a user entrypoint drops the image's Cmd), recorded so that ps can show
 * it without opening the image store; *start: where its Cmd part begins
 * (ps shows that part, as podman's shows its config's Command). */
static json_t *resolve_command(const struct ctr_create_params *p,
                               const struct store_image_cfg *ic, size_t *start)
{
    json_t *ep = json_object_get(p->spec, "entrypoint");
    json_t *cmd = json_object_get(p->spec, "command");
    _cleanup_json_ json_t *out = json_array();

    if (!out)
        return NULL;
    if (json_is_array(ep)) {
        if (json_array_extend(out, ep) < 0)
            return NULL;
    } else if (ic) {
        for (size_t i = 0; ic->entrypoint && ic->entrypoint[i]; i++)
            if (json_array_append_new(out, json_string(ic->entrypoint[i])) < 0)
                return NULL;
    }
    *start = json_array_size(out);
    if (json_is_array(cmd)) {
        if (json_array_extend(out, cmd) < 0)
            return NULL;
    } else if (!json_is_array(ep) && ic) {
        for (size_t i = 0; ic->cmd && ic->cmd[i]; i++)
            if (json_array_append_new(out, json_string(ic->cmd[i])) < 0)
                return NULL;
    }
    return STEAL_PTR(out);
}

/* podman's makeCommand refuses, at create, a container with nothing to
 * run: no entrypoint (one of just "" is none) and no command (the image's
 * counts only without a user entrypoint), as resolve_command builds it. */
static bool command_empty(const struct ctr_create_params *p, const struct store_image_cfg *ic)
{
    json_t *ep = json_object_get(p->spec, "entrypoint"), *cmd = json_object_get(p->spec, "command");
    size_t nep = json_is_array(ep) ? json_array_size(ep) : ic ? strv_len(ic->entrypoint) : 0;
    const char *ep0 = json_is_array(ep) ? json_string_value(json_array_get(ep, 0))
                    : ic && ic->entrypoint ? ic->entrypoint[0] : NULL;

    if (nep > 1 || (nep == 1 && !str_eq(ep0, "")))
        return false;
    if (json_array_size(cmd))
        return false;
    return !(!json_is_array(ep) && ic && ic->cmd && ic->cmd[0]);
}

/* The spec the config keeps: the user's, with its mounts resolved
 * (ctr_mounts.h: the image's VOLUMEs, --volumes-from, volumes made and
 * named, options completed); the volumes stay locked in *held. */
static int resolve_mounts(struct runtime *rt, const struct ctr_create_params *p,
                          const struct store_image_cfg *ic, json_t **spec,
                          struct ctr_mounts_held *held, struct berr **err)
{
    struct ctr_mounts_in in = {
        .mounts = json_object_get(p->spec, "mounts"),
        .volumes_from = json_object_get(p->spec, "volumesFrom"),
        .image_volume = js_str(p->spec, "imageVolume", rt->cfg->image_volume_mode),
        .image_volumes = ic ? ic->volumes : NULL,
    };
    _cleanup_json_ json_t *s = json_copy(p->spec), *mounts = NULL;

    if (!s)
        return berr_oom(err);
    if (ctr_mounts_resolve(rt, &in, &mounts, held, err) < 0)
        return -1;
    if (json_array_size(mounts) ? json_object_set(s, "mounts", mounts) < 0
                                : json_object_del(s, "mounts") < 0 && json_object_get(s, "mounts"))
        return berr_oom(err);
    *spec = STEAL_PTR(s);
    return 0;
}

/* The runtime by name, decided at create: the default depends on the
 * cgroup layout this process sees, and every later command of this
 * container must drive the same runtime (podman records OCIRuntime too). */
static const char *runtime_name(struct runtime *rt)
{
    return rt->g->runtime && *rt->g->runtime ? rt->g->runtime : oci_runtime_default_name(rt->cfg);
}

/* The config record; NULL when out of memory. cmd (resolve_command's,
 * its Cmd part from cmd_start) is borrowed; net_obj and ports are taken
 * over. Every key is set or none is: a record missing one of them is
 * never written. */
static json_t *new_config(struct runtime *rt, const struct ctr_create_params *p, const char *id,
                          const char *name, unsigned lock, const char *img_id,
                          const char *img_name, json_t *cmd, size_t cmd_start,
                          json_t *net_obj, json_t *ports)
{
    struct config *cf = rt->cfg;
    _cleanup_json_ json_t *c = json_object();
    json_t *labels = json_object_get(p->spec, "labels");
    int bad = 0;

    if (!c) {
        json_decref(net_obj);
        json_decref(ports);
        return NULL;
    }
    /* json_object_set_new fails (-1) for a NULL value too: json_string()
     * and friends out of memory are caught here */
#define PUT(key, v) (bad |= json_object_set_new(c, key, v))
    PUT("networks", net_obj);
    PUT("portMappings", ports);
    PUT("id", json_string(id));
    PUT("name", json_string(name));
    PUT("namespace", json_string(cf->namespace ? cf->namespace : ""));
    PUT("lockID", json_integer(lock));
    PUT("createdNs", json_integer(time_now_ns()));
    if (img_id)
        PUT("image", json_pack("{s:s, s:s}", "id", img_id, "name", img_name));
    if (p->rootfs)
        PUT("rootfs", json_string(p->rootfs));
    PUT("spec", json_incref(p->spec));
    PUT("command", json_incref(cmd));
    PUT("commandStart", json_integer((json_int_t) cmd_start));
    if (p->create_command)
        PUT("createCommand", js_strv(p->create_command));
    PUT("labels", json_is_object(labels) ? json_incref(labels) : json_object());
    PUT("logDriver", json_string(p->log_driver ? p->log_driver : cf->log_driver));
    if (p->log_path)
        PUT("logPath", json_string(p->log_path));
    PUT("logSizeMax", json_integer(p->log_size_max > 0 ? p->log_size_max : cf->log_size_max));
    if (p->log_tag)
        PUT("logTag", json_string(p->log_tag));
    /* podman's: "" unless given (--restart no records "no") */
    PUT("restartPolicy", json_string(p->restart_policy ? p->restart_policy : ""));
    PUT("restartRetries", json_integer(p->restart_retries));
    PUT("stopTimeout", json_integer(p->stop_timeout >= 0 ? p->stop_timeout : cf->stop_timeout));
    PUT("timeout", json_integer(p->timeout));
    PUT("stdin", json_boolean(p->stdin));
    PUT("terminal", json_boolean(p->terminal));
    PUT("autoRemove", json_boolean(p->auto_remove));
    if (p->dns)
        PUT("dns", json_incref(p->dns));
    PUT("addHosts", p->add_hosts ? json_incref(p->add_hosts) : json_array());
    PUT("runtime", json_string(runtime_name(rt)));
    if (p->cgroup_parent)
        PUT("cgroupParent", json_string(p->cgroup_parent));
    if (p->pod)
        PUT("pod", json_string(p->pod));
    if (p->is_infra)
        PUT("isInfra", json_true());
#undef PUT
    return bad ? NULL : STEAL_PTR(c);
}

/* A container that names no network mode (nor joins a pod's) gets the
 * config's [containers] netns, as podman's default namespace mode. */
static int settle_netns(struct runtime *rt, json_t *spec, struct berr **err)
{
    json_t *ns = json_object_get(spec, "namespaces");
    const char *mode = ctr_default_netmode(rt);

    if (!mode || js_str(ns, "network", NULL))
        return 0;
    if (!ns && json_object_set_new(spec, "namespaces", ns = json_object()) < 0)
        return berr_oom(err);
    return js_set_str(ns, "network", mode) < 0 ? berr_oom(err) : 0;
}

/* The cgroup settings of the spec, settled against the config and this
 * host as podman does at create: the config's cgroupns and cgroups
 * defaults recorded, the resources checked (spec_resources_check). */
static int settle_cgroups(struct runtime *rt, const struct ctr_create_params *p, json_t *spec,
                          struct berr **err)
{
    json_t *ns = json_object_get(spec, "namespaces");
    const char *mode = js_str(spec, "cgroupsMode", NULL);
    const char *pidns = js_str(ns, "pid", "private"), *name = runtime_name(rt);
    const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;

    if (!ns && json_object_set_new(spec, "namespaces", ns = json_object()) < 0)
        return berr_oom(err);
    if (!js_str(ns, "cgroup", NULL) && rt->cfg->cgroupns && *rt->cfg->cgroupns &&
        js_set_str(ns, "cgroup", rt->cfg->cgroupns) < 0)
        return berr_oom(err);
    if (!mode) {
        mode = rt->cfg->cgroups && *rt->cfg->cgroups ? rt->cfg->cgroups : "enabled";
        if (js_set_str(spec, "cgroupsMode", mode) < 0)
            return berr_oom(err);
        mode = js_str(spec, "cgroupsMode", "enabled");
    }
    if (strcmp(mode, "split") == 0 && p->cgroup_parent)
        return berr_kind(err, BK_INVALID, "cannot specify --cgroup-mode=split with a cgroup-parent");
    if (strcmp(mode, "disabled") == 0) {
        if (str_has_prefix(pidns, "container:"))
            return berr_kind(err, BK_INVALID, "cannot join another container's PID namespace if not creating cgroups");
        if (p->cgroup_parent)
            return berr_kind(err, BK_INVALID, "cannot set cgroup parent if not creating cgroups");
        if (strcmp(pidns, "private") != 0)
            return berr_kind(err, BK_INVALID, "containers not creating Cgroups must create a private PID namespace");
        if (!strv_contains(rt->cfg->runtime_supports_nocgroups, base))
            return berr_kind(err, BK_INVALID, "requested OCI runtime %s is not compatible with NoCgroups", base);
    }
    return spec_resources_check(json_object_get(spec, "resources"), err);
}

/* podman 4.3.1: a member that names its own network mode with --network
 * (host, none, bridge, private, a named network, ns:PATH, slirp4netns,
 * container:CTR) is created in it, not in the pod's shared network: the
 * namespace is its own and so are its -p, --ip, --network-alias. Only a
 * member without --network joins the infra's and is refused ports and
 * networks of its own (settle_pod). */
static bool own_network(json_t *ns, int k)
{
    return k == SPEC_NS_NET && js_str(ns, "network", NULL) != NULL;
}

/* pod create --userns & co.: a member joins the infra's user namespace
 * (its maps come with it, userns_settle) unless it names one itself;
 * pod create --device: the pod's devices are every member's too. */
static int pod_userns_devices(json_t *spec, json_t *ns, const struct pod_join *pj,
                              struct berr **err)
{
    _cleanup_free_ char *join = str_fmt("container:%s", pj->infra_id);
    json_t *devs = json_object_get(spec, "devices"), *d, *e;
    size_t i, k;

    if (!join)
        return berr_oom(err);
    if (pj->userns && !js_str(ns, "user", NULL) && js_set_str(ns, "user", join) < 0)
        return berr_oom(err);
    if (json_array_size(pj->devices) && !devs &&
        json_object_set_new(spec, "devices", devs = json_array()) < 0)
        return berr_oom(err);
    json_array_foreach(pj->devices, i, d) {
        bool have = false;
        json_array_foreach(devs, k, e)
            have |= json_equal(e, d);
        if (!have && json_array_append(devs, d) < 0)
            return berr_oom(err);
    }
    return 0;
}

/* --pod: the member joins the infra's shared namespaces (as --network
 * container:<infra> would), takes the pod's hostname with its UTS
 * namespace and its cgroup parent; a member joining a shared network is
 * refused ports and networks of its own, in podman's words. p->pod becomes the pod's id
 * (held in *pj). */
static int settle_pod(struct runtime *rt, struct ctr_create_params *p, json_t *spec,
                      struct pod_join *pj, struct berr **err)
{
    static const char *const keys[SPEC_NS__COUNT] = {
        [SPEC_NS_NET] = "network", [SPEC_NS_PID] = "pid", [SPEC_NS_IPC] = "ipc",
        [SPEC_NS_UTS] = "uts", [SPEC_NS_CGROUP] = "cgroup",
    };
    json_t *ns = json_object_get(spec, "namespaces");
    _cleanup_free_ char *join = NULL;
    bool joins_net;

    if (pod_join_info(rt, p->pod, pj, err) < 0)
        return -1;
    p->pod = pj->pod_id;
    joins_net = pj->share[SPEC_NS_NET] && !own_network(ns, SPEC_NS_NET);
    if (joins_net && json_array_size(p->port_mappings))
        return berr_plain(err, BK_INVALID, "invalid config provided: published or exposed ports "
                         "must be defined when the pod is created: network cannot be configured "
                         "when it is shared with a pod");
    if (joins_net && json_array_size(p->networks))
        return berr_plain(err, BK_INVALID, "invalid config provided: networks must be defined "
                         "when the pod is created: network cannot be configured when it is "
                         "shared with a pod");
    if (!ns && json_object_set_new(spec, "namespaces", ns = json_object()) < 0)
        return berr_oom(err);
    if (!(join = str_fmt("container:%s", pj->infra_id)))
        return berr_oom(err);
    for (int k = 0; k < SPEC_NS_USER; k++)
        if (pj->share[k] && !own_network(ns, k) && js_set_str(ns, keys[k], join) < 0)
            return berr_oom(err);
    if (pj->share[SPEC_NS_UTS] && pj->hostname && !js_str(spec, "hostname", NULL) &&
        js_set_str(spec, "hostname", pj->hostname) < 0)
        return berr_oom(err);
    if (pj->resources && !json_object_get(spec, "resources") &&
        json_object_set(spec, "resources", pj->resources) < 0)
        return berr_oom(err);
    /* pod create -v/--volumes-from: every member mounts the infra's */
    if (pj->volumes) {
        json_t *vf = json_object_get(spec, "volumesFrom");
        if (!vf && json_object_set_new(spec, "volumesFrom", vf = json_array()) < 0)
            return berr_oom(err);
        if (json_array_append_new(vf, json_string(pj->infra_id)) < 0)
            return berr_oom(err);
    }
    if (!p->cgroup_parent && pj->cgroup_parent)
        p->cgroup_parent = pj->cgroup_parent;
    return pod_userns_devices(spec, ns, pj, err);
}

/* podman's useSystemd: --systemd always, or true (the default) with a
 * command that is init or systemd (behind "/bin/sh -c" too). Systemd mode
 * is recorded as "systemdMode" with its stop signal, SIGRTMIN+3, unless
 * the user or the image chose one. */
static int settle_systemd(json_t *spec, json_t *command, const struct store_image_cfg *ic,
                          struct berr **err)
{
    const char *mode = js_str(spec, "systemd", "true");
    const char *cmd0 = NULL;
    bool on = strcmp(mode, "always") == 0;

    if (strcmp(mode, "true") == 0 && json_array_size(command)) {
        size_t first = 0;
        if (json_array_size(command) > 2 &&
            str_eq(json_string_value(json_array_get(command, 0)), "/bin/sh") &&
            str_eq(json_string_value(json_array_get(command, 1)), "-c"))
            first = 2;
        cmd0 = json_string_value(json_array_get(command, first));
    }
    if (cmd0) {
        const char *base = strrchr(cmd0, '/') ? strrchr(cmd0, '/') + 1 : cmd0;
        on = !strcmp(cmd0, "/sbin/init") || !strcmp(cmd0, "/usr/sbin/init") ||
             !strcmp(cmd0, "/usr/local/sbin/init") || !strcmp(base, "systemd");
    }
    if (!on)
        return 0;
    if (js_set_bool(spec, "systemdMode", true) < 0)
        return berr_oom(err);
    if (!json_object_get(spec, "stopSignal") && !(ic && ic->stop_signal && *ic->stop_signal) &&
        js_set_int(spec, "stopSignal", SIGRTMIN + 3) < 0)
        return berr_oom(err);
    return 0;
}

/* --seccomp-policy image: podman refuses at create an image without a
 * profile in its io.containers.seccomp.profile label. */
static int check_seccomp_policy(json_t *spec, const struct store_image_cfg *ic, struct berr **err)
{
    const char *prof;

    if (!str_eq(js_str(spec, "seccompPolicy", NULL), "image"))
        return 0;
    if (!ic)
        return berr_msg(err, "cannot read seccomp profile without a valid image");
    prof = js_str(ic->labels, "io.containers.seccomp.profile", NULL);
    if (!prof || !*prof)
        return berr_msg(err, "no seccomp policy defined by image");
    return 0;
}

json_t *ctr_state_first(json_t *cfg)
{
    struct ctr st = { .st = { .state = CS_CONFIGURED } };
    json_t *rec = NULL;

    if (ctr_view_sync(cfg, &st.st) >= 0 && ctr_intent_set(&st, "create") == 0)
        rec = ctr_runstate_json(&st.st);
    ctr_runstate_free(&st.st);
    return rec;
}

/* Undoes a half-done create in reverse order; errors are only logged.
 * The name goes with the record (state_create reserved it). */
struct create_undo {
    struct runtime *rt;
    const char *id;
    bool lock_allocated, record_created, rootfs_created;
    const char *pod;            /* the pod whose member index names it */
    unsigned lock;
    json_t *linked;             /* the spec whose joins were linked */
};

static void undo_create(struct create_undo *u)
{
    struct berr *e = NULL;
    struct store *s;

    if (u->rootfs_created && (rt_store(u->rt, &s, &e) < 0 || store_ctr_delete(s, u->id, &e) < 0))
        log_warn("cleaning up container %s rootfs: %s", u->id, e->msg);
    berr_freep(&e);
    if (u->record_created && state_delete(u->rt->st, OBJ_CONTAINER, u->id, &e) < 0)
        log_warn("cleaning up container %s record: %s", u->id, e->msg);
    berr_freep(&e);
    if (u->pod)
        state_member_remove(u->rt->st, u->pod, u->id);
    if (u->linked) {
        struct ctr c = { .cfg = { .spec = u->linked } };
        snprintf(c.id, sizeof(c.id), "%s", u->id);
        ctr_deps_unlink(u->rt, &c);
    }
    if (u->lock_allocated && lock_free(u->rt->locks, u->lock, &e) < 0)
        log_warn("cleaning up container %s lock: %s", u->id, e->msg);
    berr_freep(&e);
}

int ctr_name_check(const char *name, struct berr **err)
{
    size_t n = strlen(name);

    if (state_name_valid(name))
        return 0;
    /* the pattern holds, the length does not: a name is a file's name in
     * the name index (podman has no limit) */
    if (n > 255 && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n &&
        name[0] != '_' && name[0] != '.' && name[0] != '-')
        return berr_kind(err, BK_INVALID, "names may be at most 255 characters long, not %zu", n);
    return berr_kind(err, BK_INVALID, "names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*");
}

/* podman's words for a name that is taken (*err: the state layer's
 * BK_EXISTS): the full id of the container holding it; a pod's name
 * keeps the state layer's message. */
static int name_in_use(struct runtime *rt, const char *name, struct berr **err)
{
    char holder[STATE_ID_LEN + 1];
    struct berr *e = NULL;

    if (state_lookup(rt->st, OBJ_CONTAINER, name, NULL, holder, &e) < 0) {
        berr_free(e);
        return -1;
    }
    berr_freep(err);
    return berr_msg(err, "creating container storage: the container name \"%s\" is already in use by %s. "
                    "You have to remove that container to be able to reuse that name: that name is already in use",
                    name, holder);
}

/* The container's name: the one given, checked now (podman's error before
 * any work is done), or a generated one. Nothing is reserved: state_create
 * reserves it with the record, so a killed create holds no name. */
static int pick_name(struct runtime *rt, const char *given, const char *id, char **out,
                     struct berr **err)
{
    if (!given)
        return state_gen_name(rt->st, out, err);
    if (ctr_name_check(given, err) < 0)
        return berr_wrap(err, "running container create option");
    if (state_name_check(rt->st, given, OBJ_CONTAINER, id, err) < 0)
        return (*err)->kind == BK_EXISTS ? name_in_use(rt, given, err) : -1;
    *out = str_dup(given);
    return *out ? 0 : berr_oom(err);
}

/* The new container, its lock held (taken over from held): the record
 * as publish wrote it (cfg, st: parsed here, not read back from the
 * files just written), the create's intent cleared in memory only. On
 * disk it stays until the next write: the root file system made is the
 * evidence that this create finished (ctr_repair.c), and a second
 * state.json write per create was its only purpose. */
static int created(const char *id, json_t *cfg, json_t *st, struct lock *held,
                   struct ctr **out, struct berr **err)
{
    struct ctr *c = calloc(1, sizeof(*c));

    if (!c)
        return berr_oom(err);
    snprintf(c->id, sizeof(c->id), "%s", id);
    c->lock = *held;
    *held = (struct lock) LOCK_INIT;
    if (ctr_config_parse(cfg, id, &c->cfg, err) < 0 ||
        ctr_runstate_parse(st, id, &c->st, err) < 0) {
        ctr_put(c);
        return -1;
    }
    ctr_intent_end(c);
    *out = c;
    return 0;
}

/* Writes the record (state_create: the name reserved with it). A
 * generated name taken meanwhile by another create is generated again. */
static int publish(struct runtime *rt, const struct ctr_create_params *p, const char *id,
                   char **name, json_t *cfg, json_t *st, struct berr **err)
{
    for (int tries = 0;; tries++) {
        if (state_create(rt->st, OBJ_CONTAINER, id, cfg, st, err) == 0)
            return 0;
        if ((*err)->kind != BK_EXISTS)
            return -1;
        if (p->name || tries == 4)
            return name_in_use(rt, *name, err);
        berr_freep(err);
        free(STEAL_PTR(*name));
        if (state_gen_name(rt->st, name, err) < 0 ||
            json_object_set_new(cfg, "name", json_string(*name)) < 0 ||
            json_object_set_new(json_object_get(st, "view"), "name", json_string(*name)) < 0)
            return *err ? -1 : berr_oom(err);
    }
}

int ctr_create(struct runtime *rt, const struct ctr_create_params *given, struct ctr **out,
               struct berr **err)
{
    /* the spec as settled here is the caller's copy, changed */
    _cleanup_json_ json_t *spec = given->spec ? json_deep_copy(given->spec) : json_object();
    struct ctr_create_params params = *given, *p = &params;
    char id[STATE_ID_LEN + 1];
    const char *img_id = NULL;
    _cleanup_free_ char *name = NULL, *img_name = NULL;
    _cleanup_image_ struct store_image *img_own = NULL;
    const struct store_image *img = NULL;
    _cleanup_json_ json_t *cfg = NULL, *st = NULL, *net_obj = NULL, *ports = NULL, *cmd = NULL;
    size_t cmd_start;
    struct create_undo u = { .rt = rt, .id = id };
    struct lock lheld = LOCK_INIT;
    _cleanup_lock_ struct lock uheld = LOCK_INIT;   /* --userns auto allocation */
    _cleanup_lock_ struct lock sheld = LOCK_INIT;   /* secrets' names, until the record */
    struct ctr_mounts_held held = { 0 };
    struct ctr_create_params p2;
    _cleanup_json_ json_t *mspec = NULL;    /* spec with its mounts resolved */
    _cleanup_(store_image_cfg_free) struct store_image_cfg icfg = { 0 };
    struct store *s;
    struct event ev = { .type = "container", .status = "create" };

    _cleanup_(pod_join_free) struct pod_join pj = { 0 };

    if (!spec)
        return berr_oom(err);
    params.spec = spec;
    if (p->pod && !p->is_infra && settle_pod(rt, p, spec, &pj, err) < 0)
        return -1;
    if (settle_netns(rt, spec, err) < 0 || settle_cgroups(rt, p, spec, err) < 0)
        return -1;
    if (p->image && resolve_image(rt, p->image, p->image_found, &img_own, &img, &img_name,
                                  &icfg, err) < 0) {
        if (!p->image_missing || (*err)->kind != BK_NO_SUCH)
            return -1;
        berr_freep(err);
        if (p->image_missing(rt, p->image, err) < 0 ||
            resolve_image(rt, p->image, NULL, &img_own, &img, &img_name, &icfg, err) < 0)
            return -1;
    }
    if (img)
        img_id = img->id;
    if (check_params(rt, p, err) < 0 || userns_settle(rt, spec, &uheld, err) < 0)
        return -1;
    {
        /* the argv the record keeps, and the checks that read it */
        cmd = resolve_command(p, p->image ? &icfg : NULL, &cmd_start);
        if (!cmd)
            return berr_oom(err);
        if (command_empty(p, p->image ? &icfg : NULL))
            return berr_msg(err, "no command or entrypoint provided, and no CMD or ENTRYPOINT from image");
        if (settle_systemd(spec, cmd, p->image ? &icfg : NULL, err) < 0 ||
            check_seccomp_policy(spec, p->image ? &icfg : NULL, err) < 0 ||
            health_settle(spec, p->image ? icfg.healthcheck : NULL, err) < 0 ||
            ctr_requires_resolve(rt, spec, err) < 0)
            return -1;
        /* a secret rm checks its users under this lock (runtime/secret.h) */
        if (json_array_size(json_object_get(spec, "secrets")) &&
            (secret_hold(rt, &sheld, err) < 0 || ctr_secrets_resolve(rt, spec, err) < 0))
            return -1;
    }
    if (p->id && strlen(p->id) == STATE_ID_LEN)
        memcpy(id, p->id, STATE_ID_LEN + 1);
    else if (state_new_id(id, err) < 0)
        return -1;
    if (pick_name(rt, p->name, id, &name, err) < 0)
        return -1;
    if (lock_alloc(rt->locks, &u.lock, err) < 0)
        return -1;
    u.lock_allocated = true;
    /* Held until the create is done: a lock nobody holds and no record
     * names is an orphan that rm --all may free (rt_lock_gc), and a
     * record with intent "create" met by a holder of its lock was left
     * by a killed create. */
    if (lock_acquire(rt->locks, u.lock, &lheld, err) < 0)
        goto fail;
    if (ctr_net_config(rt, p, p->image ? &icfg : NULL, &net_obj, &ports, err) < 0)
        goto fail;
    if (resolve_mounts(rt, p, p->image ? &icfg : NULL, &mspec, &held, err) < 0)
        goto fail;
    p2 = *p;
    p2.spec = mspec;
    cfg = new_config(rt, &p2, id, name, u.lock, img_id, img_name, cmd, cmd_start,
                     STEAL_PTR(net_obj), STEAL_PTR(ports));
    st = cfg ? ctr_state_first(cfg) : NULL;
    if (!st) {
        berr_oom(err);
        goto fail;
    }
    crash_point("create:locked");
    /* before the record: a pod's member has its entry in the pod's index */
    if (p->pod) {
        if (state_member_add(rt->st, p->pod, id, err) < 0)
            goto fail;
        u.pod = p->pod;
    }
    /* before the record: every record has its links (runtime/ctr_deps.c) */
    u.linked = mspec;
    if (ctr_deps_link(rt, id, mspec, err) < 0)
        goto fail;
    crash_point("create:linked");
    if (publish(rt, p, id, &name, cfg, st, err) < 0)
        goto fail;
    u.record_created = true;
    lock_release(&sheld);
    crash_point("create:record");
    if (p->image) {
        struct store_rootfs r = { 0 };
        if (rt_store(rt, &s, err) < 0 ||
            store_ctr_create_from(s, img, id, p->auto_remove, json_object_get(spec, "uidMap"),
                                  json_object_get(spec, "gidMap"), &r, err) < 0)
            goto fail;
        store_rootfs_free(&r);
        u.rootfs_created = true;
    }
    crash_point("create:storage");
    if (created(id, cfg, st, &lheld, out, err) < 0)
        goto fail;
    /* the record names its volumes now: a remover sees them in use */
    ctr_mounts_release(rt, &held, false);
    ev.id = id;
    ev.name = name;
    ev.image = img_name ? img_name : "";
    ev.attributes = json_object_get(cfg, "labels");
    rt_event(rt, &ev);
    return 0;

fail:
    ctr_mounts_release(rt, &held, true);
    lock_release(&lheld);
    undo_create(&u);
    return -1;
}
