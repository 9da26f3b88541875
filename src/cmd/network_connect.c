/*
 * cmd/network_connect.c: network connect / network disconnect, done under
 * the container's lock by runtime/ctr_net.c.
 */
#include <arpa/inet.h>

#include "cmd/cmd.h"
#include "runtime/container.h"
#include "util/cleanup.h"

enum { O_ALIAS = 256, O_IP, O_IP6, O_MAC, O_FORCE = 'f' };

static const struct cmd_opt connect_opts[] = {
    { "alias", O_ALIAS, OPT_ARG, "strings", "network scoped alias for container", 0 },
    { "ip", O_IP, OPT_ARG, "string", "set a static ipv4 address for this container network", 0 },
    { "ip6", O_IP6, OPT_ARG, "string", "set a static ipv6 address for this container network", 0 },
    { "mac-address", O_MAC, OPT_ARG, "string", "set a static mac address for this container network", 0 },
    { 0 }
};

static const struct cmd_opt disconnect_opts[] = {
    { "force", O_FORCE, OPT_FLAG, NULL, "force operation (accepted for podman compatibility)", 0 },
    { 0 }
};

static int connect_common(struct cmd_ctx *cx, int argc, char **argv, bool connect,
                          struct berr **err)
{
    struct opt_it it;
    struct runtime *rt;
    _cleanup_ctr_ struct ctr *c = NULL;
    _cleanup_strv_ char **aliases = NULL;
    const char *ip = NULL, *ip6 = NULL, *mac = NULL;
    int r;

    cmd_opt_init(&it, cx);
    while ((r = opt_next(&it, argc, argv, err)) > 0) {
        if (r == O_ALIAS) {
            _cleanup_strv_ char **parts = strv_split(it.arg, ",");
            for (size_t i = 0; parts && parts[i]; i++)
                strv_push(&aliases, parts[i]);
        } else if (r == O_IP) {
            ip = it.arg;
        } else if (r == O_IP6) {
            /* podman's flag is an IP value: checked as it is parsed */
            unsigned char buf[16];
            if (inet_pton(AF_INET6, it.arg, buf) != 1 && inet_pton(AF_INET, it.arg, buf) != 1) {
                _cleanup_free_ char *why = str_fmt("failed to parse IP: \"%s\"", it.arg);
                r = opt_bad_value(&it, why ? why : "", err);
                break;
            }
            ip6 = it.arg;
        } else if (r == O_MAC) {
            mac = it.arg;
        }
    }
    if (r == 0 && !it.help && it.nargs != 2)
        r = berr_msg(err, "accepts 2 arg(s), received %d", it.nargs);
    if (r == 0 && !it.help) {
        if (cx_runtime(cx, RT_FULL, &rt, err) < 0 || ctr_get(rt, it.args[1], &c, err) < 0)
            r = -1;
        else if (connect)
            r = ctr_net_connect(rt, c, it.args[0], aliases, ip, ip6, mac, err);
        else
            r = ctr_net_disconnect(rt, c, it.args[0], err);
    }
    opt_free(&it);
    return r;
}

static int connect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return connect_common(cx, argc, argv, true, err);
}

static int disconnect_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    return connect_common(cx, argc, argv, false, err);
}

const struct cmd cmd_network_connect = { .name = "connect", .summary = "Add container to a network",
    .usage = "[options] NETWORK CONTAINER",
    .description = "Connects a container to another network. A running container gets the\n"
                   "new interface at once; a stopped one when it next starts.",
    .examples = "berth network connect app web\nberth network connect --alias db --ip 10.89.0.5 app web",
    .opts = connect_opts, .fn = connect_fn, .need = RT_FULL };

const struct cmd cmd_network_disconnect = { .name = "disconnect", .summary = "Disconnect a container from a network",
    .usage = "[options] NETWORK CONTAINER",
    .description = "Disconnects a container from a network. A running container keeps at\n"
                   "least one network.",
    .examples = "berth network disconnect app web", .opts = disconnect_opts, .fn = disconnect_fn,
    .need = RT_FULL };
