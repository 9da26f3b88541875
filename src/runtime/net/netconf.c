/*
 * runtime/net/netconf.c: network definitions, <config_dir>/<name>.json in
 * podman's file format (field order and 5-space indent as podman writes
 * them, so either tool reads the other's files). The default network is
 * synthesized when its file is missing and written on first use
 * (net_default_ensure). Changes happen under <config_dir>/.network.lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "runtime/lock.h"
#include "runtime/net/ipnet.h"
#include "runtime/net/net.h"
#include "runtime/net/netint.h"
#include "state/state.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

/* podman's network id for its default network is sha256(name); ours too
 * for "berth". Other default names get a stable id derived from the name. */
#define BERTH_DEFAULT_ID "5c2f64c7f21efd5fb5e3d6a499abe5eacb248ae6f6f0085387c9a056d10ef5fd"

bool net_name_valid(const char *name)
{
    if (!name || !*name || !((name[0] >= 'a' && name[0] <= 'z') ||
                             (name[0] >= 'A' && name[0] <= 'Z') ||
                             (name[0] >= '0' && name[0] <= '9')))
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            return false;
    return true;
}

static char *stable_id(const char *name)
{
    unsigned long long h[4] = { 1469598103934665603ULL, 7, 13, 31 };
    char *out = malloc(65);

    if (!out)
        return NULL;
    for (int k = 0; k < 4; k++)
        for (const char *p = name; *p; p++)
            h[k] = (h[k] ^ (unsigned char) *p) * (1099511628211ULL + 2 * (unsigned) k);
    snprintf(out, 65, "%016llx%016llx%016llx%016llx", h[0], h[1], h[2], h[3]);
    return out;
}

static int random_id(char out[65], struct berr **err)
{
    unsigned char b[32];

    if (getrandom(b, sizeof(b), 0) != (ssize_t) sizeof(b))
        return berr_sys(err, "read random bytes");
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
    return 0;
}

char *net_now_rfc3339(void)
{
    struct timespec ts;
    struct tm tm;
    char buf[40];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
    return str_fmt("%s.%09ldZ", buf, ts.tv_nsec);
}

/* A definition object with podman's key order. subnets: a new array. */
static json_t *make_def(const char *name, const char *id, const char *iface, json_t *subnets,
                        bool ipv6, bool internal, bool dns, json_t *labels, json_t *options,
                        const char *ipam)
{
    _cleanup_free_ char *created = net_now_rfc3339();
    json_t *d = json_object();

    if (!created || !d || !subnets)
        goto fail;
    if (json_object_set_new(d, "name", json_string(name)) < 0 ||
        json_object_set_new(d, "id", json_string(id)) < 0 ||
        json_object_set_new(d, "driver", json_string("bridge")) < 0 ||
        json_object_set_new(d, "network_interface", json_string(iface)) < 0 ||
        json_object_set_new(d, "created", json_string(created)) < 0 ||
        /* podman writes no subnets key when it has none (ipam none) */
        (json_array_size(subnets) ? json_object_set_new(d, "subnets", subnets)
                                  : (json_decref(subnets), 0)) < 0 ||
        json_object_set_new(d, "ipv6_enabled", json_boolean(ipv6)) < 0 ||
        json_object_set_new(d, "internal", json_boolean(internal)) < 0 ||
        json_object_set_new(d, "dns_enabled", json_boolean(dns)) < 0 ||
        (labels && json_object_size(labels) && json_object_set(d, "labels", labels) < 0) ||
        (options && json_object_size(options) && json_object_set(d, "options", options) < 0) ||
        json_object_set_new(d, "ipam_options", json_pack("{s:s}", "driver", ipam)) < 0)
        goto fail;
    return d;
fail:
    json_decref(d);
    return NULL;
}

