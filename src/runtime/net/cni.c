/*
 * runtime/net/cni.c: the CNI backend (network_backend = "cni"): runs the
 * CNI plugins (containernetworking-plugins) ourselves, per the CNI spec
 * 1.0.0, with the same input and the same result shape as netavark.
 *
 * Per network the container joins, cniconf.c builds the conflist (bridge
 * with the "static" IPAM fed with the addresses our own IPAM chose,
 * portmap, firewall, tuning) and it is written to
 * <tmp_dir>/networks/cni/<name>.conflist (the last one executed, for
 * debugging only: never read back). Each plugin is exec'd with
 * CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH in its
 * environment and its config on stdin; ADD runs in list order, each
 * plugin getting the previous one's result as prevResult; a failed ADD is
 * undone by DEL of the whole list in reverse (DEL is idempotent, so the
 * plugin that failed halfway is cleaned too). The final result is
 * converted to netavark's shape.
 *
 * Teardown runs DEL in reverse order with a prevResult rebuilt from the
 * status (our addresses), not a cached ADD result: a berth killed
 * mid-setup leaves no cache, and the addresses are all firewall and
 * portmap need. The bridge plugin finds the masquerade rules to delete
 * through the addresses on the container's interface; in the scratch
 * namespace a teardown gets when the container's is gone, the stand-in
 * interface gets them first (readdress()). A bridge left without ports
 * is removed, as netavark does.
 *
 * Not available with CNI:
 *   - DNS between containers. aardvark-dns belongs to netavark, and the
 *     dnsname plugin (podman's CNI DNS) is not packaged in Debian. The
 *     result's dns_server_ips is empty, so /etc/resolv.conf gets the
 *     host's servers; a network created with DNS enabled still works,
 *     without name resolution of other containers (by IP only).
 *   - Network isolation between bridges (netavark's isolate option).
 * Calls are serialized with <tmp_dir>/networks/cni/cni.lock: two
 * portmap or firewall plugins creating the same chains at once race.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/lock.h"
#include "runtime/net/netint.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/log.h"
#include "util/str.h"

static const char *const default_dirs[] = {
    "/usr/local/libexec/cni", "/usr/libexec/cni", "/usr/local/lib/cni", "/usr/lib/cni",
    "/opt/cni/bin", NULL,
};

/* One CNI invocation's fixed parameters. */
struct cni_call {
    const char *ctr_id;
    const char *netns;
    const char *ifname;
    const char *path;               /* CNI_PATH */
};

static char *cni_path(const struct net_env *e)
{
    _cleanup_strv_ strv dirs = NULL;

    for (size_t i = 0; e->cni_dirs && e->cni_dirs[i]; i++)
        if (strv_push(&dirs, e->cni_dirs[i]) < 0)
            return NULL;
    for (size_t i = 0; !dirs && default_dirs[i]; i++)
        if (strv_push(&dirs, default_dirs[i]) < 0)
            return NULL;
    return strv_join(dirs, ":");
}

