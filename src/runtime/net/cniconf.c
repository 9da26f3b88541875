/*
 * runtime/net/cniconf.c: the CNI backend's pure half: network definition
 * + container record -> CNI network configuration list, and CNI results
 * -> netavark's result shape. No I/O; unit-tested in test_cni.
 *
 * The conflist for a network (CNI spec 1.0.0, "Network Configuration
 * Lists"):
 *   bridge   bridge = the definition's network_interface; isGateway and
 *            ipMasq unless internal (podman's CNI conversion does the
 *            same); hairpinMode; mtu from options.mtu; ipam "static" fed
 *            with the addresses our own IPAM chose (so both backends
 *            share one allocator and one allocation file), with a
 *            default route per family unless internal.
 *   portmap  only with port mappings and not internal; they travel as
 *            runtimeConfig.portMappings (capability "portMappings"), one
 *            entry per port of a range.
 *   firewall backend iptables: lets forwarded traffic of the address
 *            through the FORWARD chain.
 *   tuning   only with a static MAC: runtimeConfig.mac (capability "mac").
 */
#include <string.h>

#include "runtime/net/ipnet.h"
#include "runtime/net/netint.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"

#define CNI_VERSION "1.0.0"

/* The subnet entry of def that holds ip ("10.87.0.2"); NULL if none. */
static json_t *subnet_of(json_t *def, const char *ip, struct ipnet *net)
{
    struct ipaddr a;
    size_t i;
    json_t *s;

    if (ip_parse(ip, &a) < 0)
        return NULL;
    json_array_foreach(json_object_get(def, "subnets"), i, s) {
        if (ipnet_parse(js_str(s, "subnet", ""), net, NULL) == 0 && ipnet_contains(net, &a))
            return s;
    }
    return NULL;
}

/* [{"address": "10.87.0.2/16", "gateway": "10.87.0.1"}, ...] for the
 * container's addresses on that network. */
static int addresses(json_t *def, json_t *per, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *arr = json_array();
    size_t i;
    json_t *v;

    if (!arr)
        return berr_oom(err);
    json_array_foreach(json_object_get(per, "static_ips"), i, v) {
        const char *ip = json_string_value(v);
        struct ipnet net;
        json_t *sub = ip ? subnet_of(def, ip, &net) : NULL;
        const char *gw;
        json_t *o;

        if (!sub)
            return berr_msg(err, "cni: address %s is in no subnet of network %s",
                            ip ? ip : "?", js_str(def, "name", ""));
        gw = js_str(sub, "gateway", NULL);
        o = json_pack("{s:o}", "address", json_sprintf("%s/%d", ip, net.prefix));
        if (!o || (gw && *gw && json_object_set_new(o, "gateway", json_string(gw)) < 0) ||
            json_array_append(arr, o) < 0) {
            json_decref(o);
            return berr_oom(err);
        }
        json_decref(o);
    }
    /* ipam "none": a link without addresses */
    if (!json_array_size(arr) &&
        !str_eq(js_str(json_object_get(def, "ipam_options"), "driver", NULL), "none"))
        return berr_msg(err, "cni: no address for network %s", js_str(def, "name", ""));
    *out = STEAL_PTR(arr);
    return 0;
}

