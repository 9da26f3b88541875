/*
 * runtime/net/ipam.c: berth's own address allocation, as podman does for
 * netavark (the backend only gets static IPs). One file per network,
 * <static_dir>/networks/ipam/<net>.json = {"version": 1, "allocations":
 * {ctr id: [ip, ...]}} (one address per subnet), changed under an
 * exclusive lock on <net>.lock and written atomically.
 *
 * Why the static dir and not the tmp dir: an allocation lives as long as
 * the container (a stopped container keeps its address for its next
 * start, like podman's), but not across a reboot: refresh() calls
 * net_refresh() -> ipam_drop_all().
 *
 * Allocation takes the first free address of the lease range (default:
 * the subnet minus its network address, gateway and IPv4 broadcast).
 */
#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runtime/net/ipnet.h"
#include "runtime/net/netint.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"

static char *ipam_dir(const struct net_env *e)
{
    return str_fmt("%s/networks/ipam", e->static_dir);
}

/* Locks and loads one network's file; a missing file is an empty table. */
static int ipam_open(const struct net_env *e, const char *net, struct lock *l, json_t **db,
                     struct berr **err)
{
    _cleanup_free_ char *dir = ipam_dir(e);
    _cleanup_free_ char *lk = NULL, *file = NULL;

    if (!dir || !(lk = str_fmt("%s/%s.lock", dir, net)) ||
        !(file = str_fmt("%s/%s.json", dir, net)))
        return berr_oom(err);
    if (fs_mkdir_p(dir, 0700, err) < 0 || lock_path(lk, true, l, err) < 0)
        return -1;
    if (!fs_exists(file)) {
        *db = json_pack("{s:i, s:{}}", "version", 1, "allocations");
        return *db ? 0 : berr_oom(err);
    }
    if (js_read_file(file, db, err) < 0)
        return berr_wrap(err, "IPAM error");
    if (!json_is_object(json_object_get(*db, "allocations")) &&
        json_object_set_new(*db, "allocations", json_object()) < 0)
        return berr_oom(err);
    return 0;
}

static int ipam_save(const struct net_env *e, const char *net, json_t *db, struct berr **err)
{
    _cleanup_free_ char *dir = ipam_dir(e);
    _cleanup_free_ char *name = str_fmt("%s.json", net);

    if (!dir || !name)
        return berr_oom(err);
    return js_write_atomic(dir, name, db, 0600, err);
}

/* Which container holds ip (NULL if none). */
static const char *holder(json_t *allocs, const struct ipaddr *ip)
{
    const char *id;
    json_t *ips, *v;
    size_t i;

    json_object_foreach(allocs, id, ips)
        json_array_foreach(ips, i, v) {
            struct ipaddr x;
            if (ip_parse(json_string_value(v), &x) == 0 && ip_eq(&x, ip))
                return id;
        }
    return NULL;
}

static int lease_bounds(json_t *sub, const struct ipnet *n, struct ipaddr *start,
                        struct ipaddr *end)
{
    json_t *lr = json_object_get(sub, "lease_range");
    struct ipaddr last;

    ipnet_last(n, &last);
    *start = n->ip;
    ip_add(start, 1);
    *end = last;
    if (lr) {
        struct ipaddr a;
        if (ip_parse(js_str(lr, "start_ip", ""), &a) == 0 && ipnet_contains(n, &a))
            *start = a;
        if (ip_parse(js_str(lr, "end_ip", ""), &a) == 0 && ipnet_contains(n, &a))
            *end = a;
        if (ip_eq(start, &n->ip))
            ip_add(start, 1);
    }
    if (n->ip.family == AF_INET && ip_eq(end, &last))
        ip_add(end, -1);
    return 0;
}

static int pick_free(json_t *allocs, json_t *sub, const struct ipnet *n, struct ipaddr *out,
                     struct berr **err)
{
    struct ipaddr cur, end, gw;
    bool have_gw = ip_parse(js_str(sub, "gateway", ""), &gw) == 0;
    char a[IPADDR_STRLEN], b[IPADDR_STRLEN];

    lease_bounds(sub, n, &cur, &end);
    /* Bounded by the allocations: at most |allocs|+2 steps past start
     * before a free one shows up, so a /64 costs nothing. */
    for (size_t steps = 0; ip_cmp(&cur, &end) <= 0; steps++, ip_add(&cur, 1)) {
        if (have_gw && ip_eq(&cur, &gw))
            continue;
        if (!holder(allocs, &cur)) {
            *out = cur;
            return 0;
        }
        if (steps > (1u << 24))
            break;
    }
    lease_bounds(sub, n, &cur, &end);
    ip_fmt(&cur, a);
    ip_fmt(&end, b);
    return berr_msg(err, "IPAM error: failed to find free IP in range: %s - %s", a, b);
}

