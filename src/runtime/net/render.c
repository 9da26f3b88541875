/*
 * runtime/net/render.c: what the rest of berth shows or writes from a
 * network status: inspect's NetworkSettings (podman 4.3.1's shape,
 * observed), DNS servers and search domains, the container's addresses,
 * and /etc/resolv.conf (SPEC-podman 4.7).
 */
#include <string.h>

#include "runtime/net/ipnet.h"
#include "runtime/net/net.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

/* The first subnet entry of a network's result: {ipnet, gateway}, and
 * the interface's MAC. */
static json_t *first_subnet(json_t *res, const char **mac)
{
    const char *ifn;
    json_t *iface;

    *mac = "";
    json_object_foreach(json_object_get(res, "interfaces"), ifn, iface) {
        *mac = js_str(iface, "mac_address", "");
        return json_array_get(json_object_get(iface, "subnets"), 0);
    }
    return NULL;
}

/* ipnet "10.89.0.2/24" -> "10.89.0.2" and 24. */
static void split_ipnet(const char *s, char *ip, int *prefix)
{
    struct ipnet n;
    struct ipaddr host;

    *ip = '\0';
    *prefix = 0;
    if (ipnet_parse(s, &n, &host) == 0) {
        ip_fmt(&host, ip);
        *prefix = n.prefix;
    }
}

static json_t *net_entry(json_t *status, const char *name)
{
    json_t *res = json_object_get(json_object_get(status, "results"), name);
    json_t *opts = json_object_get(json_object_get(status, "networks"), name);
    json_t *sub, *ips = json_object_get(opts, "static_ips");
    const char *mac, *gw = "";
    char ip[IPADDR_STRLEN] = "";
    int prefix = 0;

    if ((sub = first_subnet(res, &mac))) {
        split_ipnet(js_str(sub, "ipnet", ""), ip, &prefix);
        gw = js_str(sub, "gateway", "");
    }
    return json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:n, s:n, s:n, s:O, s:O?}",
                     "EndpointID", "", "Gateway", gw, "IPAddress", ip, "IPPrefixLen", prefix,
                     "IPv6Gateway", "", "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0,
                     "MacAddress", mac, "NetworkID", name, "DriverOpts", "IPAMConfig", "Links",
                     "Aliases", json_object_get(opts, "aliases") ? json_object_get(opts, "aliases")
                                                                 : json_null(),
                     "StaticIPs", ips);
}

json_t *net_inspect_settings(json_t *status, const struct net_port *ports, size_t n_ports,
                             char *const *exposed, const char *netns)
{
    _cleanup_json_ json_t *s = NULL, *nets = json_object();
    json_t *portmap = ports_inspect(ports, n_ports, exposed);
    const char *name;
    json_t *v;

    if (!nets || !portmap) {
        json_decref(portmap);
        return NULL;
    }
    s = json_pack("{s:s, s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:s, s:b, s:s, s:i, s:o, s:s}",
                  "EndpointID", "", "Gateway", "", "IPAddress", "", "IPPrefixLen", 0,
                  "IPv6Gateway", "", "GlobalIPv6Address", "", "GlobalIPv6PrefixLen", 0,
                  "MacAddress", "", "Bridge", "", "SandboxID", "", "HairpinMode", 0,
                  "LinkLocalIPv6Address", "", "LinkLocalIPv6PrefixLen", 0, "Ports", portmap,
                  "SandboxKey", netns ? netns : js_str(status, "netns", ""));
    if (!s)
        return NULL;
    json_object_foreach(json_object_get(status, "networks"), name, v) {
        json_t *e = net_entry(status, name);
        if (!e || json_object_set_new(nets, name, e) < 0)
            return NULL;
    }
    /* podman fills the top-level fields only with exactly one network. */
    if (json_object_size(nets) == 1) {
        json_object_foreach(nets, name, v) {
            const char *keys[] = { "Gateway", "IPAddress", "IPPrefixLen", "MacAddress" };
            for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
                json_object_set(s, keys[i], json_object_get(v, keys[i]));
        }
    }
    if (json_object_size(nets) && json_object_set(s, "Networks", nets) < 0)
        return NULL;
    return STEAL_PTR(s);
}

static int push_unique(strv *v, const char *s)
{
    if (!s || !*s || strv_contains(*v, s))
        return 0;
    return strv_push(v, s);
}

int net_dns(json_t *status, char ***servers, char ***searches, struct berr **err)
{
    _cleanup_strv_ strv sv = calloc(1, sizeof(char *)), se = calloc(1, sizeof(char *));
    const char *name;
    json_t *res, *x;
    size_t i;

    if (!sv || !se)
        return berr_oom(err);
    json_object_foreach(json_object_get(status, "results"), name, res) {
        json_array_foreach(json_object_get(res, "dns_server_ips"), i, x)
            if (push_unique(&sv, json_string_value(x)) < 0)
                return berr_oom(err);
        json_array_foreach(json_object_get(res, "dns_search_domains"), i, x)
            if (push_unique(&se, json_string_value(x)) < 0)
                return berr_oom(err);
    }
    *servers = STEAL_PTR(sv);
    *searches = STEAL_PTR(se);
    return 0;
}

int net_addresses(json_t *status, char ***ips, char **gateway4, struct berr **err)
{
    _cleanup_strv_ strv v = calloc(1, sizeof(char *));
    _cleanup_free_ char *gw = NULL;
    const char *name, *ifn;
    json_t *res, *iface, *sub;
    size_t i;

    if (!v)
        return berr_oom(err);
    json_object_foreach(json_object_get(status, "results"), name, res)
        json_object_foreach(json_object_get(res, "interfaces"), ifn, iface)
            json_array_foreach(json_object_get(iface, "subnets"), i, sub) {
                char ip[IPADDR_STRLEN];
                int prefix;
                struct ipaddr g;

                split_ipnet(js_str(sub, "ipnet", ""), ip, &prefix);
                if (*ip && push_unique(&v, ip) < 0)
                    return berr_oom(err);
                if (!gw && ip_parse(js_str(sub, "gateway", ""), &g) == 0 &&
                    g.family == AF_INET && !(gw = str_dup(js_str(sub, "gateway", ""))))
                    return berr_oom(err);
            }
    *ips = STEAL_PTR(v);
    *gateway4 = STEAL_PTR(gw);
    return 0;
}
