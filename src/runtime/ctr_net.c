/*
 * runtime/ctr_net.c: a container's networking. Modes none, host,
 * container:<id> and ns:<path> need nothing here (the spec joins or
 * creates the namespace); bridge mode gets a persistent namespace under
 * the tmp dir and is set up through the network backend (runtime/net);
 * slirp4netns mode gets one too, with slirp4netns running on it.
 *
 * The config records the networks as net.h describes ("networks": {name:
 * {aliases, static_ips, static_mac, interface_name}}) and the published
 * ports as ports_to_json() writes them, host ports already chosen.
 */
#include <string.h>

#include "runtime/container.h"
#include "runtime/ctr_int.h"
#include "runtime/userns.h"
#include "runtime/net/net.h"
#include "runtime/net/ports.h"
#include "runtime/net/slirp.h"
#include "util/cleanup.h"
#include "util/crashpoint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static bool is_bridge(struct ctr *c)
{
    return strcmp(ctr_ns_mode(c, SPEC_NS_NET), "bridge") == 0;
}

static bool is_slirp(struct ctr *c)
{
    return strcmp(ctr_ns_mode(c, SPEC_NS_NET), "slirp4netns") == 0;
}

/* A setup that failed after making its namespace: it goes, and so does
 * its record (the caller's error stands); -1. */
static int ns_drop(struct ctr *c, const char *ns)
{
    struct berr *e = NULL;

    if (net_ns_remove(ns, &e) < 0)
        berr_free(e);
    (void) ctr_set_str(&c->st.net_ns, NULL);
    return -1;
}

/* slirp4netns mode: a namespace of the container's own (recorded first,
 * as in bridge mode), slirp4netns started on it, its pid recorded. */
static int slirp_setup(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_free_ char *ns = NULL, *nsname = str_fmt("netns-%s", c->id);
    _cleanup_free_ char *api = str_fmt("%s/%s.net", rt->cfg->tmp_dir, c->id);
    _cleanup_free_ char *log = str_fmt("%s/slirp4netns-%s.log", rt->cfg->tmp_dir, c->id);
    _cleanup_free_ struct net_port *ports = NULL;
    struct slirp_opts so;
    json_t *state = NULL;
    size_t np = 0;

    if (!nsname || !api || !log)
        return berr_oom(err);
    if (slirp_opts_parse(js_str(c->cfg.spec, "slirp4netnsOptions", NULL), &so, err) < 0 ||
        ports_from_json(c->cfg.port_mappings, &ports, &np, err) < 0)
        return -1;
    if (net_ns_create(rt->cfg->tmp_dir, nsname, &ns, err) < 0)
        return -1;
    if (ctr_set_str(&c->st.net_ns, ns) < 0 || ctr_save(rt, c, err) < 0)
        return *err ? -1 : berr_oom(err);
    {
        struct slirp_start a = { .binary = rt->cfg->network_cmd_path, .netns = ns,
                                 .api_socket = api, .log_path = log, .opts = &so,
                                 .ports = ports, .n_ports = np };
        if (slirp_start(&a, &state, err) < 0)
            return ns_drop(c, ns);
    }
    c->st.slirp = state;
    return 0;
}

/* The net_attach list from the config (borrowed strings, strv owned). */
struct attaches {
    struct net_attach *v;
    char ***aliases;
    size_t n;
};

static void attaches_free(struct attaches *a)
{
    for (size_t i = 0; i < a->n; i++)
        strv_free(a->aliases[i]);
    free(a->aliases);
    free(a->v);
}

static int attaches_get(struct ctr *c, struct attaches *a, struct berr **err)
{
    json_t *nets = c->cfg.networks;
    const char *name;
    json_t *o;
    size_t i = 0;

    memset(a, 0, sizeof(*a));
    a->n = json_object_size(nets);
    if (!a->n)
        return 0;
    a->v = calloc(a->n, sizeof(*a->v));
    a->aliases = calloc(a->n, sizeof(*a->aliases));
    if (!a->v || !a->aliases)
        return berr_oom(err);
    json_object_foreach(nets, name, o) {
        json_t *ips = json_object_get(o, "static_ips");
        if (!(a->aliases[i] = js_to_strv(json_object_get(o, "aliases"))))
            return berr_oom(err);
        a->v[i].name = name;
        a->v[i].aliases = a->aliases[i];
        /* static_ips: the --ip and --ip6 asked for, in either order */
        for (size_t k = 0; k < json_array_size(ips); k++) {
            const char *ip = json_string_value(json_array_get(ips, k));
            if (ip && strchr(ip, ':'))
                a->v[i].static_ip6 = a->v[i].static_ip6 ? a->v[i].static_ip6 : ip;
            else if (ip)
                a->v[i].static_ip = a->v[i].static_ip ? a->v[i].static_ip : ip;
        }
        a->v[i].static_mac = js_str(o, "static_mac", NULL);
        a->v[i].ifname = js_str(o, "interface_name", NULL);
        i++;
    }
    return 0;
}