static json_t *bridge_plugin(json_t *def, json_t *addrs)
{
    bool internal = js_bool(def, "internal", false);
    _cleanup_json_ json_t *routes = json_array(), *p = NULL;
    bool v4 = false, v6 = false;
    const char *mtu = js_str(json_object_get(def, "options"), "mtu", NULL);
    long long m;
    size_t i;
    json_t *a;

    if (!routes)
        return NULL;
    json_array_foreach(addrs, i, a) {
        bool six = strchr(js_str(a, "address", ""), ':') != NULL;
        v6 |= six;
        v4 |= !six;
    }
    if (!internal && ((v4 && json_array_append_new(routes, json_pack("{s:s}", "dst",
                                                                     "0.0.0.0/0")) < 0) ||
                      (v6 && json_array_append_new(routes, json_pack("{s:s}", "dst",
                                                                     "::/0")) < 0)))
        return NULL;
    p = json_array_size(addrs)
        ? json_pack("{s:s, s:s, s:b, s:b, s:b, s:{s:s, s:O, s:O}}",
                    "type", "bridge", "bridge", js_str(def, "network_interface", "cni0"),
                    "isGateway", !internal, "ipMasq", !internal, "hairpinMode", 1,
                    "ipam", "type", "static", "addresses", addrs, "routes", routes)
        /* no addresses (ipam none): L2 only, the bridge plugin's empty ipam */
        : json_pack("{s:s, s:s, s:b, s:b, s:{}}", "type", "bridge", "bridge",
                    js_str(def, "network_interface", "cni0"), "isGateway", false,
                    "ipMasq", false, "hairpinMode", 1, "ipam");
    if (p && mtu && str_to_ll(mtu, &m) == 0 && m > 0 &&
        json_object_set_new(p, "mtu", json_integer(m)) < 0)
        return NULL;
    return STEAL_PTR(p);
}

/* netavark port_mappings -> portmap's runtimeConfig.portMappings. */
static json_t *port_mappings(json_t *ports)
{
    _cleanup_json_ json_t *arr = json_array();
    size_t i;
    json_t *pm;

    if (!arr)
        return NULL;
    json_array_foreach(ports, i, pm) {
        long long host = js_int(pm, "host_port", 0), ctr = js_int(pm, "container_port", 0);
        long long range = js_int(pm, "range", 1);
        const char *hip = js_str(pm, "host_ip", "");

        for (long long k = 0; k < (range < 1 ? 1 : range); k++) {
            json_t *o = json_pack("{s:I, s:I, s:s}", "hostPort", (json_int_t) (host + k),
                                  "containerPort", (json_int_t) (ctr + k),
                                  "protocol", js_str(pm, "protocol", "tcp"));
            if (!o || (*hip && json_object_set_new(o, "hostIP", json_string(hip)) < 0) ||
                json_array_append_new(arr, o) < 0) {
                json_decref(o);
                return NULL;
            }
        }
    }
    return STEAL_PTR(arr);
}

int cni_conflist(const char *name, json_t *def, json_t *per, json_t *ports, json_t **out,
                 struct berr **err)
{
    _cleanup_json_ json_t *addrs = NULL, *plugins = json_array(), *conf = NULL;
    bool internal = js_bool(def, "internal", false);
    const char *mac = js_str(per, "static_mac", NULL);
    json_t *p;

    if (!plugins)
        return berr_oom(err);
    if (addresses(def, per, &addrs, err) < 0)
        return -1;
    if (!(p = bridge_plugin(def, addrs)) || json_array_append_new(plugins, p) < 0)
        return berr_oom(err);
    if (!internal && json_array_size(ports)) {
        json_t *pms = port_mappings(ports);
        p = pms ? json_pack("{s:s, s:{s:b}, s:{s:o}}", "type", "portmap",
                            "capabilities", "portMappings", 1,
                            "runtimeConfig", "portMappings", pms) : NULL;
        if (!p || json_array_append_new(plugins, p) < 0)
            return berr_oom(err);
    }
    if (json_array_append_new(plugins, json_pack("{s:s, s:s}", "type", "firewall",
                                                 "backend", "iptables")) < 0)
        return berr_oom(err);
    if (mac && *mac &&
        json_array_append_new(plugins, json_pack("{s:s, s:{s:b}, s:{s:s}}", "type", "tuning",
                                                 "capabilities", "mac", 1,
                                                 "runtimeConfig", "mac", mac)) < 0)
        return berr_oom(err);
    conf = json_pack("{s:s, s:s, s:O}", "cniVersion", CNI_VERSION, "name", name,
                     "plugins", plugins);
    if (!conf)
        return berr_oom(err);
    *out = STEAL_PTR(conf);
    return 0;
}

