/*
 * runtime/pod_view.c: podman's `pod inspect` object (pod.h), keys in
 * podman 4.3.1's order, built from the pod's config and its members as a
 * reader without their locks sees them.
 */
#include <string.h>
#include <time.h>

#include "runtime/container.h"
#include "runtime/pod.h"
#include "runtime/spec.h"
#include "util/cleanup.h"
#include "util/js.h"
#include "util/str.h"
#include "util/timefmt.h"

static json_t *rfc3339(long long ns)
{
    struct timespec ts = { (time_t) (ns / 1000000000LL), (long) (ns % 1000000000LL) };
    char buf[TIME_BUF];

    time_rfc3339nano(ts, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *list_or_null(json_t *v)
{
    return json_array_size(v) ? json_incref(v) : json_null();
}

/* The pod's limits as podman's pod inspect shows them (its OCI form's
 * values: --cpus as period and quota, swap twice the memory unless
 * given), in its order; omitted when not set. */
static int put_limits(json_t *o, json_t *oci, bool infra)
{
    static const struct { const char *key, *sub, *field; bool infra; } keys[] = {
        { "cpu_period", "cpu", "period", true },
        { "cpu_quota", "cpu", "quota", true },
        { "cpu_shares", "cpu", "shares", false },
        { "cpuset_cpus", "cpu", "cpus", true },
        { "cpuset_mems", "cpu", "mems", false },
        { "memory_limit", "memory", "limit", false },
        { "memory_swap", "memory", "swap", false },
        { "blkio_weight", "blockIO", "weight", false },
    };
    int bad = 0;

    for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
        json_t *v = json_object_get(json_object_get(oci, keys[i].sub), keys[i].field);
        if (v && (!infra || keys[i].infra))
            bad |= json_object_set(o, keys[i].key, v);
    }
    return bad ? -1 : 0;
}

static json_t *infra_config(const struct pod_config *c, json_t *oci)
{
    json_t *ic = c->infra_config, *dns = json_object_get(ic, "DNS");
    json_t *o = json_object();

    if (!o)
        return NULL;
#define GET(k, dflt) (json_object_get(ic, k) ? json_incref(json_object_get(ic, k)) : (dflt))
    json_object_set_new(o, "PortBindings", GET("PortBindings", json_object()));
    json_object_set_new(o, "HostNetwork", GET("HostNetwork", json_false()));
    json_object_set_new(o, "StaticIP", json_string(""));
    json_object_set_new(o, "StaticMAC", json_string(""));
    json_object_set_new(o, "NoManageResolvConf", json_false());
    /* podman's nil slices: null when empty */
    json_object_set_new(o, "DNSServer", list_or_null(json_object_get(dns, "servers")));
    json_object_set_new(o, "DNSSearch", list_or_null(json_object_get(dns, "search")));
    json_object_set_new(o, "DNSOption", list_or_null(json_object_get(dns, "options")));
    json_object_set_new(o, "NoManageHosts", GET("NoManageHosts", json_false()));
    json_object_set_new(o, "HostAdd", GET("HostAdd", json_null()));
    json_object_set_new(o, "Networks", list_or_null(json_object_get(ic, "Networks")));
    json_object_set_new(o, "NetworkOptions", GET("NetworkOptions", json_null()));
    if (put_limits(o, oci, true) < 0) {
        json_decref(o);
        return NULL;
    }
    json_object_set_new(o, "pid_ns", json_string("private"));
    json_object_set_new(o, "userns", json_string("host"));
    json_object_set_new(o, "uts_ns", json_string("private"));
#undef GET
    return o;
}

int pod_inspect_json(struct runtime *rt, struct pod *p, json_t **out, struct berr **err)
{
    const struct pod_config *c = &p->cfg;
    _cleanup_json_ json_t *o = json_object(), *ctrs = json_array(), *oci = json_object();
    _cleanup_free_ char *cgpath = NULL;
    const char *parent = c->cgroup_parent ? c->cgroup_parent : SPEC_CGROUPFS_PARENT;
    struct pod_member *m = NULL;
    size_t n = 0;
    int bad = 0;

    if (!o || !ctrs || !oci)
        return berr_oom(err);
    if (c->resources && spec_resources_oci(c->resources, true, oci, err) < 0)
        return -1;
    /* the pod's own cgroup where it has one (pod_cgroup.c) */
    cgpath = *js_str(c->rec, "cgroupPath", "") ? str_dup(js_str(c->rec, "cgroupPath", ""))
                                                : str_fmt("%s/%s", parent, p->id);
    if (!cgpath)
        return berr_oom(err);
    if (pod_members(rt, p->id, &m, &n, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        bad |= json_array_append_new(ctrs, json_pack("{s:s, s:s, s:s}", "Id", m[i].id, "Name",
                                     m[i].name, "State", ctr_state_shown(m[i].state)));
#define PUT(k, v) (bad |= json_object_set_new(o, k, v))
    PUT("Id", json_string(p->id));
    PUT("Name", json_string(c->name));
    if (*c->ns)
        PUT("Namespace", json_string(c->ns));
    PUT("Created", rfc3339(c->created_ns));
    PUT("CreateCommand", c->create_command ? json_incref(c->create_command) : json_array());
    PUT("ExitPolicy", json_string(c->exit_policy));
    PUT("State", json_string(pod_status(m, n)));
    PUT("Hostname", json_string(c->hostname ? c->hostname : ""));
    if (json_object_size(c->labels))
        PUT("Labels", json_incref(c->labels));
    PUT("CreateCgroup", json_true());
    PUT("CgroupParent", json_string(parent));
    PUT("CgroupPath", json_string(cgpath));
    PUT("CreateInfra", json_boolean(c->create_infra));
    if (c->infra_id) {
        PUT("InfraContainerID", json_string(c->infra_id));
        PUT("InfraConfig", infra_config(c, oci));
    }
    /* podman's omitempty: no list at all when empty */
    if (json_array_size(c->share))
        PUT("SharedNamespaces", json_incref(c->share));
    PUT("NumContainers", json_integer((json_int_t) n));
    if (json_array_size(ctrs))
        PUT("Containers", json_incref(ctrs));
    bad |= put_limits(o, oci, false);
#undef PUT
    pod_members_free(m, n);
    if (bad)
        return berr_oom(err);
    *out = STEAL_PTR(o);
    return 0;
}