/* The default network, synthesized from the config. */
static int default_def(const struct net_env *e, json_t **out, struct berr **err)
{
    struct ipnet n;
    struct ipaddr gw;
    char sub[IPNET_STRLEN], gws[IPADDR_STRLEN];
    _cleanup_free_ char *id = NULL;
    json_t *subnets;

    if (ipnet_parse(e->default_subnet, &n, NULL) < 0)
        return berr_msg(err, "invalid default_subnet \"%s\" in the config", e->default_subnet);
    gw = n.ip;
    ip_add(&gw, 1);
    ipnet_fmt(&n, sub);
    ip_fmt(&gw, gws);
    id = strcmp(e->default_network, "berth") ? stable_id(e->default_network)
                                             : str_dup(BERTH_DEFAULT_ID);
    subnets = json_pack("[{s:s, s:s}]", "subnet", sub, "gateway", gws);
    if (!id || !(*out = make_def(e->default_network, id, "berth0", subnets, false, false, false,
                                 NULL, NULL, "host-local")))
        return berr_oom(err);
    return 0;
}

int net_write_def(const struct net_env *e, json_t *def, struct berr **err)
{
    _cleanup_free_ char *s = json_dumps(def, JSON_INDENT(5) | JSON_PRESERVE_ORDER);
    _cleanup_free_ char *file = str_fmt("%s.json", js_str(def, "name", ""));

    if (!s || !file)
        return berr_oom(err);
    if (fs_mkdir_p(e->config_dir, 0755, err) < 0)
        return -1;
    return fs_write_atomic(e->config_dir, file, s, strlen(s), 0644, err);
}

int net_conf_lock(const struct net_env *e, struct lock *l, struct berr **err)
{
    _cleanup_free_ char *p = fs_join(e->config_dir, ".network.lock");

    if (!p)
        return berr_oom(err);
    if (fs_mkdir_p(e->config_dir, 0755, err) < 0)
        return -1;
    return lock_path(p, true, l, err);
}

static int read_def(const struct net_env *e, const char *file, json_t **out, struct berr **err)
{
    _cleanup_free_ char *p = fs_join(e->config_dir, file);
    json_t *d = NULL;

    if (!p)
        return berr_oom(err);
    if (js_read_file(p, &d, err) < 0)
        return -1;
    if (!json_is_object(d) || !json_is_string(json_object_get(d, "name")) ||
        !json_is_string(json_object_get(d, "id"))) {
        json_decref(d);
        return berr_kind(err, BK_CORRUPT, "%s: not a network definition", p);
    }
    *out = d;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(js_str(*(json_t *const *) a, "name", ""), js_str(*(json_t *const *) b, "name", ""));
}

int net_list(const struct net_env *e, json_t **out, struct berr **err)
{
    _cleanup_closedir_ DIR *d = opendir(e->config_dir);
    _cleanup_json_ json_t *arr = json_array();
    json_t **v = NULL;
    size_t n = 0;
    struct dirent *de;
    bool have_default = false;

    if (!arr)
        return berr_oom(err);
    if (!d && errno != ENOENT)
        return berr_sys(err, "open network config dir %s", e->config_dir);
    while (d && (de = readdir(d))) {
        json_t *def = NULL;
        struct berr *e2 = NULL;

        if (de->d_name[0] == '.' || !str_has_suffix(de->d_name, ".json"))
            continue;
        if (read_def(e, de->d_name, &def, &e2) < 0) {
            log_warn("Error reading network config file %s: %s", de->d_name, e2->msg);
            berr_free(e2);
            continue;
        }
        if (str_eq(js_str(def, "name", ""), e->default_network))
            have_default = true;
        json_array_append_new(arr, def);
    }
    if (!have_default) {
        json_t *def;
        if (default_def(e, &def, err) < 0)
            return -1;
        json_array_append_new(arr, def);
    }
    /* Sort by name through a plain array: jansson has no sort. */
    n = json_array_size(arr);
    if (!(v = calloc(n ? n : 1, sizeof(*v))))
        return berr_oom(err);
    for (size_t i = 0; i < n; i++)
        v[i] = json_incref(json_array_get(arr, i));
    qsort(v, n, sizeof(*v), cmp_name);
    json_array_clear(arr);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
    *out = STEAL_PTR(arr);
    return 0;
}

