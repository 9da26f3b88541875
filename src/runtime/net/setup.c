/*
 * runtime/net/setup.c: the container-facing API (net.h): setup, teardown,
 * reload, connect/disconnect, refresh.
 *
 * The status document is the backend's input plus its result (see net.h),
 * so a teardown needs nothing but the status: no lookups of networks that
 * may have been removed since. It is also kept in
 * <tmp_dir>/networks/status/<ctr id>.json, written before the backend
 * runs: if berth is killed mid-setup, the next teardown (cleanup, rm -f)
 * still finds what to undo, and teardown then converges.
 */
#include <errno.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "runtime/net/netint.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

#define NSFS_MAGIC_ 0x6e736673

void net_env_from_rt(struct runtime *rt, struct net_env *e)
{
    struct config *c = rt->cfg;

    memset(e, 0, sizeof(*e));
    e->state = rt->st;
    e->config_dir = c->network_config_dir;
    e->static_dir = c->static_dir;
    e->tmp_dir = c->tmp_dir;
    e->backend = c->network_backend && *c->network_backend ? c->network_backend : "netavark";
    e->default_network = c->default_network && *c->default_network ? c->default_network : "berth";
    e->default_subnet = c->default_subnet && *c->default_subnet ? c->default_subnet
                                                                 : "10.87.0.0/16";
    e->helper_dirs = c->netavark_plugin_dirs;
    e->cni_dirs = c->cni_plugin_dirs;
}

/* ---- status file ---- */

static char *status_dir(const struct net_env *e)
{
    return str_fmt("%s/networks/status", e->tmp_dir);
}

static int status_write(const struct net_env *e, const char *id, json_t *st, struct berr **err)
{
    _cleanup_free_ char *dir = status_dir(e);
    _cleanup_free_ char *name = str_fmt("%s.json", id);

    if (!dir || !name)
        return berr_oom(err);
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return js_write_atomic(dir, name, st, 0600, err);
}

static int status_read(const struct net_env *e, const char *id, json_t **st, struct berr **err)
{
    _cleanup_free_ char *dir = status_dir(e);
    _cleanup_free_ char *p = NULL;

    *st = NULL;
    if (!dir || !(p = str_fmt("%s/%s.json", dir, id)))
        return berr_oom(err);
    if (!fs_exists(p))
        return 0;
    return js_read_file(p, st, err);
}

static void status_remove(const struct net_env *e, const char *id)
{
    _cleanup_free_ char *dir = status_dir(e);
    _cleanup_free_ char *p = dir ? str_fmt("%s/%s.json", dir, id) : NULL;

    if (p && unlink(p) < 0 && errno != ENOENT)
        log_warn("remove %s: %m", p);
}

/* ---- backends ---- */

static bool is_cni(const char *backend)
{
    return backend && !strcmp(backend, "cni");
}

static int backend_setup(const struct net_env *e, const char *backend, const char *netns,
                         json_t *input, json_t **res, struct berr **err)
{
    return is_cni(backend) ? cni_setup(e, netns, input, res, err)
                           : netavark_setup(e, netns, input, res, err);
}

static int backend_teardown(const struct net_env *e, const char *backend, const char *netns,
                            json_t *input, struct berr **err)
{
    return is_cni(backend) ? cni_teardown(e, netns, input, err)
                           : netavark_teardown(e, netns, input, err);
}

/* The backend's input: the status without our own keys. */
static json_t *backend_input(json_t *status)
{
    return json_pack("{s:O, s:O, s:O, s:O, s:O}",
                     "container_id", json_object_get(status, "container_id"),
                     "container_name", json_object_get(status, "container_name"),
                     "port_mappings", json_object_get(status, "port_mappings"),
                     "networks", json_object_get(status, "networks"),
                     "network_info", json_object_get(status, "network_info"));
}

/* The same input restricted to one network. */
static json_t *backend_input_one(json_t *status, const char *net)
{
    json_t *in = backend_input(status);

    if (!in)
        return NULL;
    if (json_object_set_new(in, "networks", json_pack("{s:O}", net,
                                json_object_get(json_object_get(status, "networks"), net))) < 0 ||
        json_object_set_new(in, "network_info", json_pack("{s:O}", net,
                                json_object_get(json_object_get(status, "network_info"), net))) < 0) {
        json_decref(in);
        return NULL;
    }
    return in;
}

static bool is_netns(const char *path)
{
    struct statfs sf;

    return path && *path && statfs(path, &sf) == 0 && (unsigned long) sf.f_type == NSFS_MAGIC_;
}

/* netavark 1.4 stops a teardown at the first error, and the first step
 * deletes the container's interfaces: in a scratch namespace they are
 * missing, and the firewall rules would stay. Stand-in veths of the same
 * names (the dummy driver may be absent) let it get past that step.
 * Best effort. */
