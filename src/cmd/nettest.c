/*
 * cmd/nettest.c: berth __net-test, a hidden debug command that drives the
 * networking library (runtime/net: setup.c, netns.c, ports.c) without
 * containers, for test/bats/net_lib.bats:
 *
 *   __net-test netns-create                  prints the new netns path
 *   __net-test netns-remove PATH
 *   __net-test setup ID NAME NETNS [--network NET[=IP]]... [-p SPEC]...
 *                                            prints the status JSON; the
 *                                            reserved port sockets are closed
 *                                            again (no conmon holds them)
 *   __net-test teardown ID [NETNS]           status taken from the status file
 *   __net-test settings ID                   NetworkSettings of the status file
 *   __net-test resolv ID                     resolv.conf for the status file
 *                                            (genfiles_resolv over the
 *                                            network's servers and search
 *                                            domains and the host's file)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "runtime/genfiles.h"
#include "runtime/net/net.h"
#include "runtime/runtime.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/js.h"
#include "util/out.h"
#include "util/str.h"

enum { O_NETWORK = 256 };

static const struct cmd_opt nettest_opts[] = {
    { "network", O_NETWORK, OPT_ARG, "NET[=IP]", "network to join, with an optional static IP", 0 },
    { "publish", 'p', OPT_ARG, "SPEC", "publish a port", 0 },
    { 0 }
};

static int read_status(struct runtime *rt, const char *id, json_t **st, struct berr **err)
{
    _cleanup_free_ char *p = str_fmt("%s/networks/status/%s.json", rt->cfg->tmp_dir, id);

    if (!p)
        return berr_oom(err);
    return js_read_file(p, st, err);
}

/* The real builder (runtime/genfiles.h), fed from the network status. */
static int print_resolv(json_t *status, struct berr **err)
{
    _cleanup_strv_ strv servers = NULL, searches = NULL;
    _cleanup_free_ char *host = NULL, *text = NULL;
    struct resolv_opts ro = { .private_netns = true };

    if (net_dns(status, &servers, &searches, err) < 0 ||
        genfiles_read_host_resolv(&host, err) < 0)
        return -1;
    ro.host = host;
    ro.net_servers = servers;
    ro.net_searches = searches;
    if (!(text = genfiles_resolv(&ro)))
        return berr_oom(err);
    fputs(text, stdout);
    return 0;
}

static int do_setup(struct runtime *rt, struct opt_it *it, strv nets, struct net_port *ports,
                    size_t nports, struct berr **err)
{
    struct net_attach att[8];
    struct net_ctr_opts o = { 0 };
    _cleanup_json_ json_t *status = NULL;
    size_t n = 0;
    int *fds = NULL;
    size_t nfds = 0;

    if (it->nargs != 4)
        return berr_msg(err, "usage: __net-test setup ID NAME NETNS");
    memset(att, 0, sizeof(att));
    for (size_t i = 0; nets && nets[i] && n < 8; i++, n++) {
        char *eq = strchr(nets[i], '=');
        if (eq) {
            *eq = '\0';
            att[n].static_ip = eq + 1;
        }
        att[n].name = nets[i];
    }
    if (!n)
        att[n++].name = rt->cfg->default_network;
    if (ports_reserve(ports, nports, &fds, &nfds, err) < 0)
        return -1;
    ports_close(fds, nfds);
    o.id = it->args[1];
    o.name = it->args[2];
    o.netns = it->args[3];
    o.nets = att;
    o.n_nets = n;
    o.ports = ports;
    o.n_ports = nports;
    if (net_setup(rt, &o, &status, err) < 0)
        return -1;
    return out_json(stdout, status, err);
}

static int nettest_fn(struct cmd_ctx *cx, int argc, char **argv, struct berr **err)
{
    struct runtime *rt;
    struct opt_it it;
    _cleanup_strv_ strv nets = NULL;
    _cleanup_free_ struct net_port *ports = NULL;
    _cleanup_json_ json_t *st = NULL;
    size_t nports = 0;
    const char *sub;
    int c, rc = 0;

    cmd_opt_init(&it, cx);
    while (rc == 0 && (c = opt_next(&it, argc, argv, err)) > 0) {
        if (c == O_NETWORK)
            rc = strv_push(&nets, it.arg) < 0 ? berr_oom(err) : 0;
        else if (c == 'p')
            rc = ports_parse(it.arg, &ports, &nports, err);
    }
    if (rc < 0)
        c = -1;
    if (c == 0 && !it.help && it.nargs < 1)
        c = berr_msg(err, "usage: __net-test netns-create|netns-remove|setup|teardown|settings|resolv");
    if (c < 0 || it.help || cx_runtime(cx, RT_FULL, &rt, err) < 0) {
        opt_free(&it);
        return c < 0 || !it.help ? -1 : 0;
    }
    sub = it.args[0];
    if (!strcmp(sub, "netns-create")) {
        _cleanup_free_ char *p = NULL;
        if ((rc = net_ns_create(rt->cfg->tmp_dir, NULL, &p, err)) == 0)
            printf("%s\n", p);
    } else if (!strcmp(sub, "netns-remove") && it.nargs == 2) {
        rc = net_ns_remove(it.args[1], err);
    } else if (!strcmp(sub, "setup")) {
        rc = do_setup(rt, &it, nets, ports, nports, err);
    } else if (!strcmp(sub, "teardown") && it.nargs >= 2) {
        rc = net_teardown(rt, it.args[1], NULL, it.nargs > 2 ? it.args[2] : NULL, err);
    } else if (!strcmp(sub, "settings") && it.nargs == 2) {
        _cleanup_json_ json_t *s = NULL;
        _cleanup_free_ struct net_port *pv = NULL;
        size_t np = 0;
        if ((rc = read_status(rt, it.args[1], &st, err)) == 0 &&
            (rc = ports_from_json(json_object_get(st, "port_mappings"), &pv, &np, err)) == 0) {
            s = net_inspect_settings(st, pv, np, NULL, NULL);
            rc = s ? out_json(stdout, s, err) : berr_oom(err);
        }
    } else if (!strcmp(sub, "resolv") && it.nargs == 2) {
        rc = read_status(rt, it.args[1], &st, err) == 0 ? print_resolv(st, err) : -1;
    } else {
        rc = berr_msg(err, "__net-test: bad subcommand or arguments");
    }
    opt_free(&it);
    return rc;
}

const struct cmd cmd_net_test = {
    .name = "__net-test",
    .summary = "Drive the networking library directly (tests only)",
    .usage = "SUBCOMMAND [ARGS...]",
    .description = "A debug command for berth's own tests: creates namespaces and runs network\n"
                   "setup/teardown for a pretend container, without the container layer.",
    .examples = "berth __net-test netns-create",
    .opts = nettest_opts, .fn = nettest_fn, .need = RT_FULL, .flags = CMD_HIDDEN,
};