const char *net_name_resolve(const struct net_env *e, const char *name)
{
    _cleanup_free_ char *file = NULL;

    if (!str_eq(name, "podman") || str_eq(e->default_network, "podman"))
        return name;
    file = str_fmt("%s/podman.json", e->config_dir);
    return file && !fs_exists(file) ? e->default_network : name;
}

int net_lookup(const struct net_env *e, const char *key, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *all = NULL;
    json_t *def, *found = NULL;
    size_t i, nmatch = 0;

    if (net_list(e, &all, err) < 0)
        return -1;
    key = net_name_resolve(e, key);
    json_array_foreach(all, i, def)
        if (str_eq(js_str(def, "name", ""), key) || str_eq(js_str(def, "id", ""), key)) {
            *out = json_incref(def);
            return 0;
        }
    if (*key)
        json_array_foreach(all, i, def)
            if (str_has_prefix(js_str(def, "id", ""), key)) {
                found = def;
                nmatch++;
            }
    if (nmatch == 1) {
        *out = json_incref(found);
        return 0;
    }
    if (nmatch > 1)
        return berr_kind(err, BK_EXISTS, "more than one result for network ID %s", key);
    return berr_kind(err, BK_NO_SUCH, "unable to find network with name or ID %s: network "
                     "not found", key);
}

int net_filter_name(const struct net_env *e, const char *value, char **out, struct berr **err)
{
    _cleanup_json_ json_t *def = NULL;
    struct berr *le = NULL;

    *out = NULL;
    if (net_lookup(e, value, &def, &le) < 0) {
        if (le->kind != BK_NO_SUCH) {
            *err = le;
            return -1;
        }
        berr_free(le);
        return 0;
    }
    if (!(*out = str_dup(js_str(def, "name", ""))))
        return berr_oom(err);
    return 0;
}

int net_default_ensure(const struct net_env *e, struct berr **err)
{
    _cleanup_free_ char *file = str_fmt("%s/%s.json", e->config_dir, e->default_network);
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_json_ json_t *def = NULL;

    if (!file)
        return berr_oom(err);
    if (fs_exists(file))
        return 0;
    if (net_conf_lock(e, &l, err) < 0)
        return -1;
    if (fs_exists(file))
        return 0;
    if (default_def(e, &def, err) < 0)
        return -1;
    return net_write_def(e, def, err);
}

/* ---- subnets ------------------------------------------------------------ */

int net_pick_subnet(const struct ipnet *used, size_t n, struct ipnet *out, struct berr **err)
{
    /* podman: 10.89.0.0/24 upward through 10.255.255.0/24. */
    for (unsigned k = 89 * 256; k < 256 * 256; k++) {
        struct ipnet c = { { AF_INET, { 10, (uint8_t) (k >> 8), (uint8_t) (k & 0xff), 0 } }, 24 };
        bool taken = false;

        for (size_t i = 0; i < n && !taken; i++)
            taken = ipnet_overlaps(&c, &used[i]);
        if (!taken) {
            *out = c;
            return 0;
        }
    }
    return berr_msg(err, "could not find free subnet from subnet pools");
}

int net_host_routes(struct ipnet **out, size_t *n, struct berr **err)
{
    _cleanup_fclose_ FILE *f = fopen("/proc/net/route", "re");
    char line[512];
    struct ipnet *v = NULL;
    size_t k = 0;

    *out = NULL;
    *n = 0;
    if (!f)
        return 0;       /* no route table to honour */
    while (fgets(line, sizeof(line), f)) {
        char ifn[64];
        unsigned dst, gw, flags, refcnt, use, metric, mask;
        struct ipaddr m = { AF_INET, { 0 } };
        struct ipnet *nv;

        if (sscanf(line, "%63s %x %x %x %u %u %u %x", ifn, &dst, &gw, &flags, &refcnt, &use,
                   &metric, &mask) != 8)
            continue;   /* the header line */
        if (mask == 0)
            continue;   /* a default route covers everything: podman skips it too */
        if (!(nv = realloc(v, (k + 1) * sizeof(*v)))) {
            free(v);
            return berr_oom(err);
        }
        v = nv;
        memset(&v[k], 0, sizeof(v[k]));
        v[k].ip.family = AF_INET;
        memcpy(v[k].ip.a, &dst, 4);     /* the file holds network byte order */
        memcpy(m.a, &mask, 4);
        v[k].prefix = ip_mask_prefix(&m);
        k++;
    }
    *out = v;
    *n = k;
    return 0;
}