static void add_standins(const char *netns, json_t *input)
{
    _cleanup_free_ char *nsenter = fs_which("nsenter"), *ip = fs_which("ip");
    _cleanup_free_ char *nsopt = str_fmt("--net=%s", netns);
    const char *k;
    json_t *v;

    if (!nsenter || !ip || !nsopt)
        return;
    json_object_foreach(json_object_get(input, "networks"), k, v) {
        char *argv[] = { nsenter, nsopt, ip, "link", "add",
                         (char *) js_str(v, "interface_name", "eth0"), "type", "veth", NULL };
        char *envp[] = { NULL };
        struct berr *err = NULL;
        int st;

        if (net_exec(argv, envp, NULL, NULL, NULL, &st, &err) < 0)
            berr_free(err);
    }
}

/* Teardown, tolerant: a namespace that is gone is replaced by a scratch
 * one (netavark opens it first, and the firewall rules must go anyway). */
static void teardown_quiet(const struct net_env *e, const char *backend, const char *netns,
                           json_t *input)
{
    _cleanup_free_ char *scratch = NULL;
    struct berr *err = NULL;

    if (!is_netns(netns)) {
        if (net_ns_create(e->tmp_dir, NULL, &scratch, &err) < 0) {
            log_warn("network teardown: %s", err->msg);
            berr_free(err);
            return;
        }
        netns = scratch;
        add_standins(scratch, input);
    }
    if (backend_teardown(e, backend, netns, input, &err) < 0) {
        log_warn("Unable to clean up network: %s", err->msg);
        berr_free(err);
        err = NULL;
    }
    if (scratch && net_ns_remove(scratch, &err) < 0) {
        log_warn("%s", err->msg);
        berr_free(err);
    }
}

/* ---- setup ---- */

/* One network's netavark "networks" entry. */
static json_t *per_net_opts(const struct net_attach *a, const char *ctr_id, char **ips,
                            size_t index)
{
    _cleanup_json_ json_t *o = json_object(), *aliases = js_strv(a->aliases);
    char shortid[13], ifn[16];

    if (!o || !aliases)
        return NULL;
    snprintf(shortid, sizeof(shortid), "%s", ctr_id);
    bool have = false;
    for (size_t i = 0; a->aliases && a->aliases[i]; i++)
        have |= !strcmp(a->aliases[i], shortid);
    if (!have && json_array_append_new(aliases, json_string(shortid)) < 0)
        return NULL;
    snprintf(ifn, sizeof(ifn), "eth%zu", index);
    if (json_object_set_new(o, "static_ips", js_strv(ips)) < 0 ||
        json_object_set(o, "aliases", aliases) < 0 ||
        json_object_set_new(o, "interface_name", json_string(a->ifname ? a->ifname : ifn)) < 0 ||
        (a->static_mac && json_object_set_new(o, "static_mac", json_string(a->static_mac)) < 0))
        return NULL;
    return STEAL_PTR(o);
}

/* Resolves the networks, allocates addresses, builds the status (no
 * results yet). On failure, what was allocated is released. */
static int build_status(const struct net_env *e, const struct net_ctr_opts *o, json_t **out,
                        struct berr **err)
{
    _cleanup_json_ json_t *st = NULL, *nets = json_object(), *info = json_object(),
                          *ports = ports_to_json(o->ports, o->n_ports);
    int rc = 0;

    if (!nets || !info || !ports)
        return berr_oom(err);
    for (size_t i = 0; i < o->n_nets && rc == 0; i++) {
        _cleanup_json_ json_t *def = NULL;
        _cleanup_strv_ strv ips = NULL;
        const struct net_attach *a = &o->nets[i];
        json_t *per;
        const char *name;

        if (str_eq(a->name, e->default_network) && net_default_ensure(e, err) < 0)
            rc = -1;
        else if (net_lookup(e, a->name, &def, err) < 0)
            rc = -1;
        else if (name = js_str(def, "name", ""), json_object_get(nets, name))
            rc = berr_kind(err, BK_INVALID, "network %s given twice", name);
        else if (!str_eq(js_str(def, "driver", "bridge"), "bridge"))
            rc = berr_kind(err, BK_INVALID, "unsupported driver %s", js_str(def, "driver", ""));
        else if (ipam_alloc(e, def, o->id, a->static_ip, a->static_ip6, &ips, err) < 0)
            rc = -1;
        else if (!(per = per_net_opts(a, o->id, ips, i)) ||
                 json_object_set_new(nets, name, per) < 0 ||
                 json_object_set(info, name, def) < 0)
            rc = berr_oom(err);
    }
    if (rc < 0) {
        const char *k;
        json_t *v;
        json_object_foreach(nets, k, v) {
            struct berr *e2 = NULL;
            if (ipam_release(e, k, o->id, &e2) < 0)
                berr_free(e2);
        }
        return -1;
    }
    st = json_pack("{s:i, s:s, s:s, s:s, s:s, s:O, s:O, s:O}", "version", 1,
                   "backend", is_cni(e->backend) ? "cni" : "netavark", "netns", o->netns,
                   "container_id", o->id, "container_name", o->name ? o->name : "",
                   "port_mappings", ports, "networks", nets, "network_info", info);
    if (!st)
        return berr_oom(err);
    *out = STEAL_PTR(st);
    return 0;
}

