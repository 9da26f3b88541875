/*
 * test/unit/test_netconf.c: address arithmetic, free-subnet selection,
 * network definitions (create/list/lookup/remove round trip, podman's
 * errors) and IPAM (allocate, release, static, exhaustion, refresh),
 * all in a temporary directory.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/net/ipnet.h"
#include "runtime/net/net.h"
#include "runtime/net/netint.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/str.h"
#include "state/state.h"
#include "unit.h"

static char tmpl[] = "/tmp/berth-netconf-XXXXXX";
static char cfgdir[256], stdir[256], tdir[256];
static struct net_env env;

static void t_ipnet(void)
{
    struct ipnet n, m;
    struct ipaddr a, host;
    char buf[IPNET_STRLEN];

    CHECK_INT(ipnet_parse("10.89.3.7/24", &n, &host), 0);
    ipnet_fmt(&n, buf);
    CHECK_STR(buf, "10.89.3.0/24");
    ip_fmt(&host, buf);
    CHECK_STR(buf, "10.89.3.7");
    CHECK_INT(ipnet_parse("10.89.3.7", &n, NULL), -1);
    CHECK_INT(ipnet_parse("10.89.3.0/33", &n, NULL), -1);
    CHECK_INT(ipnet_parse("foo/24", &n, NULL), -1);
    CHECK_INT(ipnet_parse("fd00:1::5/64", &n, NULL), 0);
    ipnet_fmt(&n, buf);
    CHECK_STR(buf, "fd00:1::/64");
    CHECK_INT(ip_parse("10.0.0.255", &a), 0);
    ip_add(&a, 1);
    ip_fmt(&a, buf);
    CHECK_STR(buf, "10.0.1.0");
    ip_add(&a, -2);
    ip_fmt(&a, buf);
    CHECK_STR(buf, "10.0.0.254");
    ipnet_parse("10.87.0.0/16", &n, NULL);
    ipnet_parse("10.87.5.0/24", &m, NULL);
    CHECK(ipnet_overlaps(&n, &m) && ipnet_overlaps(&m, &n));
    ipnet_parse("10.88.0.0/16", &m, NULL);
    CHECK(!ipnet_overlaps(&n, &m));
    ipnet_last(&n, &a);
    ip_fmt(&a, buf);
    CHECK_STR(buf, "10.87.255.255");
}

static void t_pick_subnet(void)
{
    struct ipnet used[3], out;
    struct berr *err = NULL;
    char buf[IPNET_STRLEN];

    CHECK_INT(net_pick_subnet(NULL, 0, &out, &err), 0);
    ipnet_fmt(&out, buf);
    CHECK_STR(buf, "10.89.0.0/24");
    ipnet_parse("10.89.0.0/24", &used[0], NULL);
    ipnet_parse("10.89.1.0/25", &used[1], NULL);    /* a host route inside .1 */
    ipnet_parse("10.89.3.0/24", &used[2], NULL);
    CHECK_INT(net_pick_subnet(used, 3, &out, &err), 0);
    ipnet_fmt(&out, buf);
    CHECK_STR(buf, "10.89.2.0/24");
    ipnet_parse("10.89.0.0/16", &used[0], NULL);
    CHECK_INT(net_pick_subnet(used, 1, &out, &err), 0);
    ipnet_fmt(&out, buf);
    CHECK_STR(buf, "10.90.0.0/24");
    ipnet_parse("10.0.0.0/8", &used[0], NULL);
    CHECK_INT(net_pick_subnet(used, 1, &out, &err), -1);
    berr_free(err);
}