/* Every subnet of every definition in defs (array), appended to *v. */
static int defs_subnets(json_t *defs, struct ipnet **v, size_t *n, struct berr **err)
{
    size_t i, j;
    json_t *def, *s;

    json_array_foreach(defs, i, def)
        json_array_foreach(json_object_get(def, "subnets"), j, s) {
            struct ipnet x, *nv;

            if (ipnet_parse(js_str(s, "subnet", ""), &x, NULL) < 0)
                continue;
            if (!(nv = realloc(*v, (*n + 1) * sizeof(**v))))
                return berr_oom(err);
            *v = nv;
            nv[(*n)++] = x;
        }
    return 0;
}

/* ---- create / remove ----------------------------------------------------- */

/* A network's name or bridge, or a host link, is called name. */
static bool device_name_taken(json_t *defs, const char *name)
{
    size_t i;
    json_t *def;

    json_array_foreach(defs, i, def)
        if (str_eq(js_str(def, "network_interface", ""), name) ||
            str_eq(js_str(def, "name", ""), name))
            return true;
    return if_nametoindex(name) != 0;
}

/* podman's GetFreeDeviceName: the first berthN that no network is named
 * or bridged as, and no host link is called, for a new network's name and
 * its bridge alike (so a network made without either is berthN on
 * berthN). berth0 belongs to the default network even before it is
 * written. */
static int pick_device_name(json_t *defs, char *buf, size_t len, struct berr **err)
{
    for (unsigned i = 1; i < 1000000; i++) {
        snprintf(buf, len, "berth%u", i);
        if (!device_name_taken(defs, buf))
            return 0;
    }
    return berr_msg(err, "could not find a free bridge name");
}

static int random_ula(struct ipnet *out, struct berr **err)
{
    uint8_t r[7];

    if (getrandom(r, sizeof(r), 0) != (ssize_t) sizeof(r))
        return berr_sys(err, "read random bytes");
    memset(out, 0, sizeof(*out));
    out->ip.family = AF_INET6;
    out->ip.a[0] = 0xfd;
    memcpy(out->ip.a + 1, r, 7);
    out->prefix = 64;
    return 0;
}

/* "k=v" strings into an object; a key without "=" gets "". The keys are
 * sorted, as Go writes a map (podman's labels and options). */
static int kv_object(char *const *kv, json_t **out, struct berr **err)
{
    _cleanup_json_ json_t *o = json_object();

    if (!o)
        return berr_oom(err);
    for (size_t i = 0; kv && kv[i]; i++) {
        const char *eq = strchr(kv[i], '=');
        _cleanup_free_ char *k = eq ? str_ndup(kv[i], (size_t) (eq - kv[i])) : str_dup(kv[i]);

        if (!k || json_object_set_new(o, k, json_string(eq ? eq + 1 : "")) < 0)
            return berr_oom(err);
    }
    if (!(*out = js_sorted_copy(o)))
        return berr_oom(err);
    return 0;
}

static int check_options(json_t *opts, struct berr **err)
{
    const char *k;
    json_t *v;

    json_object_foreach(opts, k, v) {
        const char *s = json_string_value(v);
        long long n;

        if (!strcmp(k, "mtu") || !strcmp(k, "vlan") || !strcmp(k, "metric")) {
            if (str_to_ll(s, &n) < 0 || n < 0)
                return berr_kind(err, BK_INVALID, "invalid %s \"%s\"", k, s);
        } else if (!strcmp(k, "isolate")) {
            if (str_to_bool(s) < 0)
                return berr_kind(err, BK_INVALID, "invalid isolate \"%s\"", s);
        } else {
            return berr_kind(err, BK_INVALID, "unsupported bridge network option %s", k);
        }
    }
    return 0;
}