int net_setup_env(const struct net_env *e, const struct net_ctr_opts *o, json_t **status,
                  struct berr **err)
{
    _cleanup_json_ json_t *st = NULL, *input = NULL, *res = NULL;
    const char *backend;

    if (!o->id || !o->netns || !o->n_nets)
        return berr_msg(err, "network setup: container id, netns and a network are required");
    if (build_status(e, o, &st, err) < 0)
        return -1;
    backend = js_str(st, "backend", "netavark");
    if (!(input = backend_input(st)))
        return berr_oom(err);
    /* Intent first: a crash from here on leaves a status teardown can use. */
    if (status_write(e, o->id, st, err) < 0 ||
        backend_setup(e, backend, o->netns, input, &res, err) < 0) {
        struct berr *e2 = NULL;
        teardown_quiet(e, backend, o->netns, input);
        if (ipam_release_all(e, o->id, &e2) < 0)
            berr_free(e2);
        status_remove(e, o->id);
        return -1;
    }
    if (json_object_set(st, "results", res) < 0)
        return berr_oom(err);
    if (status_write(e, o->id, st, err) < 0) {
        log_warn("network status of %s not saved: %s", o->id, (*err)->msg);
        berr_free(*err);
        *err = NULL;
    }
    *status = STEAL_PTR(st);
    return 0;
}

int net_setup(struct runtime *rt, const struct net_ctr_opts *o, json_t **status,
              struct berr **err)
{
    struct net_env e;

    net_env_from_rt(rt, &e);
    return net_setup_env(&e, o, status, err);
}

/* ---- teardown ---- */

int net_teardown_env(const struct net_env *e, const char *ctr_id, json_t *status,
                     const char *netns, struct berr **err)
{
    _cleanup_json_ json_t *saved = NULL, *input = NULL;
    struct berr *e2 = NULL;
    const char *k;
    json_t *v;

    if (!status) {
        if (status_read(e, ctr_id, &saved, &e2) < 0) {
            log_warn("network status of %s: %s", ctr_id, e2->msg);
            berr_free(e2);
            e2 = NULL;
        }
        status = saved;
    }
    if (status && json_object_size(json_object_get(status, "networks"))) {
        if (!netns || !*netns)
            netns = js_str(status, "netns", NULL);
        if (!(input = backend_input(status)))
            return berr_oom(err);
        teardown_quiet(e, js_str(status, "backend", "netavark"), netns, input);
        json_object_foreach(json_object_get(status, "networks"), k, v)
            if (ipam_release(e, k, ctr_id, &e2) < 0) {
                log_warn("%s", e2->msg);
                berr_free(e2);
                e2 = NULL;
            }
    }
    /* Stragglers (a setup killed between allocation and the status
     * write): every network's table is checked. */
    if (ipam_release_all(e, ctr_id, &e2) < 0) {
        log_warn("%s", e2->msg);
        berr_free(e2);
    }
    status_remove(e, ctr_id);
    (void) err;
    return 0;
}

int net_teardown(struct runtime *rt, const char *ctr_id, json_t *status, const char *netns,
                 struct berr **err)
{
    struct net_env e;

    net_env_from_rt(rt, &e);
    return net_teardown_env(&e, ctr_id, status, netns, err);
}

/* ---- reload, connect, disconnect ---- */

int net_reload(const struct net_env *e, json_t *status, json_t **new_status, struct berr **err)
{
    _cleanup_json_ json_t *st = json_deep_copy(status), *input = NULL, *res = NULL;
    const char *backend = js_str(status, "backend", "netavark");
    const char *netns = js_str(status, "netns", "");

    if (!st || !(input = backend_input(st)))
        return berr_oom(err);
    if (!is_netns(netns))
        return berr_msg(err, "network namespace %s is gone", netns);
    teardown_quiet(e, backend, netns, input);
    if (backend_setup(e, backend, netns, input, &res, err) < 0)
        return -1;
    if (json_object_set(st, "results", res) < 0)
        return berr_oom(err);
    if (status_write(e, js_str(st, "container_id", ""), st, err) < 0)
        return -1;
    *new_status = STEAL_PTR(st);
    return 0;
}

