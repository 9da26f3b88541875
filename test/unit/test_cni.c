/*
 * test/unit/test_cni.c: the CNI backend's pure conversions (cniconf.c):
 * definition + container record -> conflist, CNI result -> netavark's
 * result shape, the DEL prevResult, bad inputs.
 */
#include <jansson.h>
#include <stdlib.h>

#include "runtime/net/netint.h"
#include "unit.h"
#include "util/cleanup.h"

static json_t *parse(const char *s)
{
    json_error_t je;
    json_t *j = json_loads(s, 0, &je);

    if (!j)
        printf("# bad test JSON: %s: %s\n", je.text, s);
    return j;
}

/* Compares j with the JSON text want (key order ignored). */
static int same(json_t *j, const char *want)
{
    _cleanup_json_ json_t *w = parse(want);
    int eq = j && w && json_equal(j, w);

    if (!eq) {
        _cleanup_free_ char *got = j ? json_dumps(j, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
        printf("#   got:  %s\n#   want: %s\n", got ? got : "(null)", want);
    }
    return eq;
}

static const char *const DEF =
    "{\"name\": \"app\", \"network_interface\": \"berth1\", \"driver\": \"bridge\","
    " \"subnets\": [{\"subnet\": \"10.89.0.0/24\", \"gateway\": \"10.89.0.1\"},"
    "               {\"subnet\": \"fd00:1::/64\", \"gateway\": \"fd00:1::1\"}],"
    " \"internal\": false, \"dns_enabled\": true, \"options\": {\"mtu\": \"1400\"}}";

static void t_conflist_full(void)
{
    _cleanup_json_ json_t *def = parse(DEF);
    _cleanup_json_ json_t *per = parse("{\"static_ips\": [\"10.89.0.5\", \"fd00:1::5\"],"
                                       " \"interface_name\": \"eth0\","
                                       " \"static_mac\": \"02:00:00:00:00:05\"}");
    _cleanup_json_ json_t *ports = parse(
        "[{\"host_ip\": \"\", \"host_port\": 8080, \"container_port\": 80, \"range\": 2,"
        "  \"protocol\": \"tcp\"},"
        " {\"host_ip\": \"127.0.0.1\", \"host_port\": 53, \"container_port\": 53,"
        "  \"range\": 1, \"protocol\": \"udp\"}]");
    _cleanup_json_ json_t *list = NULL;
    struct berr *err = NULL;

    CHECK(cni_conflist("app", def, per, ports, &list, &err) == 0);
    CHECK(same(list,
        "{\"cniVersion\": \"1.0.0\", \"name\": \"app\", \"plugins\": ["
        " {\"type\": \"bridge\", \"bridge\": \"berth1\", \"isGateway\": true, \"ipMasq\": true,"
        "  \"hairpinMode\": true, \"mtu\": 1400, \"ipam\": {\"type\": \"static\","
        "   \"addresses\": [{\"address\": \"10.89.0.5/24\", \"gateway\": \"10.89.0.1\"},"
        "                   {\"address\": \"fd00:1::5/64\", \"gateway\": \"fd00:1::1\"}],"
        "   \"routes\": [{\"dst\": \"0.0.0.0/0\"}, {\"dst\": \"::/0\"}]}},"
        " {\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true},"
        "  \"runtimeConfig\": {\"portMappings\": ["
        "   {\"hostPort\": 8080, \"containerPort\": 80, \"protocol\": \"tcp\"},"
        "   {\"hostPort\": 8081, \"containerPort\": 81, \"protocol\": \"tcp\"},"
        "   {\"hostPort\": 53, \"containerPort\": 53, \"protocol\": \"udp\","
        "    \"hostIP\": \"127.0.0.1\"}]}},"
        " {\"type\": \"firewall\", \"backend\": \"iptables\"},"
        " {\"type\": \"tuning\", \"capabilities\": {\"mac\": true},"
        "  \"runtimeConfig\": {\"mac\": \"02:00:00:00:00:05\"}}]}"));
    berr_free(err);
}

static void t_conflist_internal(void)
{
    _cleanup_json_ json_t *def = parse(
        "{\"name\": \"closed\", \"network_interface\": \"berth2\", \"internal\": true,"
        " \"subnets\": [{\"subnet\": \"10.89.1.0/24\", \"gateway\": \"10.89.1.1\"}]}");
    _cleanup_json_ json_t *per = parse("{\"static_ips\": [\"10.89.1.2\"]}");
    _cleanup_json_ json_t *ports = parse("[{\"host_port\": 80, \"container_port\": 80}]");
    _cleanup_json_ json_t *list = NULL;
    struct berr *err = NULL;

    CHECK(cni_conflist("closed", def, per, ports, &list, &err) == 0);
    /* No masquerade, no gateway on the bridge, no route out, no portmap. */
    CHECK(same(list,
        "{\"cniVersion\": \"1.0.0\", \"name\": \"closed\", \"plugins\": ["
        " {\"type\": \"bridge\", \"bridge\": \"berth2\", \"isGateway\": false,"
        "  \"ipMasq\": false, \"hairpinMode\": true, \"ipam\": {\"type\": \"static\","
        "   \"addresses\": [{\"address\": \"10.89.1.2/24\", \"gateway\": \"10.89.1.1\"}],"
        "   \"routes\": []}},"
        " {\"type\": \"firewall\", \"backend\": \"iptables\"}]}"));
    berr_free(err);
}

static void t_conflist_bad(void)
{
    static const char *const pers[] = {
        "{\"static_ips\": [\"10.1.0.5\"]}",     /* in no subnet of the network */
        "{\"static_ips\": [\"bogus\"]}",
        "{\"static_ips\": []}",                  /* no address at all */
        "{}",
    };
    _cleanup_json_ json_t *def = parse(DEF);

    for (size_t i = 0; i < sizeof(pers) / sizeof(pers[0]); i++) {
        _cleanup_json_ json_t *per = parse(pers[i]), *list = NULL;
        struct berr *err = NULL;

        CHECK(cni_conflist("app", def, per, NULL, &list, &err) < 0);
        CHECK(list == NULL);
        CHECK(err && !strncmp(err->msg, "cni: ", 5));
        berr_free(err);
    }
}

static void t_plugin_conf(void)
{
    _cleanup_json_ json_t *list = parse(
        "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"plugins\": [{\"type\": \"firewall\"}]}");
    _cleanup_json_ json_t *prev = parse("{\"cniVersion\": \"1.0.0\", \"ips\": []}");
    _cleanup_json_ json_t *c1 = cni_plugin_conf(list, json_array_get(
                                    json_object_get(list, "plugins"), 0), NULL);
    _cleanup_json_ json_t *c2 = cni_plugin_conf(list, json_array_get(
                                    json_object_get(list, "plugins"), 0), prev);

    CHECK(same(c1, "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": \"firewall\"}"));
    CHECK(same(c2, "{\"cniVersion\": \"1.0.0\", \"name\": \"n\", \"type\": \"firewall\","
                   " \"prevResult\": {\"cniVersion\": \"1.0.0\", \"ips\": []}}"));
    /* The list's plugin object is not modified. */
    CHECK(json_object_get(json_array_get(json_object_get(list, "plugins"), 0),
                          "prevResult") == NULL);
}

static void t_prev_result(void)
{
    _cleanup_json_ json_t *def = parse(DEF);
    _cleanup_json_ json_t *per = parse("{\"static_ips\": [\"10.89.0.7\"],"
                                       " \"interface_name\": \"eth1\"}");
    _cleanup_json_ json_t *r = NULL;
    struct berr *err = NULL;

    CHECK(cni_prev_result(def, per, "/run/x/netns-1", &r, &err) == 0);
    CHECK(same(r, "{\"cniVersion\": \"1.0.0\","
                  " \"interfaces\": [{\"name\": \"eth1\", \"sandbox\": \"/run/x/netns-1\"}],"
                  " \"ips\": [{\"address\": \"10.89.0.7/24\", \"gateway\": \"10.89.0.1\","
                  "           \"interface\": 0}]}"));
    berr_free(err);
}

static void t_result_convert(void)
{
    /* What bridge + tuning print (cniVersion 1.0.0). */
    _cleanup_json_ json_t *res = parse(
        "{\"cniVersion\": \"1.0.0\", \"interfaces\": ["
        "  {\"name\": \"berth1\", \"mac\": \"aa:aa:aa:aa:aa:01\"},"
        "  {\"name\": \"veth1234\", \"mac\": \"aa:aa:aa:aa:aa:02\"},"
        "  {\"name\": \"eth0\", \"mac\": \"02:00:00:00:00:05\", \"sandbox\": \"/ns\"}],"
        " \"ips\": [{\"interface\": 2, \"address\": \"10.89.0.5/24\", \"gateway\": \"10.89.0.1\"},"
        "           {\"interface\": 2, \"address\": \"fd00:1::5/64\", \"gateway\": \"fd00:1::1\"}],"
        " \"routes\": [{\"dst\": \"0.0.0.0/0\"}], \"dns\": {}}");
    _cleanup_json_ json_t *out = NULL;
    struct berr *err = NULL;

    CHECK(cni_result_convert(res, "eth0", &out, &err) == 0);
    CHECK(same(out, "{\"interfaces\": {\"eth0\": {\"mac_address\": \"02:00:00:00:00:05\","
                    "  \"subnets\": [{\"ipnet\": \"10.89.0.5/24\", \"gateway\": \"10.89.0.1\"},"
                    "               {\"ipnet\": \"fd00:1::5/64\", \"gateway\": \"fd00:1::1\"}]}},"
                    " \"dns_server_ips\": [], \"dns_search_domains\": []}"));
    berr_free(err);
}

static void t_result_convert_bad(void)
{
    static const char *const results[] = {
        "{\"cniVersion\": \"1.0.0\", \"interfaces\": [], \"ips\": []}",
        /* the address belongs to another interface */
        "{\"interfaces\": [{\"name\": \"eth1\", \"sandbox\": \"/ns\"}],"
        " \"ips\": [{\"interface\": 0, \"address\": \"10.0.0.2/24\"}]}",
        "[]",
    };

    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
        _cleanup_json_ json_t *res = parse(results[i]), *out = NULL;
        struct berr *err = NULL;

        CHECK(cni_result_convert(res, "eth0", &out, &err) < 0);
        CHECK(out == NULL);
        CHECK(err && !strncmp(err->msg, "cni: ", 5));
        berr_free(err);
    }
}

int main(void)
{
    UNIT_RUN(t_conflist_full);
    UNIT_RUN(t_conflist_internal);
    UNIT_RUN(t_conflist_bad);
    UNIT_RUN(t_plugin_conf);
    UNIT_RUN(t_prev_result);
    UNIT_RUN(t_result_convert);
    UNIT_RUN(t_result_convert_bad);
    return unit_done();
}