/* One subnet entry {subnet, gateway, lease_range?}; checks it against the
 * used list. */
static int make_subnet(const char *sub, const char *gw, const char *range, bool no_gw,
                       const struct ipnet *used, size_t nused, json_t *subnets,
                       struct berr **err)
{
    struct ipnet n, r;
    struct ipaddr g, first, last;
    char sbuf[IPNET_STRLEN], gbuf[IPADDR_STRLEN], a[IPADDR_STRLEN], b[IPADDR_STRLEN];
    json_t *o;

    if (ipnet_parse(sub, &n, NULL) < 0)
        return berr_plain(err, BK_INVALID, "invalid CIDR address: %s", sub);
    ipnet_fmt(&n, sbuf);
    if ((n.ip.family == AF_INET && n.prefix > 30) || (n.ip.family == AF_INET6 && n.prefix > 126))
        return berr_kind(err, BK_INVALID, "subnet %s is too small", sbuf);
    for (size_t i = 0; i < nused; i++)
        if (ipnet_overlaps(&n, &used[i]))
            return berr_new(err, BERR_ENGINE, 0, "subnet %s is already used on the host or by "
                            "another config", sbuf);
    if (gw && *gw) {
        if (ip_parse(gw, &g) < 0)
            return berr_kind(err, BK_INVALID, "invalid gateway address %s", gw);
        if (!ipnet_contains(&n, &g))
            return berr_plain(err, BK_INVALID, "gateway %s not in subnet %s", gw, sbuf);
    } else {
        g = n.ip;
        ip_add(&g, 1);
    }
    ip_fmt(&g, gbuf);
    /* podman's: an internal network without DNS needs no gateway of its
     * own choosing */
    o = no_gw && !(gw && *gw) ? json_pack("{s:s}", "subnet", sbuf)
                              : json_pack("{s:s, s:s}", "subnet", sbuf, "gateway", gbuf);
    if (!o || json_array_append_new(subnets, o) < 0)
        return berr_oom(err);
    if (range && *range) {
        if (ipnet_parse(range, &r, NULL) < 0)
            return berr_plain(err, BK_INVALID, "invalid CIDR address: %s", range);
        /* podman's range: the one after the range's own address (but a
         * single address), to its last; each end in the subnet */
        first = r.ip;
        if (r.prefix < (r.ip.family == AF_INET ? 32 : 128))
            ip_add(&first, 1);
        ipnet_last(&r, &last);
        ip_fmt(&first, a);
        ip_fmt(&last, b);
        if (r.ip.family != n.ip.family || !ipnet_contains(&n, &first))
            return berr_plain(err, BK_INVALID, "lease range start ip %s not in subnet %s", a, sbuf);
        if (!ipnet_contains(&n, &last))
            return berr_plain(err, BK_INVALID, "lease range end ip %s not in subnet %s", b, sbuf);
        if (n.ip.family == AF_INET) {
            struct ipaddr bc;
            ipnet_last(&n, &bc);
            if (ip_eq(&last, &bc))
                ip_add(&last, -1);
        }
        ip_fmt(&first, a);
        ip_fmt(&last, b);
        if (json_object_set_new(o, "lease_range", json_pack("{s:s, s:s}", "start_ip", a,
                                                            "end_ip", b)) < 0)
            return berr_oom(err);
    }
    return 0;
}

