/*
 * cmd/ctropts_net.c: the networking options of create/run: --network
 * modes and network lists with their per-network options, --ip, --ip6,
 * --mac-address, --network-alias, and the cheap checks of -p, --expose,
 * --dns and --add-host. Ports stay text: the network layer parses them.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cmd/ctropts_int.h"
#include "util/cleanup.h"
#include "util/js.h"

/* ---- networking values ---- */

bool cp_is_ip(const char *s, int family)
{
    unsigned char buf[16];

    if ((family == 0 || family == AF_INET) && inet_pton(AF_INET, s, buf) == 1)
        return true;
    return (family == 0 || family == AF_INET6) && inet_pton(AF_INET6, s, buf) == 1;
}

int cp_mac_check(const char *s, struct berr **err)
{
    /* six hex pairs separated by ':' or '-' (the usual Ethernet form) */
    if (strlen(s) == 17) {
        bool ok = true;
        for (int i = 0; i < 17 && ok; i++)
            ok = i % 3 == 2 ? (s[i] == ':' || s[i] == '-') && s[i] == s[2]
                            : isxdigit((unsigned char) s[i]) != 0;
        if (ok)
            return 0;
    }
    return cp_inval(err, "address %s: invalid MAC address", s);
}

int cp_add_host_check(const char *s, struct berr **err)
{
    const char *c = strchr(s, ':');

    if (!c || c == s)
        return cp_inval(err, "bad format for add-host: \"%s\"", s);
    if (!cp_is_ip(c + 1, 0))
        return cp_inval(err, "invalid IP address in add-host: \"%s\"", c + 1);
    return 0;
}

static bool proto_ok(const char *p)
{
    return strcmp(p, "tcp") == 0 || strcmp(p, "udp") == 0 || strcmp(p, "sctp") == 0;
}

static int port_num(const char *s, const char *spec, unsigned long *out, struct berr **err)
{
    unsigned long long v;

    if (str_to_ull(s, &v) < 0)
        return cp_inval(err, "invalid range format for --expose: %s: strconv.ParseUint: parsing \"%s\": %s",
                        spec, s, *s && strspn(s, "0123456789") == strlen(s) ? "value out of range" : "invalid syntax");
    if (v > 65535)
        return cp_inval(err, "invalid range format for --expose: %s: strconv.ParseUint: parsing \"%s\": value out of range",
                        spec, s);
    if (v == 0)
        return cp_inval(err, "port numbers must be between 1 and 65535 (inclusive), got 0");
    *out = (unsigned long) v;
    return 0;
}

int cp_expose(const char *s, char **out, struct berr **err)
{
    const char *slash = strchr(s, '/'), *proto = slash ? slash + 1 : "tcp";
    _cleanup_free_ char *range = str_ndup(s, slash ? (size_t) (slash - s) : strlen(s));
    char *dash;
    unsigned long a, b;

    if (!range)
        return berr_oom(err);
    if (!proto_ok(proto))
        return cp_inval(err, "validating protocols for exposed port %s: unrecognized protocol \"%s\" in port mapping",
                        range, proto);
    dash = strchr(range, '-');
    if (dash)
        *dash = '\0';
    if (port_num(range, s, &a, err) < 0)
        return -1;
    b = a;
    if (dash && port_num(dash + 1, s, &b, err) < 0)
        return -1;
    if (b < a)
        return cp_inval(err, "invalid range format for --expose: %s: Invalid range specified for the Port: %s",
                        s, s);
    *out = a == b ? str_fmt("%lu/%s", a, proto) : str_fmt("%lu-%lu/%s", a, b, proto);
    return *out ? 0 : berr_oom(err);
}

/* Cheap checks only: the network layer parses the mapping. */
int cp_port_check(const char *s, struct berr **err)
{
    const char *slash = strrchr(s, '/');

    if (!*s)
        return cp_inval(err, "invalid port mapping: empty");
    if (slash && !proto_ok(slash + 1))
        return cp_inval(err, "unrecognized protocol \"%s\" in port mapping", slash + 1);
    return 0;
}

/* ---- networks ---- */

static bool net_special(const char *s)
{
    return !strcmp(s, "host") || !strcmp(s, "none") || !strcmp(s, "private") ||
           !strcmp(s, "bridge") || str_has_prefix(s, "bridge:") ||
           str_has_prefix(s, "container:") || str_has_prefix(s, "ns:") ||
           !strcmp(s, "slirp4netns") || str_has_prefix(s, "slirp4netns:");
    /* "pasta" is podman 4.4's: to 4.3.1 it is a network's name */
}

static struct ctr_network *net_add(struct ctropts *o, const char *name, struct berr **err)
{
    struct ctr_network *n = realloc(o->networks, sizeof(*n) * (o->nnetworks + 1));

    if (!n) {
        berr_oom(err);
        return NULL;
    }
    o->networks = n;
    n = &o->networks[o->nnetworks++];
    memset(n, 0, sizeof(*n));
    if (name && !(n->name = str_dup(name))) {
        berr_oom(err);
        return NULL;
    }
    return n;
}

static int set_dup(char **dst, const char *v, struct berr **err)
{
    free(*dst);
    *dst = str_dup(v);
    return *dst ? 0 : berr_oom(err);
}