int ipam_alloc(const struct net_env *e, json_t *def, const char *ctr_id, const char *static_ip,
               const char *static_ip6, char ***ips_out, struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_json_ json_t *db = NULL;
    _cleanup_strv_ strv ips = NULL;
    const char *net = js_str(def, "name", "");
    const char *asked[2] = { static_ip, static_ip6 };
    json_t *allocs, *mine, *sub;
    struct ipaddr want[2];
    bool want_used[2] = { false, false };
    size_t i;

    for (int k = 0; k < 2; k++)
        if (asked[k] && ip_parse(asked[k], &want[k]) < 0)
            return berr_kind(err, BK_INVALID, "%s is not an IP address", asked[k]);
    if (ipam_open(e, net, &l, &db, err) < 0)
        return -1;
    allocs = json_object_get(db, "allocations");
    if ((mine = json_object_get(allocs, ctr_id)) && json_array_size(mine)) {
        if (!(ips = js_to_strv(mine)))
            return berr_oom(err);
        *ips_out = STEAL_PTR(ips);
        return 0;
    }
    if (!(ips = calloc(1, sizeof(char *))))
        return berr_oom(err);
    json_array_foreach(json_object_get(def, "subnets"), i, sub) {
        struct ipnet n;
        struct ipaddr ip;
        char buf[IPADDR_STRLEN];
        int k = 0;

        if (ipnet_parse(js_str(sub, "subnet", ""), &n, NULL) < 0)
            continue;
        while (k < 2 && !(asked[k] && !want_used[k] && ipnet_contains(&n, &want[k])))
            k++;
        if (k < 2) {
            const char *who = holder(allocs, &want[k]);
            if (who)
                return berr_kind(err, BK_EXISTS, "IPAM error: requested ip address %s is "
                                 "already allocated to container ID %s", asked[k], who);
            ip = want[k];
            want_used[k] = true;
        } else if (pick_free(allocs, sub, &n, &ip, err) < 0) {
            return -1;
        }
        ip_fmt(&ip, buf);
        if (strv_push(&ips, buf) < 0)
            return berr_oom(err);
    }
    for (int k = 0; k < 2; k++)
        if (asked[k] && !want_used[k])
            return berr_kind(err, BK_INVALID, "requested static ip %s not in any subnet on "
                             "network %s", asked[k], net);
    if (json_object_set_new(allocs, ctr_id, js_strv(ips)) < 0)
        return berr_oom(err);
    if (ipam_save(e, net, db, err) < 0)
        return -1;
    *ips_out = STEAL_PTR(ips);
    return 0;
}

int ipam_release(const struct net_env *e, const char *net, const char *ctr_id,
                 struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_json_ json_t *db = NULL;
    _cleanup_free_ char *file = NULL, *dir = ipam_dir(e);

    if (!dir || !(file = str_fmt("%s/%s.json", dir, net)))
        return berr_oom(err);
    if (!fs_exists(file))
        return 0;
    if (ipam_open(e, net, &l, &db, err) < 0)
        return -1;
    if (json_object_del(json_object_get(db, "allocations"), ctr_id) < 0)
        return 0;       /* not there: nothing to do */
    return ipam_save(e, net, db, err);
}

int ipam_get(const struct net_env *e, const char *net, const char *ctr_id, char ***ips,
             struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_json_ json_t *db = NULL;
    json_t *v;

    if (ipam_open(e, net, &l, &db, err) < 0)
        return -1;
    v = json_object_get(json_object_get(db, "allocations"), ctr_id);
    *ips = v ? js_to_strv(v) : calloc(1, sizeof(char *));
    return *ips ? 0 : berr_oom(err);
}

/* Calls fn for every network that has an allocation file. */
static int each_net(const struct net_env *e, int (*fn)(const struct net_env *, const char *,
                                                       const char *, struct berr **),
                    const char *arg, struct berr **err)
{
    _cleanup_free_ char *dir = ipam_dir(e);
    _cleanup_closedir_ DIR *d = NULL;
    struct dirent *de;

    if (!dir)
        return berr_oom(err);
    if (!(d = opendir(dir)))
        return errno == ENOENT ? 0 : berr_sys(err, "open %s", dir);
    while ((de = readdir(d))) {
        _cleanup_free_ char *net = NULL;

        if (de->d_name[0] == '.' || !str_has_suffix(de->d_name, ".json"))
            continue;
        if (!(net = str_ndup(de->d_name, strlen(de->d_name) - 5)))
            return berr_oom(err);
        if (fn(e, net, arg, err) < 0)
            return -1;
    }
    return 0;
}

int ipam_release_all(const struct net_env *e, const char *ctr_id, struct berr **err)
{
    return each_net(e, ipam_release, ctr_id, err);
}

int ipam_forget_network(const struct net_env *e, const char *net, struct berr **err)
{
    _cleanup_free_ char *dir = ipam_dir(e);
    _cleanup_free_ char *f = NULL;

    /* The .lock file stays: unlinking it under a waiter would give two
     * processes two different locks. */
    if (!dir || !(f = str_fmt("%s/%s.json", dir, net)))
        return berr_oom(err);
    if (unlink(f) < 0 && errno != ENOENT)
        return berr_sys(err, "remove IPAM state of network %s", net);
    return 0;
}

static int forget_one(const struct net_env *e, const char *net, const char *unused,
                      struct berr **err)
{
    (void) unused;
    return ipam_forget_network(e, net, err);
}

int ipam_drop_all(const struct net_env *e, struct berr **err)
{
    return each_net(e, forget_one, NULL, err);
}