int ctr_net_setup(struct runtime *rt, struct ctr *c, struct berr **err)
{
    _cleanup_free_ char *ns = NULL, *nsname = NULL;
    _cleanup_free_ struct net_port *ports = NULL;
    struct attaches a;
    json_t *status = NULL;
    size_t np = 0;
    int r;

    if (is_slirp(c) && !c->st.slirp)
        return slirp_setup(rt, c, err);
    if (!is_bridge(c) || c->st.network_status)
        return 0;
    if (ports_from_json(c->cfg.port_mappings, &ports, &np, err) < 0)
        return -1;
    if (attaches_get(c, &a, err) < 0) {
        attaches_free(&a);
        return -1;
    }
    if (!a.n) {
        attaches_free(&a);
        return berr_msg(err, "container %s: bridge mode without a network", c->id);
    }
    if (!(nsname = str_fmt("netns-%s", c->id))) {
        attaches_free(&a);
        return berr_oom(err);
    }
    if ((str_eq(ctr_ns_mode(c, SPEC_NS_USER), "private")
             ? userns_netns_create(rt, c, nsname, &ns, err)
             : net_ns_create(rt->cfg->tmp_dir, nsname, &ns, err)) < 0) {
        attaches_free(&a);
        return -1;
    }
    /* Record the namespace first: a crash from here on is torn down. */
    if (ctr_set_str(&c->st.net_ns, ns) < 0 || ctr_save(rt, c, err) < 0) {
        attaches_free(&a);
        /* ctr_net_teardown finds it: recorded, or under the container's name */
        return *err ? -1 : berr_oom(err);
    }
    crash_point("init:netns");
    {
        struct net_ctr_opts o = { .id = c->id, .name = ctr_name(c), .netns = ns, .nets = a.v,
                                  .n_nets = a.n, .ports = ports, .n_ports = np };
        r = net_setup(rt, &o, &status, err);
    }
    attaches_free(&a);
    if (r < 0)
        return ns_drop(c, ns);
    c->st.network_status = status;
    crash_point("init:network");
    return 0;
}

void ctr_net_teardown(struct runtime *rt, struct ctr *c)
{
    const char *ns = c->st.net_ns;
    json_t *status = c->st.network_status;
    _cleanup_free_ char *own = str_fmt("%s/netns/netns-%s", rt->cfg->tmp_dir, c->id);
    struct berr *e = NULL;

    if (c->st.slirp) {
        slirp_stop(c->st.slirp);
        json_decref(c->st.slirp);
        c->st.slirp = NULL;
    }
    if (!is_bridge(c) && !ns && !status)
        return;
    /* A berth killed between making the namespace and recording it left
     * one under the container's own name. */
    if (!ns && own && fs_exists(own))
        ns = own;
    /* Also without a status: a setup killed midway left its status file. */
    if (!is_slirp(c) && net_teardown(rt, c->id, status, ns, &e) < 0) {
        log_warn("container %s: network teardown: %s", c->id, e->msg);
        berr_freep(&e);
    }
    if (ns && net_ns_remove(ns, &e) < 0) {
        log_warn("container %s: removing network namespace: %s", c->id, e->msg);
        berr_free(e);
    }
    (void) ctr_set_str(&c->st.net_ns, NULL);   /* NULL: nothing to copy, cannot fail */
    if (str_eq(ctr_ns_mode(c, SPEC_NS_USER), "private"))
        userns_netns_remove(rt, c->id);
    json_decref(c->st.network_status);
    c->st.network_status = NULL;
}

/* /etc/hosts and resolv.conf in slirp4netns mode: the container's
 * address (.100 of the cidr) and slirp4netns's DNS forwarder (.3). */
static int slirp_etc_info(struct ctr *c, struct ctr_net_info *out, struct berr **err)
{
    struct slirp_opts so;
    _cleanup_free_ char *ip = NULL, *dns = NULL;

    if (slirp_opts_parse(js_str(c->cfg.spec, "slirp4netnsOptions", NULL), &so, err) < 0 ||
        slirp_addrs(so.cidr, &ip, &dns, err) < 0)
        return -1;
    if (strv_push(&out->ips, ip) < 0 || strv_push(&out->dns_servers, dns) < 0)
        return berr_oom(err);
    return 0;
}

/* A container in another's network namespace (a pod's member, or
 * --network container:X) whose owner runs slirp4netns: the owner's
 * address and slirp4netns's DNS forwarder, as podman gives a member of
 * a slirp4netns pod. Any other owner: nothing of its own (0). */