json_t *cni_plugin_conf(json_t *conflist, json_t *plugin, json_t *prev)
{
    json_t *c = json_deep_copy(plugin);

    if (!c || json_object_set(c, "cniVersion", json_object_get(conflist, "cniVersion")) < 0 ||
        json_object_set(c, "name", json_object_get(conflist, "name")) < 0 ||
        (prev && json_object_set(c, "prevResult", prev) < 0)) {
        json_decref(c);
        return NULL;
    }
    return c;
}

int cni_prev_result(json_t *def, json_t *per, const char *netns, json_t **out,
                    struct berr **err)
{
    _cleanup_json_ json_t *addrs = NULL, *r = NULL;
    size_t i;
    json_t *a;

    if (addresses(def, per, &addrs, err) < 0)
        return -1;
    json_array_foreach(addrs, i, a)
        if (json_object_set_new(a, "interface", json_integer(0)) < 0)
            return berr_oom(err);
    r = json_pack("{s:s, s:[{s:s, s:s}], s:O}", "cniVersion", CNI_VERSION,
                  "interfaces", "name", js_str(per, "interface_name", "eth0"),
                  "sandbox", netns ? netns : "", "ips", addrs);
    if (!r)
        return berr_oom(err);
    *out = STEAL_PTR(r);
    return 0;
}

/* The interface an "ips" entry belongs to: by its index into
 * "interfaces"; an entry without one belongs to the container's. */
static const char *ip_owner(json_t *res, json_t *ipent, const char *ifname, const char **mac)
{
    json_t *idx = json_object_get(ipent, "interface");
    json_t *ifc = json_is_integer(idx) ? json_array_get(json_object_get(res, "interfaces"),
                                                        (size_t) json_integer_value(idx))
                                       : NULL;

    *mac = ifc ? js_str(ifc, "mac", "") : "";
    return ifc ? js_str(ifc, "name", "") : ifname;
}

int cni_result_convert(json_t *res, const char *ifname, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *subnets = json_array(), *r = NULL;
    const char *mac = "";
    size_t i;
    json_t *ipent, *ifc;

    if (!subnets)
        return berr_oom(err);
    if (!json_is_object(res))
        return berr_msg(err, "cni: the plugin returned no result");
    /* The container's interface: named ifname, inside the sandbox. */
    json_array_foreach(json_object_get(res, "interfaces"), i, ifc)
        if (str_eq(js_str(ifc, "name", ""), ifname) && *js_str(ifc, "sandbox", ""))
            mac = js_str(ifc, "mac", "");
    json_array_foreach(json_object_get(res, "ips"), i, ipent) {
        const char *imac, *owner = ip_owner(res, ipent, ifname, &imac);
        const char *addr = js_str(ipent, "address", NULL), *gw = js_str(ipent, "gateway", NULL);
        json_t *s;

        if (!addr || !str_eq(owner, ifname))
            continue;
        if (!*mac)
            mac = imac;
        if (!(s = json_pack("{s:s}", "ipnet", addr)) ||
            (gw && json_object_set_new(s, "gateway", json_string(gw)) < 0) ||
            json_array_append_new(subnets, s) < 0) {
            json_decref(s);
            return berr_oom(err);
        }
    }
    if (!json_array_size(subnets))
        return berr_msg(err, "cni: the result has no address for %s", ifname);
    /* No DNS server: aardvark-dns belongs to netavark, and the dnsname
     * plugin is not packaged here. */
    r = json_pack("{s:{s:{s:s, s:O}}, s:[], s:[]}", "interfaces", ifname, "mac_address", mac,
                  "subnets", subnets, "dns_server_ips", "dns_search_domains");
    if (!r)
        return berr_oom(err);
    *out = STEAL_PTR(r);
    return 0;
}
