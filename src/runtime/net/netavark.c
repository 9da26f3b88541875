/*
 * runtime/net/netavark.c: the netavark backend. Protocol (netavark 1.4,
 * as podman 4.3.1 drives it, observed with strace):
 *
 *   netavark --config <tmp_dir>/networks --rootless=false
 *            --aardvark-binary=<aardvark-dns> setup|teardown <netns path>
 *
 * stdin: {"container_id", "container_name", "port_mappings": [{host_ip,
 * container_port, host_port, range, protocol}], "networks": {name:
 * {static_ips, aliases, interface_name, static_mac?}}, "network_info":
 * {name: <network definition>}}, the same document for teardown.
 * stdout on success (setup): {name: {"dns_search_domains": [..],
 * "dns_server_ips": [..], "interfaces": {"eth0": {"mac_address": "..",
 * "subnets": [{"gateway": "..", "ipnet": "10.89.0.2/24"}]}}}}.
 * On failure: exit 1 and {"error": "..."} on stdout; we report it as
 * "netavark: <error>" like podman.
 *
 * --config is where netavark keeps aardvark-dns's per-network files and
 * pid; podman uses /run/containers/networks whatever its tmp dir, we use
 * <tmp_dir>/networks so separate berth roots never share one aardvark.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/lock.h"
#include "runtime/net/netint.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/proc.h"
#include "util/str.h"

static char *const net_envp[] = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", NULL
};

char *net_find_helper(const struct net_env *e, const char *name)
{
    static const char *const dflt[] = {
        "/usr/local/libexec/podman", "/usr/local/lib/podman", "/usr/libexec/podman",
        "/usr/lib/podman", NULL,
    };

    for (size_t i = 0; e->helper_dirs && e->helper_dirs[i]; i++) {
        char *p = fs_join(e->helper_dirs[i], name);
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    for (size_t i = 0; dflt[i]; i++) {
        char *p = fs_join(dflt[i], name);
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    return fs_which(name);
}

/* The message of netavark's {"error": ...}, else its stderr, else the
 * exit status. */
static int backend_error(const char *out, const char *errout, int status, struct berr **err)
{
    json_error_t je;
    _cleanup_json_ json_t *j = out ? json_loads(out, 0, &je) : NULL;
    const char *msg = json_is_object(j) ? json_string_value(json_object_get(j, "error")) : NULL;
    _cleanup_free_ char *e2 = str_dup(errout ? errout : "");

    if (msg)
        return berr_msg(err, "netavark: %s", msg);
    if (e2 && *str_trim(e2))
        return berr_msg(err, "netavark: %s", str_trim(e2));
    return berr_msg(err, "netavark: exit status %d", status);
}

/* netavark is not safe against itself: two setups at once append the
 * network's firewall rules twice, and a teardown then removes one copy.
 * podman serialises its calls with a lock; so do we. A berth killed
 * during a call releases the lock but leaves its netavark running, so we
 * also wait, up to a limit, for any netavark still working on our config
 * dir. */
static int serialize(const char *conf, struct lock *l, struct berr **err)
{
    _cleanup_free_ char *path = fs_join(conf, "netavark.lock");

    if (!path)
        return berr_oom(err);
    if (lock_path(path, true, l, err) < 0)
        return -1;
    for (int tries = 0; tries < 300 && proc_running_with_arg("netavark", conf); tries++)
        poll(NULL, 0, 100);
    return 0;
}

static int run(const struct net_env *e, const char *cmd, const char *netns, json_t *input,
               char **out, struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_free_ char *nv = net_find_helper(e, "netavark");
    _cleanup_free_ char *adv = net_find_helper(e, "aardvark-dns");
    _cleanup_free_ char *conf = fs_join(e->tmp_dir, "networks");
    _cleanup_free_ char *advopt = NULL, *in = NULL, *o = NULL, *eo = NULL;
    int status;

    if (!nv)
        return berr_msg(err, "netavark: binary not found in the helper dirs or $PATH");
    if (!conf || !(in = json_dumps(input, JSON_COMPACT)))
        return berr_oom(err);
    if (adv && !(advopt = str_fmt("--aardvark-binary=%s", adv)))
        return berr_oom(err);
    if (fs_mkdir_p(conf, 0755, err) < 0 || serialize(conf, &l, err) < 0)
        return -1;
    {
        char *argv[] = { nv, "--config", conf, "--rootless=false",
                         advopt ? advopt : (char *) cmd, advopt ? (char *) cmd : (char *) netns,
                         advopt ? (char *) netns : NULL, NULL };
        log_debug("netavark %s %s: %s", cmd, netns, in);
        if (net_exec(argv, net_envp, in, &o, &eo, &status, err) < 0)
            return berr_wrap(err, "netavark");
    }
    if (eo && *eo)
        log_debug("netavark %s stderr: %s", cmd, eo);
    if (status != 0)
        return backend_error(o, eo, status, err);
    if (out)
        *out = STEAL_PTR(o);
    return 0;
}

int netavark_setup(const struct net_env *e, const char *netns, json_t *input, json_t **result,
                   struct berr **err)
{
    _cleanup_free_ char *out = NULL;
    json_error_t je;
    json_t *r;

    if (run(e, "setup", netns, input, &out, err) < 0)
        return -1;
    r = json_loads(out ? out : "", 0, &je);
    if (!json_is_object(r)) {
        json_decref(r);
        return berr_msg(err, "netavark: unexpected output \"%s\": %s", out ? out : "", je.text);
    }
    *result = r;
    return 0;
}

int netavark_teardown(const struct net_env *e, const char *netns, json_t *input,
                      struct berr **err)
{
    return run(e, "teardown", netns, input, NULL, err);
}