static int joined_slirp_etc_info(struct runtime *rt, const char *owner,
                                 struct ctr_net_info *out, struct berr **err)
{
    struct ctr o = { 0 };
    _cleanup_berr_ struct berr *e = NULL;
    int r = 0;

    if (state_lookup(rt->st, OBJ_CONTAINER, owner, NULL, o.id, &e) < 0 ||
        ctr_read(rt, o.id, &o.cfg, &o.st, &e) < 0)
        return 0;       /* joining it fails with its own words */
    if (is_slirp(&o) && o.st.slirp)
        r = slirp_etc_info(&o, out, err);
    ctr_config_free(&o.cfg);
    ctr_runstate_free(&o.st);
    return r;
}

int ctr_net_etc_info(struct runtime *rt, struct ctr *c, struct ctr_net_info *out,
                     struct berr **err)
{
    json_t *status = c->st.network_status, *nets = c->cfg.networks;
    const char *name;
    json_t *o;
    char **searches = NULL;

    memset(out, 0, sizeof(*out));
    if (is_slirp(c) && c->st.slirp)
        return slirp_etc_info(c, out, err);
    if (str_has_prefix(ctr_ns_mode(c, SPEC_NS_NET), "container:"))
        return joined_slirp_etc_info(rt, ctr_ns_mode(c, SPEC_NS_NET) + 10, out, err);
    if (!status)
        return 0;
    if (net_addresses(status, &out->ips, &out->host_ip, err) < 0 ||
        net_dns(status, &out->dns_servers, &searches, err) < 0)
        return -1;
    strv_free(searches);
    json_object_foreach(nets, name, o) {
        size_t i;
        json_t *al;
        json_array_foreach(json_object_get(o, "aliases"), i, al)
            if (json_is_string(al) && strv_push(&out->aliases, json_string_value(al)) < 0)
                return berr_oom(err);
    }
    return 0;
}

void ctr_net_info_free(struct ctr_net_info *i)
{
    strv_free(i->ips);
    strv_free(i->aliases);
    strv_free(i->dns_servers);
    free(i->host_ip);
}

int ctr_net_reserve_ports(struct runtime *rt, struct ctr *c, int **fds, size_t *n,
                          struct berr **err)
{
    _cleanup_free_ struct net_port *ports = NULL;
    size_t np = 0;

    (void) rt;
    *fds = NULL;
    *n = 0;
    if (!is_bridge(c) || !rt->cfg->enable_port_reservation)
        return 0;
    if (ports_from_json(c->cfg.port_mappings, &ports, &np, err) < 0)
        return -1;
    return np ? ports_reserve(ports, np, fds, n, err) : 0;
}

const char *ctr_default_netmode(struct runtime *rt)
{
    const char *m = rt->cfg->netns;

    return m && *m && strcmp(m, "private") != 0 ? m : NULL;
}

static void net_event(struct runtime *rt, struct ctr *c, const char *status, const char *net)
{
    struct event ev = { .type = "network", .status = status, .id = c->id, .name = ctr_name(c),
                        .network = net };
    rt_event(rt, &ev);
}

/* config.json's networks object, made if the record has none. */
static json_t *config_networks(struct ctr *c, struct berr **err)
{
    if (!c->cfg.networks && ctr_config_set(c, "networks", json_object(), err) < 0)
        return NULL;
    return c->cfg.networks;
}

/* The config's entry for a network joined with these options; NULL when
 * out of memory. */
static json_t *network_entry(char **aliases, const char *ip, const char *ip6, const char *mac)
{
    _cleanup_json_ json_t *entry = json_object();
    json_t *ips = json_array();

    if (!entry || json_object_set_new(entry, "aliases", js_strv(aliases)) < 0 ||
        (ip && json_array_append_new(ips, json_string(ip)) < 0) ||
        (ip6 && json_array_append_new(ips, json_string(ip6)) < 0) ||
        (json_array_size(ips) && json_object_set(entry, "static_ips", ips) < 0) ||
        (mac && json_object_set_new(entry, "static_mac", json_string(mac)) < 0)) {
        json_decref(ips);
        return NULL;
    }
    json_decref(ips);
    return STEAL_PTR(entry);
}

/* The new network status replaces the old one and is saved. */
static int save_status(struct runtime *rt, struct ctr *c, json_t *status, struct berr **err)
{
    json_decref(c->st.network_status);
    c->st.network_status = status;
    return ctr_save(rt, c, err);
}