int net_connect(const struct net_env *e, json_t *status, const struct net_attach *a,
                json_t **new_status, struct berr **err)
{
    _cleanup_json_ json_t *st = json_deep_copy(status), *def = NULL, *input = NULL,
                          *res = NULL;
    _cleanup_strv_ strv ips = NULL;
    const char *id = js_str(status, "container_id", ""), *name;
    const char *backend = js_str(status, "backend", "netavark");
    json_t *nets, *per;
    size_t idx = 0;

    if (!st)
        return berr_oom(err);
    if (str_eq(a->name, e->default_network) && net_default_ensure(e, err) < 0)
        return -1;
    if (net_lookup(e, a->name, &def, err) < 0)
        return -1;
    name = js_str(def, "name", "");
    nets = json_object_get(st, "networks");
    if (json_object_get(nets, name))
        return berr_kind(err, BK_EXISTS, "container %s is already connected to network %s",
                         id, name);
    /* First free ethN. */
    for (;; idx++) {
        char ifn[16];
        const char *k;
        json_t *v;
        bool used = false;
        snprintf(ifn, sizeof(ifn), "eth%zu", idx);
        json_object_foreach(nets, k, v)
            used |= str_eq(js_str(v, "interface_name", ""), ifn);
        if (!used)
            break;
    }
    if (ipam_alloc(e, def, id, a->static_ip, a->static_ip6, &ips, err) < 0)
        return -1;
    if (!(per = per_net_opts(a, id, ips, idx)) || json_object_set_new(nets, name, per) < 0 ||
        json_object_set(json_object_get(st, "network_info"), name, def) < 0 ||
        !(input = backend_input_one(st, name)))
        return berr_oom(err);
    if (status_write(e, id, st, err) < 0 ||
        backend_setup(e, backend, js_str(st, "netns", ""), input, &res, err) < 0) {
        struct berr *e2 = NULL;
        teardown_quiet(e, backend, js_str(st, "netns", ""), input);
        if (ipam_release(e, name, id, &e2) < 0)
            berr_free(e2);
        e2 = NULL;
        if (status_write(e, id, status, &e2) < 0)
            berr_free(e2);
        return -1;
    }
    if (!json_is_object(json_object_get(st, "results")))
        json_object_set_new(st, "results", json_object());
    if (json_object_update(json_object_get(st, "results"), res) < 0)
        return berr_oom(err);
    if (status_write(e, id, st, err) < 0)
        return -1;
    *new_status = STEAL_PTR(st);
    return 0;
}

int net_disconnect(const struct net_env *e, json_t *status, const char *net_name,
                   json_t **new_status, struct berr **err)
{
    _cleanup_json_ json_t *st = json_deep_copy(status), *input = NULL, *def = NULL;
    const char *id = js_str(status, "container_id", ""), *name = net_name;
    struct berr *e2 = NULL;

    if (!st)
        return berr_oom(err);
    if (!json_object_get(json_object_get(st, "networks"), name)) {
        /* by id? */
        if (net_lookup(e, net_name, &def, &e2) == 0)
            name = js_str(def, "name", net_name);
        berr_free(e2);
        e2 = NULL;
    }
    if (!json_object_get(json_object_get(st, "networks"), name))
        return berr_kind(err, BK_NO_SUCH, "container %s is not connected to network %s", id,
                         net_name);
    if (!(input = backend_input_one(st, name)))
        return berr_oom(err);
    teardown_quiet(e, js_str(st, "backend", "netavark"), js_str(st, "netns", ""), input);
    if (ipam_release(e, name, id, &e2) < 0) {
        log_warn("%s", e2->msg);
        berr_free(e2);
    }
    json_object_del(json_object_get(st, "networks"), name);
    json_object_del(json_object_get(st, "network_info"), name);
    json_object_del(json_object_get(st, "results"), name);
    if (status_write(e, id, st, err) < 0)
        return -1;
    *new_status = STEAL_PTR(st);
    return 0;
}

/* ---- refresh ---- */

int net_refresh(const struct net_env *e, struct berr **err)
{
    _cleanup_free_ char *sdir = status_dir(e);
    _cleanup_free_ char *nsdir = fs_join(e->tmp_dir, "netns");
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;

    if (!sdir || !nsdir)
        return berr_oom(err);
    if (ipam_drop_all(e, err) < 0 || fs_rm_rf(sdir, err) < 0)
        return -1;
    if (!(d = opendir(nsdir)))
        return 0;
    while ((de = readdir(d))) {
        _cleanup_free_ char *p = NULL;
        if (!str_has_prefix(de->d_name, "netns-"))
            continue;
        if (!(p = fs_join(nsdir, de->d_name)))
            return berr_oom(err);
        if (net_ns_remove(p, err) < 0)
            return -1;
    }
    return 0;
}