static int build_subnets(const struct net_create_opts *o, json_t *defs, json_t *subnets,
                         bool *ipv6, struct berr **err)
{
    _cleanup_free_ struct ipnet *used = NULL, *routes = NULL;
    size_t nused = 0, nroutes = 0, ns = strv_len(o->subnets);
    bool have4 = false, have6 = false, no_gw = o->internal && o->disable_dns;

    if (strv_len(o->gateways) > ns || strv_len(o->ip_ranges) > ns) {
        if (ns == 0)
            return berr_plain(err, BK_INVALID, "cannot set gateway or range without subnet");
        return berr_plain(err, BK_INVALID, strv_len(o->gateways) > ns
                             ? "cannot set more gateways than subnets"
                             : "cannot set more ranges than subnets");
    }
    if (defs_subnets(defs, &used, &nused, err) < 0)
        return -1;
    if (net_host_routes(&routes, &nroutes, err) < 0)
        return -1;
    for (size_t i = 0; i < nroutes; i++) {
        struct ipnet *nv = realloc(used, (nused + 1) * sizeof(*used));
        if (!nv)
            return berr_oom(err);
        used = nv;
        used[nused++] = routes[i];
    }
    for (size_t i = 0; i < ns; i++) {
        struct ipnet n;
        const char *gw = i < strv_len(o->gateways) ? o->gateways[i] : NULL;
        const char *rg = i < strv_len(o->ip_ranges) ? o->ip_ranges[i] : NULL;

        if (make_subnet(o->subnets[i], gw, rg, no_gw, used, nused, subnets, err) < 0)
            return -1;
        (void) ipnet_parse(o->subnets[i], &n, NULL);
        have4 |= n.ip.family == AF_INET;
        have6 |= n.ip.family == AF_INET6;
        /* Two subnets of one request must not overlap each other either. */
        struct ipnet *nv = realloc(used, (nused + 1) * sizeof(*used));
        if (!nv)
            return berr_oom(err);
        used = nv;
        used[nused++] = n;
    }
    /* none given, or (podman's) --ipv6 with IPv6 subnets only: an IPv4
     * one of berth's choosing too */
    if (ns == 0 || (o->ipv6 && have6 && !have4)) {
        struct ipnet n;
        char buf[IPNET_STRLEN];

        if (net_pick_subnet(used, nused, &n, err) < 0)
            return -1;
        ipnet_fmt(&n, buf);
        if (make_subnet(buf, NULL, NULL, no_gw, NULL, 0, subnets, err) < 0)
            return -1;
        have4 = true;
    }
    if (have6)
        *ipv6 = true;
    if (*ipv6 && !have6) {
        struct ipnet n;
        char buf[IPNET_STRLEN];

        if (random_ula(&n, err) < 0)
            return -1;
        ipnet_fmt(&n, buf);
        if (make_subnet(buf, NULL, NULL, no_gw, used, nused, subnets, err) < 0)
            return -1;
    }
    (void) have4;
    return 0;
}

/* --ipam-driver, podman's choices and words: host-local (the default),
 * none (no subnets); dhcp needs a DHCP proxy berth does not run. */
static int check_ipam(const struct net_env *e, const struct net_create_opts *o,
                      struct berr **err)
{
    const char *d = o->ipam_driver;

    if (!d || !*d || !strcmp(d, "host-local"))
        return 0;
    if (!strcmp(d, "none"))
        return o->subnets && o->subnets[0]
                   ? berr_msg(err, "none ipam driver is set but subnets are given")
                   : 0;
    if (!strcmp(d, "dhcp"))
        return berr_msg(err, "dhcp ipam driver is not yet supported with %s",
                         e->backend && *e->backend ? e->backend : "netavark");
    return berr_msg(err, "unsupported ipam driver \"%s\"", d);
}