static void t_definitions(void)
{
    struct berr *err = NULL;
    json_t *def = NULL, *all = NULL, *back = NULL;
    char *sub1[] = { "10.99.0.0/24", NULL }, *gw1[] = { "10.99.0.254", NULL };
    char *rg1[] = { "10.99.0.128/26", NULL }, *labels[] = { "a=b", "c", NULL };
    struct net_create_opts o = { .name = "one", .subnets = sub1, .gateways = gw1,
                                 .ip_ranges = rg1, .labels = labels };
    char path[300];

    /* The default network is there before anything is written. */
    CHECK_INT(net_list(&env, &all, &err), 0);
    CHECK_INT(json_array_size(all), 1);
    CHECK_STR(js_str(json_array_get(all, 0), "name", NULL), "berth");
    CHECK_STR(js_str(json_array_get(all, 0), "network_interface", NULL), "berth0");
    CHECK(!js_bool(json_array_get(all, 0), "dns_enabled", true));
    json_decref(all);
    snprintf(path, sizeof(path), "%s/berth.json", cfgdir);
    CHECK(!fs_exists(path));
    CHECK_INT(net_default_ensure(&env, &err), 0);
    CHECK(fs_exists(path));

    CHECK_INT(net_create(&env, &o, &def, &err), 0);
    if (err)
        printf("# %s\n", err->msg);
    CHECK_STR(js_str(def, "network_interface", NULL), "berth1");
    CHECK_INT(strlen(js_str(def, "id", "")), 64);
    CHECK(js_bool(def, "dns_enabled", false));
    {
        json_t *s = json_array_get(json_object_get(def, "subnets"), 0);
        CHECK_STR(js_str(s, "subnet", NULL), "10.99.0.0/24");
        CHECK_STR(js_str(s, "gateway", NULL), "10.99.0.254");
        CHECK_STR(js_str(json_object_get(s, "lease_range"), "start_ip", NULL), "10.99.0.129");  /* podman: one after the range's own address */
        CHECK_STR(js_str(json_object_get(s, "lease_range"), "end_ip", NULL), "10.99.0.191");
        CHECK_STR(js_str(json_object_get(def, "labels"), "c", NULL), "");
    }
    /* Round trip: the file reads back equal. */
    CHECK_INT(net_lookup(&env, "one", &back, &err), 0);
    CHECK(json_equal(def, back));
    json_decref(back);
    CHECK_INT(net_lookup(&env, js_str(def, "id", ""), &back, &err), 0);
    json_decref(back);
    {
        char prefix[13];
        snprintf(prefix, sizeof(prefix), "%s", js_str(def, "id", ""));
        CHECK_INT(net_lookup(&env, prefix, &back, &err), 0);
        json_decref(back);
    }
    CHECK_INT(net_lookup(&env, "nope", &back, &err), -1);
    CHECK_STR(err->msg, "unable to find network with name or ID nope: network not found");
    CHECK(err->kind == BK_NO_SUCH);
    berr_free(err);
    err = NULL;

    /* Errors as podman words them. */
    CHECK_INT(net_create(&env, &o, &back, &err), -1);
    CHECK_STR(err->msg, "network name one already used: network already exists");
    berr_free(err);
    err = NULL;
    {
        char *s2[] = { "10.99.0.0/16", NULL };
        struct net_create_opts o2 = { .name = "two", .subnets = s2 };
        CHECK_INT(net_create(&env, &o2, &back, &err), -1);
        CHECK_STR(err->msg, "subnet 10.99.0.0/16 is already used on the host or by another config");
        berr_free(err);
        err = NULL;
    }
    {
        struct net_create_opts o3 = { .name = "bad name" };
        CHECK_INT(net_create(&env, &o3, &back, &err), -1);
        CHECK_STR(err->msg, "network name bad name invalid: names must match "
                            "[a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
        berr_free(err);
        err = NULL;
    }
    {
        char *s4[] = { "foo", NULL };
        struct net_create_opts o4 = { .name = "four", .subnets = s4 };
        CHECK_INT(net_create(&env, &o4, &back, &err), -1);
        CHECK_STR(err->msg, "invalid CIDR address: foo");
        berr_free(err);
        err = NULL;
    }
    {
        struct net_create_opts o5 = { .name = "five", .gateways = gw1 };
        CHECK_INT(net_create(&env, &o5, &back, &err), -1);
        CHECK_STR(err->msg, "cannot set gateway or range without subnet");
        berr_free(err);
        err = NULL;
    }
    {
        struct net_create_opts o6 = { .name = "six", .driver = "macvlanx" };
        CHECK_INT(net_create(&env, &o6, &back, &err), -1);
        CHECK_STR(err->msg, "unsupported driver macvlanx: invalid argument");
        berr_free(err);
        err = NULL;
    }
    /* Automatic subnet: the first free 10.89.N.0/24, next bridge name. */
    {
        struct net_create_opts o7 = { .name = "auto" };
        CHECK_INT(net_create(&env, &o7, &back, &err), 0);
        CHECK_STR(js_str(back, "network_interface", NULL), "berth2");
        CHECK(str_has_prefix(js_str(json_array_get(json_object_get(back, "subnets"), 0),
                                    "subnet", ""), "10.89."));
        json_decref(back);
    }
    CHECK_INT(net_remove(&env, "auto", &err), 0);
    CHECK_INT(net_remove(&env, "berth", &err), -1);
    CHECK_STR(err->msg, "default network berth cannot be removed");
    berr_free(err);
    err = NULL;
    CHECK_INT(net_list(&env, &all, &err), 0);
    CHECK_INT(json_array_size(all), 2);
    json_decref(all);
    json_decref(def);
}

static void t_ipam(void)
{
    struct berr *err = NULL;
    json_t *def = NULL;
    char **ips = NULL;
    char *sub[] = { "10.77.0.0/29", NULL };     /* .1 gateway, .2-.6 usable */
    struct net_create_opts o = { .name = "small", .subnets = sub };
    char id[16];

    CHECK_INT(net_create(&env, &o, &def, &err), 0);
    CHECK_INT(ipam_alloc(&env, def, "c1", NULL, NULL, &ips, &err), 0);
    CHECK_STR(ips[0], "10.77.0.2");
    strv_free(ips);
    /* Idempotent. */
    CHECK_INT(ipam_alloc(&env, def, "c1", NULL, NULL, &ips, &err), 0);
    CHECK_STR(ips[0], "10.77.0.2");
    strv_free(ips);
    /* Static: taken, out of subnet, free. */
    CHECK_INT(ipam_alloc(&env, def, "c2", "10.77.0.2", NULL, &ips, &err), -1);
    CHECK_STR(err->msg, "IPAM error: requested ip address 10.77.0.2 is already allocated to "
                        "container ID c1");
    berr_free(err);
    err = NULL;
    CHECK_INT(ipam_alloc(&env, def, "c2", "10.1.1.1", NULL, &ips, &err), -1);
    berr_free(err);
    err = NULL;
    CHECK_INT(ipam_alloc(&env, def, "c2", "10.77.0.5", NULL, &ips, &err), 0);
    CHECK_STR(ips[0], "10.77.0.5");
    strv_free(ips);
    /* Fill up: .3 .4 .6, then exhaustion. */
    for (int i = 3; i <= 5; i++) {
        snprintf(id, sizeof(id), "c%d", i);
        CHECK_INT(ipam_alloc(&env, def, id, NULL, NULL, &ips, &err), 0);
        strv_free(ips);
    }
    CHECK_INT(ipam_alloc(&env, def, "c9", NULL, NULL, &ips, &err), -1);
    CHECK_STR(err->msg, "IPAM error: failed to find free IP in range: 10.77.0.1 - 10.77.0.6");
    berr_free(err);
    err = NULL;
    /* Release frees the address for the next one. */
    CHECK_INT(ipam_release(&env, "small", "c1", &err), 0);
    CHECK_INT(ipam_release(&env, "small", "c1", &err), 0);     /* twice: fine */
    CHECK_INT(ipam_alloc(&env, def, "c9", NULL, NULL, &ips, &err), 0);
    CHECK_STR(ips[0], "10.77.0.2");
    strv_free(ips);
    CHECK_INT(ipam_release_all(&env, "c9", &err), 0);
    CHECK_INT(ipam_get(&env, "small", "c9", &ips, &err), 0);
    CHECK_INT(strv_len(ips), 0);
    strv_free(ips);
    /* Refresh drops everything. */
    CHECK_INT(net_refresh(&env, &err), 0);
    CHECK_INT(ipam_get(&env, "small", "c2", &ips, &err), 0);
    CHECK_INT(strv_len(ips), 0);
    strv_free(ips);
    json_decref(def);
}

static void t_users(void)
{
    static const char a[] = "aaaa0000000000000000000000000000000000000000000000000000000000aa";
    static const char b[] = "bbbb0000000000000000000000000000000000000000000000000000000000bb";
    struct berr *err = NULL;
    struct state *st = NULL;
    char **ids = NULL;
    json_t *ca = json_pack("{s:{s:{}}}", "networks", "one");
    json_t *cb = json_pack("{s:[s]}", "networks", "two");

    CHECK_INT(state_open(stdir, &st, &err), 0);
    CHECK_INT(state_create(st, OBJ_CONTAINER, b, cb, NULL, &err), 0);
    CHECK_INT(state_create(st, OBJ_CONTAINER, a, ca, NULL, &err), 0);
    env.state = st;
    CHECK_INT(net_users(&env, "one", &ids, &err), 0);
    CHECK(strv_len(ids) == 1 && !strcmp(ids[0], a));
    strv_free(ids);
    CHECK_INT(net_users(&env, "two", &ids, &err), 0);
    CHECK(strv_len(ids) == 1 && !strcmp(ids[0], b));
    strv_free(ids);
    CHECK_INT(net_users(&env, "three", &ids, &err), 0);
    CHECK_INT(strv_len(ids), 0);
    strv_free(ids);
    /* both, sorted by id */
    json_object_set_new(cb, "networks", json_pack("{s:{}, s:{}}", "two", "one"));
    CHECK_INT(state_update_config(st, OBJ_CONTAINER, b, cb, &err), 0);
    CHECK_INT(net_users(&env, "one", &ids, &err), 0);
    CHECK(strv_len(ids) == 2 && !strcmp(ids[0], a) && !strcmp(ids[1], b));
    strv_free(ids);
    env.state = NULL;
    state_close(st);
    json_decref(ca);
    json_decref(cb);
}

int main(void)
{
    struct berr *err = NULL;

    if (!mkdtemp(tmpl))
        return 1;
    snprintf(cfgdir, sizeof(cfgdir), "%s/net", tmpl);
    snprintf(stdir, sizeof(stdir), "%s/static", tmpl);
    snprintf(tdir, sizeof(tdir), "%s/tmp", tmpl);
    env = (struct net_env) { .config_dir = cfgdir, .static_dir = stdir, .tmp_dir = tdir,
                             .backend = "netavark", .default_network = "berth",
                             .default_subnet = "10.87.0.0/16" };
    UNIT_RUN(t_ipnet);
    UNIT_RUN(t_pick_subnet);
    UNIT_RUN(t_definitions);
    UNIT_RUN(t_ipam);
    UNIT_RUN(t_users);
    fs_rm_rf(tmpl, &err);
    berr_free(err);
    return unit_done();
}