/* NAME:alias=a,ip=1.2.3.4,ip6=...,mac=...,interface_name=... */
static int net_opts(struct ctr_network *n, const char *label, const char *opts, struct berr **err)
{
    _cleanup_strv_ strv l = NULL;

    if (cp_split_csv(opts, &l, err) < 0)
        return -1;
    for (size_t i = 0; l && l[i]; i++) {
        char *eq = strchr(l[i], '=');
        const char *v = eq ? eq + 1 : "";
        if (eq)
            *eq = '\0';
        if (!strcmp(l[i], "alias")) {
            if (strv_push(&n->aliases, v) < 0)
                return berr_oom(err);
        } else if (!strcmp(l[i], "ip") || !strcmp(l[i], "ip6")) {
            if (!cp_is_ip(v, l[i][2] ? AF_INET6 : AF_INET))
                return cp_inval(err, "invalid option for network %s: \"%s\" is not an ip address", label, v);
            if (set_dup(l[i][2] ? &n->ip6 : &n->ip, v, err) < 0)
                return -1;
        } else if (!strcmp(l[i], "mac")) {
            if (cp_mac_check(v, err) < 0 || set_dup(&n->mac, v, err) < 0)
                return -1;
        } else if (!strcmp(l[i], "interface_name")) {
            if (set_dup(&n->interface_name, v, err) < 0)
                return -1;
        } else {
            return cp_inval(err, "invalid option for network %s: unknown bridge network option: %s", label, l[i]);
        }
    }
    return 0;
}

/* One --network value in bridge mode: "bridge[:opts]", "private", "a,b",
 * or "name:opts". */
static int net_bridge_value(struct ctropts *o, const char *v, bool first, struct berr **err)
{
    const char *colon = strchr(v, ':');
    _cleanup_free_ char *name = str_ndup(v, colon ? (size_t) (colon - v) : strlen(v));
    struct ctr_network *n;
    _cleanup_strv_ strv names = NULL;

    if (!name)
        return berr_oom(err);
    if (net_special(v)) {
        if (!first || (strcmp(name, "bridge") != 0 && strcmp(name, "private") != 0) ||
            (colon && strcmp(name, "private") == 0))
            return cp_inval(err, "can only set extra network names, selected mode %s conflicts with bridge: invalid argument", name);
        if (!(n = net_add(o, NULL, err)))
            return -1;
        return colon ? net_opts(n, "bridge", colon + 1, err) : 0;
    }
    if (colon) {
        if (!*name)
            return cp_inval(err, "network name cannot be empty: %s", v);
        if (!(n = net_add(o, name, err)))
            return -1;
        return net_opts(n, name, colon + 1, err);
    }
    if (cp_split_csv(v, &names, err) < 0)
        return -1;
    for (size_t i = 0; names && names[i]; i++)
        if (*names[i] && !net_add(o, names[i], err))
            return -1;
    return 0;
}

/* --network, then --ip/--ip6/--mac-address/--network-alias, which apply to
 * the one network in bridge mode. */
int cp_finish_network(struct pstate *p, const char **mode, struct berr **err)
{
    struct ctropts *o = p->o;
    const char *first = p->networks ? p->networks[0] : NULL;
    struct ctr_network *n;
    static const struct { const char *flag; size_t off; } single[] = {
        { "--ip", offsetof(struct pstate, ip) }, { "--ip6", offsetof(struct pstate, ip6) },
        { "--mac-address", offsetof(struct pstate, mac) },
    };

    *mode = "bridge";
    if (first && net_special(first) && strcmp(first, "private") != 0 &&
        strcmp(first, "bridge") != 0 && !str_has_prefix(first, "bridge:")) {
        if (!strcmp(first, "container:") || !strcmp(first, "ns:"))
            return cp_inval(err, "invalid network mode %s", first);
        if (str_has_prefix(first, "ns:")) {
            struct stat st;
            if (stat(first + 3, &st) < 0)
                return berr_sys(err, "cannot find specified network namespace path: stat %s", first + 3);
        }
        if (p->networks[1])
            return cp_inval(err, "cannot set multiple networks without bridge network mode, selected mode %s: invalid argument",
                            str_has_prefix(first, "container:") ? "container" : str_has_prefix(first, "ns:") ? "path" : first);
        *mode = first;
        /* slirp4netns[:OPTS]: OPTS are checked at start, as podman does */
        if (str_has_prefix(first, "slirp4netns")) {
            *mode = "slirp4netns";
            if (first[11] == ':' && js_set_str(p->ctr, "slirp4netnsOptions", first + 12) < 0)
                return berr_oom(err);
        }
    } else {
        for (size_t i = 0; p->networks && p->networks[i]; i++)
            if (net_bridge_value(o, p->networks[i], i == 0, err) < 0)
                return -1;
    }
    for (size_t k = 0; k <= ARRAY_SIZE(single); k++) {
        const char *flag = k < ARRAY_SIZE(single) ? single[k].flag : "--network-alias";
        bool given = k < ARRAY_SIZE(single) ? *(const char **) ((char *) p + single[k].off) != NULL
                                            : p->aliases != NULL;
        if (!given)
            continue;
        if (strcmp(*mode, "bridge") != 0)
            return cp_inval(err, "%s can only be set when the network mode is bridge: invalid argument", flag);
        if (o->nnetworks > 1)
            return cp_inval(err, "%s can only be set for a single network: invalid argument", flag);
    }
    if (!p->ip && !p->ip6 && !p->mac && !p->aliases)
        return 0;
    if (!o->nnetworks && !net_add(o, NULL, err))
        return -1;
    n = &o->networks[0];
    if ((p->ip && set_dup(&n->ip, p->ip, err) < 0) || (p->ip6 && set_dup(&n->ip6, p->ip6, err) < 0) ||
        (p->mac && set_dup(&n->mac, p->mac, err) < 0))
        return -1;
    for (size_t i = 0; p->aliases && p->aliases[i]; i++)
        if (strv_push(&n->aliases, p->aliases[i]) < 0)
            return berr_oom(err);
    return 0;
}