int net_create(const struct net_env *e, const struct net_create_opts *o, json_t **out,
               struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_json_ json_t *defs = NULL, *subnets = json_array(), *labels = NULL,
                          *options = NULL, *def = NULL;
    _cleanup_free_ char *gen = NULL;
    char id[65], iface[IFNAMSIZ + 8];
    const char *name = o->name;
    bool ipv6 = o->ipv6, ipam_none = str_eq(o->ipam_driver, "none");
    size_t i;
    json_t *d;

    if (!subnets)
        return berr_oom(err);
    if (o->driver && *o->driver && strcmp(o->driver, "bridge"))
        return berr_kind(err, BK_INVALID, "unsupported driver %s", o->driver);
    if (check_ipam(e, o, err) < 0)
        return -1;
    if (name && !net_name_valid(name))
        return berr_kind(err, BK_INVALID, "network name %s invalid: names must match "
                         "[a-zA-Z0-9][a-zA-Z0-9_.-]*", name);
    if (kv_object(o->labels, &labels, err) < 0 || kv_object(o->options, &options, err) < 0 ||
        check_options(options, err) < 0)
        return -1;
    if (o->interface && *o->interface &&
        (strlen(o->interface) >= IFNAMSIZ || strchr(o->interface, '/') ||
         strchr(o->interface, ' ')))
        return berr_kind(err, BK_INVALID, "invalid interface name %s", o->interface);
    if (net_conf_lock(e, &l, err) < 0 || net_list(e, &defs, err) < 0)
        return -1;
    if (!name) {
        char buf[IFNAMSIZ + 8];
        if (pick_device_name(defs, buf, sizeof(buf), err) < 0)
            return -1;
        if (!(gen = str_dup(buf)))
            return berr_oom(err);
        name = gen;
    }
    json_array_foreach(defs, i, d)
        if (str_eq(js_str(d, "name", ""), name)) {
            if (o->ignore_existing) {
                *out = json_incref(d);
                return 0;
            }
            return berr_kind(err, BK_EXISTS, "network name %s already used: network already "
                             "exists", name);
        }
    if (o->interface && *o->interface) {
        json_array_foreach(defs, i, d)
            if (str_eq(js_str(d, "network_interface", ""), o->interface))
                return berr_kind(err, BK_INVALID, "bridge name %s already in use", o->interface);
        snprintf(iface, sizeof(iface), "%s", o->interface);
    } else if (pick_device_name(defs, iface, sizeof(iface), err) < 0) {
        return -1;
    }
    if ((!ipam_none && build_subnets(o, defs, subnets, &ipv6, err) < 0) ||
        random_id(id, err) < 0)
        return -1;
    /* without addresses there is nothing for aardvark-dns to answer */
    def = make_def(name, id, iface, json_incref(subnets), ipv6, o->internal,
                   !o->disable_dns && !ipam_none, labels, options,
                   ipam_none ? "none" : "host-local");
    if (!def)
        return berr_oom(err);
    if (net_write_def(e, def, err) < 0)
        return -1;
    *out = STEAL_PTR(def);
    return 0;
}

int net_remove(const struct net_env *e, const char *name, struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_free_ char *file = NULL;
    _cleanup_json_ json_t *def = NULL;

    if (net_lookup(e, name, &def, err) < 0)
        return -1;
    name = js_str(def, "name", "");
    if (!strcmp(name, e->default_network))
        return berr_new(err, BERR_ENGINE, 0, "default network %s cannot be removed", name);
    if (!(file = str_fmt("%s/%s.json", e->config_dir, name)))
        return berr_oom(err);
    if (net_conf_lock(e, &l, err) < 0)
        return -1;
    if (unlink(file) < 0 && errno != ENOENT)
        return berr_sys(err, "remove network %s", name);
    (void) fs_fsync_dir(e->config_dir);
    return ipam_forget_network(e, name, err);
}

/* ---- users ------------------------------------------------------------------ */

static bool config_names_network(json_t *cfg, const char *net)
{
    json_t *nets = json_object_get(cfg, "networks"), *v;
    size_t i;

    if (json_is_object(nets))
        return json_object_get(nets, net) != NULL;
    json_array_foreach(nets, i, v)
        if (str_eq(json_string_value(v), net))
            return true;
    return false;
}

int net_users(const struct net_env *e, const char *net_name, char ***ids, struct berr **err)
{
    _cleanup_strv_ strv all = NULL, out = calloc(1, sizeof(char *));

    if (!out)
        return berr_oom(err);
    if (state_list(e->state, OBJ_CONTAINER, &all, err) < 0)
        return -1;
    for (size_t i = 0; all[i]; i++) {
        _cleanup_json_ json_t *cfg = NULL;
        struct berr *e2 = NULL;

        if (state_read(e->state, OBJ_CONTAINER, all[i], &cfg, NULL, &e2) < 0) {
            berr_free(e2);      /* a broken record is reported by ps, not here */
            continue;
        }
        if (config_names_network(cfg, net_name) && strv_push(&out, all[i]) < 0)
            return berr_oom(err);
    }
    *ids = STEAL_PTR(out);      /* sorted: state_list's order */
    return 0;
}