/* The plugin binary: the first CNI_PATH dir that has it. */
static char *find_plugin(const char *path, const char *type)
{
    _cleanup_strv_ strv dirs = strv_split(path, ":");

    if (strchr(type, '/'))
        return NULL;
    for (size_t i = 0; dirs && dirs[i]; i++) {
        char *p = fs_join(dirs[i], type);
        if (p && access(p, X_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

/* A plugin failure as "cni: <type>: <msg>[: <details>]", from its error
 * object on stdout, else its stderr, else the exit status. */
static int plugin_error(const char *type, const char *cmd, const char *out,
                        const char *errout, int status, struct berr **err)
{
    json_error_t je;
    _cleanup_json_ json_t *j = out && *out ? json_loads(out, 0, &je) : NULL;
    const char *msg = js_str(j, "msg", NULL), *details = js_str(j, "details", "");
    _cleanup_free_ char *e2 = str_dup(errout ? errout : "");

    if (msg && *details)
        return berr_msg(err, "cni: %s (%s): %s: %s", type, cmd, msg, details);
    if (msg)
        return berr_msg(err, "cni: %s (%s): %s", type, cmd, msg);
    if (e2 && *str_trim(e2))
        return berr_msg(err, "cni: %s (%s): %s", type, cmd, str_trim(e2));
    return berr_msg(err, "cni: %s (%s): exit status %d", type, cmd, status);
}

/* Runs one plugin; *out (may be NULL) gets its stdout on success. */
static int exec_plugin(const struct cni_call *c, const char *cmd, json_t *conf, char **out,
                       struct berr **err)
{
    const char *type = js_str(conf, "type", "");
    _cleanup_free_ char *bin = find_plugin(c->path, type);
    _cleanup_free_ char *in = json_dumps(conf, JSON_COMPACT);
    _cleanup_free_ char *o = NULL, *eo = NULL;
    _cleanup_strv_ strv env = NULL;
    int status;

    if (!bin)
        return berr_msg(err, "cni: plugin %s not found in %s", type, c->path);
    if (!in || strv_pushf(&env, "CNI_COMMAND=%s", cmd) < 0 ||
        strv_pushf(&env, "CNI_CONTAINERID=%s", c->ctr_id) < 0 ||
        strv_pushf(&env, "CNI_NETNS=%s", c->netns) < 0 ||
        strv_pushf(&env, "CNI_IFNAME=%s", c->ifname) < 0 ||
        strv_pushf(&env, "CNI_PATH=%s", c->path) < 0 ||
        strv_push(&env, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin") < 0)
        return berr_oom(err);
    log_debug("cni %s %s: %s", cmd, type, in);
    {
        char *argv[] = { bin, NULL };
        if (net_exec(argv, env, in, &o, &eo, &status, err) < 0)
            return berr_wrap(err, "cni");
    }
    if (eo && *eo)
        log_debug("cni %s %s stderr: %s", cmd, type, eo);
    if (status != 0)
        return plugin_error(type, cmd, o, eo, status, err);
    if (out)
        *out = STEAL_PTR(o);
    return 0;
}

/* Best effort: puts the addresses back on the container's interface if
 * it exists without them (a stand-in in a scratch namespace), so that
 * the bridge plugin's DEL finds its masquerade rules by them. */
static void readdress(const struct cni_call *c, json_t *prev)
{
    _cleanup_free_ char *nsenter = fs_which("nsenter"), *ip = fs_which("ip");
    _cleanup_free_ char *nsopt = str_fmt("--net=%s", c->netns);
    size_t i;
    json_t *a;

    if (!nsenter || !ip || !nsopt || !*c->netns)
        return;
    json_array_foreach(json_object_get(prev, "ips"), i, a) {
        char *argv[] = { nsenter, nsopt, ip, "addr", "add", (char *) js_str(a, "address", ""),
                         "dev", (char *) c->ifname, NULL };
        char *envp[] = { NULL };
        _cleanup_free_ char *o = NULL, *eo = NULL;
        struct berr *err = NULL;
        int st;

        if (net_exec(argv, envp, NULL, &o, &eo, &st, &err) < 0)
            berr_free(err);
    }
}

/* Like netavark, removes the network's bridge once no interface is
 * attached to it (the bridge plugin never does). Asks ip(8), not /sys:
 * a sysfs mounted in another network namespace shows that one's links.
 * Safe against our own setups: both run under the cni lock. */
static void remove_idle_bridge(const char *bridge)
{
    _cleanup_free_ char *ip = fs_which("ip");
    char *envp[] = { NULL };
    char *show[] = { ip, "-o", "link", "show", "master", (char *) bridge, NULL };
    char *del[] = { ip, "link", "del", "dev", (char *) bridge, "type", "bridge", NULL };
    _cleanup_free_ char *o = NULL, *eo = NULL, *o2 = NULL, *eo2 = NULL;
    struct berr *err = NULL;
    int st;

    if (!ip || !*bridge)
        return;
    if (net_exec(show, envp, NULL, &o, &eo, &st, &err) < 0 || st != 0 || (o && *o)) {
        berr_free(err);
        return;
    }
    if (net_exec(del, envp, NULL, &o2, &eo2, &st, &err) < 0)
        berr_free(err);
    else if (st != 0)
        log_debug("cni: remove bridge %s: %s", bridge, eo2 ? eo2 : "");
}

/* DEL of every plugin of the list, last first. Goes on after a failure;
 * returns the first. */
static int del_list(const struct cni_call *c, json_t *list, json_t *prev, struct berr **err)
{
    json_t *plugins = json_object_get(list, "plugins");
    int rc = 0;

    for (size_t i = json_array_size(plugins); i-- > 0;) {
        _cleanup_json_ json_t *conf = cni_plugin_conf(list, json_array_get(plugins, i), prev);
        struct berr *e2 = NULL;

        if (!conf)
            return berr_oom(err);
        if (exec_plugin(c, "DEL", conf, NULL, &e2) < 0) {
            if (rc == 0) {
                *err = e2;
                rc = -1;
            } else {
                log_warn("%s", e2->msg);
                berr_free(e2);
            }
        }
    }
    return rc;
}

/* ADD of every plugin in order, each with the previous result; *result
 * the last one. On failure the list is DEL'd. */
static int add_list(const struct cni_call *c, json_t *list, json_t *prev_del, json_t **result,
                    struct berr **err)
{
    _cleanup_json_ json_t *prev = NULL;
    json_t *plugins = json_object_get(list, "plugins");

    for (size_t i = 0; i < json_array_size(plugins); i++) {
        _cleanup_json_ json_t *conf = cni_plugin_conf(list, json_array_get(plugins, i), prev);
        _cleanup_free_ char *out = NULL;
        json_error_t je;
        json_t *r;
        int rc;

        if (!conf)
            return berr_oom(err);
        rc = exec_plugin(c, "ADD", conf, &out, err);
        r = rc == 0 ? json_loads(out ? out : "", 0, &je) : NULL;
        if (rc == 0 && !json_is_object(r)) {
            json_decref(r);
            r = NULL;
            rc = berr_msg(err, "cni: %s: unexpected output \"%s\"",
                          js_str(conf, "type", ""), out ? out : "");
        }
        if (rc < 0) {
            struct berr *e2 = NULL;
            if (del_list(c, list, prev_del, &e2) < 0) {
                log_warn("%s", e2->msg);
                berr_free(e2);
            }
            return -1;
        }
        json_decref(prev);
        prev = r;
    }
    *result = STEAL_PTR(prev);
    return 0;
}

static int write_conflist(const struct net_env *e, const char *name, json_t *list,
                          struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("%s/networks/cni", e->tmp_dir);
    _cleanup_free_ char *file = str_fmt("%s.conflist", name);
    _cleanup_free_ char *txt = json_dumps(list, JSON_INDENT(2));

    if (!dir || !file || !txt)
        return berr_oom(err);
    return fs_write_atomic(dir, file, txt, strlen(txt), 0600, err);
}

static int cni_lock(const struct net_env *e, struct lock *l, const char **path,
                    struct berr **err)
{
    _cleanup_free_ char *dir = str_fmt("%s/networks/cni", e->tmp_dir);
    _cleanup_free_ char *lp = dir ? fs_join(dir, "cni.lock") : NULL;
    char *p;

    if (!lp || !(p = cni_path(e)))
        return berr_oom(err);
    *path = p;
    if (fs_mkdir_p(dir, 0700, err) < 0)
        return -1;
    return lock_path(lp, true, l, err);
}

/* One network's list and the prevResult its DEL gets. */
static int net_list_for(const struct cni_call *c, json_t *input, const char *name, json_t *per,
                        json_t **list, json_t **prev, struct berr **err)
{
    json_t *def = json_object_get(json_object_get(input, "network_info"), name);

    if (!json_is_object(def))
        return berr_msg(err, "cni: no definition of network %s in the input", name);
    if (cni_conflist(name, def, per, json_object_get(input, "port_mappings"), list, err) < 0)
        return -1;
    return cni_prev_result(def, per, c->netns, prev, err);
}

int cni_setup(const struct net_env *e, const char *netns, json_t *input, json_t **result,
              struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_free_ const char *path = NULL;
    _cleanup_json_ json_t *res = json_object();
    struct cni_call c = { .ctr_id = js_str(input, "container_id", ""), .netns = netns };
    const char *name;
    json_t *per;

    if (!res)
        return berr_oom(err);
    if (cni_lock(e, &l, &path, err) < 0)
        return -1;
    c.path = path;
    json_object_foreach(json_object_get(input, "networks"), name, per) {
        _cleanup_json_ json_t *list = NULL, *prev = NULL, *r = NULL, *conv = NULL;

        c.ifname = js_str(per, "interface_name", "eth0");
        if (net_list_for(&c, input, name, per, &list, &prev, err) < 0)
            return -1;
        if (write_conflist(e, name, list, err) < 0 || add_list(&c, list, prev, &r, err) < 0)
            return -1;
        if (cni_result_convert(r, c.ifname, &conv, err) < 0 ||
            json_object_set(res, name, conv) < 0) {
            struct berr *e2 = NULL;
            if (del_list(&c, list, prev, &e2) < 0)
                berr_free(e2);
            return *err ? -1 : berr_oom(err);
        }
    }
    *result = STEAL_PTR(res);
    return 0;
}

int cni_teardown(const struct net_env *e, const char *netns, json_t *input, struct berr **err)
{
    _cleanup_lock_ struct lock l = LOCK_INIT;
    _cleanup_free_ const char *path = NULL;
    struct cni_call c = { .ctr_id = js_str(input, "container_id", ""),
                          .netns = netns ? netns : "" };
    json_t *nets = json_object_get(input, "networks");
    _cleanup_strv_ strv names = NULL;
    const char *name;
    json_t *per;
    int rc = 0;

    if (cni_lock(e, &l, &path, err) < 0)
        return -1;
    c.path = path;
    json_object_foreach(nets, name, per)
        if (strv_push(&names, name) < 0)
            return berr_oom(err);
    /* Networks in reverse order too: the exact mirror of setup. */
    for (size_t i = strv_len(names); i-- > 0;) {
        _cleanup_json_ json_t *list = NULL, *prev = NULL;
        struct berr *e2 = NULL;

        per = json_object_get(nets, names[i]);
        c.ifname = js_str(per, "interface_name", "eth0");
        if (net_list_for(&c, input, names[i], per, &list, &prev, &e2) == 0) {
            readdress(&c, prev);
            del_list(&c, list, prev, &e2);
            remove_idle_bridge(js_str(json_array_get(json_object_get(list, "plugins"), 0),
                                      "bridge", ""));
        }
        if (e2 && rc == 0) {
            *err = e2;
            rc = -1;
        } else if (e2) {
            log_warn("%s", e2->msg);
            berr_free(e2);
        }
    }
    return rc;
}