int ctr_net_connect(struct runtime *rt, struct ctr *c, const char *name, char **aliases,
                    const char *ip, const char *ip6, const char *mac, struct berr **err)
{
    struct net_env ne;
    _cleanup_json_ json_t *def = NULL, *entry = NULL;
    json_t *nets, *status = c->st.network_status;
    const char *canon;

    if (!is_bridge(c))
        return berr_msg(err, "container %s: network mode \"%s\" cannot join networks",
                        c->id, ctr_ns_mode(c, SPEC_NS_NET));
    net_env_from_rt(rt, &ne);
    if (net_lookup(&ne, name, &def, err) < 0)
        return -1;
    canon = js_str(def, "name", name);
    if (json_object_get(c->cfg.networks, canon))
        return berr_msg(err, "container %s is already connected to network \"%s\"", c->id, canon);
    if (!(entry = network_entry(aliases, ip, ip6, mac)))
        return berr_oom(err);
    if (!(nets = config_networks(c, err)))
        return -1;
    if (status && (ctr_state(c) == CS_RUNNING || ctr_state(c) == CS_CREATED)) {
        struct net_attach at = { .name = canon, .aliases = aliases, .static_ip = ip,
                                 .static_ip6 = ip6, .static_mac = mac };
        json_t *ns = NULL;
        if (net_connect(&ne, status, &at, &ns, err) < 0 || save_status(rt, c, ns, err) < 0)
            return -1;
    }
    if (json_object_set_new(nets, canon, STEAL_PTR(entry)) < 0)
        return berr_oom(err);
    if (ctr_save_config(rt, c, err) < 0)
        return -1;
    net_event(rt, c, "connect", canon);
    return 0;
}

int ctr_net_disconnect(struct runtime *rt, struct ctr *c, const char *name, struct berr **err)
{
    struct net_env ne;
    _cleanup_json_ json_t *def = NULL;
    json_t *nets = c->cfg.networks, *status = c->st.network_status;
    const char *canon;

    net_env_from_rt(rt, &ne);
    if (net_lookup(&ne, name, &def, err) < 0)
        return -1;
    canon = js_str(def, "name", name);
    if (!json_object_get(nets, canon))
        return berr_msg(err, "container %s is not connected to network \"%s\"", c->id, canon);
    if (json_object_size(nets) == 1 && ctr_state(c) == CS_RUNNING)
        return berr_msg(err, "container %s: cannot disconnect its last network while it runs", c->id);
    if (status) {
        json_t *ns = NULL;
        if (net_disconnect(&ne, status, canon, &ns, err) < 0 || save_status(rt, c, ns, err) < 0)
            return -1;
    }
    /* canon is def's, not the config's: deleting the key frees nothing
     * it points to */
    (void) json_object_del(nets, canon);
    if (ctr_save_config(rt, c, err) < 0)
        return -1;
    net_event(rt, c, "disconnect", canon);
    return 0;
}

int ctr_net_reload(struct runtime *rt, struct ctr *c, bool skip_idle, struct berr **err)
{
    struct net_env ne;
    json_t *status = c->st.network_status, *ns = NULL;

    if (ctr_state(c) != CS_RUNNING || !json_object_size(status)) {
        if (skip_idle)
            return 1;
        return berr_kind(err, BK_STATE, "container %s is not running with bridge networking",
                         c->id);
    }
    net_env_from_rt(rt, &ne);
    if (net_reload(&ne, status, &ns, err) < 0)
        return berr_wrap(err, "container %s", c->id);
    json_decref(c->st.network_status);
    c->st.network_status = ns;
    return ctr_save(rt, c, err);
}

int ctr_net_remove(struct runtime *rt, const char *key, bool force, long long timeout,
                   bool *removed, struct berr **err)
{
    _cleanup_json_ json_t *def = NULL;
    _cleanup_strv_ strv users = NULL;
    struct net_env ne;
    const char *name;

    *removed = false;
    net_env_from_rt(rt, &ne);
    if (net_lookup(&ne, key, &def, err) < 0) {
        /* podman: with --force a network that is not there is no error */
        if (force && (*err)->kind == BK_NO_SUCH) {
            berr_freep(err);
            return 0;
        }
        if ((*err)->kind == BK_NO_SUCH)
            (*err)->exit_code = 1;
        return -1;
    }
    name = js_str(def, "name", "");
    if (net_users(&ne, name, &users, err) < 0)
        return -1;
    if (strv_len(users) && !force)
        return berr_new(err, 2, 0, "\"%s\" has associated containers with it. Use -f to "
                        "forcibly delete containers and pods: network is being used", name);
    for (size_t i = 0; users && users[i]; i++)
        if (ctr_remove_id(rt, users[i], true, timeout, err) < 0)
            return -1;
    if (net_remove(&ne, name, err) < 0)
        return -1;
    *removed = true;
    return 0;
}
